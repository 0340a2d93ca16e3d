""" "My account" (the workspace) lists the areas each role can actually use, each link opening, and
lists as coming only what is not built: an area to come leaves the list once its app is installed."""

from __future__ import annotations

import re

import pytest
from django.apps import apps

from polku.accounts import views
from polku.accounts.models import Role
from tests.conftest import client_as
from tests.factories import make_membership

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def cards(page: str, testid: str) -> list[tuple[str, str]]:
    """(title, link or "") of the cards of a workspace section."""
    section = re.search(rf'data-testid="{testid}">(.*?)</ul>', page, re.S)
    if section is None:
        return []
    found = []
    for heading in re.findall(r"<h3[^>]*>(.*?)</h3>", section.group(1), re.S):
        link = re.search(r'href="([^"]+)"', heading)
        found.append((re.sub(r"<[^>]+>", "", heading), link.group(1) if link else ""))
    return found


@pytest.mark.parametrize(
    "role",
    [Role.PERSONAL_WORKER, Role.NURSE, Role.PSYCHOLOGIST, Role.JOB_COACH, Role.MANAGER, Role.ADMINISTRATOR],
)
def test_every_area_a_role_is_shown_opens_for_that_role(role, worker):
    member = make_membership(unit=worker.unit, role=role)
    browser = client_as(member)

    page = browser.get("/workspace/", **EN).content.decode()

    for title, link in cards(page, "areas"):
        assert browser.get(link, **EN).status_code == 200, (role, title)
    for title, link in cards(page, "areas-to-come"):
        assert link == "", title  # nothing to come is reachable


def test_no_area_to_come_names_an_app_that_exists(db):
    for _title, _description, app in views.AREAS_TO_COME:
        assert not apps.is_installed(app), f"{app} is installed: move its area to AREAS"
    built = {str(title) for title, *_rest in views.AREAS}
    assert not built & {str(title) for title, *_rest in views.AREAS_TO_COME}


def test_an_area_to_come_leaves_the_workspace_when_its_app_is_installed(worker, monkeypatch):
    monkeypatch.setattr(
        views,
        "AREAS_TO_COME",
        [
            ("Catalogue again", "Built already.", "polku.network"),
            ("Something new", "Not built yet.", "polku.not_installed"),
        ],
    )

    page = client_as(worker).get("/workspace/", **EN).content.decode()

    titles = [title for title, _link in cards(page, "areas-to-come")]
    assert titles == ["Something new"]
