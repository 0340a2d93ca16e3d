"""`{% page_url %}` gives what `{% url %}` gives: for a page addressed by a public id, by none, under a
script prefix and for an argument that is not a UUID."""

from __future__ import annotations

import uuid

import pytest
from django.template import Context, Template
from django.urls import set_script_prefix

PAGES_WITH_AN_ID = [
    "clients:detail",
    "clients:edit",
    "clients:identity_code",
    "clients:record_contact",
    "clients:end_team_membership",
    "clients:revoke_consent",
    "plans:case_plan",
    "network:referral",
    "portal_staff:answer_message",
]
PAGES_WITHOUT = ["clients:caseload", "set_language", "account_logout", "network:catalogue"]


def drawn(source: str, **context: object) -> str:
    return Template("{% load polku_links %}" + source).render(Context(context))


@pytest.mark.parametrize("name", PAGES_WITH_AN_ID)
def test_a_page_with_an_id_has_the_address_url_reverses(name):
    for public_id in (uuid.uuid4(), uuid.uuid4()):
        assert drawn(f"{{% page_url '{name}' id %}}", id=public_id) == drawn(
            f"{{% url '{name}' id %}}", id=public_id
        )
        assert str(public_id) in drawn(f"{{% page_url '{name}' id %}}", id=public_id)


@pytest.mark.parametrize("name", PAGES_WITHOUT)
def test_a_page_without_an_id_has_the_address_url_reverses(name):
    assert drawn(f"{{% page_url '{name}' %}}") == drawn(f"{{% url '{name}' %}}")


def test_the_address_follows_the_script_prefix():
    public_id = uuid.uuid4()
    try:
        set_script_prefix("/polku/")
        assert drawn("{% page_url 'clients:edit' id %}", id=public_id) == f"/polku/clients/{public_id}/edit/"
    finally:
        set_script_prefix("/")
    assert drawn("{% page_url 'clients:edit' id %}", id=public_id) == f"/clients/{public_id}/edit/"


def test_an_id_given_as_text_is_reversed_as_url_reverses_it():
    public_id = str(uuid.uuid4())
    assert drawn("{% page_url 'clients:edit' id %}", id=public_id) == drawn(
        "{% url 'clients:edit' id %}", id=public_id
    )
