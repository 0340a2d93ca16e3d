"""Other apps add panels to the client overview, flags to the caseload, sections to the data export,
kinds to the timeline and labels to the access report by contributing them from their
`AppConfig.ready()` (polku.core.plugins.contribute), seeing only the viewer, the client and the cases on
the page."""

import json
import re

import pytest
from django.apps import apps

from polku.audit import services as audit
from polku.audit.labels import AuditLabel
from polku.clients import timeline
from polku.clients.export import ExportSection
from polku.clients.extensions import CaseloadFlag, Panel
from polku.clients.timeline import TimelineKind
from polku.core import plugins
from tests.clients.conftest import EN, days_ago, open_case_for, text
from tests.conftest import client_as


@pytest.fixture
def contribute():
    """Contribute as an app would (as `core`, which contributes nothing of its own); forgotten afterwards."""
    with plugins.kept():
        yield lambda *contributions: plugins.contribute(apps.get_app_config("core"), *contributions)


@pytest.fixture
def templates(tmp_path, settings):
    def write(**files: str) -> None:
        for name, content in files.items():
            (tmp_path / f"{name}.html").write_text(content)
        # Assigned anew (not changed in place) so that Django drops its cached template engines.
        settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]

    return write


def headings(response) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", text(response), re.S)
    ]


# --- Caseload flags ----------------------------------------------------------------------------------


def test_a_contributed_flag_shows_on_the_rows_it_names_only(worker, contribute):
    # Opened recently, so that the caseload's own "no contact" flag is not among them.
    flagged = open_case_for(worker, last_name="Liputettu", opened_on=days_ago(10))
    open_case_for(worker, last_name="Tavallinen", opened_on=days_ago(10))
    asked = []

    def case_ids(viewer, cases):
        asked.append((viewer, sorted(case.pk for case in cases)))
        return {flagged.pk}

    contribute(CaseloadFlag(key="test", label="Test flag", case_ids=case_ids, alert=True))

    response = client_as(worker).get("/caseload/", **EN)

    rows = {row.name.split(",")[0]: row for row in response.context["rows"]}
    assert rows["Liputettu"].flags == (("Test flag", True),)
    assert rows["Tavallinen"].flags == ()
    assert text(response).count("Test flag") == 1
    assert asked == [(worker, sorted(case.pk for case in response.context["cases"]))]


def test_flags_stand_by_their_order_among_the_caseloads_own(worker, contribute):
    case = open_case_for(worker, last_name="Liputettu", needs_interpreter=True, interpreter_language="arabia")
    contribute(
        CaseloadFlag(key="late", label="Late flag", case_ids=lambda viewer, cases: {case.pk}),
        CaseloadFlag(key="early", label="Early flag", case_ids=lambda viewer, cases: {case.pk}, order=10),
    )

    response = client_as(worker).get("/caseload/", **EN)

    [row] = response.context["rows"]
    assert [label for label, _ in row.flags] == [
        "Early flag",
        "No contact in 90 days",
        "Interpreter",
        "Late flag",
    ]


def test_flags_are_not_asked_for_an_empty_caseload(worker, contribute):
    contribute(CaseloadFlag(key="test", label="X", case_ids=lambda viewer, cases: 1 / 0))

    assert client_as(worker).get("/caseload/", **EN).status_code == 200


# --- Overview panels ---------------------------------------------------------------------------------


def test_a_contributed_panel_renders_with_its_context_and_can_leave_itself_out(worker, contribute, templates):
    case = open_case_for(worker, last_name="Paneeli")
    templates(
        panel='<section data-testid="panel">{{ panel.greeting }}</section>',
        hidden='<section data-testid="hidden">never</section>',
    )
    seen = []

    def context(client, current, viewer):
        seen.append((client, current, viewer))
        return {"greeting": f"Hello {client.last_name}"}

    contribute(
        Panel(key="shown", template="panel.html", context=context),
        Panel(key="hidden", template="hidden.html", context=lambda client, current, viewer: None),
    )

    response = client_as(worker).get(f"/clients/{case.client.public_id}/", **EN)

    page = response.content.decode()
    assert "Hello Paneeli" in page
    assert 'data-testid="hidden"' not in page
    assert seen == [(case.client, case, worker)]


def test_panels_stand_by_their_order_among_the_overviews_own_sections(worker, contribute, templates):
    case = open_case_for(worker, last_name="Paneeli")
    templates(**{name: f"<h2>{name}</h2>" for name in ("first", "middle", "last")})
    contribute(
        Panel(key="last", template="last.html", context=lambda *args: {}, order=1000),
        Panel(key="middle", template="middle.html", context=lambda *args: {}, order=45),
        Panel(key="first", template="first.html", context=lambda *args: {}, order=1),
    )

    found = headings(client_as(worker).get(f"/clients/{case.client.public_id}/", **EN))

    assert found[:2] == ["On this page", "first"]  # the in-page navigation, then the panels in order
    assert found.index("Current case") < found.index("Questionnaires") < found.index("Team")
    assert found.index("Team") < found.index("Support needs") < found.index("middle")
    assert found.index("middle") < found.index("Consents") < found.index("Timeline")
    assert found[-1] == "last"


# --- Export sections, timeline kinds, access report labels -------------------------------------------


def test_a_contributed_export_section_is_in_the_export(worker, case, contribute):
    contribute(
        ExportSection("test_records", "Test records", lambda client, viewer: [{"summary": client.last_name}])
    )

    data = json.loads(client_as(worker).get(f"/clients/{case.client.public_id}/export.json").content)

    assert data["test_records"] == [{"summary": "Asiakas"}]
    assert {"key": "test_records", "title": "Test records", "records": [{"summary": "Asiakas"}]} in data[
        "sections"
    ]


def test_a_contributed_timeline_kind_is_shown_on_the_timeline(worker, case, contribute):
    contribute(TimelineKind("test.happened", "Something happened: %(what)s"))
    timeline.add(case.client, "test.happened", by=worker, case=case, params={"what": "a test"})

    page = text(client_as(worker).get(f"/clients/{case.client.public_id}/", **EN))

    assert "Something happened: a test" in page


def test_a_kind_no_app_contributed_is_refused(worker, case):
    with pytest.raises(RuntimeError, match=r"test\.unknown"):
        timeline.add(case.client, "test.unknown", by=worker, case=case)


def test_a_contributed_audit_label_names_the_action_in_the_access_report(worker, case, contribute):
    contribute(AuditLabel("test.peek", "Peeked at the test data"))
    audit.record(worker, "test.peek", case.client, client=case.client)
    audit.record(worker, "test.unlabelled", case.client, client=case.client)

    page = text(client_as(worker).get(f"/clients/{case.client.public_id}/access-report/", **EN))

    assert "Peeked at the test data" in page
    assert "test.unlabelled" in page
