"""Administrators see who has set up two-factor authentication, never the secret, and can reset it."""

from allauth.mfa.models import Authenticator
from django.test import Client

from polku.accounts.models import Membership
from polku.audit.models import AuditEvent
from tests.conftest import client_as
from tests.factories import PASSWORD, make_membership, make_user


def test_authenticator_page_shows_the_user_but_not_the_totp_secret(administrator):
    target = make_membership().user
    authenticator = Authenticator.objects.get(user=target, type=Authenticator.Type.TOTP)
    secret = authenticator.wrap().instance.data["secret"]

    response = client_as(administrator).get(
        f"/admin/mfa/authenticator/{authenticator.pk}/change/", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert str(target) in response.content.decode()
    assert secret not in response.content.decode()


def test_administrator_cannot_add_or_edit_an_authenticator(administrator):
    target = make_membership().user
    authenticator = Authenticator.objects.get(user=target)
    client = client_as(administrator)

    assert client.get("/admin/mfa/authenticator/add/").status_code == 403
    before = authenticator.data
    client.post(f"/admin/mfa/authenticator/{authenticator.pk}/change/", {"type": "recovery_codes"})
    authenticator.refresh_from_db()
    assert authenticator.data == before
    assert authenticator.type == Authenticator.Type.TOTP


def test_deleting_a_lost_authenticator_makes_the_user_set_up_a_new_one(administrator):
    membership = make_membership()
    authenticator = Authenticator.objects.get(user=membership.user)

    response = client_as(administrator).post(
        f"/admin/mfa/authenticator/{authenticator.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=membership.user).exists()
    membership.user.refresh_from_db()  # logging in again, as the user read now
    assert client_as(membership).get("/").url == "/accounts/2fa/totp/activate/"


def test_deleting_an_authenticator_in_the_admin_ends_all_the_users_sessions(administrator):
    membership = make_membership()
    phone, laptop = client_as(membership), client_as(membership)
    assert phone.get("/workspace/").status_code == 200
    authenticator = Authenticator.objects.get(user=membership.user)

    client_as(administrator).post(f"/admin/mfa/authenticator/{authenticator.pk}/delete/", {"post": "yes"})

    for device in (phone, laptop):
        response = device.get("/workspace/")
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
        assert "_auth_user_id" not in device.session
    assert device.get("/api/v1/me/").status_code == 403
    event = AuditEvent.objects.get(action="auth.sessions_ended")
    assert event.object_id == str(membership.user.public_id)
    assert event.details["reason"] == "mfa.removed"


def test_deleting_an_authenticator_leaves_other_users_logged_in(administrator):
    membership, other = make_membership(), make_membership()
    others_client = client_as(other)
    authenticator = Authenticator.objects.get(user=membership.user)

    admin_client = client_as(administrator)
    admin_client.post(f"/admin/mfa/authenticator/{authenticator.pk}/delete/", {"post": "yes"})

    assert others_client.get("/workspace/").status_code == 200
    assert admin_client.get("/admin/").status_code == 200


def test_sessions_kept_in_the_cache_end_too(administrator, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"  # as sessions in Redis would be
    membership = make_membership()
    device = client_as(membership)
    assert device.get("/workspace/").status_code == 200
    authenticator = Authenticator.objects.get(user=membership.user)

    authenticator.delete()

    assert device.get("/workspace/").url.startswith("/accounts/login/")


def test_a_worker_cannot_see_authenticators(worker):
    assert client_as(worker).get("/admin/mfa/authenticator/").status_code == 403


def test_a_user_without_memberships_is_not_forced_to_set_up_mfa(client, db):
    user = make_user(with_totp=False)
    client.force_login(user)
    # No membership means no staff role: the chooser explains that, rather than the MFA set-up.
    response = client.get("/role/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "You have no active role" in response.content.decode()


def test_permission_groups_are_not_offered_because_roles_come_from_memberships(administrator):
    response = client_as(administrator).get("/admin/")
    assert response.status_code == 200
    assert "/admin/auth/group/" not in response.content.decode()
    assert client_as(administrator).get("/admin/auth/group/").status_code == 404


def test_a_role_granted_in_the_middle_of_a_session_brings_the_mfa_requirement_at_once(client, db):
    user = make_user(with_totp=False)
    client.force_login(user)
    assert client.get("/role/").status_code == 200  # no role yet: nothing to protect
    make_membership(user=user, role="administrator")

    assert client.get("/").url == "/accounts/2fa/totp/activate/"
    assert client.get("/admin/").url == "/accounts/2fa/totp/activate/"
    assert client.get("/api/v1/me/").status_code == 403


def test_the_admin_login_form_cannot_switch_to_another_administrator(administrator):
    other = make_membership(role="administrator").user
    client = client_as(administrator)

    response = client.post("/admin/login/", {"username": other.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.session["_auth_user_id"] == str(administrator.user.pk)


def test_the_admin_login_form_does_not_log_anyone_in(db):
    admin_user = make_membership(role="administrator").user
    client = Client()

    response = client.post("/admin/login/", {"username": admin_user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_deleting_an_authenticator_in_the_admin_is_in_the_audit_chain(administrator):
    target = make_membership().user
    authenticator = Authenticator.objects.get(user=target)
    client_as(administrator).post(f"/admin/mfa/authenticator/{authenticator.pk}/delete/", {"post": "yes"})
    event = AuditEvent.objects.get(action="admin.delete")
    assert event.membership == administrator
    assert event.object_type == "mfa.authenticator"


def test_granting_a_role_in_the_admin_is_in_the_audit_chain(administrator):
    user = make_user()
    unit = make_membership().unit
    response = client_as(administrator).post(
        "/admin/accounts/membership/add/",
        {
            "user": user.pk,
            "unit": unit.pk,
            "role": "administrator",
            "valid_from": "2026-01-01",
            "valid_until": "",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    event = AuditEvent.objects.get(action="admin.add")
    assert event.object_id == str(membership.public_id)
    assert event.membership == administrator


def test_an_existing_membership_cannot_be_turned_into_another_role_only_ended(administrator):
    membership = make_membership(role="personal_worker")
    original_user = membership.user_id
    client = client_as(administrator)
    response = client.post(
        f"/admin/accounts/membership/{membership.pk}/change/",
        {
            "user": administrator.user.pk,
            "unit": administrator.unit.pk,
            "role": "administrator",
            "valid_from": "2024-01-01",
            "valid_until": "2026-06-30",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.user_id) == ("personal_worker", original_user)
    assert membership.valid_until.isoformat() == "2026-06-30"
    event = AuditEvent.objects.get(action="admin.change", object_id=str(membership.public_id))
    assert event.basis == {"kind": "administrator", "task": "admin.change"}  # the basis of the access
    assert (
        client.post(f"/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"}).status_code == 403
    )
