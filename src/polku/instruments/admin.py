"""Instruments in the admin: drafts are edited here; a published version is shown read-only, and a change
starts with "New draft from this version"."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from polku.accounts.admin import AuditedAdmin
from polku.accounts.requests import StaffRequest
from polku.instruments import services
from polku.instruments.models import (
    AlertRule,
    AnswerOption,
    Band,
    Instrument,
    InstrumentVersion,
    Item,
    Subscale,
)


def _is_draft(obj: Any) -> bool:
    version = obj if isinstance(obj, InstrumentVersion) else getattr(obj, "version", None)
    if isinstance(obj, Item):
        version = obj.version
    return version is None or not version.is_published


class DraftOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)


class ItemInline(DraftOnlyInline):
    model = Item
    fields = ("position", "link_id", "kind", "text", "required", "min_value", "max_value")
    show_change_link = True


class BandInline(DraftOnlyInline):
    model = Band
    fields = ("code", "sex", "min_score", "max_score", "label", "action")


class SubscaleInline(DraftOnlyInline):
    model = Subscale
    fields = ("position", "code", "title", "link_ids")


class AlertRuleInline(DraftOnlyInline):
    model = AlertRule
    fields = ("link_id", "min_score", "title", "guidance")


class OptionInline(DraftOnlyInline):
    model = AnswerOption
    fields = ("position", "code", "score", "text")


@admin.register(Instrument)
class InstrumentAdmin(AuditedAdmin):
    list_display = ("code", "created_at")


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(AuditedAdmin):
    list_display = ("instrument", "number", "status", "published_at")
    list_filter = ("status", "instrument")
    fields = (
        "instrument",
        "number",
        "status",
        "title",
        "description",
        "register",
        "publisher",
        "licence",
        "source_note",
    )
    readonly_fields = ("status",)
    inlines = [ItemInline, SubscaleInline, BandInline, AlertRuleInline]
    actions = ["make_draft", "publish"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)

    @admin.action(description=_("New draft from this version"))
    def make_draft(self, request: StaffRequest, queryset: QuerySet[InstrumentVersion]) -> None:
        for version in queryset:
            draft = services.new_draft(version=version, by=request.membership)
            messages.success(request, _("Draft %(draft)s created.") % {"draft": draft})

    @admin.action(description=_("Publish"))
    def publish(self, request: StaffRequest, queryset: QuerySet[InstrumentVersion]) -> None:
        for version in queryset:
            try:
                services.publish_version(version=version, by=request.membership)
            except ValidationError as error:
                messages.error(request, f"{version}: {' '.join(error.messages)}")
            else:
                messages.success(request, _("%(version)s published.") % {"version": version})


@admin.register(Item)
class ItemAdmin(AuditedAdmin):
    list_display = ("version", "link_id", "kind", "required")
    inlines = [OptionInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)
