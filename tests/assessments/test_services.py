"""The assessment's writes: what each stores, the history and timeline rows for management and the
client's path, and the lock: a concluded assessment never changes, a correction is an addendum."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from polku.assessments import conclusion, services
from polku.assessments.choices import Domain
from polku.assessments.locking import AssessmentLocked
from polku.assessments.models import Assessment, AssessmentHistory, AssessmentMeeting, Finding, Recommendation
from polku.assessments.selectors import concluded_counts
from polku.clients.models import Register, TimelineEntry
from tests.clients.conftest import days_ago
from tests.instruments.conftest import record

from .conftest import conclude, finding, meeting


@pytest.fixture(autouse=True)
def _in_english():
    """The refusals below are matched by their English text; the default language is Finnish, so
    without this the tests depended on an earlier test leaving English active."""
    with translation.override("en"):
        yield


def test_starting_writes_a_dated_history_row_and_a_timeline_entry(assessment, case, worker):
    [row] = AssessmentHistory.objects.filter(assessment=assessment)
    assert (row.event, row.on, row.kind, row.unit, row.by) == (
        "started",
        days_ago(10),
        "comprehensive",
        case.unit,
        worker,
    )
    assert TimelineEntry.objects.filter(client=case.client, kind="assessment.started").count() == 1


def test_only_one_assessment_is_in_progress_in_a_case(assessment, case, worker):
    with pytest.raises(ValidationError, match="already has an assessment in progress"):
        services.start_assessment(case=case, by=worker, kind="focused")


def test_a_somatic_finding_is_a_health_care_record_of_the_authors_organisation(assessment, team_colleague):
    stored = finding(assessment, team_colleague, icf_codes=["b280", "d430"])

    assert (stored.register, stored.organisation, stored.author) == (
        Register.HEALTH,
        team_colleague.unit.organisation,
        team_colleague,
    )
    assert stored.icf_codes == ["b280", "d430"]
    entry = TimelineEntry.objects.get(kind="assessment.finding")
    assert entry.register == Register.HEALTH


def test_the_personal_workers_social_finding_is_a_social_welfare_record(assessment, worker):
    assert finding(assessment, worker, domain=Domain.SOCIAL, text="Asuu yksin.").register == Register.SOCIAL


def test_an_unknown_icf_code_is_refused_and_nothing_is_stored(assessment, team_colleague):
    with pytest.raises(ValidationError):
        finding(assessment, team_colleague, icf_codes=["b999"])
    assert not Finding.objects.exists()


def test_questionnaire_results_the_author_may_read_are_attached(assessment, case, worker, team_colleague):
    response = record(case, "phq9", 7, by=worker)

    stored = finding(assessment, team_colleague, responses=[response])

    assert list(stored.responses.all()) == [response]


def test_another_clients_questionnaire_cannot_be_attached(assessment, other_case, worker, team_colleague):
    response = record(other_case, "phq9", 7, by=worker)

    with pytest.raises(ValidationError, match="this client only"):
        finding(assessment, team_colleague, responses=[response])
    assert not Finding.objects.exists()


def test_concluding_needs_the_team_meeting(assessment, worker):
    with pytest.raises(ValidationError, match="team meeting"):
        conclude(assessment, worker)
    assert not Assessment.objects.get(pk=assessment.pk).is_concluded


def test_concluding_stores_the_conclusion_recommendations_in_order_and_a_history_row(
    assessment, case, worker
):
    meeting(assessment, worker)

    concluded = conclude(assessment, worker, recommendations=["Ensin tämä", "  ", "Sitten tuo"])

    assert concluded.conclusion == "supported_employment"
    assert concluded.concluded_on == timezone.localdate()
    assert [(r.order, r.text) for r in concluded.recommendations.all()] == [
        (1, "Ensin tämä"),
        (2, "Sitten tuo"),
    ]
    row = AssessmentHistory.objects.get(assessment=assessment, event="concluded")
    assert (row.kind, row.unit, row.conclusion) == ("comprehensive", case.unit, "supported_employment")
    entry = TimelineEntry.objects.get(kind="assessment.concluded")
    assert entry.params["conclusion"] == "supported_employment"


def test_management_counts_concluded_assessments_per_unit_and_period(assessment, case, worker):
    meeting(assessment, worker)
    conclude(assessment, worker)
    today = timezone.localdate()

    assert concluded_counts(start=today, end=today) == [
        {
            "unit_id": case.unit_id,
            "unit__name": case.unit.name,
            "kind": "comprehensive",
            "conclusion": "supported_employment",
            "count": 1,
        }
    ]
    assert concluded_counts(start=days_ago(30), end=days_ago(1)) == []


@pytest.fixture
def concluded(assessment, worker, team_colleague):
    finding(assessment, team_colleague)
    meeting(assessment, worker)
    return conclude(assessment, worker)


def test_a_concluded_assessment_refuses_every_further_write(concluded, worker, team_colleague, psychologist):
    with pytest.raises(AssessmentLocked):
        finding(concluded, team_colleague)
    with pytest.raises(AssessmentLocked):
        meeting(concluded, worker)
    with pytest.raises(AssessmentLocked):
        conclude(concluded, worker, conclusion="studies")
    with pytest.raises(AssessmentLocked):
        services.invite_to_assessment(
            assessment=concluded, member=team_colleague, domain="somatic", by=worker
        )
    assert Finding.objects.count() == 1
    assert AssessmentMeeting.objects.count() == 1
    assert Assessment.objects.get(pk=concluded.pk).conclusion == "supported_employment"


def test_the_concluded_rows_themselves_refuse_to_change(concluded):
    stored = Assessment.objects.get(pk=concluded.pk)
    stored.summary = "Muutettu jälkikäteen"
    with pytest.raises(AssessmentLocked):
        stored.save()
    with pytest.raises(AssessmentLocked):
        stored.delete()
    one = Finding.objects.get()
    one.text = "Muutettu"
    with pytest.raises(AssessmentLocked):
        one.save()
    with pytest.raises(AssessmentLocked):
        one.delete()
    talk = AssessmentMeeting.objects.get()
    talk.client_view = "Muutettu"
    with pytest.raises(AssessmentLocked):
        talk.save()
    recommendation = Recommendation.objects.order_by("order").first()
    recommendation.text = "Muutettu"
    with pytest.raises(AssessmentLocked):
        recommendation.save()
    with pytest.raises(AssessmentLocked):
        Recommendation.objects.create(assessment=stored, order=9, text="Uusi")
    assert Assessment.objects.get(pk=concluded.pk).summary == "Työkyky riittää kevyeen työhön tuettuna."
    assert Finding.objects.get().text == "Selkä kipeä pitkään seistessä."


def test_a_recommendation_may_still_be_linked_later_without_changing_its_text(concluded):
    recommendation = Recommendation.objects.order_by("order").first()

    recommendation.save(update_fields=["updated_at"])  # what linking it to a plan action will do

    assert Recommendation.objects.get(pk=recommendation.pk).text == "IPS-työhönvalmennus"


def test_a_correction_is_an_addendum_and_the_concluded_record_stays(concluded, team_colleague):
    addendum = conclusion.add_addendum(
        assessment=concluded, by=team_colleague, text="Korjaus: kipu vasemmalla."
    )

    assert (addendum.author, addendum.written_on) == (team_colleague, timezone.localdate())
    assert Assessment.objects.get(pk=concluded.pk).summary == "Työkyky riittää kevyeen työhön tuettuna."
    assert TimelineEntry.objects.filter(kind="assessment.addendum").count() == 1
    addendum.text = "Muutettu"
    with pytest.raises(ValidationError):
        addendum.save()


def test_an_addendum_is_for_a_concluded_assessment(assessment, worker):
    with pytest.raises(ValidationError, match="in progress"):
        conclusion.add_addendum(assessment=assessment, by=worker, text="Lisäys")


def test_a_meeting_needs_the_clients_own_view(assessment, worker):
    with pytest.raises(ValidationError) as error:
        meeting(assessment, worker, client_view="  ")
    assert "client_view" in error.value.error_dict
    assert not AssessmentMeeting.objects.exists()


def test_inviting_for_a_domain_outside_the_members_profession_is_refused(assessment, worker, team_colleague):
    with pytest.raises(ValidationError, match="does not assess"):
        services.invite_to_assessment(
            assessment=assessment, member=team_colleague, domain=Domain.PSYCHOLOGICAL, by=worker
        )


def test_only_team_members_are_invited(assessment, worker, psychologist):
    with pytest.raises(ValidationError, match="team"):
        services.invite_to_assessment(
            assessment=assessment, member=psychologist, domain=Domain.PSYCHOLOGICAL, by=worker
        )
