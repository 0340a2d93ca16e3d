"""gunicorn.conf.py, which production and bench/http_load.py both start gunicorn with."""

import gc
import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def load(monkeypatch, **env: str) -> dict:
    for name in ("POLKU_WEB_WORKERS", "POLKU_WEB_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_the_sizes_come_from_the_environment_and_cap_connections_at_the_threads(monkeypatch):
    conf = load(monkeypatch, POLKU_WEB_WORKERS="5", POLKU_WEB_THREADS="6")
    assert (conf["workers"], conf["threads"], conf["worker_connections"]) == (5, 6, 6)
    assert conf["worker_class"] == "gthread"
    assert conf["keepalive"] == 0


def test_without_settings_a_process_per_core_and_one_more(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    conf = load(monkeypatch)
    assert (conf["workers"], conf["threads"]) == (3, 1)


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_started_worker_takes_what_it_has_loaded_out_of_garbage_collection(monkeypatch, unfrozen):
    assert gc.get_freeze_count() == 0
    load(monkeypatch)["post_worker_init"](object())
    assert gc.get_freeze_count() > 10_000
