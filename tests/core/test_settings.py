"""Settings refuse to boot half-configured and pass Django's deployment checks in production."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

REPO = Path(__file__).resolve().parents[2]
IDENTITY_KEY = Fernet.generate_key().decode()


def unconfigured_env() -> dict[str, str]:
    """The environment without Polku's settings or the test run's own variables."""
    test_only = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {k: v for k, v in os.environ.items() if not k.startswith("POLKU_") and k not in test_only}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = unconfigured_env()
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=clean, capture_output=True, text=True, timeout=120
    )


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        "POLKU_DEBUG": "0",
        "POLKU_SECRET_KEY": secrets.token_urlsafe(50),
        "POLKU_ALLOWED_HOSTS": "polku.example",
        "POLKU_IDENTITY_CODE_KEYS": IDENTITY_KEY,
        "POLKU_IDENTITY_LOOKUP_KEY": secrets.token_urlsafe(40),
        "POLKU_REDIS_URL": "redis://127.0.0.1:6379/0",
        "POLKU_AUDIT_ANCHOR_KEY": secrets.token_urlsafe(40),
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v}


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_outside_debug_stops_the_start():
    result = run_manage("check", **production_env(POLKU_SECRET_KEY=""))
    assert result.returncode != 0
    assert "POLKU_SECRET_KEY must be set" in result.stderr


def test_missing_allowed_hosts_outside_debug_stops_the_start():
    result = run_manage("check", **production_env(POLKU_ALLOWED_HOSTS=""))
    assert result.returncode != 0
    assert "POLKU_ALLOWED_HOSTS must be set" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_garbled_boolean_is_an_error_not_a_guess(value):
    result = run_manage("check", **production_env(POLKU_REQUIRE_MFA=value))
    assert result.returncode != 0
    assert "POLKU_REQUIRE_MFA must be" in result.stderr


def test_production_turns_on_https_cookies_and_hsts():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
        " s.SESSION_COOKIE_AGE, s.REQUIRE_MFA)"
    )
    result = run_manage(
        "shell", "--no-imports", "-c", code, **production_env(POLKU_SESSION_IDLE_MINUTES="15")
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "31536000", "900", "True"]


def test_make_run_defaults_are_debug_without_required_mfa_and_need_no_secrets():
    code = "from django.conf import settings as s; print(s.DEBUG, s.REQUIRE_MFA)"
    result = run_manage("shell", "--no-imports", "-c", code, POLKU_DEBUG="1", POLKU_REQUIRE_MFA="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]


def test_manage_py_in_an_unconfigured_checkout_runs_in_development_mode():
    code = "from django.conf import settings as s; print(s.DEBUG)"
    result = run_manage("shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"]


def test_manage_py_with_a_secret_key_but_no_debug_flag_runs_in_production_mode():
    code = "from django.conf import settings as s; print(s.DEBUG)"
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        POLKU_SECRET_KEY=secrets.token_urlsafe(50),
        POLKU_ALLOWED_HOSTS="polku.example",
        POLKU_IDENTITY_CODE_KEYS=IDENTITY_KEY,
        POLKU_IDENTITY_LOOKUP_KEY=secrets.token_urlsafe(40),
        POLKU_AUDIT_ANCHOR_KEY=secrets.token_urlsafe(40),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False"]


def test_the_web_server_entry_point_never_defaults_to_debug():
    env = unconfigured_env()
    result = subprocess.run(
        [sys.executable, "-c", "import polku.wsgi"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "POLKU_SECRET_KEY must be set" in result.stderr


def test_missing_identity_code_keys_outside_debug_stops_the_start():
    result = run_manage("check", **production_env(POLKU_IDENTITY_CODE_KEYS=""))
    assert result.returncode != 0
    assert "POLKU_IDENTITY_CODE_KEYS and POLKU_IDENTITY_LOOKUP_KEY must be set" in result.stderr


def test_a_malformed_identity_code_key_stops_the_start_with_a_way_to_make_one():
    result = run_manage("check", **production_env(POLKU_IDENTITY_CODE_KEYS="not-a-key"))
    assert result.returncode != 0
    assert "must be a Fernet key" in result.stderr
    assert "Fernet.generate_key()" in result.stderr


def test_a_missing_audit_anchor_key_outside_debug_stops_the_start():
    result = run_manage("check", **production_env(POLKU_AUDIT_ANCHOR_KEY=""))
    assert result.returncode != 0
    assert "POLKU_AUDIT_ANCHOR_KEY must be set when POLKU_DEBUG is off" in result.stderr


def test_a_short_audit_anchor_key_stops_the_start():
    result = run_manage("check", **production_env(POLKU_AUDIT_ANCHOR_KEY="too-short"))
    assert result.returncode != 0
    assert "POLKU_AUDIT_ANCHOR_KEY must be at least 32 characters long" in result.stderr


def test_the_service_network_days_come_from_the_environment():
    script = (
        "from django.conf import settings;"
        "print(settings.POLKU_REFERRAL_ANSWER_DAYS, settings.POLKU_REFERRAL_START_DAYS,"
        " settings.POLKU_PLACEMENT_FEEDBACK_LINK_DAYS)"
    )
    defaults = run_manage("shell", "-c", script, **production_env())
    chosen = run_manage(
        "shell",
        "-c",
        script,
        **production_env(
            POLKU_REFERRAL_ANSWER_DAYS="7",
            POLKU_REFERRAL_START_DAYS="21",
            POLKU_PLACEMENT_FEEDBACK_LINK_DAYS="3",
        ),
    )

    # The last line: Django's shell first says how many objects it imported.
    assert defaults.stdout.splitlines()[-1].split() == ["14", "30", "14"], defaults.stderr
    assert chosen.stdout.splitlines()[-1].split() == ["7", "21", "3"], chosen.stderr
