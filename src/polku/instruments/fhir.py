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

from typing import Any

from django.utils import timezone

from polku.instruments.models import (
    LANGUAGES,
    InstrumentVersion,
    Item,
    ItemKind,
    Response,
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
    }
    if response.entered_by is not None:
        data["author"] = {
            "identifier": {"system": POLKU + "membership", "value": str(response.entered_by.public_id)},
            "display": response.entered_by.user.get_full_name(),
        }
    else:  # the client answered on their own device
        data["author"] = {"identifier": {"system": POLKU + "client", "value": str(response.client.public_id)}}
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
