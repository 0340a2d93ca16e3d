"""Serializers for what the API app itself answers: who the caller is."""

from rest_framework import serializers


class MembershipSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    role = serializers.CharField()
    role_display = serializers.CharField(source="get_role_display")
    unit = serializers.CharField(source="unit.name")
    organisation = serializers.CharField(source="unit.organisation.name")
    organisation_business_id = serializers.CharField(source="unit.organisation.business_id")


class MeSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    email = serializers.EmailField()
    name = serializers.CharField(source="get_full_name")
    membership = MembershipSerializer(allow_null=True)
