"""Screening rules in the admin: editing makes a new version, bad conditions are refused, all audited."""

import json

from polku.audit.models import AuditEvent
from polku.screening.models import ScreeningRule
from tests.conftest import client_as

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def rule_form(rule, **fields):
    data = {
        "name": rule.name,
        "description": rule.description,
        "need_kind": rule.need_kind,
        "priority": str(rule.priority),
        "conditions": json.dumps(rule.conditions),
        "is_active": "on",
        "_save": "Save",
    }
    data.update(fields)
    return data


def test_editing_a_rule_in_the_admin_saves_a_new_version_and_audits_it(administrator):
    rule = ScreeningRule.objects.get(code="phq9-10")
    conditions = {"match": "all", "conditions": [{"fact": "phq9.score", "op": "gte", "value": 15}]}
    response = client_as(administrator).post(
        f"/admin/screening/screeningrule/{rule.pk}/change/",
        rule_form(rule, conditions=json.dumps(conditions)),
        **EN,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    versions = list(ScreeningRule.objects.filter(code="phq9-10").order_by("version"))
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert versions[0].conditions["conditions"][0]["value"] == 10
    assert versions[1].conditions == conditions
    assert AuditEvent.objects.filter(action="screening_rule.revise").exists()
    assert AuditEvent.objects.filter(action="admin.change", object_type="screening.screeningrule").exists()


def test_the_admin_refuses_unknown_facts_and_operators_and_stores_nothing(administrator):
    rule = ScreeningRule.objects.get(code="phq9-10")
    bad = {"match": "all", "conditions": [{"fact": "shoe_size", "op": "approx", "value": 1}]}
    response = client_as(administrator).post(
        f"/admin/screening/screeningrule/{rule.pk}/change/", rule_form(rule, conditions=json.dumps(bad)), **EN
    )
    assert response.status_code == 200
    assert "unknown fact “shoe_size”" in response.content.decode()
    assert ScreeningRule.objects.filter(code="phq9-10").count() == 1


def test_an_old_version_cannot_be_edited(administrator):
    rule = ScreeningRule.objects.get(code="was-poor")
    client_as(administrator).post(
        f"/admin/screening/screeningrule/{rule.pk}/change/", rule_form(rule, name="Uusi nimi")
    )
    old = ScreeningRule.objects.get(code="was-poor", version=1)
    response = client_as(administrator).post(
        f"/admin/screening/screeningrule/{old.pk}/change/", rule_form(old, name="X")
    )
    assert response.status_code == 403
    assert ScreeningRule.objects.filter(code="was-poor").count() == 2


def test_a_worker_cannot_reach_the_rules_in_the_admin(worker):
    assert client_as(worker).get("/admin/screening/screeningrule/").status_code in (302, 403, 404)


def test_the_admin_shows_a_rules_conditions_in_words(administrator):
    rule = ScreeningRule.objects.get(code="unemployed-12-age-50")
    browser = client_as(administrator)
    page = browser.get(f"/admin/screening/screeningrule/{rule.pk}/change/", **EN).content.decode()
    assert "Months unemployed at least 12 and age at least 50" in page
    listing = browser.get("/admin/screening/screeningrule/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Työttömyyskuukaudet vähintään 12 ja ikä vähintään 50" in listing
