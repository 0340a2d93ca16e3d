"""The grounds on which others read a client's records: the client's consents to share, and
break-the-glass access outside one's cases for a few hours, with its reason."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership, Organisation
from polku.audit import basis as audit_basis
from polku.audit import services as audit
from polku.clients import edits, timeline
from polku.clients.models import (
    BreakGlassAccess,
    Client,
    Consent,
)
from polku.clients.timeline import consent_names
from polku.core import story_time


@transaction.atomic
def break_glass(*, client: Client, by: Membership, reason: str) -> BreakGlassAccess:
    """Open a client outside the worker's teams for a few hours, for the reason stated."""
    permissions.require(by, "client.break_glass", client)
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError({"reason": _("State the reason in a sentence; it is shown to the client.")})
    access = BreakGlassAccess.objects.create(
        client=client,
        membership=by,
        reason=reason,
        expires_at=story_time.now() + timedelta(hours=settings.BREAK_GLASS_HOURS),
    )
    audit.record(
        by, "client.break_glass", client, client=client, reason=reason, basis=audit_basis.break_glass(reason)
    )
    return access


@transaction.atomic
def record_consent(
    *,
    client: Client,
    by: Membership,
    discloser: Organisation,
    recipient: Organisation,
    purpose: str,
    valid_from: date,
    method: str,
    covers_social: bool = False,
    covers_health: bool = False,
    covers_employment: bool = False,
    valid_until: date | None = None,
    witness: str = "",
    idempotency_key: str | None = None,
) -> Consent:
    """The client's consent to disclosure; the form sent twice records it once (`clients.edits`)."""
    permissions.require(by, "consent.record", client, hide=True)
    earlier = edits.earlier_submission(idempotency_key, Consent)
    if earlier is not None and earlier.client_id == client.pk:
        return earlier
    if by.unit.organisation_id not in (discloser.pk, recipient.pk):
        # The client's consent is collected by one of its two parties (often the one that needs the
        # records); a third organisation cannot record it. The discloser sees it on its timeline.
        raise ValidationError(
            {"recipient": _("Your organisation must be the disclosing or the receiving organisation.")}
        )
    if valid_from < client.birth_date:
        raise ValidationError({"valid_from": _("A consent cannot be valid before the client was born.")})
    consent = Consent(
        client=client,
        discloser=discloser,
        recipient=recipient,
        covers_social=covers_social,
        covers_health=covers_health,
        covers_employment=covers_employment,
        purpose=purpose,
        valid_from=valid_from,
        valid_until=valid_until,
        method=method,
        witness=witness,
        recorded_by=by,
    )
    consent.full_clean(exclude=["client", "recorded_by"])
    consent.save()
    edits.remember_submission(idempotency_key, consent)
    timeline.add(client, "consent.recorded", by=by, obj=consent, params=consent_names(consent))
    audit.record(by, "consent.record", consent, client=client, details={"registers": consent.registers})
    return consent


@transaction.atomic
def revoke_consent(*, consent: Consent, by: Membership, revoked_on: date, note: str = "") -> Consent:
    consent = (
        Consent.objects.select_for_update()
        .select_related("client", "discloser", "recipient")
        .get(pk=consent.pk)
    )
    permissions.require(by, "consent.record", consent.client, hide=True)
    if by.unit.organisation_id not in (consent.discloser_id, consent.recipient_id):
        permissions.refuse(by, "consent.revoke", consent)
    if consent.revoked_on is not None:
        raise ValidationError(_("This consent has already been revoked."))
    if revoked_on < timezone.localdate():
        raise ValidationError({"revoked_on": _("A revocation takes effect today or later, not in the past.")})
    if revoked_on < consent.valid_from:
        raise ValidationError({"revoked_on": _("A consent cannot be revoked before it was valid.")})
    consent.revoked_on, consent.revoked_by, consent.revoked_at = revoked_on, by, story_time.now()
    consent.revocation_note = note
    consent.save(update_fields=["revoked_on", "revoked_by", "revoked_at", "revocation_note", "updated_at"])
    timeline.add(
        consent.client, "consent.revoked", by=by, obj=consent, params=consent_names(consent), text=note
    )
    audit.record(by, "consent.revoke", consent, client=consent.client)
    return consent
