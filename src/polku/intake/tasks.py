"""Background tasks (django-tasks): the immediate backend runs them at once when embedded and in tests;
in production the database backend queues them for `manage.py db_worker`."""

from django_tasks import task

from polku.intake import services


@task()
def import_extract(extract_id: int) -> None:
    services.run_stored_import(extract_id)
