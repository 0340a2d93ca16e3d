"""FHIR R4 `Questionnaire` import and export of a version, and `QuestionnaireResponse` export.

Mapping (everything round-trips: import → export → import gives the same rows):
- Texts are Finnish (`language: fi`) with Swedish and English in the standard `translation` extension
  on the element (`_text`, `_title`, `_display`, `_description`).
- Item kinds: single choice → `choice` with `answerOption.valueCoding` and the score in the
  `ordinalValue` extension; scale → `integer` with `itemControl` `slider`, `minValue`/`maxValue`, and
  its end labels as `display` child items with `itemControl` `lower`/`upper`; integer → `integer`
  with `minValue`/`maxValue`; yes/no → `boolean`; free text → `text`. Help text is a `display` child
  item with `itemControl` `help`.
- What FHIR has no element for (subscales, score bands with their suggested action, alert rules, the
  source note and the register) travels in Polku extensions under `POLKU`; their texts are nested
  extensions named by language code.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from polku.clients.models import Register
from polku.instruments.models import (
    LANGUAGES,
    AlertRule,
    AnswerOption,
    Band,
    BandSex,
    Instrument,
    InstrumentVersion,
    Item,
    ItemKind,
    Response,
    Subscale,
    VersionStatus,
)

POLKU = "https://polku.example/fhir/StructureDefinition/"
CANONICAL = "https://polku.example/fhir/Questionnaire/"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
STATUS_TO_FHIR = {
    VersionStatus.DRAFT: "draft",
    VersionStatus.PUBLISHED: "active",
    VersionStatus.RETIRED: "retired",
}
STATUS_FROM_FHIR = {value: key for key, value in STATUS_TO_FHIR.items()}
KIND_TO_FHIR = {
    ItemKind.CHOICE: "choice",
    ItemKind.SCALE: "integer",
    ItemKind.INTEGER: "integer",
    ItemKind.BOOLEAN: "boolean",
    ItemKind.TEXT: "text",
}


class FhirImportError(ValidationError):
    pass


# --- Texts ---------------------------------------------------------------------------------------------


def _put_text(target: dict[str, Any], name: str, texts: dict[str, str]) -> None:
    """`name` in Finnish and `_name` with the other languages, when there is any text."""
    if not any(texts.get(lang) for lang in LANGUAGES):
        return
    target[name] = texts.get("fi", "")
    others = [
        {
            "url": TRANSLATION,
            "extension": [{"url": "lang", "valueCode": lang}, {"url": "content", "valueString": texts[lang]}],
        }
        for lang in LANGUAGES[1:]
        if texts.get(lang)
    ]
    if others:
        target[f"_{name}"] = {"extension": others}


def _get_text(source: dict[str, Any], name: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    if source.get(name):
        texts["fi"] = str(source[name])
    for extension in (source.get(f"_{name}") or {}).get("extension", []):
        if extension.get("url") != TRANSLATION:
            continue
        parts = {part.get("url"): part for part in extension.get("extension", [])}
        lang = parts.get("lang", {}).get("valueCode")
        content = parts.get("content", {}).get("valueString")
        if lang in LANGUAGES and content:
            texts[lang] = str(content)
    return texts


def _text_extension(url: str, texts: dict[str, str]) -> dict[str, Any]:
    return {
        "url": url,
        "extension": [{"url": lang, "valueString": texts[lang]} for lang in LANGUAGES if texts.get(lang)],
    }


def _texts_of(extension: dict[str, Any]) -> dict[str, str]:
    return {
        part["url"]: str(part.get("valueString", ""))
        for part in extension.get("extension", [])
        if part.get("url") in LANGUAGES
    }


def _control(code: str) -> dict[str, Any]:
    return {
        "url": ITEM_CONTROL,
        "valueCodeableConcept": {"coding": [{"system": ITEM_CONTROL_SYSTEM, "code": code}]},
    }


def _control_of(item: dict[str, Any]) -> str:
    for extension in item.get("extension", []):
        if extension.get("url") == ITEM_CONTROL:
            for coding in extension.get("valueCodeableConcept", {}).get("coding", []):
                return str(coding.get("code", ""))
    return ""


def _ext_value(extensions: list[dict[str, Any]], url: str, key: str) -> Any:
    for extension in extensions:
        if extension.get("url") == url:
            return extension.get(key)
    return None


# --- Export --------------------------------------------------------------------------------------------


def questionnaire(version: InstrumentVersion) -> dict[str, Any]:
    """The version as a FHIR R4 Questionnaire (a plain dict, ready for JSON)."""
    code = version.instrument.code
    data: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": f"{code}-{version.number}".replace("_", "-"),
        "language": "fi",
        "extension": [{"url": POLKU + "register", "valueCode": version.register}],
        "url": CANONICAL + code,
        "version": str(version.number),
        "name": code,
    }
    _put_text(data, "title", version.title)
    data["status"] = STATUS_TO_FHIR[VersionStatus(version.status)]
    if version.published_at:
        data["date"] = version.published_at.isoformat()
    if version.publisher:
        data["publisher"] = version.publisher
    _put_text(data, "description", version.description)
    if version.licence:
        data["copyright"] = version.licence
    if version.source_note:
        data["extension"].append({"url": POLKU + "source-note", "valueString": version.source_note})
    for subscale in version.subscales.all():
        data["extension"].append(
            {
                "url": POLKU + "subscale",
                "extension": [
                    {"url": "code", "valueCode": subscale.code},
                    _text_extension("title", subscale.title),
                    *({"url": "item", "valueString": link_id} for link_id in subscale.link_ids),
                ],
            }
        )
    for band in version.bands.all():
        parts: list[dict[str, Any]] = [{"url": "code", "valueCode": band.code}]
        if band.sex:
            parts.append({"url": "sex", "valueCode": band.sex})
        parts += [
            {"url": "min", "valueInteger": band.min_score},
            {"url": "max", "valueInteger": band.max_score},
            _text_extension("label", band.label),
        ]
        if any(band.action.values()):
            parts.append(_text_extension("action", band.action))
        data["extension"].append({"url": POLKU + "band", "extension": parts})
    for rule in version.alert_rules.all():
        data["extension"].append(
            {
                "url": POLKU + "alert",
                "extension": [
                    {"url": "item", "valueString": rule.link_id},
                    {"url": "minScore", "valueInteger": rule.min_score},
                    _text_extension("title", rule.title),
                    _text_extension("guidance", rule.guidance),
                ],
            }
        )
    data["item"] = [_item(item) for item in version.items.all()]
    return data


def _item(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {"linkId": item.link_id}
    extensions: list[dict[str, Any]] = []
    if item.kind == ItemKind.SCALE:
        extensions.append(_control("slider"))
    if item.kind in (ItemKind.SCALE, ItemKind.INTEGER):
        if item.min_value is not None:
            extensions.append({"url": MIN_VALUE, "valueInteger": item.min_value})
        if item.max_value is not None:
            extensions.append({"url": MAX_VALUE, "valueInteger": item.max_value})
    if extensions:
        data["extension"] = extensions
    _put_text(data, "text", item.text)
    data["type"] = KIND_TO_FHIR[ItemKind(item.kind)]
    data["required"] = item.required
    if item.kind == ItemKind.CHOICE:
        data["answerOption"] = []
        for option in item.options.all():
            coding: dict[str, Any] = {"code": option.code}
            _put_text(coding, "display", option.text)
            data["answerOption"].append(
                {"extension": [{"url": ORDINAL, "valueDecimal": option.score}], "valueCoding": coding}
            )
    children = []
    for control, texts in (
        ("help", item.help_text),
        ("lower", item.lower_label),
        ("upper", item.upper_label),
    ):
        if any(texts.values()):
            child: dict[str, Any] = {"linkId": f"{item.link_id}-{control}", "extension": [_control(control)]}
            _put_text(child, "text", texts)
            child["type"] = "display"
            children.append(child)
    if children:
        data["item"] = children
    return data


def questionnaire_response(response: Response) -> dict[str, Any]:
    """A response as a FHIR R4 QuestionnaireResponse. The client is named by Polku's public id only."""
    version = response.version
    extensions: list[dict[str, Any]] = [
        {"url": POLKU + "answered-by", "valueCode": response.answered_by},
    ]
    if response.total_score is not None:
        extensions.append({"url": POLKU + "total-score", "valueInteger": response.total_score})
    if response.band is not None:
        extensions.append({"url": POLKU + "band", "valueCode": response.band.code})
    for code, value in response.subscale_scores.items():
        extensions.append(
            {
                "url": POLKU + "subscale-score",
                "extension": [{"url": "code", "valueCode": code}, {"url": "score", "valueInteger": value}],
            }
        )
    if response.supersedes_id is not None and response.supersedes is not None:
        extensions.append(
            {
                "url": POLKU + "supersedes",
                "valueIdentifier": {
                    "system": POLKU + "response",
                    "value": str(response.supersedes.public_id),
                },
            }
        )
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.public_id),
        "extension": extensions,
        "identifier": {"system": POLKU + "response", "value": str(response.public_id)},
        "questionnaire": f"{CANONICAL}{version.instrument.code}|{version.number}",
        "status": "completed" if response.is_completed else "in-progress",
        "subject": {"identifier": {"system": POLKU + "client", "value": str(response.client.public_id)}},
        "authored": (response.completed_at or response.updated_at or timezone.now()).isoformat(),
        "author": {
            "identifier": {"system": POLKU + "membership", "value": str(response.entered_by.public_id)},
            "display": response.entered_by.user.get_full_name(),
        },
    }
    items = []
    for item in version.items.all():
        value = response.answers.get(item.link_id)
        if value is None:
            continue
        entry: dict[str, Any] = {"linkId": item.link_id}
        if item.text.get("fi"):
            entry["text"] = item.text["fi"]
        entry["answer"] = [_answer(item, value)]
        items.append(entry)
    if items:
        data["item"] = items
    return data


def _answer(item: Item, value: Any) -> dict[str, Any]:
    if item.kind == ItemKind.CHOICE:
        option = next((o for o in item.options.all() if o.code == value), None)
        coding: dict[str, Any] = {"code": str(value)}
        if option is not None and option.text.get("fi"):
            coding["display"] = option.text["fi"]
        return {"valueCoding": coding}
    if item.kind in (ItemKind.SCALE, ItemKind.INTEGER):
        return {"valueInteger": int(value)}
    if item.kind == ItemKind.BOOLEAN:
        return {"valueBoolean": bool(value)}
    return {"valueString": str(value)}


# --- Import --------------------------------------------------------------------------------------------

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
