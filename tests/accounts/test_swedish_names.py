"""Names of organisations, units and service providers in the reader's language: a Swedish page shows
the Swedish name where the data gives one (bilingual municipalities), and the Finnish name otherwise;
Finnish and English pages show the Finnish (official) name."""

from __future__ import annotations

from polku.clients import services as client_services
from polku.core.names import in_reader_language
from polku.network.models import Provider
from tests.clients.conftest import days_ago, open_case_for, text
from tests.conftest import client_as

SV = {"HTTP_ACCEPT_LANGUAGE": "sv"}
FI = {"HTTP_ACCEPT_LANGUAGE": "fi"}


def bilingual(outsider):
    espoo, unit = outsider.unit.organisation, outsider.unit
    espoo.name, espoo.name_sv = "Espoon kaupunki", "Esbo stad"
    espoo.save(update_fields=["name", "name_sv"])
    unit.name_sv = "Arbetsförmågeteamet"
    unit.save(update_fields=["name_sv"])
    return outsider


def test_the_workspace_names_the_organisation_and_unit_in_swedish_where_given(outsider, worker):
    bilingual(outsider)

    swedish = text(client_as(outsider).get("/workspace/", **SV))
    finnish = text(client_as(outsider).get("/workspace/", **FI))

    assert "Esbo stad" in swedish and "Arbetsförmågeteamet" in swedish
    assert "Espoon kaupunki" in finnish and "Esbo stad" not in finnish
    # Without a Swedish name, Finnish is the fallback.
    assert "Oulun kaupunki (testi)" in text(client_as(worker).get("/workspace/", **SV))


def test_the_timeline_and_team_name_the_actors_organisation_in_the_readers_language(outsider, worker):
    bilingual(outsider)
    case = open_case_for(worker, first_names="Aino", last_name="Asiakas")
    client_services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(1))
    client_services.record_contact(
        case=case,
        by=outsider,
        kind="meeting",
        happened_on=days_ago(0),
        note="Tapaaminen.",
        register="employment",
    )

    team_page = text(client_as(worker).get(f"/clients/{case.client.public_id}/", **SV))
    own_page = text(client_as(outsider).get(f"/clients/{case.client.public_id}/", **SV))

    assert "Esbo stad" in team_page and "Espoon kaupunki" not in team_page
    assert "(Arbetsförmågeteamet, Esbo stad)" in own_page


def test_a_catalogue_provider_is_named_in_swedish_where_given(db):
    provider = Provider(name="Takuusäätiö", name_sv="Garantistiftelsen", description="x")
    from django.utils import translation

    with translation.override("sv"):
        assert provider.display_name == "Garantistiftelsen"
        assert in_reader_language("Oulu", "") == "Oulu"
    with translation.override("fi"):
        assert str(provider) == "Takuusäätiö"
    with translation.override("en"):
        assert provider.display_name == "Takuusäätiö"
