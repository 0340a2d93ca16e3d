"""A placement form opened before someone else saved the placement is refused, with the saved text
shown beside the user's own (issue 21)."""

from __future__ import annotations

from polku.placements import services
from polku.placements.models import Placement
from tests.conftest import client_as
from tests.placements.conftest import EN, text
from tests.placements.test_views import form_data


def test_a_stale_placement_edit_is_refused_and_keeps_both_texts(placement, worker):
    browser = client_as(worker)
    opened = browser.get(f"/placements/{placement.public_id}/edit/", **EN)
    version = str(opened.context["form"]["expected_version"].value())
    services.update_placement(placement=placement, by=worker, tasks="Kassatyöt ja hyllytys")

    data = form_data(host_unit=placement.host_unit_id, host_name="", tasks="Astianpesu ja siivous")
    response = browser.post(
        f"/placements/{placement.public_id}/edit/", {**data, "expected_version": version}, **EN
    )

    assert response.status_code == 400
    page = text(response)
    assert "changed this placement at" in page
    assert "Kassatyöt ja hyllytys" in page
    assert "Astianpesu ja siivous" in page
    assert Placement.objects.get(pk=placement.pk).tasks == "Kassatyöt ja hyllytys"


def test_an_edit_with_the_current_version_is_saved(placement, worker):
    browser = client_as(worker)
    opened = browser.get(f"/placements/{placement.public_id}/edit/", **EN)
    version = str(opened.context["form"]["expected_version"].value())

    data = form_data(host_unit=placement.host_unit_id, host_name="", tasks="Astianpesu ja siivous")
    response = browser.post(f"/placements/{placement.public_id}/edit/", {**data, "expected_version": version})

    assert response.status_code == 302
    assert Placement.objects.get(pk=placement.pk).tasks == "Astianpesu ja siivous"
