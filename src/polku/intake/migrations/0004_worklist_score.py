"""The worklist's score (screening.evaluation.score), stored at import, filled in for people already
imported from their flags and the rule versions that flagged them."""

from django.db import migrations, models


def fill_scores(apps, schema_editor):
    from polku.screening import evaluation

    RegistryPerson = apps.get_model("intake", "RegistryPerson")
    ScreeningRule = apps.get_model("screening", "ScreeningRule")
    rules = {
        rule.pk: evaluation.RuleSpec(
            id=rule.pk,
            code=rule.code,
            version=rule.version,
            name=rule.name,
            need_kind=rule.need_kind,
            priority=rule.priority,
            conditions=rule.conditions,
        )
        for rule in ScreeningRule.objects.all()
    }
    batch = []
    for person in RegistryPerson.objects.filter(priority__isnull=False).only("id", "flags").iterator(2000):
        person.score = evaluation.score(
            (rules[flag["rule"]], flag["facts"]) for flag in person.flags if flag["rule"] in rules
        )
        batch.append(person)
        if len(batch) == 2000:
            RegistryPerson.objects.bulk_update(batch, ["score"])
            batch = []
    RegistryPerson.objects.bulk_update(batch, ["score"])


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_extract_stopped_at_line"),
        ("screening", "0002_default_rules"),
    ]

    operations = [
        migrations.AddField(
            model_name="registryperson",
            name="score",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(fill_scores, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="registryperson", name="registry_worklist"),
        migrations.AddIndex(
            model_name="registryperson",
            index=models.Index(
                condition=models.Q(("priority__isnull", False), ("state", "")),
                fields=["unit", "unemployed_since", "-score", "id"],
                name="registry_worklist_unemployment",
            ),
        ),
        migrations.AddIndex(
            model_name="registryperson",
            index=models.Index(
                condition=models.Q(("priority__isnull", False), ("state", "")),
                fields=["unit", "-score", "id"],
                name="registry_worklist_score",
            ),
        ),
    ]
