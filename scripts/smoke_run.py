"""The first run of a fresh clone, as a new user meets it: after `make setup` (migrations and demo
data on SQLite) start Polku the way `make run` does, log in as the demo personal worker and open the
caseload. Exits non-zero, saying why, when any step fails. CI runs it before the test suite."""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.environ.get("SMOKE_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
EMAIL, PASSWORD = "worker@oulu.polku.example", "polku-demo"


def fail(message: str) -> None:
    print(f"smoke: {message}", file=sys.stderr)
    sys.exit(1)


def main() -> None:
    env = {**os.environ, "POLKU_DEBUG": "1", "POLKU_REQUIRE_MFA": "0"}
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{PORT}"], cwd=ROOT, env=env
    )
    try:
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        deadline = time.monotonic() + 60
        while True:
            try:
                browser.open(f"{BASE}/healthz/", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    fail("the server did not answer /healthz/ within a minute")
                time.sleep(0.5)
        page = browser.open(f"{BASE}/accounts/login/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            fail("the login page has no form")
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "login": EMAIL, "password": PASSWORD}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - a fixed http URL on loopback
            f"{BASE}/accounts/login/", data=form, headers={"Referer": BASE}
        )
        browser.open(request, timeout=30).read()
        caseload = browser.open(f"{BASE}/caseload/", timeout=30)
        html = caseload.read().decode()
        if caseload.url.rstrip("/").endswith("/accounts/login") or "<table" not in html:
            fail(f"the demo worker's caseload did not open (landed on {caseload.url})")
        rows = html.count("<tr") - 1
        print(f"smoke: served the demo: {EMAIL} logged in and sees a caseload of {rows} rows")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
