import uuid

from django.db import migrations, models

# The list pages that wrote the clients they showed into their event's details before this migration.
LIST_ACTIONS = ("caseload.view", "referral.incoming", "placement.hosted_list")


def index_earlier_list_views(apps, schema_editor):
    """Earlier list views are indexed too, so that the access reports show them from the start."""
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO audit_listedclient (event_id, client_id) "
                "SELECT id, jsonb_array_elements_text(details->'clients')::uuid FROM audit_auditevent "
                "WHERE action = ANY(%s) AND jsonb_typeof(details->'clients') = 'array'",
                [list(LIST_ACTIONS)],
            )
        return
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ListedClient = apps.get_model("audit", "ListedClient")
    rows = []
    for event_id, details in AuditEvent.objects.filter(action__in=LIST_ACTIONS).values_list("id", "details"):
        clients = details.get("clients") if isinstance(details, dict) else None
        if isinstance(clients, list):
            rows += [ListedClient(event_id=event_id, client_id=uuid.UUID(value)) for value in clients]
    ListedClient.objects.bulk_create(rows, batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_seals_off_the_request_path"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListedClient",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("event_id", models.BigIntegerField()),
                ("client_id", models.UUIDField()),
            ],
            options={
                "indexes": [models.Index(fields=["client_id", "event_id"], name="audit_listed_client")],
            },
        ),
        migrations.RunPython(index_earlier_list_views, migrations.RunPython.noop),
    ]
