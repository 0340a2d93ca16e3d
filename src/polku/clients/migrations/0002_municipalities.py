import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "municipalities.csv"


def load(apps, schema_editor):
    Municipality = apps.get_model("clients", "Municipality")
    with DATA.open(encoding="utf-8") as source:
        rows = [line for line in source if not line.startswith("#")]
    Municipality.objects.bulk_create(
        [
            Municipality(code=row["code"], name_fi=row["name_fi"], name_sv=row["name_sv"])
            for row in csv.DictReader(rows)
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
