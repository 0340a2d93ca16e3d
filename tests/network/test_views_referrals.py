"""Referral pages: drafting from a case, the referral's page for each side, the steps, the receiving unit's
incoming list; who is refused on each (wrong role, wrong organisation, other units), what they see, and
the query counts of the lists."""

from __future__ import annotations

import pytest

from polku.accounts.models import Role
from polku.audit.models import AuditEvent
from polku.network.models import Referral, ReferralStatusChange
from tests.clients.conftest import EN, text
from tests.conftest import client_as
from tests.factories import make_membership, make_unit
from tests.network.conftest import at_status, draft
from tests.queries import LIST_AUDIT_EVENT

# Measured: session, the user with their active memberships, the count and the page, and the audit event with the clients it listed (LIST_AUDIT_EVENT, tests/queries.py).
INCOMING_QUERIES = 4 + LIST_AUDIT_EVENT


@pytest.fixture
def sent(case, worker, receiver, in_polku):
    return at_status(case, in_polku, worker, receiver, "sent")


def stored() -> tuple:
    return (
        list(Referral.objects.order_by("id").values_list("id", "status")),
        ReferralStatusChange.objects.count(),
    )


# --- Drafting --------------------------------------------------------------------------------------------


def test_the_worker_drafts_a_referral_from_the_case(worker, case, external):
    url = f"/cases/{case.public_id}/referrals/new/?service={external.public_id}"
    browser = client_as(worker)
    assert browser.get(url, **EN).status_code == 200

    response = browser.post(
        url, {"reason": "Kuntoutustarpeen selvitys.", "urgency": "soon", "register": "employment"}
    )

    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/referrals/{referral.public_id}/"
    assert (referral.status, referral.urgency, referral.created_by) == ("draft", "soon", worker)


def test_a_bad_referral_form_keeps_what_was_typed(worker, case, external):
    url = f"/cases/{case.public_id}/referrals/new/?service={external.public_id}"

    response = client_as(worker).post(
        url,
        {
            "reason": "Syy on tässä.",
            "shared_information": "Lääkitys.",
            "urgency": "normal",
            "register": "health",
        },
        **EN,
    )

    assert response.status_code == 400
    page = text(response)
    assert "Check the form" in page and "choose the consent" in page
    assert "Lääkitys." in page and "Syy on tässä." in page
    assert Referral.objects.count() == 0


@pytest.mark.parametrize("who", ["outsider", "manager", "colleague", "receiver"])
def test_others_cannot_draft_a_referral(who, request, case, external):
    url = f"/cases/{case.public_id}/referrals/new/?service={external.public_id}"
    browser = client_as(request.getfixturevalue(who))

    assert browser.get(url).status_code in (403, 404)
    assert browser.post(
        url, {"reason": "Yritys.", "urgency": "normal", "register": "employment"}
    ).status_code in (403, 404)
    assert Referral.objects.count() == 0


def test_an_outsiders_refusal_is_a_404_and_audited(outsider, case, external):
    url = f"/cases/{case.public_id}/referrals/new/?service={external.public_id}"

    assert client_as(outsider).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="permission.refused", membership=outsider).exists()


# --- The referral's page for each side ------------------------------------------------------------------


def test_the_sender_sees_the_whole_referral_and_the_send_action(worker, case, external):
    referral = draft(case, external, worker, reason="Selvitys tarpeen.")

    response = client_as(worker).get(f"/referrals/{referral.public_id}/", **EN)

    page = text(response)
    assert "Selvitys tarpeen." in page
    assert [s for s, _ in response.context["actions"]] == ["sent", "cancelled"]


def test_the_receiving_unit_sees_only_the_name_and_what_the_client_agreed_to_share(
    worker, case, receiver, in_polku, sent
):
    response = client_as(receiver).get(f"/referrals/{sent.public_id}/", **EN)

    page = text(response)
    assert response.status_code == 200
    assert "Aino Asiakas" in page
    assert "Työkyvyn arviointi tarpeen." not in page  # the reason is the sender's record
    assert case.client.identity_code_masked not in page
    assert [s for s, _ in response.context["actions"]] == ["accepted", "declined"]
    assert AuditEvent.objects.filter(action="referral.view_incoming", membership=receiver).count() == 1


def test_the_receiver_accepts_and_starts_through_the_pages(receiver, sent):
    browser = client_as(receiver)
    assert browser.get(f"/referrals/{sent.public_id}/accepted/", **EN).status_code == 200

    assert browser.post(f"/referrals/{sent.public_id}/accepted/", {"reason": ""}).status_code == 302
    assert browser.post(f"/referrals/{sent.public_id}/started/", {"reason": "Ensikäynti."}).status_code == 302

    sent.refresh_from_db()
    assert sent.status == "started"


def test_a_step_the_lifecycle_does_not_allow_is_refused_on_the_page(receiver, sent):
    response = client_as(receiver).post(f"/referrals/{sent.public_id}/started/", {"reason": ""}, **EN)

    assert response.status_code == 400
    assert "cannot be marked “Started”" in text(response)
    assert Referral.objects.get(pk=sent.pk).status == "sent"


def test_declining_without_a_reason_is_refused(receiver, sent):
    response = client_as(receiver).post(f"/referrals/{sent.public_id}/declined/", {"reason": ""}, **EN)

    assert response.status_code == 400
    assert Referral.objects.get(pk=sent.pk).status == "sent"


def test_the_worker_records_the_answers_of_a_provider_not_in_polku(worker, case, external):
    referral = at_status(case, external, worker, worker, "sent")
    browser = client_as(worker)

    response = browser.get(f"/referrals/{referral.public_id}/", **EN)
    assert [s for s, _ in response.context["actions"]] == ["accepted", "declined", "cancelled"]
    browser.post(f"/referrals/{referral.public_id}/accepted/", {"reason": ""})

    assert Referral.objects.get(pk=referral.pk).status == "accepted"


def test_the_sender_cannot_answer_for_a_provider_in_polku(worker, sent):
    browser = client_as(worker)

    assert browser.get(f"/referrals/{sent.public_id}/", **EN).context["actions"] == [
        ("cancelled", "Withdraw")
    ]  # only withdrawing
    assert browser.post(f"/referrals/{sent.public_id}/accepted/", {"reason": ""}).status_code == 403
    assert Referral.objects.get(pk=sent.pk).status == "sent"


@pytest.mark.parametrize("who", ["outsider", "manager", "colleague", "other_unit", "host"])
def test_others_get_no_referral_page_and_no_step(who, request, sent, receiver, oulu):
    member = {
        "other_unit": lambda: make_membership(
            unit=make_unit(organisation=receiver.unit.organisation), role=Role.NURSE
        ),
        "host": lambda: make_membership(unit=make_unit(organisation=oulu), role=Role.WORK_TRIAL_HOST),
    }.get(who, lambda: request.getfixturevalue(who))()
    browser = client_as(member)
    before = stored()

    assert browser.get(f"/referrals/{sent.public_id}/").status_code == 404
    for step in ("accepted", "declined"):
        assert browser.get(f"/referrals/{sent.public_id}/{step}/").status_code == 404
        assert (
            browser.post(f"/referrals/{sent.public_id}/{step}/", {"reason": "Ei käy tähän."}).status_code
            == 404
        )
    assert stored() == before
    assert AuditEvent.objects.filter(action="permission.refused", membership=member).count() == 5


def test_the_receiving_unit_never_sees_a_draft(worker, case, receiver, in_polku):
    referral = draft(case, in_polku, worker)

    assert client_as(receiver).get(f"/referrals/{referral.public_id}/").status_code == 404


# --- Incoming referrals ----------------------------------------------------------------------------------


def test_the_receiving_unit_lists_its_incoming_referrals(worker, case, receiver, in_polku, sent):
    draft(case, in_polku, worker)  # drafts are the sender's

    response = client_as(receiver).get("/referrals/incoming/", **EN)

    assert list(response.context["referrals"]) == [sent]
    assert "Aino Asiakas" in text(response)


def test_another_unit_has_no_incoming_referrals_of_this_one(receiver, sent, outsider):
    other = make_membership(unit=make_unit(organisation=receiver.unit.organisation), role=Role.NURSE)

    assert list(client_as(other).get("/referrals/incoming/").context["referrals"]) == []
    assert list(client_as(outsider).get("/referrals/incoming/").context["referrals"]) == []
    assert "No referrals have been sent to your unit." in text(
        client_as(other).get("/referrals/incoming/", **EN)
    )


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMINISTRATOR, Role.WORK_TRIAL_HOST])
def test_wrong_roles_get_no_incoming_list(role, receiver):
    member = make_membership(unit=receiver.unit, role=role)

    assert client_as(member).get("/referrals/incoming/").status_code == 403


@pytest.mark.parametrize("count", [1, 25])
def test_the_incoming_list_runs_the_same_queries_with_one_and_many(
    worker, receiver, in_polku, count, django_assert_num_queries
):
    from tests.clients.conftest import open_case_for

    for _ in range(count):
        at_status(open_case_for(worker), in_polku, worker, receiver, "sent")
    browser = client_as(receiver)
    browser.get("/referrals/incoming/")

    with django_assert_num_queries(INCOMING_QUERIES):
        response = browser.get("/referrals/incoming/")

    assert len(response.context["referrals"]) == min(count, 20)


def test_coming_from_the_catalogue_filtered_by_a_need_preselects_the_clients_open_need(
    worker, case, external
):
    from polku.screening.services import screen_client

    [need] = screen_client(
        client=case.client, case=case, facts={"was.score": 3}, by=worker, source_description="Testi"
    )
    browser = client_as(worker)
    detail = browser.get(f"/services/{external.public_id}/?case={case.public_id}&need={need.kind}")
    assert f"need={need.kind}" in text(detail)

    form = browser.get(
        f"/cases/{case.public_id}/referrals/new/?service={external.public_id}&need={need.kind}"
    )

    assert form.context["form"]["need"].value() == need.pk


def test_the_catalogue_is_in_the_admin_for_administrators(administrator, worker, external):
    browser = client_as(administrator)
    for url in (
        "/admin/services/taxonomyterm/",
        "/admin/services/service/",
        f"/admin/services/service/{external.pk}/change/",
        "/admin/services/provider/",
    ):
        assert browser.get(url).status_code == 200, url
    assert client_as(worker).get("/admin/services/taxonomyterm/").status_code == 403


def test_the_sender_withdraws_a_sent_referral_through_a_confirming_form(worker, sent):
    url = f"/referrals/{sent.public_id}/cancelled/"
    browser = client_as(worker)

    page = text(browser.get(url, **EN))
    assert "Discard or withdraw the referral" in page
    refused = browser.post(url, {"reason": ""}, **EN)
    assert refused.status_code == 400 and "why the sent referral is withdrawn" in text(refused)
    assert Referral.objects.get(pk=sent.pk).status == "sent"

    assert browser.post(url, {"reason": "Asiakas muutti pois."}, **EN).status_code == 302
    assert Referral.objects.get(pk=sent.pk).status == "cancelled"


def test_the_receiver_cannot_withdraw(receiver, sent):
    assert (
        client_as(receiver).post(f"/referrals/{sent.public_id}/cancelled/", {"reason": "Ei käy."}).status_code
        == 403
    )
    assert Referral.objects.get(pk=sent.pk).status == "sent"


# --- The client's access report --------------------------------------------------------------------------


def test_the_access_report_words_each_step_of_a_referral_and_the_incoming_list(worker, case, receiver, sent):
    client_as(receiver).get("/referrals/incoming/")
    client_as(receiver).get(f"/referrals/{sent.public_id}/")

    page = text(client_as(worker).get(f"/clients/{case.client.public_id}/access-report/", **EN))

    for label in (
        "Drafted a referral",
        "Sent a referral",
        "Saw the client's referral among a unit's incoming referrals",
        "Viewed a referral the unit received",
    ):
        assert label in page, label
    assert "referral." not in page


def test_referral_buttons_say_what_they_do_not_the_status_they_lead_to(
    worker, receiver, sent, case, in_polku
):
    drafted_referral = draft(case, in_polku, worker)
    drafted = client_as(worker).get(f"/referrals/{drafted_referral.public_id}/", **EN)
    assert [str(label) for _, label in drafted.context["actions"]] == ["Send", "Discard the draft"]
    answering = client_as(receiver).get(f"/referrals/{sent.public_id}/", HTTP_ACCEPT_LANGUAGE="fi")
    assert [str(label) for _, label in answering.context["actions"]] == ["Hyväksy", "Hylkää"]
    assert "Hyväksy" in answering.content.decode()


def test_incoming_referrals_head_the_sender_column_with_who_sent(receiver, sent):
    page = client_as(receiver).get("/referrals/incoming/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert '<th scope="col">Lähettäjä</th>' in page
    assert ">Alkaen<" not in page
