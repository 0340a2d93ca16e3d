"""`{{ obj|choice_label:"field" }}` shows what `obj.get_<field>_display` shows: every choice of the
overview's fields in each language, a blank value and a value outside the choices."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from polku.assessments.models import Assessment
from polku.clients.models import Case, CaseTeamMember, Client, Consent
from polku.employment.models import IpsPeriod
from polku.network.models import Referral
from polku.placements.models import Placement
from polku.screening.models import SupportNeed

FIELDS = [
    (Case, "status"),
    (Case, "source"),
    (Case, "outcome"),
    (CaseTeamMember, "role"),
    (Client, "sex"),
    (Client, "preferred_contact_channel"),
    (Consent, "method"),
    (SupportNeed, "kind"),
    (SupportNeed, "priority"),
    (SupportNeed, "status"),
    (Assessment, "kind"),
    (IpsPeriod, "phase"),
    (Referral, "status"),
    (Placement, "kind"),
]


def drawn(instance: object, field: str) -> tuple[str, str]:
    return (
        Template('{% load polku_choices %}{{ obj|choice_label:"' + field + '" }}').render(
            Context({"obj": instance})
        ),
        Template("{{ obj.get_" + field + "_display }}").render(Context({"obj": instance})),
    )


@pytest.mark.parametrize(("model", "field"), FIELDS)
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_label_is_the_one_get_display_gives(model, field, language):
    values = [value for value, _label in model._meta.get_field(field).flatchoices]
    assert values
    with translation.override(language):
        for value in [*values, "", "not-a-choice"]:
            ours, djangos = drawn(model(**{field: value}), field)
            assert ours == djangos, (value, ours, djangos)


def test_the_label_follows_the_language():
    case = Case(status=Case._meta.get_field("status").flatchoices[0][0])
    with translation.override("fi"):
        finnish, _ = drawn(case, "status")
    with translation.override("en"):
        english, _ = drawn(case, "status")
    assert finnish != english
