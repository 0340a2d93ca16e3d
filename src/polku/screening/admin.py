from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from polku.accounts.admin import AuditedAdmin, _actor
from polku.screening import evidence, services
from polku.screening.models import ScreeningRule


@admin.register(ScreeningRule)
class ScreeningRuleAdmin(AuditedAdmin):
    """Editing a rule saves a new version and retires the old one, which the needs it flagged keep."""

    list_display = (
        "name",
        "code",
        "version",
        "conditions_in_words",
        "need_kind",
        "priority",
        "is_active",
        "is_current",
    )
    list_filter = ("is_current", "is_active", "need_kind", "priority")
    search_fields = ("name", "code")
    readonly_fields = ("conditions_in_words", "version", "is_current", "created_at")
    fields = (
        "code",
        "name",
        "description",
        "need_kind",
        "priority",
        "conditions",
        "is_active",
        *readonly_fields,
    )

    @admin.display(description=_("Conditions in words"))
    def conditions_in_words(self, obj: ScreeningRule | None) -> str:
        """What the saved conditions ask, as the worker reads them on the evidence."""
        if obj is None or not obj.pk:
            return "–"
        return evidence.conditions_text(obj.conditions) or "–"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return (*self.readonly_fields, "code") if obj is not None else self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An old version is history: only the current one can be revised.
        return super().has_change_permission(request, obj) and (obj is None or obj.is_current)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # retire a rule by making it inactive; needs point at its versions

    def save_model(self, request: HttpRequest, obj: ScreeningRule, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        fields = ("name", "description", "conditions", "need_kind", "priority", "is_active")
        new = services.revise_rule(
            rule=obj, by=_actor(request), **{field: getattr(obj, field) for field in fields}
        )
        # The admin then logs (and audits) the change on the new version's row.
        obj.pk, obj.version, obj.is_current, obj.created_at = new.pk, new.version, True, new.created_at
