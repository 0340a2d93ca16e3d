"""What the roll-ups sum and by which columns: the steps, activities and day counts, the row's
columns and each level's scope columns."""

from __future__ import annotations

from typing import Any

from polku.insights.models import RollupLevel

RETENTION_DAYS = 90
STEP_COLUMNS = [
    ("identified", "identified_on"),
    ("first_contact", "first_contact_on"),
    ("assessment", "assessment_on"),
    ("plan", "plan_agreed_on"),
    ("referral", "referral_sent_on"),
    ("service", "service_started_on"),
    ("job", "job_started_on"),
    ("closed", "closed_on"),
]
ACTIVITY_COLUMNS = [
    ("cases_opened", "identified_on"),
    ("assessments", "assessment_on"),
    ("plans", "plan_agreed_on"),
    ("referrals", "referral_sent_on"),
    ("services", "service_started_on"),
    ("cases_closed", "closed_on"),
]
DAY_COLUMNS = ["days_to_contact", "days_to_plan", "days_to_service", "days_to_job"]
WIDE_LEVELS = (RollupLevel.COUNTY, RollupLevel.ALL)
# A roll-up row's columns, in the order every grouped query yields them.
COLUMNS = [
    "level",
    "organisation_id",
    "unit_id",
    "municipality",
    "county",
    "worker_id",
    "measure",
    "key",
    "month",
    "since",
    "until",
    "value",
    "n",
    "amount",
]
KEY_COLUMNS = COLUMNS[:-2]
LEVEL_DIMENSIONS: dict[str, list[str]] = {
    RollupLevel.ORGANISATION: ["organisation_id"],
    RollupLevel.UNIT: ["organisation_id", "unit_id"],
    RollupLevel.MUNICIPALITY: ["organisation_id", "municipality"],
    RollupLevel.COUNTY: ["county"],
    RollupLevel.ALL: [],
}
SCOPE_LEVELS: dict[str, str] = {
    "organisation": RollupLevel.ORGANISATION,
    "unit": RollupLevel.UNIT,
    "municipality": RollupLevel.MUNICIPALITY,
    "county": RollupLevel.COUNTY,
    "all": RollupLevel.ALL,
}

Key = tuple[Any, ...]
