from datetime import date

import pytest

from polku.clients.models import Contact
from polku.insights import services
from tests.factories import make_case


def contact(case, on: date, by) -> Contact:
    """A first contact with the case's client, written as the clients app's services would store it."""
    return Contact.objects.create(
        case=case,
        client=case.client,
        kind="meeting",
        happened_on=on,
        note="Tapaaminen",
        register="employment",
        organisation=case.unit.organisation,
        author=by,
    )


@pytest.fixture
def cases(worker):
    """Seven cases opened in 2026 (five with a first contact) and one in 2025, refreshed into facts."""
    opened = [make_case(by=worker, opened_on=date(2026, 1, 5 + n)) for n in range(7)]
    for n, case in enumerate(opened[:5]):
        contact(case, date(2026, 1, 10 + 2 * n), worker)
    old = make_case(by=worker, opened_on=date(2025, 6, 1))
    services.refresh([case.pk for case in [*opened, old]])
    return opened
