"""Who the bulk clients are: each index's own valid identity code and birth date (`scale_person`), and
the mix of case statuses and closing outcomes their paths are drawn from (`rows.ClientRows`)."""

from __future__ import annotations

from datetime import date, timedelta

from polku.clients.demo_people import SCALE_INDIVIDUALS, identity_code
from polku.clients.models import CaseOutcome

STATUS_WEIGHTS = [12, 14, 16, 16, 28, 14]  # identified … follow-up, of the open cases
CLOSED_OUTCOMES = [
    (CaseOutcome.OPEN_MARKET_FULL_TIME, 10),
    (CaseOutcome.OPEN_MARKET_PART_TIME, 14),
    (CaseOutcome.WAGE_SUBSIDY, 12),
    (CaseOutcome.STUDIES, 10),
    (CaseOutcome.REHABILITATION, 14),
    (CaseOutcome.DISABILITY_BENEFIT, 6),
    (CaseOutcome.OTHER_SERVICES, 14),
    (CaseOutcome.MOVED_AWAY, 6),
    (CaseOutcome.NO_LONGER_NEEDS_SUPPORT, 6),
    (CaseOutcome.CONTACT_LOST, 8),
]
BIRTHS_FROM, BIRTH_DAYS = date(1961, 6, 1), 16_790  # ages about 19 to 65
SPAN = SCALE_INDIVIDUALS[1] - SCALE_INDIVIDUALS[0] + 1  # individual numbers a birth date has here
ASCII = str.maketrans("äöåé ", "aoae-")


def scale_person(index: int) -> tuple[str, date, int]:
    """(identity code, birth date, individual number) of bulk client number `index`: a fixed
    permutation of (birth date, individual number), so every index has its own valid code."""
    j = (index * 1_000_003 + 12_345) % (BIRTH_DAYS * SPAN)
    individual = SCALE_INDIVIDUALS[0] + j % SPAN
    birth_date = BIRTHS_FROM + timedelta(days=j // SPAN)
    return identity_code(birth_date, individual), birth_date, individual
