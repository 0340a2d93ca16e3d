"""The client's IPS records in their data export (`clients.export.ExportSection`): each period with its
phases, career profile (with the history of the disclosure decision), benefits counselling, jobs,
follow-along contacts, the employer contacts made on the client's behalf and the openings discussed.

A staff viewer reads what the period page shows them (`rules.ips_view`): the periods of their own
organisation and, under the client's consent for the employment register, another's; without a viewer
(the client's own download) every period. Of an employer contact the export holds what the client's
period page shows (date, employer, purpose, face to face): never the employer's contact person, their
phone or email, nor the contact's note, which may speak of other job seekers."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from polku.accounts.models import Membership
from polku.clients import access, actors, export
from polku.clients.models import Client
from polku.employment.models import (
    Adjustment,
    CareerProfile,
    CareerProfileChange,
    Disclosure,
    EmployerContact,
    FollowAlong,
    IpsPeriod,
    Job,
    JobField,
    OpeningDiscussion,
    PhaseChange,
)

__all__ = ["for_export"]

# The career profile fields whose earlier values are the history of the disclosure decision.
DISCLOSURE_FIELDS = ("disclosure", "disclosure_note")


def _labels(values: list[str], choices: Any) -> list[str]:
    return [str(choices(value).label) for value in values if value in choices.values]


def _label(value: str, choices: Any) -> str:
    return str(choices(value).label) if value in choices.values else value


def _periods(client: Client, viewer: Membership | None) -> list[IpsPeriod]:
    """The periods with everything the export writes of them: nine queries whatever their number (one
    when there are none), the prefetches each reading every period's rows at once."""
    if viewer is not None and not (access.works_with_clients(viewer) and access.sees_client(viewer, client)):
        return []
    changes = CareerProfileChange.objects.select_related("changed_by__user", "changed_by__unit__organisation")
    return list(
        IpsPeriod.objects.filter(client=client)
        .filter(access.disclosed_records(viewer, client=client) if viewer is not None else Q())
        .select_related("organisation", "coach__user", "career_profile")
        .prefetch_related(
            "career_profile__municipalities",
            Prefetch("career_profile__changes", queryset=changes),
            Prefetch(
                "phase_changes",
                queryset=PhaseChange.objects.select_related(
                    "changed_by__user", "changed_by__unit__organisation"
                ),
            ),
            "counselling",
            Prefetch("jobs", queryset=Job.objects.select_related("employer").order_by("starts_on", "id")),
            Prefetch(
                "follow_alongs", queryset=FollowAlong.objects.select_related("job").order_by("on", "id")
            ),
            Prefetch("employer_contacts", queryset=EmployerContact.objects.select_related("employer")),
            Prefetch(
                "discussions",
                queryset=OpeningDiscussion.objects.select_related("opening__employer").order_by("on", "id"),
            ),
        )
        .order_by("entered_on", "id")
    )


def _profile(profile: CareerProfile | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    history = []
    # Oldest first: each row holds the decision as it was before that change.
    for change in sorted(profile.changes.all(), key=lambda row: (row.changed_at, row.pk)):
        if change.created or not set(DISCLOSURE_FIELDS) & set(change.fields):
            continue
        history.append(
            {
                "changed_at": export.when(change.changed_at),
                "changed_by": actors.actor_label(change.changed_by),
                "decision_before": _label(
                    str(change.previous.get("disclosure", profile.disclosure)), Disclosure
                ),
                "note_before": str(change.previous.get("disclosure_note", profile.disclosure_note)),
            }
        )
    return {
        "work_history": profile.work_history,
        "education": profile.education,
        "kinds_of_work": _labels(profile.job_fields, JobField),
        "hours_per_week": {"at_least": profile.hours_min, "at_most": profile.hours_max},
        "places": [str(place) for place in profile.municipalities.all()],
        "working_environment": profile.environment,
        "strengths": profile.strengths,
        "adjustments": _labels(profile.adjustments, Adjustment),
        "disclosure": profile.get_disclosure_display(),
        "disclosure_note": profile.disclosure_note,
        "disclosure_decided_on": (
            profile.disclosure_decided_on.isoformat() if profile.disclosure_decided_on else None
        ),
        "disclosure_history": history,
    }


def _summary(period: IpsPeriod) -> str:
    line = _("%(organisation)s, from %(on)s: %(phase)s") % {
        "organisation": period.organisation.display_name,
        "on": period.entered_on.isoformat(),
        "phase": period.get_phase_display(),
    }
    jobs = [
        _("%(title)s at %(employer)s") % {"title": job.title, "employer": job.employer.display_name}
        for job in period.jobs.all()
    ]
    return f"{line}; {_('jobs: %(jobs)s') % {'jobs': ', '.join(jobs)}}" if jobs else line


def for_export(client: Client, viewer: Membership | None) -> list[dict[str, Any]]:
    """The client's IPS periods the viewer may read, each with everything recorded under it; every
    period without a viewer (the client's own download)."""
    rows = []
    for period in _periods(client, viewer):
        try:
            profile: CareerProfile | None = period.career_profile
        except CareerProfile.DoesNotExist:
            profile = None
        rows.append(
            {
                "summary": _summary(period),
                "organisation": period.organisation.display_name,
                "job_coach": str(period.coach.user),
                "entered_on": period.entered_on.isoformat(),
                "wish": period.wish,
                "phase": period.get_phase_display(),
                "closed_on": period.closed_on.isoformat() if period.closed_on else None,
                "handover": period.handover,
                "phases": [
                    {
                        "phase": change.get_phase_display(),
                        "on": change.on.isoformat(),
                        "by": actors.actor_label(change.changed_by),
                    }
                    for change in period.phase_changes.all()
                ],
                "career_profile": _profile(profile),
                "benefits_counselling": [
                    {
                        "reason": item.get_reason_display(),
                        "offered_on": item.offered_on.isoformat(),
                        "given_on": item.given_on.isoformat() if item.given_on else None,
                        "given_by": item.given_by,
                        "questions": item.questions,
                    }
                    for item in sorted(period.counselling.all(), key=lambda c: (c.offered_on, c.pk))
                ],
                "jobs": [
                    {
                        "title": job.title,
                        "employer": job.employer.display_name,
                        "kind_of_work": job.get_job_field_display(),
                        "hours_per_week": str(job.hours_per_week),
                        "wage": job.get_wage_type_display(),
                        "started_on": job.starts_on.isoformat(),
                        "ended_on": job.ends_on.isoformat() if job.ends_on else None,
                        "end_reason": job.get_end_reason_display() if job.end_reason else "",
                    }
                    for job in period.jobs.all()
                ],
                "follow_along": [
                    {
                        "on": item.on.isoformat(),
                        "job": item.job.title if item.job else "",
                        "with_employer": item.with_employer,
                        "note": item.note,
                    }
                    for item in period.follow_alongs.all()
                ],
                "employer_contacts_on_my_behalf": [
                    {
                        "on": contact.on.isoformat(),
                        "employer": contact.employer.display_name,
                        "purpose": contact.get_purpose_display(),
                        "face_to_face": contact.face_to_face,
                    }
                    for contact in sorted(period.employer_contacts.all(), key=lambda c: (c.on, c.pk))
                ],
                "openings_discussed": [
                    {
                        "on": item.on.isoformat(),
                        "opening": item.opening.title,
                        "employer": item.opening.employer.display_name,
                        "decision": item.get_decision_display(),
                        "note": item.note,
                    }
                    for item in period.discussions.all()
                ],
            }
        )
    return rows
