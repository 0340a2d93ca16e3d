"""The host's feedback on a placement: the single-use, expiring link emailed to the supervisor (only its
hash is kept) and the feedback given through it, in one transaction with the audit event and the
timeline entry."""

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
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.audit import services as audit
from polku.clients import actors, timeline
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
]


DEFAULT_FEEDBACK_LINK_DAYS = 14


def feedback_link_lifetime() -> timedelta:
    """How long a feedback link works: settings.POLKU_PLACEMENT_FEEDBACK_LINK_DAYS, 14 days by default."""
    return timedelta(days=getattr(settings, "POLKU_PLACEMENT_FEEDBACK_LINK_DAYS", DEFAULT_FEEDBACK_LINK_DAYS))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _supervisor(placement: Placement) -> tuple[str, str, str]:
    """The supervisor named on the placement, their unit and their employer."""
    if placement.host_unit is not None:
        return placement.supervisor_name, placement.host_unit.name, placement.host_unit.organisation.name
    return placement.supervisor_name, placement.host_unit_name, placement.host_name


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
    now = timezone.now()
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
    """The host's answer. The link is used up in the same transaction; a link that is not usable any
    more (answered, replaced or expired in the meantime) is refused."""
    locked = (
        FeedbackRequest.objects.select_for_update()
        .select_related("placement__client", "placement__organisation")
        .get(pk=request.pk)
    )
    if not locked.is_usable():
        raise ValidationError(_("This feedback link is no longer valid."))
    placement = locked.placement
    feedback = Feedback.objects.create(
        request=locked,
        placement=placement,
        stage=locked.stage,
        ratings={key: ratings.get(key) for key, _label in RATED_ASPECTS},
        strengths=strengths,
        to_develop=to_develop,
        recommendation=recommendation,
        recommendation_note=recommendation_note,
        given_by=given_by,
    )
    locked.used_at = feedback.submitted_at
    locked.save(update_fields=["used_at", "updated_at"])
    audit.record(
        None,
        "placement.feedback_submit",
        feedback,
        client=placement.client,
        details={"stage": locked.stage, "given_by": given_by, **actors.external(*_supervisor(placement))},
    )
    timeline.add(
        placement.client,
        "placement.feedback_received",
        by=None,
        case=placement.case,
        obj=placement,
        register=placement.register,
        organisation=placement.organisation,
        params={
            "stage": locked.stage,
            "host": placement.host_label,
            "given_by": given_by,
            # Who answered: the supervisor the link was sent to, with their employer.
            **actors.external(*_supervisor(placement)),
        },
    )
    return feedback
