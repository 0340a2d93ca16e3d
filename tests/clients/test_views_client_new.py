"""Registering a client (/clients/new/): a valid identity code makes one client and their first case; a
code Polku already holds opens a case for a client of the worker's own organisation, and otherwise leads
on to the client or to break-the-glass, never a dead end; bad input says what is wrong and creates
nothing."""

from datetime import date, timedelta

import pytest

from polku.audit.models import AuditEvent
from polku.clients import identity
from polku.clients.models import Case, Client
from tests.clients.conftest import EN, days_ago, events, open_case_for, stored_state, text, today
from tests.conftest import client_as
from tests.factories import make_membership, make_unit, synthetic_identity_code


def form_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "identity_code": "131052-308T",
        "first_names": "Maija",
        "last_name": "Meikäläinen",
        "municipality": "564",
        "source": "referral",
        "opened_on": today().isoformat(),
        "phone": "040 111 2222",
    }
    data.update(changes)
    return data


def test_the_form_is_shown_to_a_personal_worker(worker):
    response = client_as(worker).get("/clients/new/", **EN)

    assert response.status_code == 200
    assert "New client" in text(response)
    assert "Personal identity code" in text(response)


def test_a_new_client_is_registered_with_their_first_case(worker):
    response = client_as(worker).post("/clients/new/", form_data(), follow=True, **EN)

    client = Client.objects.get()
    assert response.redirect_chain == [(f"/clients/{client.public_id}/", 302)]
    assert "Client registered and case opened." in text(response)
    assert (client.first_names, client.last_name, client.phone) == ("Maija", "Meikäläinen", "040 111 2222")
    assert (client.birth_date, client.sex) == (date(1952, 10, 13), "female")
    assert client.identity_code_masked == "131052-****"
    assert "131052-308T" not in client.identity_code_encrypted
    assert identity.decrypt(client.identity_code_encrypted) == "131052-308T"
    case = Case.objects.get()
    assert (case.client, case.personal_worker, case.unit, case.source) == (
        client,
        worker,
        worker.unit,
        "referral",
    )
    assert events("client.create", client)[0].membership == worker
    assert "131052-308T" not in str(list(AuditEvent.objects.values_list("details", "reason", "object_id")))


def test_a_code_typed_in_lower_case_with_spaces_is_stored_normalised(worker):
    client_as(worker).post("/clients/new/", form_data(identity_code=" 131052-308t "))

    client = Client.objects.get()
    assert identity.decrypt(client.identity_code_encrypted) == "131052-308T"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("131052308T", "An identity code has 11 characters"),
        ("131052Q308T", "“Q” is not a century sign."),
        ("310252-308T", "The identity code begins with 310252, which is not a date"),
        ("010150F0023", "The birth date in the identity code is in the future: check the century sign."),
        ("131052-900T", "This is a temporary identity code (individual number 900–999)"),
        ("131052-001T", "The individual number of an identity code is between 002 and 899."),
        ("131052-308A", "The check character does not match the rest of the identity code"),
    ],
)
def test_an_invalid_identity_code_says_what_is_wrong_and_creates_nothing(worker, code, message):
    before = stored_state()

    response = client_as(worker).post("/clients/new/", form_data(identity_code=code), **EN)

    assert message in text(response)
    assert stored_state() == before
    assert not events("client.create")


def test_the_2023_century_signs_are_accepted(worker):
    client_as(worker).post("/clients/new/", form_data(identity_code=synthetic_identity_code(sign="Y")))

    assert Client.objects.count() == 1


def test_a_missing_field_keeps_what_was_typed(worker):
    response = client_as(worker).post("/clients/new/", form_data(last_name="", source=""), **EN)

    page = text(response)
    assert "Last name: This field is required." in page
    assert 'value="131052-308T"' in page
    assert 'value="Maija"' in page
    assert 'value="040 111 2222"' in page
    assert Client.objects.count() == 0


def test_an_interpreter_without_a_language_is_refused(worker):
    response = client_as(worker).post("/clients/new/", form_data(needs_interpreter="on"), **EN)

    assert "Name the language the interpreter is needed for." in text(response)
    assert Client.objects.count() == 0


def test_a_case_cannot_be_opened_in_the_future(worker):
    response = client_as(worker).post(
        "/clients/new/", form_data(opened_on=date(today().year + 1, 1, 1).isoformat()), **EN
    )

    assert "A case cannot be opened in the future." in text(response)
    assert Client.objects.count() == 0


def test_a_case_cannot_be_opened_before_the_client_was_born(worker):
    data = form_data()
    born = identity.parse(data["identity_code"]).birth_date

    response = client_as(worker).post(
        "/clients/new/", {**data, "opened_on": (born - timedelta(days=1)).isoformat()}, **EN
    )

    assert response.status_code == 400
    assert "A case cannot be opened before the client was born." in text(response)
    assert Client.objects.count() == 0
    # The birth day itself is the earliest a case can open.
    response = client_as(worker).post("/clients/new/", {**data, "opened_on": born.isoformat()}, **EN)
    assert response.status_code == 302
    assert Client.objects.get().cases.get().opened_on == born


def test_an_invalid_new_client_form_answers_400_like_the_other_forms(worker):
    response = client_as(worker).post("/clients/new/", form_data(identity_code="131052-308A"))

    assert response.status_code == 400


# --- A person Polku already holds ----------------------------------------------------------------------


def test_a_known_identity_code_opens_a_case_for_the_existing_client_and_warns(worker, oulu):
    existing = open_case_for(
        worker, identity_code="131052-308T", first_names="Maija", last_name="Alkuperäinen"
    )
    other_unit_worker = make_membership(unit=make_unit(organisation=oulu, name="Nuorten tiimi"))

    response = client_as(other_unit_worker).post(
        "/clients/new/", form_data(last_name="Kirjoitettu", phone="050 999 8888"), follow=True, **EN
    )

    assert response.redirect_chain == [(f"/clients/{existing.client.public_id}/", 302)]
    assert "This person is already a client in Polku." in text(response)
    assert Client.objects.count() == 1
    client = Client.objects.get()
    assert (client.last_name, client.phone) == ("Alkuperäinen", "")  # typed details not written over theirs
    new_case = Case.objects.get(unit=other_unit_worker.unit)
    assert (new_case.client, new_case.personal_worker) == (client, other_unit_worker)
    assert events("client.matched_existing", client)[0].membership == other_unit_worker


def test_a_client_the_unit_already_has_leads_on_to_break_the_glass_and_names_whom_to_ask(worker, unit_worker):
    existing = open_case_for(worker, identity_code="131052-308T")
    before = stored_state()

    response = client_as(unit_worker).post("/clients/new/", form_data(), follow=True, **EN)

    assert response.redirect_chain == [(f"/clients/{existing.client.public_id}/break-the-glass/", 302)]
    page = text(response)
    assert "This person is a client in Polku but not on your caseload or teams." in page
    assert f"{worker.user} is their personal worker in your unit: ask them to add you" in page
    assert "Open a client outside your teams" in page
    assert stored_state() == before
    assert events("client.create.found_existing", existing.client)[0].details == {"visible": False}


def test_the_clients_own_personal_worker_is_taken_to_the_client_not_to_a_dead_end(worker):
    existing = open_case_for(worker, identity_code="131052-308T", first_names="Maija")
    before = stored_state()

    response = client_as(worker).post("/clients/new/", form_data(), follow=True, **EN)

    assert response.redirect_chain == [(f"/clients/{existing.client.public_id}/", 302)]
    assert "This person is already a client in Polku, and you can see their details" in text(response)
    assert stored_state() == before


def test_another_organisations_worker_is_offered_break_the_glass_and_no_case_is_opened(worker, outsider):
    existing = open_case_for(worker, identity_code="131052-308T")
    before = stored_state()

    response = client_as(outsider).post("/clients/new/", form_data(), follow=True, **EN)

    assert response.redirect_chain == [(f"/clients/{existing.client.public_id}/break-the-glass/", 302)]
    assert "This person is a client in Polku but not on your caseload or teams." in text(response)
    assert stored_state() == before
    assert not Case.objects.filter(unit=outsider.unit).exists()


# --- Refusals ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["colleague", "manager", "job_coach", "administrator"])
def test_only_a_personal_worker_may_register_a_client(db, request, persona):
    membership = request.getfixturevalue(persona)

    shown = client_as(membership).get("/clients/new/")
    posted = client_as(membership).post("/clients/new/", form_data())

    assert (shown.status_code, posted.status_code) == (403, 403)
    assert Client.objects.count() == 0
    assert [e.details["action"] for e in events("permission.refused")] == ["client.create", "client.create"]


def test_the_new_client_link_is_only_on_a_personal_workers_caseload(worker, colleague):
    assert "/clients/new/" in client_as(worker).get("/caseload/").content.decode()
    assert "/clients/new/" not in client_as(colleague).get("/caseload/").content.decode()


def test_the_case_for_an_existing_client_opens_on_the_date_typed(worker, oulu):
    other = make_membership(unit=make_unit(organisation=oulu))
    open_case_for(worker, identity_code="131052-308T")

    client_as(other).post("/clients/new/", form_data(opened_on=days_ago(3).isoformat()))

    assert Case.objects.get(unit=other.unit).opened_on == days_ago(3)
