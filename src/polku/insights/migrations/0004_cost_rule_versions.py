"""The two rule versions of the municipal share of unemployment benefits (MEASURES.md); an administrator
corrects them in the admin. The 2025 rule's intermediate steps are marked to be checked against the law
(555/1998 as amended)."""

from datetime import date

from django.db import migrations

RULES = [
    (
        "Ennen 2025: työmarkkinatuki",
        date(2000, 1, 1),
        ["labour_market_subsidy"],
        [
            {"from_day": 301, "share": 0.5, "to_be_checked": False},
            {"from_day": 1001, "share": 0.7, "to_be_checked": False},
        ],
        "The state pays up to 300 paid days; then 50/50 up to 1,000 days; after that the municipality 70 %.",
    ),
    (
        "2025: työllisyyspalvelujen uudistus",
        date(2025, 1, 1),
        ["labour_market_subsidy", "basic_allowance", "earnings_related"],
        [
            {"from_day": 101, "share": 0.1, "to_be_checked": True},
            {"from_day": 201, "share": 0.2, "to_be_checked": True},
            {"from_day": 301, "share": 0.3, "to_be_checked": True},
            {"from_day": 401, "share": 0.4, "to_be_checked": True},
            {"from_day": 701, "share": 0.5, "to_be_checked": False},
        ],
        "To be checked against the law (555/1998 as amended): the intermediate steps are a common reading.",
    ),
]


def load(apps, schema_editor):
    CostRule = apps.get_model("insights", "CostRule")
    for name, effective_from, benefits, steps, note in RULES:
        CostRule.objects.get_or_create(
            effective_from=effective_from,
            defaults={"name": name, "benefits": benefits, "steps": steps, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("insights", "0003_cost_rules")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
