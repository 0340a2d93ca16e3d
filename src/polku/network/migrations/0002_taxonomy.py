"""The service kinds named in the programme texts (services/taxonomy.py). Administrators keep the list
in the admin afterwards."""

from django.db import migrations

from polku.network.taxonomy import TERMS, term_id


def load(apps, schema_editor):
    TaxonomyTerm = apps.get_model("services", "TaxonomyTerm")
    for position, (code, fi, sv, en, description) in enumerate(TERMS, start=1):
        TaxonomyTerm.objects.get_or_create(
            code=code,
            defaults={
                "public_id": term_id(code),
                "name_fi": fi,
                "name_sv": sv,
                "name_en": en,
                "description": description,
                "position": position * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("services", "0001_catalogue_and_referrals")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
