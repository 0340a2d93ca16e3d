"""The referral's register follows the service's category, and its shared information reaches the
provider only while the client's consent still holds: checked when drafting and again when sending; the
receiving unit does not read it after the consent is revoked."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from polku.audit.models import AuditEvent
from polku.clients import services as client_services
from polku.clients.models import Register
from polku.network import services
from polku.network.models import Referral, TaxonomyTerm
from tests.conftest import client_as
from tests.factories import make_service
from tests.network.conftest import EN, days_ago, draft, text

SHARED = "Masennus, lääkitys sertraliini 100 mg."


def health_consent(case, worker, oulu, county, **kwargs):
    kwargs.setdefault("covers_health", True)
    return client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=county,
        purpose="Terveystarkastus",
        valid_from=days_ago(5),
        method="written",
        **kwargs,
    )


@pytest.mark.parametrize(
    ("category", "register"),
    [
        ("substance-services", Register.HEALTH),
        ("mental-health", Register.HEALTH),
        ("health-check-unemployed", Register.HEALTH),
        ("rehabilitation-psychotherapy", Register.HEALTH),
        ("social-work", Register.SOCIAL),
        ("debt-counselling", Register.SOCIAL),
        ("rehabilitative-work-activity", Register.SOCIAL),
        ("career-coaching", Register.EMPLOYMENT),
        ("kela-rehabilitation", Register.EMPLOYMENT),
    ],
)
def test_the_register_follows_the_services_category(case, worker, category, register):
    assert draft(case, make_service(category=category), worker).register == register


def test_the_category_register_is_administrable(case, worker):
    term = TaxonomyTerm.objects.get(code="career-coaching")
    term.register = Register.SOCIAL
    term.save()

    assert draft(case, make_service(category="career-coaching"), worker).register == Register.SOCIAL


def test_the_form_does_not_ask_for_the_register_and_stores_the_categorys(case, worker):
    service = make_service(name="Päihdepoliklinikka", category="substance-services")
    url = f"/cases/{case.public_id}/referrals/new/?service={service.public_id}"
    browser = client_as(worker)

    page = text(browser.get(url, **EN))
    assert 'name="register"' not in browser.get(url, **EN).content.decode()
    assert "record of the register: Health care" in page

    response = browser.post(
        url, {"reason": "Alkoholin käyttö haittaa.", "urgency": "normal", "register": "employment"}, **EN
    )
    assert response.status_code == 302
    assert Referral.objects.get().register == Register.HEALTH


def test_refer_refuses_a_consent_that_does_not_cover_the_register(case, worker, in_polku, oulu, county):
    consent = health_consent(case, worker, oulu, county, covers_health=False, covers_employment=True)

    with pytest.raises(ValidationError) as refused:
        draft(case, in_polku, worker, shared_information=SHARED, consent=consent)

    assert "does not cover health care records" in str(refused.value.message_dict["consent"])
    assert Referral.objects.count() == 0


def test_a_referral_is_not_sent_after_the_consent_is_revoked(case, worker, in_polku, oulu, county):
    consent = health_consent(case, worker, oulu, county)
    referral = draft(case, in_polku, worker, shared_information=SHARED, consent=consent)
    client_services.revoke_consent(consent=consent, by=worker, revoked_on=days_ago(0))

    with pytest.raises(ValidationError, match="cannot be sent: The client's consent is not valid today"):
        services.send(referral=referral, by=worker)

    referral.refresh_from_db()
    assert referral.status == "draft" and referral.sent_at is None


def test_the_send_form_tells_why_it_is_refused(case, worker, in_polku, oulu, county):
    consent = health_consent(case, worker, oulu, county)
    referral = draft(case, in_polku, worker, shared_information=SHARED, consent=consent)
    client_services.revoke_consent(consent=consent, by=worker, revoked_on=days_ago(0))

    response = client_as(worker).post(f"/referrals/{referral.public_id}/sent/", {}, **EN)

    assert response.status_code == 400
    assert "The referral cannot be sent" in text(response) and "revoked" in text(response)


def test_with_a_valid_consent_it_is_sent_and_the_receiver_reads_the_information(
    case, worker, in_polku, receiver, oulu, county
):
    consent = health_consent(case, worker, oulu, county)
    referral = services.send(
        referral=draft(case, in_polku, worker, shared_information=SHARED, consent=consent), by=worker
    )

    assert SHARED in text(client_as(receiver).get(f"/referrals/{referral.public_id}/", **EN))


def test_the_receiver_no_longer_reads_the_information_after_revocation(
    case, worker, in_polku, receiver, oulu, county
):
    consent = health_consent(case, worker, oulu, county)
    referral = services.send(
        referral=draft(case, in_polku, worker, shared_information=SHARED, consent=consent), by=worker
    )
    client_services.revoke_consent(consent=consent, by=worker, revoked_on=days_ago(0))

    page = text(client_as(receiver).get(f"/referrals/{referral.public_id}/", **EN))

    assert "sertraliini" not in page
    assert "consent to share it is no longer valid" in page
    assert SHARED in text(client_as(worker).get(f"/referrals/{referral.public_id}/", **EN))


def test_the_move_page_records_the_read(case, worker, external):
    referral = draft(case, external, worker)

    assert client_as(worker).get(f"/referrals/{referral.public_id}/sent/", **EN).status_code == 200

    event = AuditEvent.objects.filter(action="client.view", membership=worker).latest("id")
    assert event.details["page"] == "referral_move"


def test_a_register_other_than_the_categorys_is_refused(case, worker):
    service = make_service(category="substance-services")

    with pytest.raises(ValidationError) as refused:
        draft(case, service, worker, register=Register.EMPLOYMENT)

    assert "Health care" in str(refused.value.message_dict["register"])
    assert draft(case, service, worker, register=Register.HEALTH).register == Register.HEALTH
