"""The client overview is long: it starts with an in-page navigation to each section present (its own
and the panels other apps contribute, in the page's order), and a section with nothing to show is one
line ("none" and its actions) instead of an empty card."""

from __future__ import annotations

import re

from polku.clients.extensions import RenderedPanel, Section, contents
from tests.clients.conftest import EN, text
from tests.conftest import client_as


def navigation(page: str) -> list[tuple[str, str]]:
    """(anchor, link text) of the in-page navigation, in order."""
    nav = page.split('data-testid="overview-contents"')[1].split("</nav>")[0]
    return re.findall(r'<a class="hds-link" href="#([\w-]+)">([^<]+)</a>', nav)


def test_the_overview_starts_with_links_to_each_section_in_the_pages_order(case, worker):
    page = text(client_as(worker).get(f"/clients/{case.client.public_id}/", **EN))

    links = navigation(page)
    anchors = [anchor for anchor, _title in links]
    assert anchors == [
        "basic",
        "case",
        "questionnaires",
        "team",
        "support-needs",
        "service-plan",
        "assessments",
        "placements",
        "referrals",
        "employment",
        "consents",
        "timeline",
    ]
    assert ("referrals", "Referrals") in links
    assert ("placements", "Work trials and rehabilitative work activity") in links
    # Each link leads to a heading on the page, and the headings come in the navigation's order.
    positions = [page.index(f'id="{anchor}"') for anchor in anchors]
    assert positions == sorted(positions)
    assert 'aria-labelledby="on-this-page"' in page and ">On this page</h2>" in page


def test_empty_sections_are_one_line_and_marked_in_the_navigation(case, worker):
    page = text(client_as(worker).get(f"/clients/{case.client.public_id}/", **EN))

    for key in ("referrals", "placements", "assessments", "questionnaires", "support_needs", "consents"):
        assert f'data-testid="collapsed-{key}"' in page, key
    # The collapsed sections keep their "none" and their way on.
    collapsed = page.split('data-testid="collapsed-referrals"')[1].split("</section>")[0]
    assert "No referrals." in collapsed and "Find a service and refer" in collapsed
    nav = page.split('data-testid="overview-contents"')[1].split("</nav>")[0]
    assert 'href="#referrals">Referrals</a> <span class="polku-muted">(none)</span>' in nav
    assert 'href="#basic">Basic details</a></li>' in nav  # never empty


def test_a_section_with_something_to_show_is_a_card_again(case, worker, consent):
    page = text(client_as(worker).get(f"/clients/{case.client.public_id}/", **EN))

    assert 'data-testid="collapsed-consents"' not in page
    assert 'href="#consents">Consents</a></li>' in page


def test_the_navigation_is_in_the_readers_language(case, worker):
    page = text(client_as(worker).get(f"/clients/{case.client.public_id}/", HTTP_ACCEPT_LANGUAGE="sv"))

    assert "På den här sidan" in page
    assert "(inga)" in page


def test_contents_places_panels_before_the_section_their_order_names():
    panel = RenderedPanel("jobs", "x.html", {}, title="Jobs", anchor="jobs", is_empty=True)
    untitled = RenderedPanel("alerts", "y.html", {})
    placed = {"basic": [untitled], "case": [], "team": [panel], "consents": [], "timeline": [], "end": []}
    own = {
        "basic": Section("basic", "Basic"),
        "case": Section("case", "Case"),
        "team": None,
        "consents": Section("consents", "Consents"),
        "timeline": Section("timeline", "Timeline"),
        "end": Section("earlier", "All cases"),
    }

    listed = contents(placed, own)

    assert [section.anchor for section in listed] == [
        "basic",
        "case",
        "jobs",
        "consents",
        "timeline",
        "earlier",
    ]
    assert listed[2].is_empty
