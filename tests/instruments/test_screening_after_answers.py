"""Completing a questionnaire runs the screening rules: the needs they find appear on the client."""

from polku.screening.models import NeedKind, NeedStatus, SupportNeed
from tests.instruments.conftest import record


def needs_of(case) -> dict[str, SupportNeed]:
    return {need.kind: need for need in SupportNeed.objects.filter(client=case.client)}


def test_a_phq9_score_of_ten_flags_a_mental_health_need_with_its_evidence(case):
    record(case, "phq9", 10)

    need = needs_of(case)[NeedKind.MENTAL_HEALTH]
    assert need.status == NeedStatus.OPEN
    [evidence] = need.evidence.all()
    assert evidence.facts["phq9.score"] == 10
    assert "PHQ-9" in evidence.source


def test_a_phq9_score_of_nine_flags_nothing(case):
    record(case, "phq9", 9)
    assert NeedKind.MENTAL_HEALTH not in needs_of(case)


def test_a_work_ability_score_of_five_flags_a_work_ability_assessment(case):
    record(case, "was", 5)
    assert NeedKind.WORK_ABILITY_ASSESSMENT in needs_of(case)


def test_a_second_questionnaire_adds_evidence_to_the_open_need_instead_of_a_twin(case):
    record(case, "phq9", 12)
    record(case, "gad7", 15)

    needs = SupportNeed.objects.filter(client=case.client, kind=NeedKind.MENTAL_HEALTH)
    assert needs.count() == 1
    assert needs.get().evidence.count() == 2
