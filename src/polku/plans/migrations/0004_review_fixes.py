"""The addenda become register records of their author's organisation (review point 2); the progress
records of the actions of agreed plan versions."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

# The strictest register first: health care, then social welfare, then employment services.
STRICTNESS = ["health", "social", "employment"]
DOMAIN_REGISTER = {
    "somatic": "health",
    "psychological": "health",
    "social": "social",
    "vocational": "employment",
}


def fill(apps, schema_editor):
    Addendum = apps.get_model("plans", "AssessmentAddendum")
    Invitation = apps.get_model("plans", "AssessmentInvitation")
    for addendum in Addendum.objects.select_related(
        "author__unit__organisation", "assessment__case__unit__organisation"
    ):
        organisation = addendum.author.unit.organisation
        case_organisation = addendum.assessment.case.unit.organisation
        if organisation.pk == case_organisation.pk:
            register = "social" if case_organisation.kind == "wellbeing_county" else "employment"
        else:
            registers = {
                DOMAIN_REGISTER[domain]
                for domain in Invitation.objects.filter(
                    assessment_id=addendum.assessment_id, member_id=addendum.author_id
                ).values_list("domain", flat=True)
            } or {"health"}
            register = min(registers, key=STRICTNESS.index)
        Addendum.objects.filter(pk=addendum.pk).update(organisation=organisation, register=register)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("plans", "0003_links_placements"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessmentaddendum",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
            ),
        ),
        migrations.AddField(
            model_name="assessmentaddendum",
            name="register",
            field=models.CharField(
                choices=[
                    ("social", "Social welfare"),
                    ("health", "Health care"),
                    ("employment", "Employment services"),
                ],
                default="",
                max_length=16,
                verbose_name="register",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="assessmentaddendum",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation"
            ),
        ),
        migrations.CreateModel(
            name="ActionProgress",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("action_key", models.UUIDField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("planned", "Planned"),
                            ("in_progress", "In progress"),
                            ("done", "Done"),
                            ("cancelled", "Cancelled"),
                        ],
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                ("on", models.DateField(verbose_name="date")),
                ("note", models.TextField(blank=True, verbose_name="note")),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.membership",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="action_progress",
                        to="plans.serviceplan",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "id"],
                "indexes": [models.Index(fields=["plan", "action_key"], name="action_progress_plan_key")],
            },
        ),
    ]
