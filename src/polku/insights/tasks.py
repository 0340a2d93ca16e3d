"""Background tasks (django-tasks): keep the facts current (`manage.py refresh_insights` does the same)."""

from django_tasks import task

from polku.insights import services


@task()
def refresh_changed() -> int:
    return services.refresh_changed()
