"""A plan action names a catalogue service: the form's select grouped by category (active services only),
what is stored, the copy into a new version, the version differences, the plan page and the PDF in the
client's language, the data export, and the refusals of a retired service."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from pypdf import PdfReader

from polku.clients.export import client_export
from polku.clients.models import Client
from polku.plans import services
from polku.plans.models import PlanAction
from tests.conftest import client_as
from tests.factories import make_service
from tests.plans.links.conftest import EN, agreed_plan, draft_with_goals, text


@pytest.fixture
def ips(db):
    return make_service(name="IPS-työhönvalmennus", name_en="IPS job coaching", category="job-coaching")


def test_the_action_form_offers_active_services_grouped_by_category_and_stores_the_choice(case, worker, ips):
    retired = make_service(name="Lopetettu palvelu", category="job-coaching", is_active=False)
    goal = draft_with_goals(case, goals=1).goals.get()
    browser = client_as(worker)

    form = text(browser.get(f"/plan-goals/{goal.public_id}/actions/new/", **EN))

    assert f'<optgroup label="{ips.category.name_en}">' in form
    assert "IPS job coaching" in form and "Lopetettu palvelu" not in form
    done = browser.post(
        f"/plan-goals/{goal.public_id}/actions/new/",
        {
            "what": "Työhönvalmennus alkaa",
            "responsible": "external",
            "service": str(ips.public_id),
            "status": "planned",
        },
        **EN,
    )
    assert done.status_code == 302
    action = PlanAction.objects.get(what="Työhönvalmennus alkaa")
    assert action.service == ips and action.service_name is None
    assert "service: IPS job coaching" in text(browser.get(f"/cases/{case.public_id}/plan/", **EN))
    bad = browser.post(
        f"/plan-goals/{goal.public_id}/actions/new/",
        {"what": "Vanha", "responsible": "worker", "service": str(retired.public_id), "status": "planned"},
        **EN,
    )
    assert bad.status_code == 400 and "Choose a service from the list." in text(bad)


def test_a_retired_service_is_refused_for_a_new_action_but_kept_on_an_old_one(case, worker, ips):
    goal = draft_with_goals(case, goals=1).goals.get()
    action = services.save_action(goal=goal, by=worker, what="Valmennus", responsible="worker", service=ips)
    ips.is_active = False
    ips.save(update_fields=["is_active"])

    with pytest.raises(ValidationError, match="no longer active"):
        services.save_action(goal=goal, by=worker, what="Uusi", responsible="worker", service=ips)
    kept = services.save_action(goal=goal, action=action, by=worker, status="done")

    assert kept.service == ips and kept.status == "done"
    # The edit form still shows it, so the action is not emptied by saving it.
    form = text(client_as(worker).get(f"/plan-actions/{action.public_id}/edit/", **EN))
    assert f'<option value="{ips.public_id}" selected>' in form


def test_a_catalogue_service_and_another_service_are_not_both_named(case, worker, ips):
    goal = draft_with_goals(case, goals=1).goals.get()

    with pytest.raises(ValidationError, match="not both"):
        services.save_action(
            goal=goal, by=worker, what="x", responsible="external", service=ips, service_name="Muu palvelu"
        )

    # A service not in the catalogue is still named as text.
    other = services.save_action(goal=goal, by=worker, what="y", responsible="external", service_name="Muu")
    assert other.service is None and other.service_name == "Muu"


def test_a_new_version_copies_the_service_and_the_changes_page_shows_a_change_of_service(case, worker, ips):
    plan = agreed_plan(case)
    first_goal = plan.versions.get().goals.order_by("position").first()
    draft = services.start_revision(plan=plan, by=worker)
    copied = PlanAction.objects.get(goal__version=draft, goal__key=first_goal.key)
    assert copied.service is None
    services.save_action(goal=copied.goal, action=copied, by=worker, service=ips)
    services.agree_version(version=draft, by=worker, agreed_on=draft.plan.case.opened_on, method="phone")
    third = services.start_revision(plan=plan, by=worker)
    assert PlanAction.objects.get(goal__version=third, key=copied.key).service == ips

    page = text(client_as(worker).get(f"/plan-versions/{draft.public_id}/changes/", **EN))

    assert "Action changed:" in page
    assert "Service in the catalogue" in page and "<ins>IPS job coaching</ins>" in page


def test_the_plan_pdf_names_the_service_in_the_clients_language(case, worker, ips):
    Client.objects.filter(pk=case.client.pk).update(languages=["en"])
    goal = draft_with_goals(case, goals=1).goals.get()
    services.save_action(goal=goal, by=worker, what="Valmennus", responsible="worker", service=ips)
    version = goal.version

    response = client_as(worker).get(f"/plan-versions/{version.public_id}/plan.pdf")  # Finnish UI

    content = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Valmennus (IPS job coaching)" in content


def test_the_clients_data_export_names_the_actions_service(case, worker, ips):
    goal = draft_with_goals(case, goals=1).goals.get()
    services.save_action(goal=goal, by=worker, what="Valmennus", responsible="worker", service=ips)

    with translation.override("en"):
        data = client_export(case.client, viewer=worker)

    actions = [a for record in data["service_plans"] for g in record.get("goals", []) for a in g["actions"]]
    assert {"Valmennus": "IPS job coaching"}.items() <= {a["what"]: a["service"] for a in actions}.items()


def test_the_action_form_is_refused_to_a_team_member_and_to_another_organisation(
    case, worker, team_colleague, outsider, ips
):
    goal = draft_with_goals(case, goals=1).goals.get()
    body = {"what": "x", "responsible": "worker", "service": str(ips.public_id), "status": "planned"}

    assert (
        client_as(team_colleague).post(f"/plan-goals/{goal.public_id}/actions/new/", body).status_code == 403
    )
    assert client_as(outsider).post(f"/plan-goals/{goal.public_id}/actions/new/", body).status_code == 404
    assert not PlanAction.objects.filter(service=ips).exists()
