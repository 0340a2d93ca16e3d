"""On PostgreSQL, the identity code hash (hex digits) is compared byte by byte: the unique (unit, hash)
index is maintained for every row of an import, and the database's default collation is several
times dearer for nothing here."""

from django.db import migrations


def c_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE intake_registryperson ALTER COLUMN identity_code_hash TYPE varchar(64) COLLATE "C"'
        )


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_registry_extracts_and_worklist")]
    operations = [migrations.RunPython(c_collation, migrations.RunPython.noop)]
