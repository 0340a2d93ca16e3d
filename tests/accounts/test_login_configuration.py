"""What login security needs from a production configuration: a cache all web processes share (or the
start is refused), and session and CSRF cookies bound to the host."""

import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.core.test_settings import production_env, run_manage, unconfigured_env

REPO = Path(__file__).resolve().parents[2]
CONF = REPO / "gunicorn.conf.py"
NO_SHARED_CACHE = "POLKU_REDIS_URL"


def test_check_deploy_refuses_several_web_processes_without_redis():
    result = run_manage("check", "--deploy", **production_env(POLKU_REDIS_URL="", POLKU_WEB_WORKERS="3"))
    assert result.returncode != 0
    assert "polku.E001" in result.stderr
    assert "POLKU_WEB_WORKERS is 3" in result.stderr
    assert NO_SHARED_CACHE in result.stderr


def test_check_deploy_counts_the_default_web_processes_too():
    result = run_manage("check", "--deploy", **production_env(POLKU_REDIS_URL=""))
    assert result.returncode != 0  # a process per core and one more, as gunicorn.conf.py starts
    assert "polku.E001" in result.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"POLKU_REDIS_URL": "redis://127.0.0.1:6379/0", "POLKU_WEB_WORKERS": "3"},
        {"POLKU_REDIS_URL": "", "POLKU_WEB_WORKERS": "1"},
    ],
)
def test_check_deploy_accepts_redis_or_a_single_process(env):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env(**env))
    assert result.returncode == 0, result.stdout + result.stderr


def starting(monkeypatch, workers: int, **env: str) -> None:
    for name in ("POLKU_DEBUG", "POLKU_REDIS_URL", "POLKU_WEB_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runpy.run_path(str(CONF))["on_starting"](SimpleNamespace(cfg=SimpleNamespace(workers=workers)))


def test_gunicorn_refuses_several_processes_without_redis_in_production(monkeypatch):
    with pytest.raises(SystemExit) as refused:
        starting(monkeypatch, 3)
    assert NO_SHARED_CACHE in str(refused.value)
    assert "3 web processes" in str(refused.value)


@pytest.mark.parametrize(
    ("workers", "env"),
    [
        (3, {"POLKU_REDIS_URL": "redis://127.0.0.1:6379/0"}),
        (1, {}),
        (3, {"POLKU_DEBUG": "1"}),
    ],
)
def test_gunicorn_starts_with_redis_one_process_or_in_debug(monkeypatch, workers, env):
    starting(monkeypatch, workers, **env)


def test_a_real_gunicorn_start_without_redis_stops_with_the_reason():
    env = {**unconfigured_env(), "POLKU_DEBUG": "0", "POLKU_WEB_WORKERS": "2"}
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            str(CONF),
            "polku.wsgi",
            "--pythonpath",
            "src",
            "--bind",
            "127.0.0.1:0",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert NO_SHARED_CACHE in result.stderr


def cookie_settings(**env: str) -> list[str]:
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, **production_env(**env))
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_production_cookies_are_bound_to_the_host_with_the_host_prefix():
    assert cookie_settings() == ["__Host-sessionid", "__Host-csrftoken", "True", "True"]


def test_without_https_the_cookies_keep_their_plain_names():
    # Browsers drop a __Host- cookie that did not come over HTTPS.
    assert cookie_settings(POLKU_HTTPS="0")[:2] == ["sessionid", "csrftoken"]


def test_check_deploy_refuses_a_host_cookie_with_a_domain():
    code = (
        "from django.conf import settings as s; s.SESSION_COOKIE_DOMAIN = '.polku.example';"
        "from polku.accounts.checks import host_prefixed_cookies; print([e.id for e in host_prefixed_cookies()])"
    )
    result = run_manage("shell", "--no-imports", "-c", code, **production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["['polku.E002']"]


def test_a_logged_in_response_sets_the_host_cookies_secure_for_the_whole_host(settings, worker):
    from django.test import Client

    from tests.accounts.test_login import log_in

    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "__Host-sessionid", "__Host-csrftoken"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client()
    client.get("/accounts/login/")
    log_in(client, worker.user)
    for name in ("__Host-sessionid", "__Host-csrftoken"):
        cookie = client.cookies[name]
        assert cookie["secure"] is True
        assert cookie["path"] == "/"
        assert cookie["domain"] == ""
