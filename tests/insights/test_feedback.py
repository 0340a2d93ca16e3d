"""The clients' feedback on the service as an indicator: answers given in the client's own Polku (the
portal's service) reach `FeedbackFact` at the refresh, are counted per occasion against hand-computed
figures, small numbers protected, and shown only for an organisation and all of Polku."""

from django.utils import timezone

from polku.insights import indicators, periods, scopes, services
from polku.insights.models import FeedbackFact
from polku.portal import services as portal
from tests.conftest import client_as
from tests.factories import make_case, make_membership, make_unit

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def answer(case, occasion, n, heard, knew, useful):
    portal.give_service_feedback(
        client=case.client,
        waiting={"case": case, "occasion": occasion, "key": f"{occasion}-{n}"},
        heard=heard,
        knew_responsible=knew,
        useful=useful,
    )


def this_year():
    return periods.year(timezone.localdate().year)


def give(worker, espoo):
    case = make_case(by=worker)
    heard = [5, 4, 4, 3, 5, 2, 4, 5, 3, 5]  # mean 4.0
    for n in range(10):
        answer(case, "plan_agreed", n, heard[n], knew=n < 5, useful=4 if n < 5 else 3)  # useful 3.5
    for n in range(6):
        answer(case, "review", n, 5, knew=True, useful=5)
    for n in range(2):
        answer(case, "case_closed", n, 1, knew=False, useful=1)
    theirs = make_membership(unit=make_unit(organisation=espoo), role="personal_worker")
    their_case = make_case(by=theirs)
    for n in range(3):
        answer(their_case, "case_closed", n, 2, knew=False, useful=2)
    return case


def test_answers_are_copied_past_the_watermark_and_again_on_a_rebuild(worker, espoo):
    give(worker, espoo)
    assert services.refresh_feedback() == 21
    assert services.refresh_feedback() == 0
    assert services.refresh_feedback(again=True) == 21
    assert FeedbackFact.objects.count() == 21
    stored = {field.name for field in FeedbackFact._meta.get_fields()}
    assert not stored & {"client", "case", "worker", "author", "unit"}


def test_the_organisations_feedback_against_hand_computed_figures(worker, manager, espoo):
    give(worker, espoo)
    services.refresh_changed()
    found = indicators.feedback(scopes.chosen(manager, "organisation"), this_year())
    assert found.measured
    rows = {row.key: row for row in found.rows}
    plan = rows["plan_agreed"]
    assert (plan.answers.text, plan.heard, plan.useful, plan.knew_share) == ("10", 4.0, 3.5, 0.5)
    # Two answers at the end of the service: hidden, and the review's six with them (else 18 - 10 - 6).
    assert rows["case_closed"].answers.text == "< 5" and rows["case_closed"].heard is None
    assert rows["review"].answers.text == "×" and rows["review"].useful is None
    assert rows["review"].knew_share is None
    total = found.total
    assert total.answers.text == "18"
    assert total.heard == (40 + 30 + 2) / 18
    # 11 knew, 7 did not: both shown, so the share is.
    assert total.knew.text == "11" and total.knew_share == 11 / 18
    # All of Polku: Espoo's three answers at the end of the service too (5 together: shown).
    everyone = indicators.feedback(scopes.chosen(manager, "all"), this_year())
    assert {row.key: row.answers.text for row in everyone.rows}["case_closed"] == "5"
    assert everyone.total.answers.value == 21


def test_a_period_without_answers_shows_zeros_and_no_means(worker, manager, espoo):
    give(worker, espoo)
    services.refresh_changed()
    found = indicators.feedback(scopes.chosen(manager, "organisation"), periods.year(2020))
    assert [row.answers.text for row in found.rows] == ["0", "0", "0"]
    assert found.total.heard is None and found.total.knew_share is None


def test_no_feedback_figure_below_the_organisation_nor_for_a_workers_caseload(worker, manager, espoo):
    case = give(worker, espoo)
    services.refresh_changed()
    unit_scope = next(s for s in scopes.available(manager) if s.key.startswith("unit:"))
    assert not indicators.feedback(unit_scope, this_year()).measured
    municipality = next(s for s in scopes.available(manager) if s.key.startswith("municipality:"))
    assert not indicators.feedback(municipality, this_year()).measured
    mine = client_as(worker).get("/insights/", {"period": "year", "year": this_year().start.year}, **EN)
    assert mine.status_code == 200
    assert not mine.context["figures"]["feedback"].measured
    assert 'data-testid="feedback-not-here"' in mine.content.decode()
    assert case.personal_worker is not None


def test_the_page_and_the_api_show_the_feedback_protected(worker, manager, espoo):
    give(worker, espoo)
    services.refresh_changed()
    year = {"period": "year", "year": this_year().start.year}
    page = client_as(manager).get("/insights/", year, **EN).content.decode()
    assert 'data-testid="feedback"' in page and "/insights/definitions/feedback/" in page
    assert worker.user.last_name not in page.split('id="feedback"')[1]
    body = client_as(manager).get("/api/v1/insights/feedback/", year, **EN).json()
    assert body["rows"][0][:5] == ["After agreeing the plan", "10", 4.0, 50.0, 3.5]
    assert [row[1] for row in body["rows"]] == ["10", "×", "< 5", "18"]
    # The worker's own caseload: the table says where it is shown instead of any number.
    mine = client_as(worker).get("/api/v1/insights/feedback/", year, **EN).json()
    assert mine["rows"] == [["Shown for an organisation and for all of Polku only.", "", "", "", ""]]


def test_the_definition_page_is_there_in_every_language(manager):
    for language, words in (("fi", "Asiakkaiden palaute"), ("sv", "Klienternas respons"), ("en", "feedback")):
        response = client_as(manager).get("/insights/definitions/feedback/", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        assert words in response.content.decode()
