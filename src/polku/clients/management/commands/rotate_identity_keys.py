"""Re-encrypt every stored identity code with the newest key of POLKU_IDENTITY_CODE_KEYS.

Rotation: put a new key first in POLKU_IDENTITY_CODE_KEYS (keep the old ones after it), restart, run
this command, then remove the old keys. Codes stay readable throughout, since every key decrypts.
"""

from typing import Any

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from polku.accounts.adapter import ENCRYPTED_PREFIX
from polku.audit import services as audit
from polku.clients import identity
from polku.clients.models import Client

BATCH = 2000


class Command(BaseCommand):
    help = "Re-encrypt stored identity codes with the newest key in POLKU_IDENTITY_CODE_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        done = 0
        last_pk = 0
        while True:
            with transaction.atomic():
                batch = list(
                    Client.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .order_by("pk")
                    .only("pk", "identity_code_encrypted")[:BATCH]
                )
                if not batch:
                    break
                for client in batch:
                    client.identity_code_encrypted = identity.rotate(client.identity_code_encrypted)
                Client.objects.bulk_update(batch, ["identity_code_encrypted"])
            done += len(batch)
            last_pk = batch[-1].pk
        secrets = self._rotate_authenticators()
        audit.record(None, "identity_keys.rotate", details={"clients": done, "authenticators": secrets})
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-encrypted {done} identity codes and {secrets} authenticator secrets with the newest key."
            )
        )

    @transaction.atomic
    def _rotate_authenticators(self) -> int:
        """TOTP secrets and recovery code seeds share the keys (accounts.adapter.MFAAdapter)."""
        rotated = 0
        for authenticator in Authenticator.objects.select_for_update().order_by("pk"):
            changed = False
            for field in ("secret", "seed"):
                value = authenticator.data.get(field)
                if isinstance(value, str) and value.startswith(ENCRYPTED_PREFIX):
                    token = value[len(ENCRYPTED_PREFIX) :]
                    authenticator.data[field] = ENCRYPTED_PREFIX + identity.rotate(token)
                    changed = True
            if changed:
                authenticator.save(update_fields=["data"])
                rotated += 1
        return rotated
