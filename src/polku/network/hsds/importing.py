"""Importing a catalogue document: read within bounds (size, encoding, depth), every service checked
against the schema and Polku's rules first, then all written in one transaction or none."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Q

from polku.accounts.models import Organisation
from polku.audit import services as audit
from polku.clients.models import Municipality
from polku.core.links import is_web_url
from polku.network.hsds.schema import ORGANIZATION_NAME_SV, TRANSLATED, derived_id, schema_errors
from polku.network.models import Provider, Service, ServiceContact, ServiceLocation, TaxonomyTerm
from polku.network.taxonomy import NEEDS_TAXONOMY, TAXONOMY_NAME, TRANSLATIONS_TAXONOMY
from polku.screening.models import NeedKind

# A compiled HSDS service nests about six levels deep; anything far deeper is not a catalogue, and
# Python's JSON reader and the schema validator recurse once per level.
MAX_DEPTH = 32


class DocumentError(Exception):
    """The file cannot be read as a catalogue at all (too large, not UTF-8, not JSON, nested too deep)."""


def max_bytes() -> int:
    return int(settings.IMPORT_MAX_MB) * 1_000_000


def check_size(size: int) -> None:
    """Refuse a file by its size (IMPORT_MAX_MB, as every import), before it is read."""
    if size > max_bytes():
        raise DocumentError(
            f"The file is {round(size / 1_000_000)} MB; the largest accepted is "
            f"{round(max_bytes() / 1_000_000)} MB."
        )


def read_document(data: bytes) -> Any:
    """The JSON document of an HSDS file, or DocumentError saying why it cannot be one."""
    check_size(len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DocumentError(
            f"The file is not UTF-8 (the first byte that is not is on line {line})."
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise DocumentError(f"The file is not JSON: {error}") from None
    except RecursionError:
        raise DocumentError(f"The JSON is nested deeper than {MAX_DEPTH} levels.") from None
    if _depth_over(document, MAX_DEPTH):
        raise DocumentError(f"The JSON is nested deeper than {MAX_DEPTH} levels.")
    return document


def _depth_over(document: Any, limit: int) -> bool:
    """Whether any value is nested deeper than `limit` (walked without recursion)."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


def _link_problems(where: str, record: dict[str, Any], url_key: str | None) -> list[str]:
    """An address the catalogue renders as a link must be http(s); an email must be an address."""
    problems = []
    if url_key and record.get(url_key) and not is_web_url(record[url_key]):
        problems.append(
            f"{where}{url_key} {str(record[url_key])[:100]!r} is not an http:// or https:// address"
        )
    if record.get("email"):
        try:
            validate_email(record["email"])
        except ValidationError:
            problems.append(f"{where}email {str(record['email'])[:100]!r} is not an email address")
    return problems


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Parsed:
    provider: dict[str, Any]
    service: dict[str, Any]
    category: TaxonomyTerm
    locations: list[dict[str, Any]]
    contacts: list[dict[str, Any]]


def import_document(document: Any, *, by: Any = None) -> ImportResult:
    """Validate every service first; write all of them in one transaction only when none is wrong.
    Importing the same document again changes nothing (ids are the records' public ids)."""
    result = ImportResult()
    if not isinstance(document, list):
        result.errors.append("The document must be a JSON array of HSDS services.")
        return result
    terms = {term.public_id: term for term in TaxonomyTerm.objects.all()}
    terms_by_code = {term.code: term for term in terms.values()}
    municipalities = {m.name_fi.casefold(): m for m in Municipality.objects.all()}
    municipalities.update({m.name_sv.casefold(): m for m in municipalities.values() if m.name_sv})
    parsed: list[_Parsed] = []
    seen: set[str] = set()
    for index, item in enumerate(document):
        label = f"service {index + 1}" + (
            f" ({item.get('id')})" if isinstance(item, dict) and item.get("id") else ""
        )
        problems = schema_errors(item)
        if not problems:
            problems, found = _parse(item, terms, terms_by_code, municipalities)
            if not problems and item["id"] in seen:
                problems = ["the same service id appears twice in the document"]
            seen.add(item["id"])
            if found is not None and not problems:
                parsed.append(found)
        result.errors.extend(f"{label}: {problem}" for problem in problems)
    if result.errors:
        return result
    with transaction.atomic():
        for entry in parsed:
            created = _write(entry)
            if created:
                result.created += 1
            else:
                result.updated += 1
        audit.record(by, "catalogue.import", details={"created": result.created, "updated": result.updated})
    return result


def _parse(
    item: dict[str, Any],
    terms: dict[uuid.UUID, TaxonomyTerm],
    terms_by_code: dict[str, TaxonomyTerm],
    municipalities: dict[str, Municipality],
) -> tuple[list[str], _Parsed | None]:
    problems: list[str] = _link_problems("", item, "url")
    organization = item.get("organization")
    if not isinstance(organization, dict):
        problems.append("the service has no nested organization")
    else:
        problems.extend(_link_problems("organization ", organization, "website"))
        if item.get("organization_id") not in (None, organization["id"]):
            problems.append("organization_id differs from the nested organization's id")
    for contact in item.get("contacts", []):
        problems.extend(_link_problems(f"contact {contact.get('id')}: ", contact, None))
    if item["status"] not in ("active", "inactive"):
        problems.append(f"status {item['status']!r} is not supported (use active or inactive)")
    if not item.get("description"):
        problems.append("the service needs a description")
    category: TaxonomyTerm | None = None
    needs: list[str] = []
    translations: dict[str, str] = {}
    provider_sv: dict[str, str] = {}  # only when the document gives it: an import never blanks it
    for attribute in item.get("attributes", []):
        term = attribute.get("taxonomy_term") or {}
        taxonomy, code = term.get("taxonomy"), term.get("code", "")
        if taxonomy == TAXONOMY_NAME or (not taxonomy and attribute.get("taxonomy_term_id")):
            found = (
                terms.get(uuid.UUID(attribute["taxonomy_term_id"]))
                if attribute.get("taxonomy_term_id")
                else None
            )
            found = found or terms_by_code.get(code)
            if found is None:
                problems.append(f"unknown service category {code or attribute.get('taxonomy_term_id')!r}")
            elif category is not None and category != found:
                problems.append("a service has one category; the document names several")
            else:
                category = found
        elif taxonomy == NEEDS_TAXONOMY:
            if code not in NeedKind.values:
                problems.append(f"unknown support need {code!r}")
            elif code not in needs:
                needs.append(code)
        elif taxonomy == TRANSLATIONS_TAXONOMY and code == ORGANIZATION_NAME_SV:
            provider_sv = {"name_sv": str(attribute.get("value", ""))}
        elif taxonomy == TRANSLATIONS_TAXONOMY:
            if code not in {f"{n}:{lang}" for n, lang in TRANSLATED}:
                problems.append(f"unknown translation {code!r}")
            else:
                translations[code.replace(":", "_")] = attribute.get("value", "")
    if category is None and not any("category" in p for p in problems):
        problems.append(f"the service has no category (an attribute of the {TAXONOMY_NAME} taxonomy)")
    locations = []
    for at in item.get("service_at_locations", []):
        location = at.get("location") or {}
        addresses = location.get("addresses") or []
        if not addresses:
            problems.append(f"location {at['id']}: it has no address")
            continue
        address = addresses[0]
        municipality = municipalities.get(str(address.get("state_province", "")).casefold())
        if municipality is None:
            problems.append(f"location {at['id']}: unknown municipality {address.get('state_province')!r}")
            continue
        postal_code = str(address.get("postal_code", ""))
        if len(postal_code) != 5 or not postal_code.isdigit():
            problems.append(f"location {at['id']}: the postal code must have five digits")
            continue
        accessibility = (location.get("accessibility") or [{}])[0]
        locations.append(
            {
                "public_id": at["id"],
                "location_id": location.get("id")
                or at.get("location_id")
                or derived_id(at["id"], "location"),
                "address_id": address["id"],
                "accessibility_id": accessibility.get("id") or derived_id(at["id"], "accessibility"),
                "name": location.get("name") or address["address_1"],
                "street_address": address["address_1"],
                "postal_code": postal_code,
                "post_office": address["city"],
                "municipality": municipality,
                "accessibility": accessibility.get("description", ""),
            }
        )
    contacts = []
    for contact in item.get("contacts", []):
        phones = contact.get("phones") or []
        contacts.append(
            {
                "public_id": contact["id"],
                "name": contact.get("name") or "",
                "title": contact.get("title") or "",
                "email": contact.get("email") or "",
                "phone": phones[0]["number"] if phones else "",
                "phone_id": phones[0]["id"] if phones else derived_id(contact["id"], "phone"),
            }
        )
    phones = item.get("phones") or []
    if problems or category is None or not isinstance(organization, dict):
        return problems, None
    service = {
        "name_fi": item["name"],
        "description_fi": item["description"],
        "need_kinds": needs,
        "eligibility": item.get("eligibility_description") or "",
        "languages": [language.get("code") or language.get("name") for language in item.get("languages", [])],
        "application_process": item.get("application_process") or "",
        "url": item.get("url") or "",
        "email": item.get("email") or "",
        "phone": phones[0]["number"] if phones else "",
        "phone_id": phones[0]["id"] if phones else derived_id(item["id"], "phone"),
        "is_active": item["status"] == "active",
        "name_sv": "",
        "name_en": "",
        "description_sv": "",
        "description_en": "",
        **translations,
        "public_id": item["id"],
    }
    provider = {
        "public_id": organization["id"],
        "name": organization["name"],
        "description": organization["description"],
        "website": organization.get("website") or "",
        "email": organization.get("email") or "",
        "business_id": organization.get("tax_id") or "",
        **provider_sv,
    }
    problems = [
        *_length_problems("", Service, service),
        *_length_problems("organization ", Provider, provider),
        *(
            p
            for at in locations
            for p in _length_problems(f"location {at['public_id']}: ", ServiceLocation, at)
        ),
        *(p for c in contacts for p in _length_problems(f"contact {c['public_id']}: ", ServiceContact, c)),
    ]
    if problems:
        return problems, None
    return [], _Parsed(provider, service, category, locations, contacts)


def _length_problems(where: str, model: type[models.Model], values: dict[str, Any]) -> list[str]:
    """A text longer than the catalogue stores is refused with its length, never cut
    (polku.core.limits)."""
    problems = []
    for name, value in values.items():
        try:
            target = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        # Text only: a UUIDField has a max_length too (of its hex form), and ids are checked elsewhere.
        if not isinstance(target, models.CharField | models.TextField):
            continue
        limit = target.max_length
        if limit and isinstance(value, str) and len(value) > limit:
            problems.append(f"{where}{name} is {len(value)} characters long; at most {limit} are stored")
    return problems


def _write(entry: _Parsed) -> bool:
    provider_fields = dict(entry.provider)
    public_id = provider_fields.pop("public_id")
    linked = (
        Organisation.objects.filter(business_id=provider_fields["business_id"]).first()
        if provider_fields["business_id"]
        else None
    )
    provider, _ = Provider.objects.update_or_create(
        public_id=public_id, defaults={**provider_fields, **({"organisation": linked} if linked else {})}
    )
    service_fields = dict(entry.service)
    service_id = service_fields.pop("public_id")
    service, created = Service.objects.update_or_create(
        public_id=service_id, defaults={**service_fields, "provider": provider, "category": entry.category}
    )
    # Nested rows are the document's: those it no longer names go, the others are written as given.
    keep = [location["public_id"] for location in entry.locations]
    service.locations.filter(~Q(public_id__in=keep)).delete()
    for location in entry.locations:
        fields = dict(location)
        ServiceLocation.objects.update_or_create(
            public_id=fields.pop("public_id"), defaults={**fields, "service": service}
        )
    keep = [contact["public_id"] for contact in entry.contacts]
    service.contacts.filter(~Q(public_id__in=keep)).delete()
    for contact in entry.contacts:
        fields = dict(contact)
        ServiceContact.objects.update_or_create(
            public_id=fields.pop("public_id"), defaults={**fields, "service": service}
        )
    return created
