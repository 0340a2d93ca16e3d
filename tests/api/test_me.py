"""GET /api/v1/me/: the caller and their active membership; the API is closed to everyone else."""

from datetime import date

from django.test import Client

from polku.accounts.models import Role
from polku.audit.models import AuditEvent
from tests.conftest import client_as
from tests.factories import make_membership, make_unit

ME = "/api/v1/me/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_an_anonymous_caller_is_refused(db):
    response = Client().get(ME, **EN)
    assert response.status_code == 403
    assert "email" not in response.json()


def test_the_worker_gets_their_email_and_active_membership(worker):
    response = client_as(worker).get(ME, **EN)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(worker.user.public_id)
    assert body["email"] == worker.user.email
    assert body["name"] == worker.user.get_full_name()
    assert body["membership"] == {
        "id": str(worker.public_id),
        "role": "personal_worker",
        "role_display": "Personal worker",
        "unit": "PALO-tiimi",
        "unit_sv": "",
        "unit_display": "PALO-tiimi",
        "organisation": "Oulun kaupunki (testi)",
        "organisation_sv": "",
        "organisation_display": "Oulun kaupunki (testi)",
        "organisation_business_id": worker.unit.organisation.business_id,
    }


def test_names_are_given_in_finnish_and_swedish_and_in_the_requests_language(outsider):
    espoo, unit = outsider.unit.organisation, outsider.unit
    espoo.name_sv, unit.name_sv = "Esbo stad", "Arbetsförmågeteamet"
    espoo.save(update_fields=["name_sv"])
    unit.save(update_fields=["name_sv"])

    swedish = client_as(outsider).get(ME, HTTP_ACCEPT_LANGUAGE="sv").json()["membership"]
    finnish = client_as(outsider).get(ME, HTTP_ACCEPT_LANGUAGE="fi").json()["membership"]

    for body in (swedish, finnish):
        assert (body["organisation"], body["organisation_sv"]) == ("Espoon kaupunki (testi)", "Esbo stad")
        assert (body["unit"], body["unit_sv"]) == (unit.name, "Arbetsförmågeteamet")
    assert (swedish["organisation_display"], swedish["unit_display"]) == ("Esbo stad", "Arbetsförmågeteamet")
    assert (finnish["organisation_display"], finnish["unit_display"]) == (
        "Espoon kaupunki (testi)",
        unit.name,
    )


def test_the_schema_describes_the_name_fields():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    fields = schema["components"]["schemas"]["Membership"]["properties"]
    assert "Swedish" in fields["organisation_sv"]["description"]
    assert "request's language" in fields["organisation_display"]["description"]


def test_the_answer_shows_no_internal_database_ids(worker):
    body = client_as(worker).get(ME).json()
    assert body["id"] != str(worker.user.pk)
    assert "pk" not in body
    assert "password" not in body


def test_the_answer_follows_the_membership_chosen_for_the_session(worker, espoo):
    coach = make_membership(
        user=worker.user, unit=make_unit(organisation=espoo, name="IPS"), role=Role.JOB_COACH
    )
    body = client_as(coach).get(ME).json()
    assert body["membership"]["role"] == "job_coach"
    assert body["membership"]["organisation"] == "Espoon kaupunki (testi)"


def test_a_work_trial_host_is_refused_and_the_refusal_is_audited(oulu):
    host = make_membership(
        unit=make_unit(organisation=oulu, name="Työkokeilupaikka"), role=Role.WORK_TRIAL_HOST
    )
    response = client_as(host).get(ME, **EN)
    assert response.status_code == 403
    assert "email" not in response.json()
    event = AuditEvent.objects.get(action="permission.refused")
    assert event.details == {"action": "api.use"}
    assert event.actor == host.user
    assert event.membership == host
    assert event.role == Role.WORK_TRIAL_HOST


def test_a_user_with_two_memberships_but_none_chosen_is_refused(worker, espoo):
    make_membership(user=worker.user, unit=make_unit(organisation=espoo), role=Role.JOB_COACH)
    client = Client()
    client.force_login(worker.user)
    response = client.get(ME, **EN)
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="permission.refused")
    assert event.actor == worker.user
    assert event.membership is None


def test_a_user_whose_membership_ended_is_refused(db):
    ended = make_membership(valid_from=date(2023, 1, 1), valid_until=date(2023, 12, 31))
    response = client_as(ended).get(ME, **EN)
    assert response.status_code == 403


def test_the_api_accepts_only_get_on_me(worker):
    assert client_as(worker).post(ME, {}).status_code == 405


def test_the_api_schema_answers_for_a_worker(worker):
    response = client_as(worker).get("/api/schema/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "openapi" in content
    assert "/api/v1/me/" in content
    assert "Polku API" in content


def test_the_api_schema_is_closed_to_anonymous_callers(db):
    """Every endpoint under /api/ is refused unless `api.use` is allowed (src/polku/api/README.md)."""
    response = Client().get("/api/schema/")
    assert response.status_code == 403
    assert "/api/v1/me/" not in response.content.decode()
