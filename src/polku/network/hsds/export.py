"""The catalogue as a list of compiled HSDS services (one document per service, with its organization,
locations, contacts and Polku's attributes)."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import translation

from polku.network.hsds.schema import ORGANIZATION_NAME_SV, TRANSLATED, derived_id
from polku.network.models import Service, ServiceLanguage, ServiceLocation
from polku.network.taxonomy import NEEDS_TAXONOMY, TAXONOMY_NAME, TRANSLATIONS_TAXONOMY
from polku.screening.models import NeedKind


def export_services(services: Any = None) -> list[dict[str, Any]]:
    """Every service (active or not) as HSDS, in a fixed order and a fixed number of queries."""
    if services is None:
        services = Service.objects.all()
    services = (
        services.select_related("provider", "category")
        .prefetch_related("locations__municipality", "contacts")
        .order_by("name_fi", "public_id")
    )
    # Labels in the document are English whatever the request's language: the same catalogue always
    # gives the same document.
    with translation.override("en"):
        return [service_document(service) for service in services]


def _phone(phone_id: uuid.UUID, number: str, **links: str) -> dict[str, Any]:
    return {"id": str(phone_id), **links, "number": number, "type": "voice"}


def _term(term_id: str, code: str, name: str, description: str, taxonomy: str) -> dict[str, Any]:
    return {
        "id": term_id,
        "code": code,
        "name": name,
        "description": description or name,
        "taxonomy": taxonomy,
    }


def service_document(service: Service) -> dict[str, Any]:
    sid = str(service.public_id)
    provider = service.provider
    organization: dict[str, Any] = {
        "id": str(provider.public_id),
        "name": provider.name,
        "description": provider.description,
    }
    if provider.website:
        organization["website"] = provider.website
    if provider.email:
        organization["email"] = provider.email
    if provider.business_id:
        organization["tax_id"] = provider.business_id
    category = service.category
    attributes = [
        {
            "id": derived_id(sid, "category"),
            "link_id": sid,
            "link_type": "service",
            "link_entity": "service",
            "taxonomy_term_id": str(category.public_id),
            "taxonomy_term": _term(
                str(category.public_id), category.code, category.name_fi, category.description, TAXONOMY_NAME
            ),
        }
    ]
    for kind in service.need_kinds:
        term = derived_id(NEEDS_TAXONOMY, kind)
        attributes.append(
            {
                "id": derived_id(sid, "need", kind),
                "link_id": sid,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": term,
                "taxonomy_term": _term(term, kind, str(NeedKind(kind).label), "", NEEDS_TAXONOMY),
            }
        )
    for name, language in TRANSLATED:
        value = getattr(service, f"{name}_{language}")
        if value:
            code = f"{name}:{language}"
            term = derived_id(TRANSLATIONS_TAXONOMY, code)
            attributes.append(
                {
                    "id": derived_id(sid, "translation", code),
                    "link_id": sid,
                    "link_type": "service",
                    "link_entity": "service",
                    "taxonomy_term_id": term,
                    "taxonomy_term": _term(term, code, code, "", TRANSLATIONS_TAXONOMY),
                    "value": value,
                }
            )
    if provider.name_sv:
        term = derived_id(TRANSLATIONS_TAXONOMY, ORGANIZATION_NAME_SV)
        attributes.append(
            {
                "id": derived_id(sid, "translation", ORGANIZATION_NAME_SV),
                "link_id": str(provider.public_id),
                "link_type": "organization",
                "link_entity": "organization",
                "taxonomy_term_id": term,
                "taxonomy_term": _term(
                    term, ORGANIZATION_NAME_SV, ORGANIZATION_NAME_SV, "", TRANSLATIONS_TAXONOMY
                ),
                "value": provider.name_sv,
            }
        )
    document: dict[str, Any] = {
        "id": sid,
        "organization_id": str(provider.public_id),
        "name": service.name_fi,
        "description": service.description_fi,
        "status": "active" if service.is_active else "inactive",
        "eligibility_description": service.eligibility,
        "application_process": service.application_process,
    }
    if service.url:
        document["url"] = service.url
    if service.email:
        document["email"] = service.email
    document["phones"] = [_phone(service.phone_id, service.phone, service_id=sid)] if service.phone else []
    document["languages"] = [
        {
            "id": derived_id(sid, "language", code),
            "service_id": sid,
            "name": str(ServiceLanguage(code).label) if code in ServiceLanguage.values else code,
            "code": code,
        }
        for code in service.languages
    ]
    document["organization"] = organization
    document["service_at_locations"] = [_location(sid, location) for location in service.locations.all()]
    document["contacts"] = [
        {
            "id": str(contact.public_id),
            "service_id": sid,
            "name": contact.name,
            "title": contact.title,
            **({"email": contact.email} if contact.email else {}),
            "phones": [_phone(contact.phone_id, contact.phone, contact_id=str(contact.public_id))]
            if contact.phone
            else [],
        }
        for contact in service.contacts.all()
    ]
    document["attributes"] = attributes
    return document


def _location(sid: str, location: ServiceLocation) -> dict[str, Any]:
    lid = str(location.location_id)
    return {
        "id": str(location.public_id),
        "service_id": sid,
        "location_id": lid,
        "location": {
            "id": lid,
            "location_type": "physical",
            "name": location.name,
            "addresses": [
                {
                    "id": str(location.address_id),
                    "location_id": lid,
                    "address_1": location.street_address,
                    "city": location.post_office,
                    "state_province": location.municipality.name_fi,
                    "postal_code": location.postal_code,
                    "country": "FI",
                    "address_type": "physical",
                }
            ],
            "accessibility": [
                {
                    "id": str(location.accessibility_id),
                    "location_id": lid,
                    "description": location.accessibility,
                }
            ]
            if location.accessibility
            else [],
        },
    }
