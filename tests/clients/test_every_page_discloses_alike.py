"""Every value a page shows obeys the disclosure rules of the records it comes from, on every page the
demo users can reach: records that a viewer may not read (another organisation's, without the client's
consent towards the viewer's organisation) change nothing that viewer gets — no page, count, flag,
badge, sort order, filter, export, PDF, search hit or API field.

The demo is seeded, and a private clinic (an organisation no demo user belongs to) joins the team of
every open demo case and opens a case of its own for each client. Each demo user's pages are then read
with the Django test client as a person finds them (the landing page, then every link and `hx-get`, the
downloads and the API too), with the caseload's every filter and sort order and a search by name; the
clinic writes a health contact, questionnaires (a PHQ-9 that raises a safety alert), support needs, a
referral and a work trial for every client; and the same pages are read again. Each must read the
same, once CSRF tokens and the like are set aside.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter, deque
from io import StringIO
from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command
from django.utils import timezone

from polku.accounts.models import Membership, OrganisationKind, Role
from polku.clients import services as client_services
from polku.clients.models import Case, Register
from polku.instruments import services as instrument_services
from polku.network import services as network_services
from polku.network.models import Service
from polku.screening.services import screen_client
from tests.conftest import client_as
from tests.factories import make_membership, make_organisation, make_placement, make_unit
from tests.instruments.conftest import answers_for, version

DEMO_USERS = [
    "worker@oulu.polku.example",
    "nurse@oulu.polku.example",
    "coach@oulu.polku.example",
    "manager@oulu.polku.example",
    "worker@espoo.polku.example",
    "host@kahvila.polku.example",
]
PER_USER = 70
PER_SHAPE = 2
# Not pages to compare: leaving, language switching, the Django admin, static files, and the pages that
# are the viewer's own history (the access report lists the crawl's own reads; it has its own test).
SKIPPED = re.compile(r"^/(accounts/logout|i18n|admin|static|media)/|/access-report/")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
LINK = re.compile(r"""(?:href|hx-get|action)="([^"]+)\"""")
# What differs between two readings of the same page without any change of data.
VOLATILE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrfmiddlewaretoken" value=""'),
    (re.compile(r'(csrf[-_]token"?\s*[:=]\s*)"[^"]*"', re.I), r'\1""'),
    (re.compile(r'content="[A-Za-z0-9]{32,}"'), 'content=""'),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r"idempotency[^>]*value=\"[^\"]*\""), "idempotency"),
    (re.compile(r'name="(token|form_token|key)" value="[^"]*"'), r'name="\1" value=""'),
    (re.compile(r"\b\d{1,2}[.:]\d{2}(:\d{2})?\b"), "HH:MM"),  # clock times (the export's "read at")
    (re.compile(r"\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?"), "TIMESTAMP"),
    (re.compile(r"[\d:.+]*HH:MM[\d:.+]*"), "HH:MM"),
    (re.compile(r"\b\d+\s(minuut|tunti)\w*"), "N minutes"),  # "in this status for 1 minute"
    # The export's own access log lists the crawl's reads (the access report's rule is tested apart).
    (re.compile(r"<p>\d+ tapahtuma\w*\."), "<p>N events."),
]


def shape(path: str) -> str:
    url = urlparse(path)
    query = re.sub(r"=\d+", "=N", url.query) if url.query else ""
    return re.sub(r"/\d+/", "/N/", UUID.sub("ID", url.path)) + ("?" + query if query else "")


def normalised(response: Any) -> str:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "pdf" in kind:
        from pypdf import PdfReader

        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    elif "spreadsheet" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        text = "\n".join(repr(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    elif "json" in kind:
        data = json.loads(body or b"null")
        if isinstance(data, dict):
            data.pop("access_log", None)
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, indent=0)
    else:
        text = body.decode("utf-8", "replace")
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return f"{response.status_code} {response.get('Location', '')}\n{text}"


def links(html: str) -> list[str]:
    found = []
    for href in LINK.findall(html):
        url = urlparse(urldefrag(href.replace("&amp;", "&"))[0])
        if url.netloc or not url.path.startswith("/") or SKIPPED.search(url.path):
            continue
        found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def crawl(browser: Any, extra: list[str]) -> list[str]:
    """The paths a person reaches from the landing page, breadth first, and the `extra` ones."""
    start = "/"
    seen, shapes, found = {start, *extra}, Counter(), []
    queue = deque([start, *extra])
    while queue and len(found) < PER_USER:
        path = queue.popleft()
        response = browser.get(path)
        if response.status_code in (301, 302) and not SKIPPED.search(response["Location"]):
            target = response["Location"]
            if target.startswith("/") and target not in seen:
                seen.add(target)
                queue.appendleft(target)
            continue
        if response.status_code != 200:
            continue
        found.append(path)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for target in links(response.content.decode()):
            if target in seen or shapes[shape(target)] >= PER_SHAPE:
                continue
            seen.add(target)
            shapes[shape(target)] += 1
            queue.append(target)
    return found


def caseload_variants(viewer: Membership) -> list[str]:
    from polku.clients import selectors

    variants = [f"/caseload/?sort={sort}" for sort in selectors.CASELOAD_SORTS]
    variants += [f"/caseload/?sort=-{sort}" for sort in selectors.CASELOAD_SORTS]
    variants += [f"/caseload/?flag={flag}" for flag in selectors.FLAGS]
    variants += ["/caseload/?flag=plan_review_due", "/caseload/?flag=safety_alert"]
    variants += ["/caseload/?flag=no_recent_contact&sort=last_contact", "/caseload/?page=2", "/api/v1/me/"]
    case = (
        Case.objects.filter(personal_worker=viewer, closed_on__isnull=True).select_related("client").first()
    )
    if case is not None:
        variants.append(f"/caseload/?q={case.client.last_name}")
    return variants


def read(paths: dict[str, list[str]], members: dict[str, Membership]) -> dict[tuple[str, str], str]:
    pages = {}
    for email, member_paths in paths.items():
        browser = client_as(members[email])
        for path in member_paths:
            pages[(email, path)] = normalised(browser.get(path))
    return pages


def clinic_writes_what_no_demo_user_may_read(clinic_nurse: Membership, clinic_worker: Membership) -> int:
    """Records of the clinic for every open demo case and its client, none disclosed to anyone."""
    today = timezone.localdate()
    phq9, was = version("phq9"), version("was")
    # A service outside Polku: a referral's receiving unit reads it (it is sent to them).
    service = Service.objects.filter(is_active=True, unit__isnull=True).order_by("pk").first()
    written = 0
    for case in Case.objects.filter(closed_on__isnull=True).exclude(
        unit__organisation=clinic_nurse.unit.organisation
    ):
        client_services.record_contact(
            case=case,
            by=clinic_nurse,
            kind="meeting",
            happened_on=today,
            note="Terveystapaaminen yksityisellä klinikalla.",
            register=Register.HEALTH,
        )
        instrument_services.record_response(
            case=case, version=phq9, answers=answers_for(phq9, 22, **{"9": "3"}), by=clinic_nurse
        )
        instrument_services.record_response(
            case=case, version=was, answers=answers_for(was, 1), by=clinic_nurse
        )
        screen_client(
            client=case.client,
            case=case,
            facts={"phq9.score": 22, "phq9.band": "severe"},
            by=clinic_nurse,
            source_description="PHQ-9 klinikalla",
            register=Register.HEALTH,
        )
        if service is not None:
            referral = network_services.refer(
                case=case, service=service, by=clinic_nurse, reason="Klinikan lähete.", register=None
            )
            network_services.send(referral=referral, by=clinic_nurse)
        own = Case.objects.filter(
            client=case.client, unit__organisation=clinic_worker.unit.organisation
        ).first()
        if own is not None:
            make_placement(case=own, by=clinic_worker)
        written += 1
    return written


@pytest.fixture
def demo(db, settings):
    settings.REQUIRE_MFA = False
    call_command("seed_demo", "--allow-production", stdout=StringIO())


def test_records_a_viewer_may_not_read_change_no_page_they_reach(demo):
    members = {
        email: Membership.objects.select_related("user", "unit__organisation").get(user__email=email)
        for email in DEMO_USERS
    }
    clinic = make_organisation(name="Yksityinen klinikka (testi)", kind=OrganisationKind.NGO)
    clinic_unit = make_unit(organisation=clinic, name="Vastaanotto")
    clinic_nurse = make_membership(unit=clinic_unit, role=Role.NURSE)
    clinic_worker = make_membership(unit=clinic_unit, role=Role.PERSONAL_WORKER)
    # The clinic's place on the teams and its own cases are there before the first reading: a team member
    # is shown as such. What it then writes is its own register's, which no consent discloses.
    for case in Case.objects.filter(closed_on__isnull=True).select_related("personal_worker"):
        client_services.add_team_member(case=case, member=clinic_nurse, by=case.personal_worker)
        client_services.add_team_member(case=case, member=clinic_worker, by=case.personal_worker)
        client_services.open_case(client=case.client, by=clinic_worker, source="self_referral")

    paths = {email: crawl(client_as(member), caseload_variants(member)) for email, member in members.items()}
    for email, member_paths in paths.items():
        assert len(member_paths) > 1, f"{email} reached no page beyond {member_paths}"
    before = read(paths, members)
    again = read(paths, members)
    unstable = {
        key: _first_difference(before[key], again[key]) for key in before if before[key] != again[key]
    }
    assert unstable == {}, "pages that change on their own:\n" + "\n".join(
        f"  {email} {path}: {difference}" for (email, path), difference in unstable.items()
    )

    assert clinic_writes_what_no_demo_user_may_read(clinic_nurse, clinic_worker) > 10

    after = read(paths, members)
    changed = {key: _first_difference(before[key], after[key]) for key in before if before[key] != after[key]}
    assert changed == {}, (
        f"{len(changed)} page(s) changed for a viewer who may not read the new records:\n"
        + "\n".join(f"  {email} {path}: {difference}" for (email, path), difference in changed.items())
    )


def _first_difference(old: str, new: str) -> str:
    import difflib

    lines = [
        line
        for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    return " | ".join(line.strip()[:160] for line in lines[:6])
