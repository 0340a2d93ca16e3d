"""Every write to placements: permission, validation, audit and timeline in one transaction."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership, Unit
from polku.audit import services as audit
from polku.clients import actors, edits, progress, timeline
from polku.clients.models import Case
from polku.placements.models import (
    RATED_ASPECTS,
    REGISTER_OF_KIND,
    Attendance,
    AttendanceChange,
    Feedback,
    FeedbackRequest,
    FeedbackStage,
    Placement,
    PlacementGoal,
)

DEFAULT_FEEDBACK_LINK_DAYS = 14


def feedback_link_lifetime() -> timedelta:
    """How long a feedback link works: settings.POLKU_PLACEMENT_FEEDBACK_LINK_DAYS, 14 days by default."""
    return timedelta(days=getattr(settings, "POLKU_PLACEMENT_FEEDBACK_LINK_DAYS", DEFAULT_FEEDBACK_LINK_DAYS))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


PLACEMENT_FIELDS = (
    "kind",
    "host_unit",
    "host_name",
    "host_unit_name",
    "supervisor_name",
    "supervisor_email",
    "supervisor_phone",
    "tasks",
    "starts_on",
    "ends_on",
    "days_per_week",
    "hours_per_day",
)


@dataclass(frozen=True)
class GoalRow:
    """A placement goal as the form gives it: its text and the plan goal it serves (None: none)."""

    text: str
    plan_goal: Any = None


KEEP_LINK = object()


def _plan_goal_allowed(placement: Placement, by: Membership, plan_goal: Any) -> None:
    """A placement goal may point only to a goal of an agreed version of this case's service plan, and
    only for someone who may read that plan."""
    from polku.plans.models import Goal

    goal = Goal.objects.select_related("version__plan__client").filter(pk=plan_goal.pk).first()
    if (
        goal is None
        or goal.version.plan.case_id != placement.case_id
        or not goal.version.is_agreed
        or not permissions.can(by, "plan.view", goal.version.plan)
    ):
        raise ValidationError(
            {"goals": _("Link the goals only to goals of this client's agreed service plan.")}
        )


def _set_goals(placement: Placement, goals: Sequence[str | GoalRow], *, by: Membership) -> None:
    """Goals in the order given; an existing goal keeps its row when its place in the list is kept. A
    goal given as plain text keeps its link to a plan goal; a `GoalRow` sets (or clears) it."""
    rows = [goal if isinstance(goal, GoalRow) else GoalRow(goal, KEEP_LINK) for goal in goals]
    wanted = [GoalRow(row.text.strip(), row.plan_goal) for row in rows if row.text.strip()]
    for row in wanted:
        if row.plan_goal is not None and row.plan_goal is not KEEP_LINK:
            _plan_goal_allowed(placement, by, row.plan_goal)
    existing = list(placement.goals.order_by("order", "id"))
    for order, row in enumerate(wanted):
        link_id = None if row.plan_goal is None or row.plan_goal is KEEP_LINK else row.plan_goal.pk
        if order < len(existing):
            goal = existing[order]
            if row.plan_goal is KEEP_LINK:
                link_id = goal.plan_goal_id
            if goal.text != row.text or goal.order != order or goal.plan_goal_id != link_id:
                goal.text, goal.order, goal.plan_goal_id = row.text, order, link_id
                goal.save(update_fields=["text", "order", "plan_goal"])
        else:
            PlacementGoal.objects.create(
                placement=placement, text=row.text, order=order, plan_goal_id=link_id
            )
    PlacementGoal.objects.filter(pk__in=[goal.pk for goal in existing[len(wanted) :]]).delete()


@transaction.atomic
def create_placement(
    *,
    case: Case,
    by: Membership,
    kind: str,
    supervisor_name: str,
    supervisor_email: str,
    tasks: str,
    starts_on: date,
    ends_on: date,
    days_per_week: int,
    hours_per_day: Decimal,
    host_unit: Unit | None = None,
    host_name: str = "",
    host_unit_name: str = "",
    supervisor_phone: str = "",
    goals: Sequence[str | GoalRow] | None = None,
) -> Placement:
    permissions.require(by, "placement.create", case, hide=True)
    placement = Placement(
        case=case,
        client=case.client,
        organisation=case.unit.organisation,
        register=REGISTER_OF_KIND[kind],  # type: ignore[index]
        kind=kind,
        host_unit=host_unit,
        host_name=host_name,
        host_unit_name=host_unit_name,
        supervisor_name=supervisor_name,
        supervisor_email=supervisor_email,
        supervisor_phone=supervisor_phone,
        tasks=tasks,
        starts_on=starts_on,
        ends_on=ends_on,
        days_per_week=days_per_week,
        hours_per_day=hours_per_day,
        created_by=by,
    )
    placement.full_clean(exclude=["case", "client", "organisation", "created_by"])
    placement.save()
    _set_goals(placement, goals or [], by=by)
    audit.record(by, "placement.create", placement, client=case.client)
    timeline.add(
        case.client,
        "placement.created",
        by=by,
        case=case,
        obj=placement,
        register=placement.register,
        params={"kind": kind, "host": placement.host_label, "starts_on": starts_on.isoformat()},
    )
    _advance_case_if_started(placement, by)
    return placement


def _supervisor(placement: Placement) -> tuple[str, str, str]:
    """The supervisor named on the placement, their unit and their employer."""
    if placement.host_unit is not None:
        return placement.supervisor_name, placement.host_unit.name, placement.host_unit.organisation.name
    return placement.supervisor_name, placement.host_unit_name, placement.host_name


def _advance_case_if_started(placement: Placement, by: Membership) -> None:
    """A placement whose first day has come (recorded as such, or with attendance) puts the case's
    services in progress. A placement that reaches its first day untouched moves the case when its
    attendance is first recorded."""
    if placement.starts_on <= timezone.localdate():
        progress.advance_case(placement.case, cause="placement.started", by=by)


@transaction.atomic
def update_placement(
    *,
    placement: Placement,
    by: Membership,
    goals: Sequence[str | GoalRow] | None = None,
    expected_version: str | None = None,
    **changes: Any,
) -> Placement:
    """The placement's details and goals; refused if someone saved it after `expected_version`."""
    permissions.require(by, "placement.manage", placement, hide=True)
    unknown = set(changes) - set(PLACEMENT_FIELDS)
    if unknown:
        raise TypeError(f"Not placement fields: {sorted(unknown)}")
    placement = edits.check_version(
        placement,
        expected_version,
        message=_("%(who)s changed this placement at %(time)s after you opened it."),
        actions=("placement.update", "placement.interrupt"),
    )
    changed = [field for field, value in changes.items() if getattr(placement, field) != value]
    for field, value in changes.items():
        setattr(placement, field, value)
    if "kind" in changed:
        placement.register = REGISTER_OF_KIND[placement.kind]  # type: ignore[index]
        changed.append("register")
    placement.full_clean(exclude=["case", "client", "organisation", "created_by"])
    if {"starts_on", "ends_on"} & set(changed):
        _refuse_days_outside(placement, first=placement.starts_on, last=placement.last_day, field="ends_on")
    if changed or goals is not None:
        # The goals are part of the placement: their change moves its version too.
        placement.save(update_fields=[*changed, "updated_at"])
    if goals is not None:
        _set_goals(placement, goals, by=by)
    audit.record(by, "placement.update", placement, client=placement.client, details={"fields": changed})
    _advance_case_if_started(placement, by)
    return placement


def _refuse_days_outside(placement: Placement, *, first: date, last: date, field: str) -> None:
    """Refuse new dates that would leave recorded attendance days outside the placement: the days are
    named, and the worker clears them first (the clearing is kept in the attendance history)."""
    outside = list(
        placement.attendance.filter(Q(on__lt=first) | Q(on__gt=last))
        .order_by("on")
        .values_list("on", flat=True)
    )
    if outside:
        raise ValidationError(
            {
                field: _(
                    "Attendance is recorded for days outside the new dates: %(days)s. Clear those days in "
                    "the attendance first."
                )
                % {"days": ", ".join(day.strftime("%d.%m.%Y") for day in outside)}
            }
        )


@transaction.atomic
def interrupt_placement(*, placement: Placement, by: Membership, on: date, reason: str) -> Placement:
    """Interrupt the placement from `on`; written once, never undone (a new placement starts again)."""
    permissions.require(by, "placement.manage", placement, hide=True)
    errors: dict[str, str] = {}
    if placement.interrupted_on is not None:
        raise ValidationError(_("The placement has already been interrupted."))
    if not reason.strip():
        errors["reason"] = _("Give the reason for the interruption.")
    if on < placement.starts_on or on > placement.ends_on:
        errors["on"] = _("The interruption date must be within the placement, %(start)s–%(end)s.") % {
            "start": placement.starts_on.strftime("%d.%m.%Y"),
            "end": placement.ends_on.strftime("%d.%m.%Y"),
        }
    if errors:
        raise ValidationError(errors)
    _refuse_days_outside(placement, first=placement.starts_on, last=on, field="on")
    placement.interrupted_on, placement.interruption_reason, placement.interrupted_by = on, reason.strip(), by
    placement.save(update_fields=["interrupted_on", "interruption_reason", "interrupted_by", "updated_at"])
    audit.record(by, "placement.interrupt", placement, client=placement.client)
    timeline.add(
        placement.client,
        "placement.interrupted",
        by=by,
        case=placement.case,
        obj=placement,
        register=placement.register,
        params={"kind": placement.kind, "on": on.isoformat()},
        text=placement.interruption_reason,
    )
    return placement


@transaction.atomic
def record_attendance(*, placement: Placement, by: Membership, days: dict[date, str]) -> int:
    """Set the attendance of the given days (an empty status clears the day); returns how many changed.
    Each change is kept as an `AttendanceChange` history row (day, before, after, who, when). Days
    outside the placement are refused as a whole."""
    permissions.require(by, "placement.record_attendance", placement, hide=True)
    outside = sorted(on for on in days if on < placement.starts_on or on > placement.last_day)
    if outside:
        raise ValidationError(
            _("%(day)s is outside the placement; attendance is recorded only for its days.")
            % {"day": outside[0].strftime("%d.%m.%Y")}
        )
    if any(on > timezone.localdate() for on, status in days.items() if status):
        raise ValidationError(_("Attendance cannot be recorded for days still to come."))
    stored = {row.on: row for row in placement.attendance.filter(on__in=list(days))}
    changed: dict[str, str] = {}
    history: list[AttendanceChange] = []
    now = timezone.now()
    for on, status in sorted(days.items()):
        row = stored.get(on)
        old = row.status if row is not None else ""
        if not status:
            if row is not None:
                row.delete()
        elif row is None:
            Attendance.objects.create(
                placement=placement, on=on, status=status, recorded_by=by, recorded_at=now
            )
        elif row.status != status:
            row.status, row.recorded_by, row.recorded_at = status, by, now
            row.save(update_fields=["status", "recorded_by", "recorded_at"])
        if old != (status or ""):
            changed[on.isoformat()] = status or ""
            history.append(
                AttendanceChange(
                    placement=placement, on=on, old_status=old, new_status=status or "", by=by, at=now
                )
            )
    AttendanceChange.objects.bulk_create(history)
    if changed:
        audit.record(
            by, "placement.attendance", placement, client=placement.client, details={"days": changed}
        )
        _advance_case_if_started(placement, by)
    return len(changed)


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
        .filter(stage=stage, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
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
        params={"stage": stage, "host": placement.host_label, "given_by": given_by, **actor},
    )
    return feedback
