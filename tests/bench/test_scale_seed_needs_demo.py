"""`python -m bench.scale_seed` refuses an empty database. Apart from test_scale_seed.py, whose tests share one
seeded demo: this one starts from an empty database."""

from io import StringIO

import pytest

from bench.scale_seed.seeder import MissingDemo, seed
from polku.clients.models import Client


def test_without_the_demo_nothing_is_seeded(db):
    with pytest.raises(MissingDemo, match="seed_demo"):
        seed(scale=10, stdout=StringIO())
    assert not Client.objects.exists()
