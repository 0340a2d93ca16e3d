"""The one permission function: deny by default, audited refusals, one rule per action."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from polku.accounts import permissions
from polku.accounts.models import Role
from polku.audit.models import AuditEvent
from tests.conftest import client_as
from tests.factories import make_case, make_membership


def test_an_action_nobody_wrote_a_rule_for_is_denied(worker, administrator):
    assert "client.delete_everything" not in permissions.known_actions()
    assert not permissions.can(worker, "client.delete_everything")
    assert not permissions.can(administrator, "client.delete_everything")


def test_a_known_action_is_allowed_for_an_active_membership(worker):
    assert permissions.can(worker, "workspace.view")


def test_without_a_membership_everything_is_denied(db):
    for action in permissions.known_actions():
        assert not permissions.can(None, action), action


def test_an_expired_membership_is_denied_even_what_it_could_do_before(db):
    expired = make_membership(
        role=Role.ADMINISTRATOR, valid_from=date(2023, 1, 1), valid_until=date(2023, 12, 31)
    )
    assert not permissions.can(expired, "workspace.view")
    assert not permissions.can(expired, "admin.access")


def test_a_membership_that_has_not_started_is_denied(db):
    future = make_membership(valid_from=date(2999, 1, 1))
    assert not permissions.can(future, "workspace.view")


def test_an_administrator_membership_may_access_the_administration(administrator):
    assert permissions.can(administrator, "admin.access")


@pytest.mark.parametrize("role", [role for role in Role if role != Role.ADMINISTRATOR])
def test_no_other_role_may_access_the_administration(db, role):
    assert not permissions.can(make_membership(role=role), "admin.access")


def test_is_administrator_follows_the_active_administrator_membership(administrator, worker):
    assert permissions.is_administrator(administrator.user)
    assert administrator.user.is_staff
    assert not permissions.is_administrator(worker.user)
    assert not worker.user.is_staff


def test_require_returns_quietly_and_writes_nothing_when_allowed(worker):
    permissions.require(worker, "workspace.view")
    assert not AuditEvent.objects.exists()


def test_require_refuses_with_permission_denied_and_audits_the_refusal(worker):
    with pytest.raises(PermissionDenied):
        permissions.require(worker, "admin.access")
    event = AuditEvent.objects.get()
    assert event.action == "permission.refused"
    assert event.details == {"action": "admin.access"}
    assert event.actor == worker.user
    assert event.membership == worker
    assert event.organisation == worker.unit.organisation
    assert event.role == Role.PERSONAL_WORKER


def test_require_audits_the_refusal_of_a_user_without_a_membership(db):
    with pytest.raises(PermissionDenied):
        permissions.require(None, "workspace.view")
    event = AuditEvent.objects.get()
    assert event.action == "permission.refused"
    assert event.details == {"action": "workspace.view"}
    assert event.actor is None


def test_require_with_hide_answers_not_found_and_still_audits(worker, outsider):
    with pytest.raises(Http404):
        permissions.require(worker, "unknown.secret", outsider.unit, hide=True)
    event = AuditEvent.objects.get()
    assert event.action == "permission.refused"
    assert event.details == {"action": "unknown.secret"}
    assert event.object_type == "accounts.unit"
    assert event.object_id == str(outsider.unit.public_id)


def test_defining_a_rule_twice_is_an_error_and_keeps_the_first_rule(worker):
    with pytest.raises(RuntimeError, match=r"workspace\.view"):

        @permissions.rule("workspace.view")
        def _anyone(membership, obj):
            return False

    assert permissions.can(worker, "workspace.view")


def test_a_work_trial_host_has_no_workspace(db):
    host = make_membership(role=Role.WORK_TRIAL_HOST)
    assert not permissions.can(host, "workspace.view")
    # The front page sends a host to the placements their unit hosts (issue 6), not to a workspace.
    assert client_as(host).get("/")["Location"] == "/placements/hosted/"
    assert client_as(host).get("/workspace/").status_code == 403


def test_a_refusal_about_a_clients_record_is_filed_under_that_client(worker, outsider):
    # accounts does not import clients: the clients app tells it which client an object is about.
    case = make_case(by=worker)
    for obj in (case.client, case):
        with pytest.raises(Http404):
            permissions.require(outsider, "client.view", obj, hide=True)
        event = AuditEvent.objects.filter(action="permission.refused").latest("id")
        assert event.client_id == case.client.public_id


def test_a_refusal_about_nothing_of_a_client_names_no_client(worker):
    with pytest.raises(PermissionDenied):
        permissions.require(worker, "admin.access", worker)
    assert AuditEvent.objects.filter(action="permission.refused").latest("id").client_id is None
