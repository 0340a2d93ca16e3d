"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

Playwright never downloads a browser here: the tests launch /usr/bin/chromium (found on PATH) and skip
with a clear message when it is missing, unless POLKU_E2E_REQUIRED=1 (set by .ci/run), which turns
the skip into a failure.

Every test gets a fresh browser context with axe-core added as an init script. Init scripts are not
subject to the site's Content Security Policy, so the policy stays enforced (no `bypass_csp`) and
the tests can assert that no page broke it. Screenshots go to /tmp/polku-shots/, outside the repo.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa import app_settings as mfa_settings

from tests import totp

CHROMIUM = shutil.which("chromium")
MISSING_CHROMIUM = (
    "Chromium not found: browser tests skipped (apt-get install chromium, or run .ci/run which installs it)"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = Path("/tmp/polku-shots")
TIMEOUT_MS = 10_000

# Chromium's own wording when it blocks something under the Content Security Policy.
CSP_MESSAGE = re.compile(r"Content Security Policy|Refused to (load|execute|apply|connect|frame)", re.I)


# --- Browser -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        if os.environ.get("POLKU_E2E_REQUIRED") == "1":
            pytest.fail(MISSING_CHROMIUM, pytrace=False)
        pytest.skip(MISSING_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_locale() -> str:
    """The browser's language (Accept-Language); override with parametrize or a closer fixture."""
    return "fi-FI"


@dataclass
class BrowserLog:
    """Console messages and uncaught page errors from every page of one browser context."""

    csp_violations: list[str] = field(default_factory=list)
    js_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def on_console(self, message: Any) -> None:
        where = message.page.url if message.page else "?"
        source = (message.location or {}).get("url", "")
        line = f"{where}: [{message.type}] {message.text}" + (f" ({source})" if source else "")
        if CSP_MESSAGE.search(message.text):
            self.csp_violations.append(line)
        elif "responded with a status of 400" in message.text:
            pass  # a rejected form answers 400 by design; Chromium logs every 4xx as an error
        elif message.type == "error":
            self.console_errors.append(line)

    def on_web_error(self, web_error: Any) -> None:
        where = web_error.page.url if web_error.page else "?"
        self.js_errors.append(f"{where}: {web_error.error.message}")

    def problems(self) -> list[str]:
        return (
            [f"CSP violation: {line}" for line in self.csp_violations]
            + [f"JavaScript error: {line}" for line in self.js_errors]
            + [f"Console error: {line}" for line in self.console_errors]
        )

    def assert_clean(self) -> None:
        """No Content Security Policy violations, uncaught JS errors or console errors were logged."""
        problems = self.problems()
        if problems:
            pytest.fail("The browser logged problems:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.fixture
def page(
    browser: Any, live_server: Any, transactional_db: None, browser_locale: str, browser_log: BrowserLog
):
    """A page in a fresh context (own cookies) pointed at the live server, with axe-core loaded."""
    context = browser.new_context(base_url=live_server.url, locale=browser_locale)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(path=str(AXE_SCRIPT))
    context.on("console", browser_log.on_console)
    context.on("weberror", browser_log.on_web_error)
    page = context.new_page()
    yield page
    context.close()


# --- Accessibility (axe-core) ---------------------------------------------------------------------------

_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    helpUrl: violation.helpUrl,
    count: violation.nodes.length,
    targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
    html: violation.nodes.slice(0, 2).map((node) => node.html),
    summary: violation.nodes.length ? violation.nodes[0].failureSummary : "",
  }));
}"""


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the current document against WCAG 2.0/2.1 level A and AA rules."""
    return page.evaluate(_RUN_AXE, AXE_TAGS)


def format_violations(label: str, url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{label} ({url}): {len(violations)} WCAG 2.1 A/AA violation(s)"]
    for violation in violations:
        lines.append(
            f"  - {violation['id']} [{violation['impact']}] {violation['help']} "
            f"({violation['count']} element(s)) {violation['helpUrl']}"
        )
        for target in violation["targets"]:
            lines.append(f"      at {target}")
        for html in violation["html"]:
            lines.append(f"      html: {html[:200]}")
        if violation["summary"]:
            summary = " ".join(violation["summary"].split())
            lines.append(f"      why: {summary[:400]}")
    return "\n".join(lines)


def assert_accessible(page: Any, label: str) -> None:
    """Fail at once, with a readable list, if axe finds WCAG 2.1 A/AA violations on the page. The caller
    first waits for what the page it means shows (a click returns before the next page is there); the
    document is then also read to its end, so axe never judges one half parsed."""
    page.wait_for_function("document.readyState !== 'loading'")
    violations = axe_violations(page)
    if violations:
        pytest.fail(format_violations(label, page.url, violations), pytrace=False)


def screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@dataclass
class PageAudit:
    """Screenshots and axe checks for every page a journey visits, reported together at the end, so one
    failing page does not hide the state of the others."""

    failures: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def check(self, page: Any, name: str, *, axe: bool = True) -> None:
        page.wait_for_load_state("load")
        screenshot(page, name)
        self.checked.append(name)
        if axe:
            violations = axe_violations(page)
            if violations:
                self.failures.append(format_violations(name, page.url, violations))

    def assert_accessible(self) -> None:
        if self.failures:
            pytest.fail("\n\n".join(self.failures), pytrace=False)


@pytest.fixture
def audit() -> PageAudit:
    return PageAudit()


# --- Two-factor codes -------------------------------------------------------------------------------------


def totp_code(secret: str, margin: float = 3.0) -> str:
    """The authenticator app's current code; waits for the next period when this one is about to end, so
    the code is still valid when the server checks it."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < margin:
        time.sleep(period - time.time() % period + 0.2)
    return totp.code(secret)
