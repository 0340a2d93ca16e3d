"""Import of a FHIR R4 Questionnaire as an instrument version (the mapping is described in fhir.py)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from polku.clients.models import Register
from polku.instruments.fhir import (
    MAX_VALUE,
    MIN_VALUE,
    ORDINAL,
    POLKU,
    STATUS_FROM_FHIR,
    _control_of,
    _ext_value,
    _get_text,
    _texts_of,
    questionnaire,
)
from polku.instruments.models import (
    AlertRule,
    AnswerOption,
    Band,
    BandSex,
    Instrument,
    InstrumentVersion,
    Item,
    ItemKind,
    Subscale,
    VersionStatus,
)


class FhirImportError(ValidationError):
    pass


CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise FhirImportError(message)


@transaction.atomic
def import_questionnaire(data: dict[str, Any]) -> tuple[InstrumentVersion, bool]:
    """Create the version the Questionnaire describes; returns (version, created). Importing a version
    that is already stored unchanged does nothing; a published version that differs is refused (a
    change needs a new version number); a stored draft is replaced."""
    _require(
        isinstance(data, dict) and data.get("resourceType") == "Questionnaire", "Not a FHIR Questionnaire."
    )
    code = str(data.get("name", ""))
    _require(
        bool(CODE_PATTERN.match(code)), f"The Questionnaire's name must be an instrument code, not {code!r}."
    )
    try:
        number = int(str(data.get("version", "")))
    except ValueError:
        raise FhirImportError("The Questionnaire's version must be a whole number.") from None
    _require(number >= 1, "The Questionnaire's version must be 1 or more.")
    status = STATUS_FROM_FHIR.get(str(data.get("status", "")))
    _require(status is not None, f"Unknown Questionnaire status {data.get('status')!r}.")
    extensions = data.get("extension", [])
    register = _ext_value(extensions, POLKU + "register", "valueCode") or Register.HEALTH
    _require(register in Register.values, f"Unknown register {register!r}.")

    instrument, _created = Instrument.objects.get_or_create(code=code)
    existing = InstrumentVersion.objects.filter(instrument=instrument, number=number).first()
    if existing is not None:
        if existing.is_published:
            if _comparable(questionnaire(existing)) == _comparable(data):
                return existing, False
            raise FhirImportError(
                f"Version {number} of {code} is published and differs from the file; "
                "give the file a new version number."
            )
        _delete_draft(existing)

    version = InstrumentVersion.objects.create(
        instrument=instrument,
        number=number,
        title=_get_text(data, "title"),
        description=_get_text(data, "description"),
        licence=str(data.get("copyright", "")),
        source_note=str(_ext_value(extensions, POLKU + "source-note", "valueString") or ""),
        publisher=str(data.get("publisher", "")),
        register=register,
    )
    for position, raw in enumerate(data.get("item", [])):
        _import_item(version, raw, position)
    link_ids = set(version.items.values_list("link_id", flat=True))
    for position, extension in enumerate(e for e in extensions if e.get("url") == POLKU + "subscale"):
        parts = extension.get("extension", [])
        items = [p["valueString"] for p in parts if p.get("url") == "item"]
        _require(set(items) <= link_ids, f"A subscale names unknown items: {sorted(set(items) - link_ids)}.")
        Subscale.objects.create(
            version=version,
            code=str(_ext_value(parts, "code", "valueCode")),
            title=_texts_of(next((p for p in parts if p.get("url") == "title"), {})),
            link_ids=items,
            position=position,
        )
    for extension in (e for e in extensions if e.get("url") == POLKU + "band"):
        parts = extension.get("extension", [])
        sex = _ext_value(parts, "sex", "valueCode") or ""
        _require(sex in BandSex.values, f"Unknown sex {sex!r} in a band.")
        low, high = _ext_value(parts, "min", "valueInteger"), _ext_value(parts, "max", "valueInteger")
        _require(isinstance(low, int) and isinstance(high, int) and low <= high, "A band needs min ≤ max.")
        Band.objects.create(
            version=version,
            code=str(_ext_value(parts, "code", "valueCode")),
            sex=sex,
            min_score=low,
            max_score=high,
            label=_texts_of(next((p for p in parts if p.get("url") == "label"), {})),
            action=_texts_of(next((p for p in parts if p.get("url") == "action"), {})),
        )
    for extension in (e for e in extensions if e.get("url") == POLKU + "alert"):
        parts = extension.get("extension", [])
        link_id = str(_ext_value(parts, "item", "valueString"))
        _require(link_id in link_ids, f"An alert names an unknown item {link_id!r}.")
        AlertRule.objects.create(
            version=version,
            link_id=link_id,
            min_score=int(_ext_value(parts, "minScore", "valueInteger") or 0),
            title=_texts_of(next((p for p in parts if p.get("url") == "title"), {})),
            guidance=_texts_of(next((p for p in parts if p.get("url") == "guidance"), {})),
        )
    if status != VersionStatus.DRAFT:
        from polku.instruments.scoring import check_definition

        problems = check_definition(version)
        _require(not problems, "The version cannot be published: " + " ".join(problems))
        published_at = data.get("date")
        InstrumentVersion.objects.filter(pk=version.pk).update(
            status=status,
            max_score=version.compute_max_score(),
            published_at=_parse_datetime(published_at) if published_at else timezone.now(),
        )
        version.refresh_from_db()
    return version, True


def _parse_datetime(value: str) -> Any:
    from django.utils.dateparse import parse_datetime

    parsed = parse_datetime(str(value))
    _require(parsed is not None, f"Unreadable date {value!r}.")
    return parsed


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    """The content that matters when comparing a file with a stored version (not its id or date)."""
    return {key: value for key, value in data.items() if key not in {"id", "date", "meta", "text"}}


def _delete_draft(version: InstrumentVersion) -> None:
    AnswerOption.objects.filter(item__version=version).delete()
    for model in (Item, Subscale, Band, AlertRule):
        model.objects.filter(version=version).delete()
    version.delete()


def _import_item(version: InstrumentVersion, raw: dict[str, Any], position: int) -> None:
    link_id = str(raw.get("linkId", ""))
    _require(
        bool(link_id) and len(link_id) <= 32, f"Item {position + 1} needs a linkId of at most 32 characters."
    )
    fhir_type = raw.get("type")
    extensions = raw.get("extension", [])
    is_slider = _control_of(raw) == "slider"
    kinds = {
        "choice": ItemKind.CHOICE,
        "boolean": ItemKind.BOOLEAN,
        "text": ItemKind.TEXT,
        "string": ItemKind.TEXT,
    }
    if fhir_type == "integer":
        kind = ItemKind.SCALE if is_slider else ItemKind.INTEGER
    else:
        _require(fhir_type in kinds, f"Item {link_id}: type {fhir_type!r} is not supported.")
        kind = kinds[str(fhir_type)]
    labels: dict[str, dict[str, str]] = {"help": {}, "lower": {}, "upper": {}}
    for child in raw.get("item", []):
        control = _control_of(child)
        _require(
            child.get("type") == "display" and control in labels,
            f"Item {link_id}: only help texts and scale end labels may be nested.",
        )
        labels[control] = _get_text(child, "text")
    item = Item(
        version=version,
        link_id=link_id,
        position=position,
        kind=kind,
        text=_get_text(raw, "text"),
        help_text=labels["help"],
        required=bool(raw.get("required", False)),
        min_value=_ext_value(extensions, MIN_VALUE, "valueInteger"),
        max_value=_ext_value(extensions, MAX_VALUE, "valueInteger"),
        lower_label=labels["lower"],
        upper_label=labels["upper"],
    )
    try:
        item.clean()
    except ValidationError as error:
        raise FhirImportError(f"Item {link_id}: {' '.join(error.messages)}") from None
    item.save()
    for number, option in enumerate(raw.get("answerOption", [])):
        coding = option.get("valueCoding")
        _require(
            isinstance(coding, dict) and bool(coding.get("code")), f"Item {link_id}: options need a code."
        )
        score = _ext_value(option.get("extension", []), ORDINAL, "valueDecimal")
        _require(
            score is not None and float(score) == int(score), f"Item {link_id}: options need a whole score."
        )
        AnswerOption.objects.create(
            item=item,
            code=str(coding["code"]),
            position=number,
            text=_get_text(coding, "display"),
            score=int(score),
        )
