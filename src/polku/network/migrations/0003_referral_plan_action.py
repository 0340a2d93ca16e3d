"""A referral names the plan action it was made from; the referral entries already on clients' timelines
become records of the referral's register and organisation, as new ones are (so that another organisation
on the case team sees them only under the client's consent)."""

import django.db.models.deletion
from django.db import migrations, models


def registers_on_timeline(apps, schema_editor):
    Referral = apps.get_model("services", "Referral")
    TimelineEntry = apps.get_model("clients", "TimelineEntry")
    referrals = {
        str(public_id): (register, organisation_id)
        for public_id, register, organisation_id in Referral.objects.values_list(
            "public_id", "register", "organisation_id"
        )
    }
    entries = list(
        TimelineEntry.objects.filter(
            kind__startswith="referral.", object_type="services.referral", register=""
        )
    )
    for entry in entries:
        found = referrals.get(entry.object_id)
        if found:
            entry.register, entry.organisation_id = found
    TimelineEntry.objects.bulk_update(entries, ["register", "organisation"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0002_municipalities"),
        # The first plans migration is enough: PlanAction exists there (plans 0002 is renumbered at merges).
        ("plans", "0001_initial"),
        ("services", "0002_taxonomy"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="plan_action",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="referrals",
                to="plans.planaction",
                verbose_name="action of the service plan",
            ),
        ),
        migrations.RunPython(registers_on_timeline, migrations.RunPython.noop),
    ]
