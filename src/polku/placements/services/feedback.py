"""The host's feedback on a placement: the single-use, expiring link emailed to the supervisor (only its
hash is kept) and the feedback given through it, or given in Polku by a logged-in work trial host of the
host unit, each in one transaction with the audit event and the timeline entry."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.audit import services as audit
from polku.clients import actors, timeline
from polku.core import names, story_time
from polku.placements.models import (
    RATED_ASPECTS,
    Feedback,
    FeedbackRequest,
    FeedbackStage,
    Placement,
)

__all__ = [
    "DEFAULT_FEEDBACK_LINK_DAYS",
    "SentLink",
    "feedback_link_lifetime",
    "hash_token",
    "send_feedback_request",
    "submit_feedback",
    "submit_host_feedback",
]


DEFAULT_FEEDBACK_LINK_DAYS = 14


def feedback_link_lifetime() -> timedelta:
    """How long a feedback link works: settings.POLKU_PLACEMENT_FEEDBACK_LINK_DAYS, 14 days by default."""
    return timedelta(days=getattr(settings, "POLKU_PLACEMENT_FEEDBACK_LINK_DAYS", DEFAULT_FEEDBACK_LINK_DAYS))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _supervisor(placement: Placement) -> tuple[str, str, str, str, str]:
    """The supervisor named on the placement, their unit and their employer (with their Swedish names)."""
    if placement.host_unit is not None:
        unit = placement.host_unit
        return (
            placement.supervisor_name,
            unit.name,
            unit.organisation.name,
            unit.name_sv,
            unit.organisation.name_sv,
        )
    return placement.supervisor_name, placement.host_unit_name, placement.host_name, "", ""


@dataclass(frozen=True)
class SentLink:
    request: FeedbackRequest
    url: str


@transaction.atomic
def send_feedback_request(
    *, placement: Placement, by: Membership, stage: str, email: str, build_url: Any, deliver: bool = True
) -> SentLink:
    """Email the supervisor a single-use, expiring link to the feedback form. The token exists only in
    the email: the database keeps its SHA-256. An earlier unanswered link for the same stage stops
    working. `build_url(token)` makes the absolute link (the view knows the site's address);
    `deliver=False` (the demo data) records the request without mailing anyone."""
    permissions.require(by, "placement.manage", placement, hide=True)
    if stage not in FeedbackStage.values:
        raise ValidationError({"stage": _("Choose mid-term or final feedback.")})
    if placement.feedback.filter(stage=stage).exists():
        raise ValidationError({"stage": _("The host has already given this feedback.")})
    now = story_time.now()
    placement.feedback_requests.filter(stage=stage, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(32)
    request = FeedbackRequest.objects.create(
        placement=placement,
        stage=stage,
        token_hash=hash_token(token),
        sent_to=email,
        sent_by=by,
        sent_at=now,
        expires_at=now + feedback_link_lifetime(),
    )
    url = build_url(token)
    context = {"placement": placement, "request": request, "url": url, "sender": by}
    # The supervisor reads the mail in Finnish (the default language); the form offers the others.
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Feedback on a work placement: %(host)s") % {"host": placement.host_label}
        body = render_to_string("placements/feedback_email.txt", context)
    if deliver:
        transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    audit.record(
        by,
        "placement.feedback_request",
        request,
        client=placement.client,
        details={"stage": stage, "expires_at": request.expires_at.isoformat()},
    )
    timeline.add(
        placement.client,
        "placement.feedback_requested",
        by=by,
        case=placement.case,
        obj=placement,
        register=placement.register,
        params={"stage": stage},
    )
    return SentLink(request, url)


@transaction.atomic
def submit_feedback(
    *,
    request: FeedbackRequest,
    ratings: dict[str, int | None],
    recommendation: str,
    given_by: str,
    strengths: str = "",
    to_develop: str = "",
    recommendation_note: str = "",
) -> Feedback:
    """The host's answer through the emailed link. The link is used up in the same transaction; a link
    that is not usable any more (answered, replaced or expired in the meantime) is refused."""
    locked = (
        FeedbackRequest.objects.select_for_update()
        .select_related("placement__client", "placement__organisation")
        .get(pk=request.pk)
    )
    if not locked.is_usable():
        raise ValidationError(_("This feedback link is no longer valid."))
    placement = locked.placement
    # Who answered: the supervisor the link was sent to, with their employer.
    outsider = actors.external(*_supervisor(placement))
    feedback = _write_feedback(
        placement,
        stage=locked.stage,
        link=locked,
        by=None,
        given_by=given_by,
        answers={
            "ratings": ratings,
            "strengths": strengths,
            "to_develop": to_develop,
            "recommendation": recommendation,
            "recommendation_note": recommendation_note,
        },
        actor=outsider,
    )
    return feedback


@transaction.atomic
def submit_host_feedback(
    *,
    placement: Placement,
    by: Membership,
    stage: str,
    ratings: dict[str, int | None],
    recommendation: str,
    strengths: str = "",
    to_develop: str = "",
    recommendation_note: str = "",
) -> Feedback:
    """The host's answer given in Polku by a logged-in work trial host of the host unit ("Placements you
    host"): the same form and rules as the emailed link (one answer for each stage), given in their own
    name. The stage's unanswered link, if one was sent, is used up with it: it then says that the
    feedback was received."""
    placement = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("client", "case", "organisation")
        .get(pk=placement.pk)
    )
    permissions.require(by, "placement.give_feedback", placement, hide=True)
    if stage not in FeedbackStage.values:
        raise ValidationError({"stage": _("Choose mid-term or final feedback.")})
    if placement.feedback.filter(stage=stage).exists():
        raise ValidationError({"stage": _("The host has already given this feedback.")})
    link = (
        placement.feedback_requests.select_for_update()
        .filter(stage=stage, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=story_time.now())
        .first()
    )
    return _write_feedback(
        placement,
        stage=stage,
        link=link,
        by=by,
        given_by=str(by.user),
        answers={
            "ratings": ratings,
            "strengths": strengths,
            "to_develop": to_develop,
            "recommendation": recommendation,
            "recommendation_note": recommendation_note,
        },
        actor={},
    )


def _write_feedback(
    placement: Placement,
    *,
    stage: str,
    link: FeedbackRequest | None,
    by: Membership | None,
    given_by: str,
    answers: dict[str, Any],
    actor: dict[str, Any],
) -> Feedback:
    """The feedback row, the link used up, the audit event and the timeline entry (a record of the
    placement's organisation and register, whoever answered). `actor`: who answered when `by` is None."""
    if placement.feedback.filter(stage=stage).exists():
        raise ValidationError(_("The host has already given this feedback."))
    ratings = answers["ratings"]
    feedback = Feedback.objects.create(
        request=link,
        given_by_member=by,
        placement=placement,
        stage=stage,
        ratings={key: ratings.get(key) for key, _label in RATED_ASPECTS},
        strengths=answers["strengths"],
        to_develop=answers["to_develop"],
        recommendation=answers["recommendation"],
        recommendation_note=answers["recommendation_note"],
        given_by=given_by,
    )
    if link is not None:
        link.used_at = feedback.submitted_at
        link.save(update_fields=["used_at", "updated_at"])
    audit.record(
        by,
        "placement.feedback_submit",
        feedback,
        client=placement.client,
        details={"stage": stage, "given_by": given_by, "link": link is not None, **actor},
    )
    timeline.add(
        placement.client,
        "placement.feedback_received",
        by=by,
        case=placement.case,
        obj=placement,
        register=placement.register,
        organisation=placement.organisation,
        params={
            "stage": stage,
            **names.both_of("host", lambda: placement.host_label),
            "given_by": given_by,
            **actor,
        },
    )
    return feedback
