"""Referral entries on the client's timeline are records of the referral's register: another organisation
on the case team sees "referred to substance services" only under the client's consent, as it sees the
referral itself. The receiving unit's answers stay entries of the sending organisation's record."""

from __future__ import annotations

import importlib

from django.apps import apps

from polku.clients import services as client_services
from polku.clients import timeline
from polku.clients.models import Register, TimelineEntry
from tests.conftest import client_as
from tests.factories import make_service
from tests.network.conftest import EN, at_status, days_ago, draft, text


def on_team(case, worker, member):
    client_services.add_team_member(case=case, member=member, by=worker, started_on=days_ago(5))
    return member


def test_another_organisation_on_the_team_does_not_see_the_referral_entries_without_consent(
    case, worker, outsider, external
):
    on_team(case, worker, outsider)
    at_status(case, external, worker, worker, "accepted")

    page = text(client_as(outsider).get(f"/clients/{case.client.public_id}/", **EN))

    assert "Referral drafted" not in page and "Referral to " not in page
    mine = text(client_as(worker).get(f"/clients/{case.client.public_id}/", **EN))
    assert "Referral drafted" in mine and "Accepted" in mine


def test_with_the_clients_consent_the_other_organisation_sees_them(
    case, worker, outsider, external, oulu, espoo
):
    on_team(case, worker, outsider)
    at_status(case, external, worker, worker, "sent")
    client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_employment=True,
        purpose="Työllistymisen tuki",
        valid_from=days_ago(1),
        method="written",
    )

    page = text(client_as(outsider).get(f"/clients/{case.client.public_id}/", **EN))

    assert f"Referral drafted: {external.name_fi}" in page
    assert f"Referral to {external.name_fi}: Sent" in page


def test_a_consent_for_another_register_is_not_enough(case, worker, outsider, oulu, espoo):
    on_team(case, worker, outsider)
    draft(case, make_service(category="mental-health"), worker)
    client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_employment=True,
        purpose="Työllistymisen tuki",
        valid_from=days_ago(1),
        method="written",
    )

    assert "Referral drafted" not in text(client_as(outsider).get(f"/clients/{case.client.public_id}/", **EN))


def test_the_entries_carry_the_referrals_register_and_organisation_even_for_the_receivers_answer(
    case, worker, receiver, in_polku, oulu
):
    referral = at_status(case, in_polku, worker, receiver, "accepted")

    entries = TimelineEntry.objects.filter(object_id=str(referral.public_id)).order_by("id")

    assert [e.kind for e in entries] == ["referral.drafted", "referral.status", "referral.status"]
    assert {(e.register, e.organisation_id) for e in entries} == {(referral.register, oulu.pk)}
    assert entries.last().actor == receiver  # who answered is still told


def test_the_migration_gives_earlier_entries_their_register(case, worker, oulu):
    referral = draft(case, make_service(category="social-work"), worker)
    old = timeline.add(case.client, "referral.drafted", by=worker, case=case, obj=referral, params={})
    assert old.register == ""
    migration = importlib.import_module("polku.network.migrations.0003_referral_plan_action")

    migration.registers_on_timeline(apps, None)

    old.refresh_from_db()
    assert (old.register, old.organisation_id) == (Register.SOCIAL, oulu.pk)


def test_timeline_add_names_the_owning_organisation_when_asked(case, worker, oulu, espoo):
    """`organisation=` names the owner when another organisation (or nobody) writes; by default the
    actor's organisation owns the entry."""
    default = timeline.add(case.client, "referral.drafted", by=worker, case=case, params={})
    on_behalf = timeline.add(case.client, "referral.drafted", by=worker, organisation=espoo, params={})
    nobody = timeline.add(case.client, "referral.drafted", by=None, organisation=oulu, params={})

    assert default.organisation == oulu
    assert on_behalf.organisation == espoo and on_behalf.actor == worker
    assert nobody.organisation == oulu and nobody.actor is None
