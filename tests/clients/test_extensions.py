"""Other apps add panels to the client overview and flags to the caseload through clients.extensions,
seeing only the viewer, the client and the cases on the page."""

import pytest

from polku.clients import extensions
from tests.clients.conftest import EN, open_case_for, text
from tests.conftest import client_as


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setattr(extensions, "_PANELS", {})
    monkeypatch.setattr(extensions, "_FLAGS", {})
    return extensions


def test_a_registered_flag_shows_on_the_rows_it_names_only(worker, registered):
    flagged = open_case_for(worker, last_name="Liputettu")
    open_case_for(worker, last_name="Tavallinen")
    asked = []

    def case_ids(viewer, cases):
        asked.append((viewer, sorted(case.pk for case in cases)))
        return {flagged.pk}

    registered.register_caseload_flag("test", label="Review overdue", case_ids=case_ids, alert=True)

    response = client_as(worker).get("/caseload/", **EN)

    rows = {row.name.split(",")[0]: row for row in response.context["rows"]}
    assert rows["Liputettu"].extra_flags == (("Review overdue", True),)
    assert rows["Tavallinen"].extra_flags == ()
    assert text(response).count("Review overdue") == 1
    assert asked == [(worker, sorted(case.pk for case in response.context["cases"]))]


def test_flags_are_not_asked_for_an_empty_caseload(worker, registered):
    registered.register_caseload_flag("test", label="X", case_ids=lambda viewer, cases: 1 / 0)

    assert client_as(worker).get("/caseload/", **EN).status_code == 200


def test_a_registered_panel_renders_with_its_context_and_can_leave_itself_out(
    worker, registered, tmp_path, settings
):
    case = open_case_for(worker, last_name="Paneeli")
    (tmp_path / "panel.html").write_text('<section data-testid="panel">{{ panel.greeting }}</section>')
    (tmp_path / "hidden.html").write_text('<section data-testid="hidden">never</section>')
    # Assigned anew (not changed in place) so that Django drops its cached template engines.
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    seen = []

    def context(client, current, viewer):
        seen.append((client, current, viewer))
        return {"greeting": f"Hello {client.last_name}"}

    registered.register_panel("shown", template="panel.html", context=context)
    registered.register_panel("hidden", template="hidden.html", context=lambda client, current, viewer: None)

    response = client_as(worker).get(f"/clients/{case.client.public_id}/", **EN)

    page = response.content.decode()
    assert "Hello Paneeli" in page
    assert 'data-testid="hidden"' not in page
    assert seen == [(case.client, case, worker)]
