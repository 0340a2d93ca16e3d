"""Edits that lose nothing (issue 21) on the client's and the case's pages: a details form opened before a
colleague saved is refused with both texts shown, and a contact or consent form sent twice records once."""

from __future__ import annotations

from polku.clients import services
from polku.clients.models import Case, Client, Consent, Contact
from tests.clients.conftest import EN, days_ago, text, today
from tests.conftest import client_as


def _form_value(response, name: str) -> str:
    return str(response.context["form"][name].value())


def _named(membership, first: str, last: str):
    membership.user.first_name, membership.user.last_name = first, last
    membership.user.save(update_fields=["first_name", "last_name"])
    return membership


def _details(client: Client, **changes) -> dict[str, object]:
    return {
        "first_names": client.first_names,
        "last_name": client.last_name,
        "municipality": client.municipality_id,
        "languages": client.languages,
        "phone": client.phone,
        "postal_code": client.postal_code,
        **changes,
    }


def test_a_stale_client_details_edit_names_the_colleague_and_keeps_both_phone_numbers(world):
    colleague = _named(world.period.membership, "Niina", "Nurmi")
    browser = client_as(world.worker)
    opened = browser.get(world.url("edit"), **EN)
    services.update_client(client=world.client, by=colleague, phone="040 111 2222")

    response = browser.post(
        world.url("edit"),
        _details(
            world.client, phone="050 999 8888", expected_version=_form_value(opened, "expected_version")
        ),
        **EN,
    )

    assert response.status_code == 400
    page = text(response)
    assert "Niina Nurmi changed the client's details at" in page
    assert "040 111 2222" in page  # saved by the colleague, shown beside
    assert 'value="050 999 8888"' in page  # the worker's own input, kept in the form
    assert Client.objects.get(pk=world.client.pk).phone == "040 111 2222"


def test_a_stale_next_step_is_refused_and_the_current_one_shown(world):
    browser = client_as(world.worker)
    opened = browser.get(world.url("next_step"), **EN)
    services.plan_next_step(case=world.case, step="Soita työkokeilupaikkaan", due_on=today(), by=world.worker)

    response = browser.post(
        world.url("next_step"),
        {
            "step": "Varaa lääkäriaika",
            "due_on": today().isoformat(),
            "expected_version": _form_value(opened, "expected_version"),
        },
        **EN,
    )

    assert response.status_code == 400
    assert "changed the case at" in text(response)
    assert "Soita työkokeilupaikkaan" in text(response)
    assert "Varaa lääkäriaika" in text(response)
    assert Case.objects.get(pk=world.case.pk).next_step == "Soita työkokeilupaikkaan"


def test_a_contact_form_sent_twice_records_one_contact_and_shows_the_first(world):
    browser = client_as(world.worker)
    form = browser.get(world.url("record_contact"), **EN)
    body = {
        "kind": "phone",
        "happened_on": days_ago(1).isoformat(),
        "register": "social",
        "note": "Sovittiin tapaaminen.",
        "idempotency_key": _form_value(form, "idempotency_key"),
    }

    first = browser.post(world.url("record_contact"), body, **EN)
    second = browser.post(world.url("record_contact"), body, follow=True, **EN)

    assert first.status_code == 302
    assert second.redirect_chain[-1][0] == first.url
    assert Contact.objects.count() == 1
    assert text(second).count("Sovittiin tapaaminen.") >= 1
    # A new form has a new key: the next contact is recorded.
    again = {
        **body,
        "idempotency_key": _form_value(browser.get(world.url("record_contact")), "idempotency_key"),
    }
    browser.post(world.url("record_contact"), again)
    assert Contact.objects.count() == 2


def test_a_consent_form_sent_twice_records_one_consent(world):
    browser = client_as(world.worker)
    key = _form_value(browser.get(world.url("record_consent"), **EN), "idempotency_key")
    body = {
        "discloser": world.oulu.pk,
        "recipient": world.espoo.pk,
        "registers": ["social"],
        "purpose": "Kuntoutussuunnitelma",
        "valid_from": today().isoformat(),
        "method": "written",
        "idempotency_key": key,
    }
    before = Consent.objects.count()

    assert browser.post(world.url("record_consent"), body).status_code == 302
    assert browser.post(world.url("record_consent"), body).status_code == 302

    assert Consent.objects.count() == before + 1
