"""The default screening rules. Editing one later in the admin makes a new version of it."""

from django.db import migrations

RULES = [
    # code, name, need kind, priority (1 urgent, 2 high, 3 normal), conditions
    (
        "phq9-item9",
        "PHQ-9: thoughts of self-harm (item 9 above 0)",
        "mental_health",
        1,
        {"match": "all", "conditions": [{"fact": "phq9.item.9", "op": "gt", "value": 0}]},
    ),
    (
        "phq9-10",
        "PHQ-9 score 10 or more (at least moderate depression symptoms)",
        "mental_health",
        2,
        {"match": "all", "conditions": [{"fact": "phq9.score", "op": "gte", "value": 10}]},
    ),
    (
        "gad7-10",
        "GAD-7 score 10 or more (at least moderate anxiety symptoms)",
        "mental_health",
        2,
        {"match": "all", "conditions": [{"fact": "gad7.score", "op": "gte", "value": 10}]},
    ),
    (
        "auditc-risk",
        "AUDIT-C at the risk level",
        "substance_use",
        2,
        {"match": "all", "conditions": [{"fact": "auditc.band", "op": "eq", "value": "risk"}]},
    ),
    (
        "was-poor",
        "Work Ability Score 5 or less: comprehensive work ability assessment",
        "work_ability_assessment",
        1,
        {"match": "all", "conditions": [{"fact": "was.score", "op": "lte", "value": 5}]},
    ),
    (
        "unemployed-12-age-50",
        "Unemployed 12 months or more and aged 50 or more",
        "work_ability_assessment",
        2,
        {
            "match": "all",
            "conditions": [
                {"fact": "unemployed_months", "op": "gte", "value": 12},
                {"fact": "age", "op": "gte", "value": 50},
            ],
        },
    ),
    (
        "unemployed-24",
        "Unemployed 24 months or more",
        "work_ability_assessment",
        2,
        {"match": "all", "conditions": [{"fact": "unemployed_months", "op": "gte", "value": 24}]},
    ),
    (
        "disability-health",
        "Disability or long-term illness known: physical health",
        "physical_health",
        3,
        {"match": "all", "conditions": [{"fact": "disability_or_illness", "op": "is_true"}]},
    ),
    (
        "disability-work-ability",
        "Disability or long-term illness and unemployed: work ability assessment",
        "work_ability_assessment",
        2,
        {
            "match": "all",
            "conditions": [
                {"fact": "disability_or_illness", "op": "is_true"},
                {"fact": "unemployed_months", "op": "gte", "value": 3},
            ],
        },
    ),
]


def add_rules(apps, schema_editor):
    ScreeningRule = apps.get_model("screening", "ScreeningRule")
    for code, name, kind, priority, conditions in RULES:
        if not ScreeningRule.objects.filter(code=code).exists():
            ScreeningRule.objects.create(
                code=code, name=name, need_kind=kind, priority=priority, conditions=conditions
            )


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_support_needs_and_rules")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
