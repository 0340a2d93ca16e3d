"""The catalogue in the admin: categories (the taxonomy), providers and services with their locations and
contacts. Referrals are client data and are not in the admin."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.accounts.admin import AuditedAdmin
from polku.core.links import web_url_validator
from polku.network.models import (
    Provider,
    Service,
    ServiceContact,
    ServiceLanguage,
    ServiceLocation,
    TaxonomyTerm,
)
from polku.screening.models import NeedKind


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(AuditedAdmin):
    list_display = ("name_fi", "name_sv", "name_en", "code", "register", "position", "is_active")
    list_filter = ("is_active", "register")
    search_fields = ("name_fi", "name_sv", "name_en", "code")
    fields = ("code", "name_fi", "name_sv", "name_en", "description", "register", "position", "is_active")


@admin.register(Provider)
class ProviderAdmin(AuditedAdmin):
    # Only http(s) addresses: anything else could run script when the link is clicked (polku.core.links).
    formfield_overrides = {models.URLField: {"assume_scheme": "https", "validators": [web_url_validator]}}
    list_display = ("name", "business_id", "organisation")
    search_fields = ("name", "business_id")
    autocomplete_fields = ("organisation",)


class LocationInline(admin.StackedInline):
    model = ServiceLocation
    extra = 0


class ContactInline(admin.TabularInline):
    model = ServiceContact
    extra = 0


class ServiceForm(forms.ModelForm):
    """Support needs and languages as checkboxes instead of raw JSON lists."""

    need_kinds = forms.MultipleChoiceField(
        label=_("Support needs it answers"),
        choices=NeedKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=ServiceLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    url = forms.URLField(
        label=_("web page"), required=False, assume_scheme="https", validators=[web_url_validator]
    )

    class Meta:
        model = Service
        exclude: list[str] = []


@admin.register(Service)
class ServiceAdmin(AuditedAdmin):
    form = ServiceForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name_fi", "provider", "category", "is_active")
    list_filter = ("is_active", "category")
    search_fields = ("name_fi", "name_sv", "name_en", "provider__name")
    list_select_related = ("provider", "category")
    autocomplete_fields = ("provider", "unit")
    inlines = [LocationInline, ContactInline]
