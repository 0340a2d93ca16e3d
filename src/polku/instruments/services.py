"""Every write of instrument versions, questionnaire responses and safety alerts. Each checks permission,
validates everything first, writes in one transaction with the audit event and the timeline entry, and
returns what it wrote."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.audit import services as audit
from polku.clients import timeline
from polku.clients.models import Case
from polku.core import story_time
from polku.instruments import scoring, selectors
from polku.instruments.models import (
    AlertRule,
    AnsweredBy,
    AnswerOption,
    Band,
    InstrumentVersion,
    Item,
    Response,
    SafetyAlert,
    Subscale,
    VersionStatus,
)
from polku.screening import services as screening

# --- Versions --------------------------------------------------------------------------------------------


@transaction.atomic
def publish_version(*, version: InstrumentVersion, by: Membership) -> InstrumentVersion:
    """Publish a draft; from now on it never changes. The previous published version is retired."""
    permissions.require(by, "instrument.manage", version)
    version = InstrumentVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("The version is already published."))
    problems = scoring.check_definition(version)
    if problems:
        raise ValidationError(problems)
    for older in InstrumentVersion.objects.filter(
        instrument=version.instrument, status=VersionStatus.PUBLISHED
    ).exclude(pk=version.pk):
        older.status = VersionStatus.RETIRED
        older.save(update_fields=["status"])
    version.status = VersionStatus.PUBLISHED
    version.published_at = story_time.now()
    version.max_score = version.compute_max_score()
    version.save(update_fields=["status", "published_at", "max_score"])
    audit.record(by, "instrument.publish", version, details={"instrument": version.instrument.code})
    return version


@transaction.atomic
def new_draft(*, version: InstrumentVersion, by: Membership) -> InstrumentVersion:
    """A new draft version copied from `version`, to change thresholds, texts or items as data."""
    permissions.require(by, "instrument.manage", version)
    number = (
        InstrumentVersion.objects.filter(instrument=version.instrument).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    draft = InstrumentVersion.objects.create(
        instrument=version.instrument,
        number=number,
        title=version.title,
        description=version.description,
        licence=version.licence,
        source_note=version.source_note,
        publisher=version.publisher,
        register=version.register,
    )
    for item in version.items.all():
        options = list(item.options.all())
        copy = Item.objects.create(
            version=draft,
            **{f: getattr(item, f) for f in _fields(Item, exclude={"id", "version"})},
        )
        AnswerOption.objects.bulk_create(
            AnswerOption(
                item=copy, **{f: getattr(o, f) for f in _fields(AnswerOption, exclude={"id", "item"})}
            )
            for o in options
        )
    for model in (Subscale, Band, AlertRule):
        for row in model.objects.filter(version=version):
            model.objects.create(
                version=draft, **{f: getattr(row, f) for f in _fields(model, exclude={"id", "version"})}
            )
    audit.record(by, "instrument.new_draft", draft, details={"from": version.number})
    return draft


def _fields(model: Any, *, exclude: set[str]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.name not in exclude]


# --- Responses -------------------------------------------------------------------------------------------


def clean_answers(version: InstrumentVersion, answers: dict[str, Any], *, complete: bool) -> dict[str, Any]:
    """Every answer checked against its item; on completion every required item must be answered. All
    problems are reported at once, keyed by link id."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    items = {item.link_id: item for item in version.items.all()}
    for link_id in set(answers) - set(items):
        errors[link_id] = _("There is no such question.")
    for link_id, item in items.items():
        try:
            value = scoring.clean_answer(item, answers.get(link_id))
        except ValueError as error:
            errors[link_id] = str(error)
            continue
        if value is None:
            if complete and item.required:
                errors[link_id] = _("Answer this question; it is required.")
            continue
        cleaned[link_id] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def check_target(case: Case, version: InstrumentVersion, draft: Response | None) -> None:
    if version.status != VersionStatus.PUBLISHED:
        raise ValidationError(_("Only a published version can be answered."))
    if draft is not None and (
        draft.is_completed or draft.case_id != case.pk or draft.version_id != version.pk
    ):
        raise ValidationError(_("This draft cannot be continued here."))


@transaction.atomic
def save_draft(
    *,
    case: Case,
    version: InstrumentVersion,
    answers: dict[str, Any],
    by: Membership,
    draft: Response | None = None,
    answered_by: str = AnsweredBy.STAFF_WITH_CLIENT,
) -> Response:
    """Store partial answers to go on with later. A draft has no score and is nobody's record yet."""
    permissions.require(by, "instrument.respond", case)
    check_target(case, version, draft)
    cleaned = clean_answers(version, answers, complete=False)
    if draft is None:
        draft = Response(
            version=version,
            client=case.client,
            case=case,
            answered_by=answered_by,
            entered_by=by,
            organisation=by.unit.organisation,
            register=version.register,
        )
    draft.answers = cleaned
    draft.entered_by = by
    draft.save()
    audit.record(
        by,
        "response.save_draft",
        draft,
        client=case.client,
        details={"instrument": version.instrument.code, "answered": len(cleaned)},
    )
    return draft


@transaction.atomic
def record_response(
    *,
    case: Case,
    version: InstrumentVersion,
    answers: dict[str, Any],
    by: Membership,
    draft: Response | None = None,
    supersedes: Response | None = None,
    answered_by: str = AnsweredBy.STAFF_WITH_CLIENT,
) -> Response:
    """Complete a response: answers checked (required ones too), scores, subscales and band computed and
    stored, and a safety alert raised for every alert rule the answers meet. A correction names the
    response it `supersedes`; that one stays as it was."""
    permissions.require(by, "instrument.respond", case)
    check_target(case, version, draft)
    supersedes = supersedes or (draft.supersedes if draft is not None else None)
    if supersedes is not None:
        supersedes = Response.objects.select_for_update().get(pk=supersedes.pk)
        if not supersedes.is_completed or supersedes.client_id != case.client_id:
            raise ValidationError(_("Only a completed response of the same client can be corrected."))
        if Response.objects.filter(supersedes=supersedes, completed_at__isnull=False).exists():
            raise ValidationError(_("This response has already been corrected."))
    cleaned = clean_answers(version, answers, complete=True)
    result = scoring.score(version, cleaned, sex=case.client.sex)
    response = draft or Response(
        version=version,
        client=case.client,
        case=case,
        answered_by=answered_by,
        organisation=by.unit.organisation,
        register=version.register,
    )
    response.entered_by = by
    response.organisation = by.unit.organisation
    response.supersedes = supersedes
    response.answers = cleaned
    response.item_scores = result.item_scores
    response.total_score = result.total
    response.subscale_scores = result.subscales
    response.band = result.band
    response.completed_at = story_time.now()
    response.save()
    instrument = version.instrument
    timeline.add(
        case.client,
        "questionnaire.corrected" if supersedes else "questionnaire.completed",
        by=by,
        case=case,
        obj=response,
        register=response.register,
        params={
            "instrument": instrument.code,
            "title": version.title,
            "score": result.total,
            "band": result.band.label if result.band else {},
        },
    )
    audit.record(
        by,
        "response.complete",
        response,
        client=case.client,
        details={
            "instrument": instrument.code,
            "version": version.number,
            "score": result.total,
            "band": result.band.code if result.band else "",
            "supersedes": str(supersedes.public_id) if supersedes else "",
        },
    )
    for rule in result.alerts:
        raise_alert(response=response, rule=rule, by=by)
    # The screening rules read the latest answers of every instrument the worker may read, so that a
    # rule over two questionnaires can fire whichever of them was answered last; another
    # organisation's answers take part only under the client's consent.
    facts, registers = selectors.latest_facts_for(case.client, viewer=by)
    screening.screen_client(
        client=case.client,
        case=case,
        facts=facts,
        fact_registers=registers,
        by=by,
        source_description=_("%(title)s answered on %(on)s")
        % {"title": version.title_text(), "on": date_format(timezone.localdate(), "SHORT_DATE_FORMAT")},
    )
    return response


def raise_alert(
    *, response: Response, rule: AlertRule, by: Membership | None, actor: dict[str, Any] | None = None
) -> SafetyAlert:
    """The safety alert a completed response raised, on the timeline and in the audit trail. `by` is None
    when the client answered in their own Polku; `actor` then names them in the audit details."""
    alert = SafetyAlert.objects.create(
        response=response, rule=rule, client=response.client, case=response.case
    )
    timeline.add(
        response.client,
        "safety_alert.raised",
        by=by,
        case=response.case,
        obj=alert,
        # A record of the response's register: an alert tells what the answers were.
        register=response.register,
        organisation=response.organisation,
        params={"title": rule.title},
    )
    audit.record(
        by,
        "safety_alert.raise",
        alert,
        client=response.client,
        details={**(actor or {}), "instrument": response.version.instrument.code, "item": rule.link_id},
    )
    return alert


@transaction.atomic
def start_correction(*, response: Response, by: Membership) -> Response:
    """A draft prefilled with the answers of a completed response, which it will supersede when completed.
    An unfinished correction of the same response is continued rather than started twice."""
    permissions.require(by, "response.correct", response)
    existing = Response.objects.filter(supersedes=response, completed_at__isnull=True).first()
    if existing is not None:
        return existing
    draft = Response.objects.create(
        version=response.version,
        client=response.client,
        case=response.case,
        answered_by=response.answered_by,
        entered_by=by,
        organisation=by.unit.organisation,
        register=response.register,
        answers=dict(response.answers),
        supersedes=response,
    )
    audit.record(by, "response.start_correction", draft, client=response.client)
    return draft


@transaction.atomic
def acknowledge_alert(*, alert: SafetyAlert, by: Membership, note: str = "") -> SafetyAlert:
    """A team member confirms the alert was seen and acted on; who and when is kept."""
    alert = (
        SafetyAlert.objects.select_for_update()
        .select_related("case", "client", "rule", "response__organisation")
        .get(pk=alert.pk)
    )
    permissions.require(by, "safety_alert.acknowledge", alert)
    if alert.acknowledged_at is not None:
        raise ValidationError(_("The alert has already been acknowledged."))
    note = note.strip()
    if len(note) > 500:
        raise ValidationError({"note": _("Write at most 500 characters.")})
    alert.acknowledged_at = story_time.now()
    alert.acknowledged_by = by
    alert.acknowledgement_note = note
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note", "updated_at"])
    timeline.add(
        alert.client,
        "safety_alert.acknowledged",
        by=by,
        case=alert.case,
        obj=alert,
        register=alert.response.register,
        organisation=alert.response.organisation,
        params={"title": alert.rule.title},
        text=note,
    )
    audit.record(by, "safety_alert.acknowledge", alert, client=alert.client)
    return alert
