"""Every page the demo users can reach fits the screen: no sideways scrolling of the page at 375 px (a
phone) or at 1280 px (a laptop). Wide content (a table, a chart) may scroll inside its own box, never
the page.

The pages are found as a person finds them: each demo user's landing page and then every link on the
pages they reach (GET only, same site, no downloads), at most `PER_SHAPE` pages of each URL shape
(a client overview of one client stands for all) and `PER_USER` pages per user.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from importlib import import_module
from io import StringIO
from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from polku.accounts.models import User
from tests.e2e.test_clients_journey import log_in_quickly

pytestmark = pytest.mark.e2e

WIDTHS = (375, 1280)
PER_USER = 30
PER_SHAPE = 1
DEMO_USERS = [
    "worker@oulu.polku.example",
    "nurse@oulu.polku.example",
    "psychologist@oulu.polku.example",
    "coach@oulu.polku.example",
    "manager@oulu.polku.example",
    "worker@espoo.polku.example",
    "host@kahvila.polku.example",
]
# Not pages: leaving, downloads, the API, language switching, the Django admin (its own layout).
SKIPPED = re.compile(
    r"/(accounts/logout|i18n|api|admin|static|media)/|\.(pdf|csv|xlsx|json|zip)$|/(export|download|summary\.pdf)",
)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

_OVERFLOW = """() => {
  const width = window.innerWidth;
  const root = document.documentElement;
  if (root.scrollWidth <= width) return null;
  // The outermost elements that reach past the right edge, to say what to fix.
  const wide = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.right > width + 1 && !(element.parentElement && element.parentElement.getBoundingClientRect().right > width + 1)) {
      wide.push(element.tagName.toLowerCase() + (element.className ? "." + String(element.className).split(" ").join(".") : "") + " → " + Math.round(box.right) + " px");
    }
    if (wide.length >= 5) break;
  }
  return {scrollWidth: root.scrollWidth, wide};
}"""


def shape(path: str) -> str:
    return re.sub(r"/\d+/", "/N/", UUID.sub("ID", path))


def crawl(page: Any, base: str) -> list[str]:
    """The paths of the pages reachable from the landing page, breadth first."""
    page.goto("/")
    start = urlparse(page.url).path
    seen, shapes, found = {start}, Counter({shape(start): 1}), []
    queue = deque([start])
    while queue and len(found) < PER_USER:
        path = queue.popleft()
        response = page.goto(path)
        if response is None or response.status != 200 or urlparse(page.url).path != path:
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        found.append(path)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            url = urlparse(urldefrag(href)[0])
            if url.netloc != urlparse(base).netloc or SKIPPED.search(url.path):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target in seen or shapes[shape(url.path)] >= PER_SHAPE:
                continue
            seen.add(target)
            shapes[shape(url.path)] += 1
            queue.append(target)
    return found


# What the migrations themselves put in the database: an earlier transactional test's flush removed it.
MIGRATION_DATA = [
    ("polku.clients.migrations.0002_municipalities", "load"),
    ("polku.network.migrations.0002_taxonomy", "load"),
    ("polku.network.migrations.0004_taxonomyterm_register", "set_registers"),
]


@pytest.fixture
def demo(transactional_db, settings):
    settings.REQUIRE_MFA = False  # the demo as `make run` shows it
    for module, function in MIGRATION_DATA:
        getattr(import_module(module), function)(django_apps, None)
    call_command("seed_demo", "--allow-production", stdout=StringIO())


def test_no_page_scrolls_sideways_at_phone_or_laptop_width(demo, page, live_server, browser_log):
    # One test for all the demo users: the demo is seeded once (a transactional test's flush would take
    # the migrations' own data, such as the service taxonomy, with it).
    problems = []
    for email in DEMO_USERS:
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1280, "height": 900})
        log_in_quickly(page, live_server, User.objects.get(email=email))
        paths = crawl(page, live_server.url)
        assert len(paths) > 1, f"{email} reached no page beyond the landing page"
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for path in paths:
                page.goto(path)
                overflow = page.evaluate(_OVERFLOW)
                if overflow:
                    problems.append(
                        f"{email} at {width} px {path}: page is {overflow['scrollWidth']} px wide; {overflow['wide']}"
                    )
    assert problems == [], f"{len(problems)} page(s) scroll sideways:\n  " + "\n  ".join(problems)
