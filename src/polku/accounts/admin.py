from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from polku import audit
from polku.accounts.forms import UserCreateForm, UserEditForm
from polku.accounts.models import Membership, Organisation, Unit, User
from polku.audit import basis


class AuditedAdmin(admin.ModelAdmin):
    """Every change made in the admin also goes to the hash-chained audit log, not only to Django's
    editable admin log: who granted a role or reset someone's authenticator must be provable."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        audit.record(
            _actor(request), "admin.add", obj, details={"change": str(message)}, basis=_task("admin.add")
        )
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        audit.record(
            _actor(request),
            "admin.change",
            obj,
            details={"change": str(message)},
            basis=_task("admin.change"),
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            audit.record(
                _actor(request),
                "admin.delete",
                obj,
                details={"deleted": str(obj)},
                basis=_task("admin.delete"),
            )
        return super().log_deletions(request, queryset)


def _task(action: str) -> dict[str, Any]:
    """The basis of an administrator's change (`audit.basis`): their task in the admin."""
    return basis.administrator(action)


def _actor(request: HttpRequest) -> Any:
    return getattr(request, "membership", None) or request.user


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ("name", "name_sv", "is_active")


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "kind", "business_id", "municipality_code", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "name_sv", "business_id", "municipality_code")
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ("name", "organisation", "is_active")
    list_filter = ("is_active", "organisation__kind")
    search_fields = ("name", "organisation__name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)


class MembershipInline(admin.TabularInline):
    """New roles can be added here; an existing membership is history (audit events point at it), so it
    is ended from the membership's own page, never rewritten or deleted."""

    model = Membership
    extra = 0
    fields = ("unit", "role", "valid_from", "valid_until")
    autocomplete_fields = ("unit",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    list_display = ("email", "first_name", "last_name", "is_active", "date_joined")
    list_filter = ("is_active",)
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    filter_horizontal = ()
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal details"), {"fields": ("first_name", "last_name")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("user", "role", "unit", "valid_from", "valid_until")
    list_filter = ("role", "unit__organisation")
    search_fields = ("user__email", "user__last_name", "unit__name", "unit__organisation__name")
    list_select_related = ("user", "unit__organisation")
    autocomplete_fields = ("user", "unit")
    date_hierarchy = "valid_from"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Who, where and in which role stay as they were: a different role is a new membership.
        return ("user", "unit", "role", "valid_from") if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# allauth's own admin shows the authenticator's data, which holds the TOTP secret. Administrators only
# need to see that a user has set up an authenticator and to delete it when a phone is lost (the user
# is then asked to set up a new one at the next login).
admin.site.unregister(Authenticator)
# Roles come from memberships, never from Django's permission groups.
admin.site.unregister(Group)


@admin.register(Authenticator)
class AuthenticatorAdmin(AuditedAdmin):
    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    search_fields = ("user__email",)
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
