"""The timeline entries of safety alerts become records of the register of the response that raised
them (an alert tells what the answers were), owned by the response's organisation: until now they were
case administration, which every team member saw whatever the client had consented to."""

from django.db import migrations


def set_registers(apps, schema_editor):
    TimelineEntry = apps.get_model("clients", "TimelineEntry")
    SafetyAlert = apps.get_model("instruments", "SafetyAlert")
    entries = TimelineEntry.objects.filter(object_type="instruments.safetyalert", register="")
    alerts = {
        str(public_id): (register, organisation_id)
        for public_id, register, organisation_id in SafetyAlert.objects.filter(
            public_id__in=[entry.object_id for entry in entries]
        ).values_list("public_id", "response__register", "response__organisation_id")
    }
    for entry in entries:
        if entry.object_id in alerts:
            entry.register, entry.organisation_id = alerts[entry.object_id]
            entry.save(update_fields=["register", "organisation"])


class Migration(migrations.Migration):
    dependencies = [
        ("instruments", "0002_text_limits"),
        ("clients", "0004_text_limits"),
    ]

    operations = [migrations.RunPython(set_registers, migrations.RunPython.noop)]
