"""The register of referrals follows the service's category: health services are health care records,
social services social welfare records, the rest employment services records (services/taxonomy.py)."""

from django.db import migrations, models


def set_registers(apps, schema_editor):
    from polku.network.taxonomy import register_of

    TaxonomyTerm = apps.get_model("services", "TaxonomyTerm")
    for term in TaxonomyTerm.objects.all():
        term.register = register_of(term.code)
        term.save(update_fields=["register"])


class Migration(migrations.Migration):
    dependencies = [("services", "0003_referral_plan_action")]

    operations = [
        migrations.AddField(
            model_name="taxonomyterm",
            name="register",
            field=models.CharField(
                choices=[
                    ("social", "Social welfare"),
                    ("health", "Health care"),
                    ("employment", "Employment services"),
                ],
                default="employment",
                help_text=(
                    "A referral to a service of this category is a record of this register (health care for "
                    "health services, social welfare for social services), disclosed only under a consent "
                    "for it."
                ),
                max_length=16,
                verbose_name="register of referrals",
            ),
        ),
        migrations.RunPython(set_registers, migrations.RunPython.noop),
    ]
