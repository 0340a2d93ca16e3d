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


def test_the_data_export_names_organisations_units_and_providers_in_the_readers_language(
    outsider, worker, oulu
):
    import json

    from polku.network import services as network_services
    from tests.factories import make_service
    from tests.network.conftest import load_taxonomy

    bilingual(outsider)
    oulu.name_sv = "Uleåborgs stad (test)"
    oulu.save(update_fields=["name_sv"])
    worker.unit.name_sv = "PALO-teamet"
    worker.unit.save(update_fields=["name_sv"])
    case = open_case_for(worker, first_names="Aino", last_name="Asiakas")
    client_services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(1))
    client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=outsider.unit.organisation,
        covers_social=True,
        purpose="Yhteistyö",
        valid_from=days_ago(0),
        method="written",
    )
    load_taxonomy()
    service = make_service(name="Mieli", name_sv="Mentalvård")
    Provider.objects.filter(pk=service.provider_id).update(name_sv="Sinnesstiftelsen")
    network_services.refer(case=case, service=service, by=worker, reason="Tuki mielenterveyteen.")
    url = f"/clients/{case.client.public_id}/export"

    swedish = json.loads(client_as(worker).get(f"{url}.json", **SV).content)
    finnish = json.loads(client_as(worker).get(f"{url}.json", **FI).content)
    page = text(client_as(worker).get(f"{url}/", **SV))

    assert swedish["exported_by"]["organisation"] == "Uleåborgs stad (test)"
    [exported] = swedish["cases"]
    assert exported["unit"] == "Uleåborgs stad (test): PALO-teamet"
    assert {period["member"]["organisation"] for period in exported["team"]} == {
        "Uleåborgs stad (test)",
        "Esbo stad",
    }
    [consent] = swedish["consents"]
    assert (consent["discloser"], consent["recipient"]) == ("Uleåborgs stad (test)", "Esbo stad")
    events = [entry["event"] for entry in swedish["timeline"]]
    assert any("Uleåborgs stad (test)" in e and "Esbo stad" in e for e in events), events
    assert any("PALO-teamet" in e for e in events), events
    [referral] = swedish["referrals"]
    assert referral["provider"] == "Sinnesstiftelsen" and referral["service"] == "Mentalvård"
    assert "Esbo stad" in page and "Uleåborgs stad (test): PALO-teamet" in page
    # In Finnish, the Finnish names throughout.
    assert finnish["cases"][0]["unit"] == "Oulun kaupunki (testi): PALO-tiimi"
    assert finnish["referrals"][0]["provider"] == service.provider.name
    flat = json.dumps(finnish, ensure_ascii=False)
    assert "Esbo stad" not in flat and "Uleåborgs" not in flat and "Sinnesstiftelsen" not in flat


def test_stored_names_on_the_timeline_show_in_the_readers_language(outsider, worker):
    """Names written into a timeline entry (the case's unit, a consent's organisations, a case opened after
    break-the-glass) keep both languages, so the entry reads in the reader's language later."""
    from django.utils import translation

    from polku.clients import timeline
    from polku.clients.models import TimelineEntry

    bilingual(outsider)
    oulu_case = open_case_for(worker, first_names="Aino", last_name="Asiakas")
    client = oulu_case.client
    client_services.record_consent(
        client=client,
        by=worker,
        discloser=worker.unit.organisation,
        recipient=outsider.unit.organisation,
        covers_social=True,
        purpose="Yhteistyö",
        valid_from=days_ago(0),
        method="written",
    )
    client_services.break_glass(client=client, by=outsider, reason="Asiakas muutti Espooseen.")
    client_services.open_case_from_break_glass(
        client=client, by=outsider, source="referral", opened_on=days_ago(0), reason="Asiakas muutti."
    )
    entries = TimelineEntry.objects.filter(
        client=client, kind__in=["consent.recorded", "case.opened_from_break_glass"]
    ).order_by("id")

    with translation.override("sv"):
        swedish = [timeline.label_for(entry) for entry in entries]
    with translation.override("fi"):
        finnish = [timeline.label_for(entry) for entry in entries]

    assert len(swedish) == 2
    assert all("Esbo stad" in label for label in swedish), swedish
    assert "Arbetsförmågeteamet" in swedish[1]
    assert not any("Esbo stad" in label or "Arbetsförmågeteamet" in label for label in finnish), finnish
    # The entries' disclosure still reads the Finnish names they keep.
    assert entries[0].params["recipient"] == "Espoon kaupunki"
