"""`manage.py seed_demo` with debug off: refused unless explicitly allowed (a benchmark server). Apart from
test_seed_demo.py, whose tests share one seeded demo: these start from an empty database."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from polku.accounts.models import User


def test_production_is_refused_so_no_published_password_reaches_a_real_server(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()


def test_production_runs_when_explicitly_allowed_for_a_benchmark_server(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", "--allow-production", stdout=StringIO())
    assert User.objects.filter(email="admin@polku.example").exists()
