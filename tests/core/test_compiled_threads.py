"""core.compiled under gunicorn's threads: a query compiled in one thread runs in another on that
thread's own database connection (Django refuses to share a connection between threads)."""

import threading
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet

from polku.accounts.models import Organisation
from polku.core.compiled import compiled
from tests.factories import make_organisation


@compiled
def _organisations_named(*, name: str) -> QuerySet[Organisation]:
    return Organisation.objects.filter(name=name).order_by("pk")


@pytest.mark.django_db(transaction=True)
def test_a_query_compiled_in_one_thread_runs_in_another() -> None:
    first = make_organisation(name="Säikeiden kunta")
    second = make_organisation(name="Toinen kunta")
    assert _organisations_named(name=first.name) == [first]  # compiled here, in the main thread

    results: dict[str, Any] = {}

    def other_thread() -> None:
        try:
            results["rows"] = _organisations_named(name=second.name)
        except Exception as error:  # the test reports whatever the thread raised
            results["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert "error" not in results, results.get("error")
    assert results["rows"] == [second]
