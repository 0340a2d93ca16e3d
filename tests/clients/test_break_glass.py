"""Break the glass: a personal worker opens a client outside their teams for a few hours, with a reason
that is audited and shown to the client."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from polku.accounts import permissions
from polku.accounts.models import Role
from polku.audit.models import AuditEvent
from polku.clients import selectors, services
from polku.clients.models import BreakGlassAccess, Case, Register
from tests.conftest import client_as
from tests.factories import make_case, make_membership, synthetic_identity_code

REASON = "Asiakas tuli päivystykseen, tarvitaan yhteystiedot."


@pytest.fixture
def case(worker) -> Case:
    return make_case(
        by=worker,
        opened_on=timezone.localdate() - timedelta(days=30),
        identity_code=synthetic_identity_code(),
    )


def detail_url(case: Case) -> str:
    return f"/clients/{case.client.public_id}/"


def test_breaking_the_glass_opens_the_client_for_the_configured_hours(case, outsider, settings):
    assert client_as(outsider).get(detail_url(case)).status_code == 404
    before = timezone.now()

    access = services.break_glass(client=case.client, by=outsider, reason=f"  {REASON}  ")

    assert access.reason == REASON
    hours = timedelta(hours=settings.BREAK_GLASS_HOURS)
    assert before + hours <= access.expires_at <= timezone.now() + hours
    assert permissions.can(outsider, "client.view", case.client)
    assert client_as(outsider).get(detail_url(case)).status_code == 200


def test_breaking_the_glass_is_audited_with_the_reason(case, outsider):
    services.break_glass(client=case.client, by=outsider, reason=REASON)
    event = AuditEvent.objects.get(action="client.break_glass")
    assert (event.membership, event.client_id, event.reason) == (outsider, case.client.public_id, REASON)


def test_what_is_viewed_through_the_glass_is_audited_with_the_reason(case, outsider):
    services.break_glass(client=case.client, by=outsider, reason=REASON)
    client_as(outsider).get(detail_url(case))
    view = AuditEvent.objects.filter(action="client.view", membership=outsider).get()
    assert REASON in view.reason
    assert view.client_id == case.client.public_id


def test_the_access_ends_when_it_expires(case, outsider):
    BreakGlassAccess.objects.create(
        client=case.client,
        membership=outsider,
        reason=REASON,
        at=timezone.now() - timedelta(hours=9),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    assert not permissions.can(outsider, "client.view", case.client)
    assert client_as(outsider).get(detail_url(case)).status_code == 404


def test_one_workers_glass_opens_the_client_to_nobody_else(case, outsider):
    other = make_membership(unit=outsider.unit, role=Role.PERSONAL_WORKER)
    services.break_glass(client=case.client, by=outsider, reason=REASON)
    assert not permissions.can(other, "client.view", case.client)


@pytest.mark.parametrize("reason", ["", "         ", "hätä", "  123456789  "])
def test_a_reason_shorter_than_a_sentence_is_refused(case, outsider, reason):
    with pytest.raises(ValidationError) as refused:
        services.break_glass(client=case.client, by=outsider, reason=reason)
    assert "reason" in refused.value.message_dict
    assert not BreakGlassAccess.objects.exists()
    assert not permissions.can(outsider, "client.view", case.client)


def test_a_ten_character_reason_is_enough(case, outsider):
    services.break_glass(client=case.client, by=outsider, reason="1234567890")
    assert permissions.can(outsider, "client.view", case.client)


@pytest.mark.parametrize("persona", ["colleague", "manager", "administrator"])
def test_only_a_personal_worker_may_break_the_glass(request, case, persona):
    someone = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.break_glass(client=case.client, by=someone, reason=REASON)
    assert not BreakGlassAccess.objects.exists()
    assert not permissions.can(someone, "client.view", case.client)


def test_the_glass_shows_the_client_but_not_another_organisations_notes(case, worker, outsider):
    services.record_contact(
        case=case,
        by=worker,
        kind="meeting",
        happened_on=timezone.localdate(),
        note="Oulun sosiaalihuollon kirjaus",
        register=Register.SOCIAL,
    )
    services.break_glass(client=case.client, by=outsider, reason=REASON)
    assert list(selectors.contacts_of(case.client, viewer=outsider)) == []
    assert "Oulun sosiaalihuollon kirjaus" not in client_as(outsider).get(detail_url(case)).content.decode()


def test_the_glass_does_not_let_the_worker_change_the_client_or_the_case(case, outsider):
    services.break_glass(client=case.client, by=outsider, reason=REASON)
    assert not permissions.can(outsider, "client.edit", case.client)
    assert not permissions.can(outsider, "consent.record", case.client)
    assert not permissions.can(outsider, "case.manage", case)
    assert not permissions.can(outsider, "case.record_contact", case)
