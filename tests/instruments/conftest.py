"""Shared helpers for the instruments tests: the built-in versions, answers that add up to a total, and
the clients personas (tests/clients/conftest.py) for the views."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from polku.instruments import selectors, services
from polku.instruments.models import InstrumentVersion, ItemKind, Response
from tests.clients.conftest import World, open_case_for  # noqa: F401 - re-exported for the tests
from tests.factories import synthetic_identity_code


def version(code: str) -> InstrumentVersion:
    return selectors.version_for_answering(code)


def answers_for(version: InstrumentVersion, total: int, **fixed: Any) -> dict[str, Any]:
    """Answers to every item whose scores add up to `total` (fixed answers first, the rest filled in
    from the first item on)."""
    answers: dict[str, Any] = dict(fixed)
    left = total - sum(_score(version, link_id, value) for link_id, value in fixed.items())
    for item in version.items.all():
        if item.link_id in answers:
            continue
        if item.kind == ItemKind.CHOICE:
            options = sorted(item.options.all(), key=lambda o: o.score)
            option = max((o for o in options if o.score <= left), key=lambda o: o.score, default=options[0])
            answers[item.link_id] = option.code
            left -= option.score
        elif item.kind == ItemKind.SCALE:
            value = max(item.min_value or 0, min(item.max_value or 0, left))
            answers[item.link_id] = value
            left -= value
    assert left == 0, f"{version} cannot add up to {total}"
    return answers


def _score(version: InstrumentVersion, link_id: str, value: Any) -> int:
    item = next(i for i in version.items.all() if i.link_id == link_id)
    if item.kind == ItemKind.CHOICE:
        return next(o.score for o in item.options.all() if o.code == str(value))
    return int(value) if item.kind == ItemKind.SCALE else 0


def man_code() -> str:
    """A synthetic identity code of a man (odd individual number)."""
    for n in range(1, 200):
        code = synthetic_identity_code(n + 700, birth_date=date(1980, 5, 17))
        if int(code[7:10]) % 2:
            return code
    raise AssertionError


def woman_code() -> str:
    for n in range(1, 200):
        code = synthetic_identity_code(n + 900, birth_date=date(1982, 6, 18))
        if int(code[7:10]) % 2 == 0:
            return code
    raise AssertionError


def record(case, code: str, total: int, *, by=None, **fixed: Any) -> Response:
    v = version(code)
    return services.record_response(
        case=case, version=v, answers=answers_for(v, total, **fixed), by=by or case.personal_worker
    )


@pytest.fixture
def case(worker):
    return open_case_for(worker, first_names="Aino", last_name="Asiakas")
