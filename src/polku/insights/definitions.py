"""Each indicator as code and documentation: its name, the question it answers, its numerator and
denominator and the dates it uses, in Finnish, Swedish and English (gettext). The dashboard links every
figure to its definition page (`/insights/definitions/<key>/`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Definition:
    key: str
    name: Any
    question: Any
    numerator: Any
    denominator: Any
    dates: Any
    measured: bool = True  # False until the data it needs is recorded (job starts: the employment app)


COHORT = _("Cases identified (opened) in the period, in the chosen scope.")
ACTIVE = _("Cases open at some time in the period (opened by its end, not closed before its start).")

DEFINITIONS = [
    Definition(
        "funnel",
        _("The client path (funnel)"),
        _("How far did the people identified in the period get, and what share reached each next step?"),
        _("Cases of the cohort that reached the step (at any time up to today)."),
        COHORT + " " + _("The share is of the cases that reached the step before."),
        _(
            "Case opened; first contact; first concluded assessment; first agreed plan version; first"
            " referral sent; first service or placement started; first job start; case closed."
        ),
    ),
    Definition(
        "sources",
        _("Cases identified by source"),
        _("Where do the people identified come from (registry screening, referral, self-referral, ...)?"),
        _("Cases opened in the period by the source recorded when the case was opened."),
        _("All cases opened in the period (the total)."),
        _("Case opened."),
    ),
    Definition(
        "activity",
        _("Work done in the period"),
        _(
            "How many cases were opened, assessments concluded, plans first agreed, referrals sent "
            "and cases closed in the period?"
        ),
        _("Cases whose step date falls in the period."),
        _("None: counts."),
        _("The date of each step (the first of its kind in the case)."),
    ),
    Definition(
        "times",
        _("Time between steps"),
        _(
            "How long does it take from identification to the first contact, to the first agreed plan"
            " and to the first service, and how long do providers take to answer and start?"
        ),
        _(
            "Days from the case being opened to the step (cases of the cohort that reached it); for "
            "referrals, days from sending to the answer and to the start (referrals sent in the "
            "period)."
        ),
        _(
            "The median and the 80th percentile over those cases; shown when there are at least the "
            "threshold of them."
        ),
        _(
            "Case opened, first contact, first agreed plan, first service start; referral sent, "
            "answered, started."
        ),
    ),
    Definition(
        "referrals",
        _("Referrals by service category and status"),
        _("Where were clients referred, and where do those referrals stand now?"),
        _("Referrals sent in the period, by the service's category and the referral's current status."),
        _("All referrals sent in the period."),
        _("Referral sent."),
    ),
    Definition(
        "closed_loop",
        _("Closed-loop rate"),
        _(
            "What share of referrals reached an end state (completed, discontinued, declined, did not"
            " attend)?"
        ),
        _(
            "Referrals sent in the period whose status is now completed, discontinued, declined or "
            "did not attend."
        ),
        _("Referrals sent in the period (cancelled ones excluded), by category and by provider."),
        _("Referral sent; its current status."),
    ),
    Definition(
        "placements",
        _("Work trials and rehabilitative work activity"),
        _("How many placements started, how did attendance go, and did hosts give feedback?"),
        _(
            "Placements starting in the period by kind and status; days present and absent; "
            "placements with host feedback."
        ),
        _("Placements starting in the period."),
        _("Placement start date; attendance days; feedback submitted."),
    ),
    Definition(
        "outcomes",
        _("Closing outcomes"),
        _("Where did people go when their case closed?"),
        _("Cases closed in the period by the outcome recorded at closing."),
        _("All cases closed in the period."),
        _("Case closed."),
    ),
    Definition(
        "gas",
        _("Goal attainment (GAS)"),
        _(
            "At the latest review, what share of goals reached the expected level (0) or better, and "
            "how did the T-score change?"
        ),
        _(
            "Goals rated 0, +1 or +2 at the case's latest review; the latest T-score minus the first "
            "(cases with two or more reviews)."
        ),
        ACTIVE + " " + _("Goals rated at the latest review; the cases with two or more reviews."),
        _("Review held (its date is on the review)."),
    ),
    Definition(
        "measures",
        _("Repeated measures"),
        _(
            "How did questionnaire scores (work ability, PHQ-9, GAD-7, functional capacity) change "
            "between the first and the latest answer?"
        ),
        _(
            "The mean of the latest score minus the first, per questionnaire, over cases answering it"
            " at least twice."
        ),
        ACTIVE + " " + _("n: the cases with two or more answers."),
        _("Questionnaire completed (corrections replace the answer they correct)."),
    ),
    Definition(
        "jobs",
        _("Job starts (IPS)"),
        _("How many people started in competitive employment, how soon, and did they stay 90 days?"),
        _(
            "Job starts: cases whose first job in supported employment started in the period. Competitive"
            " employment rate: of them in IPS, those who had started a competitive job by the end of the"
            " period. 90-day retention: first jobs started in the period at least 90 days before its end"
            " (or today) that were held 90 days or more. Time to first job: median and 80th percentile"
            " days from identification."
        ),
        _(
            "Competitive employment rate: cases open in the period that had entered IPS by its end."
            " Retention: those first jobs. Time to first job: the cohort's cases with a job start."
        ),
        _("Entry into IPS, job start and job end (recorded by supported employment)."),
    ),
    Definition(
        "caseload",
        _("Caseload per personal worker"),
        _("How many open cases do personal workers carry (0–9, 10–19, 20–29, 30 or more)?"),
        _("Personal workers by the number of their cases open at the end of the period."),
        _("Personal workers with at least one case in the scope during the period."),
        _("Case opened and closed; the case's current personal worker."),
    ),
    Definition(
        "targets",
        _("Targets"),
        _("Is the organisation on course to reach its targets?"),
        _("The count of the indicator over the target's period so far."),
        _("The target; the pace needed is what remains divided by the months left."),
        _("As the indicator the target is set for."),
    ),
    Definition(
        "feedback",
        _("Clients' feedback on the service"),
        _(
            "Do clients feel heard, do they know who is responsible for their matters, and do they find"
            " the service useful (asked in their own Polku after the plan is agreed, after a review and at"
            " the end of the service)?"
        ),
        _(
            'Answers per occasion; the mean of "I was heard" and of "The service was useful to me"'
            " (1–5); those who knew who was responsible for their matters."
        ),
        _(
            "The answers of the occasion. The answers are anonymous: they name the organisation, the"
            " occasion and the month only, so the figure is shown for an organisation and for all of Polku,"
            " never for a unit, a municipality or a worker."
        ),
        _("The month the client answered (the answers of the months that begin in the period)."),
    ),
]

BY_KEY = {definition.key: definition for definition in DEFINITIONS}
