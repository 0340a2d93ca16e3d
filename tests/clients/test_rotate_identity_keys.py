"""Key rotation re-encrypts identity codes and two-factor secrets; nothing becomes unreadable."""

from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from polku.accounts.adapter import ENCRYPTED_PREFIX, MFAAdapter
from polku.audit.models import AuditEvent
from polku.clients import identity
from polku.clients.models import Client
from tests.factories import make_client, synthetic_identity_code


def test_totp_secrets_are_stored_encrypted_and_still_verify(worker):
    authenticator = Authenticator.objects.get(user=worker.user, type=Authenticator.Type.TOTP)
    stored = authenticator.data["secret"]
    assert stored.startswith(ENCRYPTED_PREFIX)
    secret = MFAAdapter().decrypt(stored)
    assert len(secret) >= 16 and secret not in stored


def test_a_secret_written_before_encryption_is_read_as_it_is():
    assert MFAAdapter().decrypt("JBSWY3DPEHPK3PXP") == "JBSWY3DPEHPK3PXP"


def test_rotation_moves_every_code_and_secret_to_the_new_key(worker, settings, capsys):
    code = synthetic_identity_code()
    client = make_client(by=worker, identity_code=code)
    secret_before = MFAAdapter().decrypt(
        Authenticator.objects.get(user=worker.user, type=Authenticator.Type.TOTP).data["secret"]
    )
    old_keys = list(settings.IDENTITY_CODE_KEYS)
    new_key = Fernet.generate_key().decode()
    settings.IDENTITY_CODE_KEYS = [new_key, *old_keys]

    call_command("rotate_identity_keys")

    client.refresh_from_db()
    assert Fernet(new_key).decrypt(client.identity_code_encrypted.encode()).decode() == code
    totp = Authenticator.objects.get(user=worker.user, type=Authenticator.Type.TOTP)
    settings.IDENTITY_CODE_KEYS = [new_key]  # the old key can now be dropped
    assert identity.decrypt(client.identity_code_encrypted) == code
    assert MFAAdapter().decrypt(totp.data["secret"]) == secret_before
    assert AuditEvent.objects.filter(action="identity_keys.rotate").exists()
    assert "Re-encrypted 1 identity codes" in capsys.readouterr().out


def test_the_plain_identity_code_is_in_no_column_of_the_stored_row(worker):
    code = synthetic_identity_code()
    client = make_client(by=worker, identity_code=code)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Client._meta.db_table} WHERE id = %s", [client.pk])
        row = cursor.fetchone()
    assert all(code not in str(value) for value in row)
    assert any(identity.mask(code) == value for value in row)
