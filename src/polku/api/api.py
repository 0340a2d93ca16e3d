"""Serializers for what the API app itself answers: who the caller is.

Names of organisations and units: `unit` and `organisation` are the official Finnish names, the same
whatever the request's language; `unit_sv` and `organisation_sv` the Swedish names where the data gives
them (bilingual municipalities), else empty; `unit_display` and `organisation_display` are in the request's
language (Accept-Language or the language chosen in Polku: Swedish where given, else Finnish), like
`role_display`."""

from rest_framework import serializers

FINNISH_NAME = "The official (Finnish) name, whatever the request's language."
SWEDISH_NAME = "The Swedish name where the organisation has one (bilingual municipalities), else empty."
DISPLAY_NAME = "In the request's language: the Swedish name on a Swedish request where given, else Finnish."


class MembershipSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    role = serializers.CharField()
    role_display = serializers.CharField(source="get_role_display")
    unit = serializers.CharField(source="unit.name", help_text=FINNISH_NAME)
    unit_sv = serializers.CharField(source="unit.name_sv", help_text=SWEDISH_NAME)
    unit_display = serializers.CharField(source="unit.display_name", help_text=DISPLAY_NAME)
    organisation = serializers.CharField(source="unit.organisation.name", help_text=FINNISH_NAME)
    organisation_sv = serializers.CharField(source="unit.organisation.name_sv", help_text=SWEDISH_NAME)
    organisation_display = serializers.CharField(
        source="unit.organisation.display_name", help_text=DISPLAY_NAME
    )
    organisation_business_id = serializers.CharField(source="unit.organisation.business_id")


class MeSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    email = serializers.EmailField()
    name = serializers.CharField(source="get_full_name")
    membership = MembershipSerializer(allow_null=True)
