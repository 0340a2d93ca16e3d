"""Every address, swept from the URL configuration so that a new one is covered when it is added: every
portal address with another client's ids is a 404 and an audited refusal in the owner's access report,
with nothing changed; no staff address answers a client session."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from polku.audit.models import AuditEvent
from polku.portal import urls as portal_urls
from polku.portal.session import OPEN_PREFIXES
from tests.clients.test_consent import consent
from tests.factories import make_case
from tests.portal.test_agree_plan import ask as ask_to_agree
from tests.portal.test_agree_plan import draft_plan
from tests.portal.test_pages import portal_as
from tests.portal.test_plan import agreed_plan_with_my_action
from tests.portal.test_questionnaires import ask as ask_questionnaire

pytestmark = pytest.mark.django_db


def _action(case, worker, oulu, espoo) -> uuid.UUID:
    plan = agreed_plan_with_my_action(case)
    return plan.versions.get().goals.get().actions.get(responsible="client").public_id


def _goal(case, worker, oulu, espoo) -> uuid.UUID:
    return agreed_plan_with_my_action(case).versions.get().goals.get().public_id


# Each portal address with an id: how to make the owner's record, and the methods the view answers.
OWNED: dict[str, tuple[Callable[..., Any], tuple[str, ...]]] = {
    "revoke_consent": (
        lambda case, worker, oulu, espoo: consent(case, worker, oulu, espoo).public_id,
        ("get", "post"),
    ),
    "mark_action": (_action, ("post",)),
    "rate_goal": (_goal, ("post",)),
    "questionnaire": (
        lambda case, worker, oulu, espoo: ask_questionnaire(worker, case).public_id,
        ("get", "post"),
    ),
    "agree_plan": (
        lambda case, worker, oulu, espoo: ask_to_agree(worker, draft_plan(case)).public_id,
        ("get", "post"),
    ),
    "my_data_page": (lambda case, worker, oulu, espoo: case.client.public_id, ("get",)),
    "my_data_json": (lambda case, worker, oulu, espoo: case.client.public_id, ("get",)),
}


def test_every_portal_address_with_an_id_is_covered_here():
    with_ids = {p.name for p in portal_urls.urlpatterns if "<uuid:" in str(p.pattern)}
    assert with_ids == set(OWNED)


@pytest.mark.parametrize("name", sorted(OWNED))
def test_another_clients_id_is_a_404_and_an_audited_refusal_with_nothing_changed(name, worker, oulu, espoo):
    owner = make_case(by=worker, first_names="Omistaja", last_name="Omistava")
    intruder = make_case(by=worker, first_names="Tunkeutuja", last_name="Toinen").client
    make, methods = OWNED[name]
    public_id = make(owner, worker, oulu, espoo)
    url = next(p for p in portal_urls.urlpatterns if p.name == name)
    path = "/portal/" + str(url.pattern).replace("<uuid:public_id>", str(public_id))
    browser = portal_as(intruder)
    before = AuditEvent.objects.count()
    for method in methods:
        data = {"done": "1", "level": "1", "text": "x", "shown": "x", "action": "submit"}
        response = getattr(browser, method)(path, data) if method == "post" else browser.get(path)
        assert response.status_code == 404, (name, method)
        assert "Omistava" not in response.content.decode()
    events = list(AuditEvent.objects.order_by("id")[before:])
    # Only the refusals were recorded: every write and read of the portal records an event, so nothing
    # else happened; each refusal is in the owner's access report, with the intruder as the actor.
    assert [event.action for event in events] == ["portal.refused"] * len(methods)
    assert {event.client_id for event in events} == {owner.client.public_id}
    assert {event.details["actor"]["name"] for event in events} == {intruder.full_name}
    assert {event.basis["kind"] for event in events} == {"refused"}


def _paths(patterns: list[Any], prefix: str = "") -> list[str]:
    """A concrete path for every URL pattern: each converter given a value of its kind."""
    found = []
    for entry in patterns:
        route = str(entry.pattern)
        if route.startswith("^"):  # a regular expression (the admin's): its literal form
            route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route).strip("^$").replace("\\", "")
        route = re.sub(r"<uuid:\w+>", str(uuid.uuid4()), route)
        route = re.sub(r"<int:\w+>", "1", route)
        route = re.sub(r"<(?:\w+:)?\w+>", "x", route)
        if isinstance(entry, URLResolver):
            found += _paths(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            found.append("/" + prefix + route)
    return found


def test_no_staff_address_answers_a_client_session(worker):
    client = make_case(by=worker).client
    browser = portal_as(client)
    staff = [path for path in _paths(get_resolver().url_patterns) if not path.startswith(OPEN_PREFIXES)]
    assert len(staff) > 100 and "/caseload/" in staff and f"/clients/{client.public_id}/" not in staff
    staff.append(f"/clients/{client.public_id}/")  # the client's own overview too
    before = AuditEvent.objects.count()
    for path in staff:
        assert browser.get(path).status_code == 404, path
        assert browser.post(path, {}).status_code == 404, path
    assert AuditEvent.objects.count() == before  # no staff view ran
    assert browser.get("/portal/home/").status_code == 200  # the session still stands
