"""The client's data export includes their service plans: every version with its goals and actions,
and the reviews, for the personal worker; not for another organisation without consent."""

from polku.clients.export import ExportSection
from polku.core import plugins
from polku.plans import services
from tests.plans.plan.conftest import agreed_plan, days_ago


def section(client, viewer):
    from polku.plans.selectors.plan import plan_for_export

    return plan_for_export(client, viewer)


def test_the_export_holds_versions_goals_and_reviews(case, worker):
    plan = agreed_plan(case)
    goals = list(plan.versions.get().goals.all())
    services.record_review(
        plan=plan, by=worker, held_on=days_ago(1), levels={g.pk: 0 for g in goals}, decision="continue"
    )

    records = section(case.client, worker)

    assert records[0]["goals"][0]["goal"] == "Haluan päästä työkokeiluun keittiöön"
    assert records[0]["goals"][0]["levels"]["0"] == "Olen aloittanut työkokeilun"
    assert records[1]["t_score"] == 50
    assert plugins.contributor(ExportSection, "service_plans") == "plans"


def test_another_organisation_gets_nothing(case, outsider):
    agreed_plan(case)

    assert section(case.client, outsider) == []
