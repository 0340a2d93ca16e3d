"""Every write the client makes in their own Polku, and the audit events of what the client reads.

The actor of these events is the client: no membership, no user, and the client named in the event's
details (`actor`), which the access report shows as the person who acted.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership, Organisation
from polku.audit import basis as access_basis
from polku.audit import services as audit
from polku.clients import timeline
from polku.clients.models import Case, Client, Consent, ConsentMethod
from polku.clients.timeline import consent_names
from polku.core import limits, story_time
from polku.instruments import selectors as instrument_selectors
from polku.instruments import services_client as client_answers
from polku.instruments.models import InstrumentVersion, SafetyAlert, VersionStatus
from polku.plans.models import Goal, PlanAction, PlanVersion
from polku.plans.services import agreement_client
from polku.portal.models import (
    AccessibilityFeedback,
    ActionMark,
    FeedbackGiven,
    GoalSelfRating,
    Message,
    QuestionnaireRequest,
    ServiceFeedback,
)


def actor(client: Client) -> dict[str, Any]:
    """The client as the actor of an audit event (read back by `clients.actors.event_actor`)."""
    return {"actor": {"name": client.full_name, "unit": "", "organisation": "", "via": "portal"}}


REFUSED = "portal.refused"


def record(
    client: Client, action: str, obj: Any = None, *, about: Any = None, details: dict[str, Any] | None = None
) -> None:
    """An audit event of the client's own action, on the basis "the client themself"; `about` is the
    client whose data it touched (the client themselves unless a refusal names another)."""
    audit.record(
        None,
        action,
        obj,
        client=about if about is not None else client,
        details={**actor(client), **(details or {})},
        basis=access_basis.refused(action) if action == REFUSED else access_basis.client_self(),
    )


def refuse(client: Client, obj: Any, *, owner: Any = None) -> NoReturn:
    """A portal address with another client's ids: audited (in the owner's access report when known),
    then 404, the same as for an id that does not exist."""
    record(client, REFUSED, obj, about=owner)
    raise Http404


def record_my_data(client: Client, data_format: str) -> None:
    """The client downloaded their own data (`selectors.my_data`): audited as a read of every record,
    on the basis "the client themself"."""
    record(client, "portal.my_data.download", client, details={"format": data_format})


def revoke_consent(*, client: Client, consent: Consent) -> Consent:
    """The client revokes their consent, effective today: the consent rules read it on the receiving
    organisation's next request (`clients.access.disclosed_records`)."""
    with transaction.atomic():
        consent = (
            Consent.objects.select_for_update().select_related("discloser", "recipient").get(pk=consent.pk)
        )
        if consent.client_id != client.pk:
            refuse(client, consent, owner=consent.client_id and consent.client)
        today = timezone.localdate()
        if consent.revoked_on is not None and consent.revoked_on <= today:
            raise ValidationError(_("This consent has already been revoked."))
        consent.revoked_on, consent.revoked_by, consent.revoked_at = today, None, story_time.now()
        consent.revocation_note = _("Revoked by the client in their own Polku.")
        consent.save(
            update_fields=["revoked_on", "revoked_by", "revoked_at", "revocation_note", "updated_at"]
        )
        timeline.add(
            client,
            "consent.revoked",
            by=None,
            obj=consent,
            params=consent_names(consent),
            text=consent.revocation_note,
            organisation=consent.discloser,
        )
        record(client, "portal.consent.revoke", consent)
    return consent


def record_refused_login(step: str) -> None:
    """A refused identification: which step failed, nothing of what the token held."""
    audit.record(None, "portal.login.refused", details={"step": step})


def record_unknown_person() -> None:
    """An identified person Polku holds no client record for: nothing is created or stored of them."""
    audit.record(None, "portal.login.not_a_client")


def mark_action(*, client: Client, action: PlanAction, done: bool, comment: str) -> ActionMark:
    """I mark an action given to me done (or not yet) with a comment: a new row; the plan is unchanged."""
    plan = action.goal.version.plan
    mark = ActionMark.objects.create(
        client=client,
        case_id=plan.case_id,
        plan=plan,
        action_key=action.key,
        done=done,
        comment=comment.strip(),
    )
    record(client, "portal.action.mark", action, details={"done": done})
    return mark


def rate_goal(*, client: Client, goal: Goal, level: int, note: str) -> GoalSelfRating:
    """My own rating of a goal before a review, beside the worker's (never replacing it)."""
    if level not in (-2, -1, 0, 1, 2):
        raise ValidationError({"level": _("Choose a level from −2 to +2.")})
    rating = GoalSelfRating.objects.create(
        client=client,
        case_id=goal.version.plan.case_id,
        plan=goal.version.plan,
        goal_key=goal.key,
        level=level,
        note=note.strip(),
    )
    record(client, "portal.goal.self_rate", goal, details={"level": level})
    return rating


def send_message(*, client: Client, text: str) -> Message:
    """The client writes to the team of their newest open case; the personal worker gets an email notice
    without the message's content."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a message.")})
    case = (
        Case.objects.filter(client=client, closed_on__isnull=True)
        .select_related("personal_worker__user")
        .order_by("-opened_on", "-id")
        .first()
    )
    if case is None:
        raise ValidationError(_("You have no open service, so there is no one to send a message to."))
    message = Message.objects.create(client=client, case=case, text=text[: limits.REASON])
    record(client, "portal.message.send", message)
    worker = case.personal_worker
    if worker is not None and worker.user.email:
        _notify(
            worker.user.email,
            _("A new message in Polku"),
            _("A client has sent you a message in Polku. Read it on the client's page in Polku."),
        )
    return message


def answer_message(*, case: Case, by: Membership, text: str) -> Message:
    """A team member answers the client; the client gets an email notice without the content."""
    permissions.require(by, "portal.message.send", case, hide=True)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a message.")})
    message = Message.objects.create(client=case.client, case=case, author=by, text=text[: limits.REASON])
    audit.record(by, "portal.message.answer", message, client=case.client)
    if case.client.email:
        _notify(
            case.client.email,
            _("A new message in Polku"),
            _("You have a new message in your own Polku. Log in to read it."),
        )
    return message


def _notify(address: str, subject: str, body: str) -> None:
    """An email notice that says only that there is a message: the content stays in Polku."""
    transaction.on_commit(lambda: send_mail(subject, body, None, [address], fail_silently=True))


def give_accessibility_feedback(*, text: str, page: str = "", contact: str = "") -> AccessibilityFeedback:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your feedback.")})
    feedback = AccessibilityFeedback.objects.create(
        text=text[: limits.REASON], page=page[:200], contact=contact.strip()[:200]
    )
    audit.record(None, "portal.accessibility_feedback", feedback)
    return feedback


def give_service_feedback(
    *, client: Client, waiting: dict[str, Any], heard: int, knew_responsible: bool, useful: int
) -> None:
    """The client's feedback, stored apart from who gave it (`ServiceFeedback` names no one)."""
    if heard not in range(1, 6) or useful not in range(1, 6):
        raise ValidationError(_("Answer every question."))
    case = waiting["case"]
    with transaction.atomic():
        _given, created = FeedbackGiven.objects.get_or_create(
            client=client, case=case, occasion=waiting["occasion"], key=waiting["key"]
        )
        if not created:
            return
        ServiceFeedback.objects.create(
            organisation=case.unit.organisation,
            occasion=waiting["occasion"],
            month=timezone.localdate().replace(day=1),
            heard=heard,
            knew_responsible=knew_responsible,
            useful=useful,
        )
        record(client, "portal.feedback", None, details={"occasion": waiting["occasion"]})


# --- Questionnaires the team asks the client to fill in -------------------------------------------------


def request_questionnaire(*, case: Case, by: Membership, code: str) -> QuestionnaireRequest:
    """A team member asks the client to fill in the published version of instrument `code` in their own
    Polku. One open request per instrument and case: asking again returns the open one."""
    permissions.require(by, "portal.questionnaire.request", case, hide=True)
    version = InstrumentVersion.objects.filter(instrument__code=code, status=VersionStatus.PUBLISHED).first()
    if version is None:
        raise ValidationError({"code": _("Choose a questionnaire.")})
    with transaction.atomic():
        existing = QuestionnaireRequest.objects.filter(
            case=case, version__instrument=version.instrument, completed_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        request = QuestionnaireRequest.objects.create(
            client=case.client, case=case, version=version, requested_by=by
        )
        audit.record(
            by, "portal.questionnaire.request", request, client=case.client, details={"instrument": code}
        )
    if case.client.email:
        _notify(
            case.client.email,
            _("A questionnaire in Polku"),
            _("Your team has asked you to fill in a questionnaire in your own Polku. Log in to answer it."),
        )
    return request


def answer_questionnaire(
    *, client: Client, request: QuestionnaireRequest, answers: dict[str, Any], complete: bool
) -> tuple[QuestionnaireRequest, list[SafetyAlert]]:
    """The client saves their answers as they go (`complete` False) or submits them: scored with the same
    scoring and alert rules as staff entry (`instruments.services_client`). Returns the alerts raised,
    whose guidance the client is shown at once."""
    with transaction.atomic():
        request = (
            QuestionnaireRequest.objects.select_for_update(of=("self",))
            .select_related("case__client", "case__unit__organisation", "response", "version__instrument")
            .get(pk=request.pk)
        )
        if request.client_id != client.pk:
            refuse(client, request, owner=request.client)
        if request.is_completed:
            raise ValidationError(_("You have already answered this questionnaire."))
        if request.case.closed_on is not None:
            raise ValidationError(
                _("This service has ended, so the questionnaire can no longer be answered.")
            )
        version = instrument_selectors.version_with_content(request.version_id)
        common: dict[str, Any] = {
            "case": request.case,
            "version": version,
            "answers": answers,
            "organisation": request.case.unit.organisation,
            "actor": actor(client),
            "draft": request.response,
        }
        alerts: list[SafetyAlert] = []
        if complete:
            response, alerts = client_answers.record_client_response(**common)
            request.completed_at = response.completed_at
        else:
            response = client_answers.save_client_draft(**common)
        request.response = response
        request.save(update_fields=["response", "completed_at", "updated_at"])
    return request, alerts


# --- Agreeing a plan version the team asked me to agree ------------------------------------------------


def ask_to_agree(*, version: PlanVersion, by: Membership) -> PlanVersion:
    return agreement_client.ask_client_to_agree(version=version, by=by)


def agree_plan(*, client: Client, version: PlanVersion, shown: str) -> PlanVersion:
    """I agree exactly the content I was shown (`shown`: the token of the page)."""
    if version.plan.client_id != client.pk:
        refuse(client, version, owner=version.plan.client)
    return agreement_client.agree_as_client(version=version, agreed_content=shown, actor=actor(client))


# --- A consent I give myself ------------------------------------------------------------------------------

REGISTER_FIELDS = {"social": "covers_social", "health": "covers_health", "employment": "covers_employment"}


def give_consent(
    *,
    client: Client,
    organisations: list[Organisation],
    discloser_id: str,
    recipient_id: str,
    registers: list[str],
    purpose: str,
    valid_until: date | None,
) -> Consent:
    """I give a consent in my own Polku, valid from today (the consent rules read it on the receiving
    organisation's next request): `recorded_by` empty, method "own_polku". The organisations are those
    working with me now (`selectors.consent_organisations`)."""
    by_id = {str(org.public_id): org for org in organisations}
    discloser, recipient = by_id.get(discloser_id), by_id.get(recipient_id)
    errors: dict[str, str] = {}
    if discloser is None:
        errors["discloser"] = _("Choose the organisation that may show your records.")
    if recipient is None:
        errors["recipient"] = _("Choose the organisation that may see your records.")
    elif discloser is not None and discloser.pk == recipient.pk:
        errors["recipient"] = _("Choose two different organisations.")
    chosen = [REGISTER_FIELDS[r] for r in registers if r in REGISTER_FIELDS]
    if not chosen:
        errors["registers"] = _("Choose at least one register.")
    purpose = purpose.strip()
    if not purpose:
        errors["purpose"] = _("Write what the consent is for.")
    today = timezone.localdate()
    if valid_until is not None and valid_until < today:
        errors["valid_until"] = _("The end date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    assert discloser is not None and recipient is not None
    with transaction.atomic():
        consent = Consent(
            client=client,
            discloser=discloser,
            recipient=recipient,
            purpose=purpose[:300],
            valid_from=today,
            valid_until=valid_until,
            method=ConsentMethod.OWN_POLKU,
            recorded_by=None,
            **{field: True for field in chosen},
        )
        consent.full_clean(exclude=["client", "recorded_by"])
        consent.save()
        timeline.add(
            client,
            "consent.recorded",
            by=None,
            obj=consent,
            params=consent_names(consent),
            organisation=discloser,
        )
        record(client, "portal.consent.give", consent, details={"registers": consent.registers})
    return consent
