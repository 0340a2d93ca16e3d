"""Everything Polku holds about a client that the exporting worker may see, for the client's right of
access (GDPR art. 15): as JSON for machines and as a printable page for the client.

Without a viewer (`viewer=None`) the export is the client's own download in their own Polku: the data
subject reads every organisation's records about them. The withholding rules of the staff export (the
consent rules between organisations, each organisation's own part of the access log and consents, the
break-the-glass part) protect the client's data from other organisations, not from the client, so none
of them applies; what stays out is what is not the client's data or not yet a record (others' feedback
answers that name no one, unfinished questionnaire drafts), as in the staff export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership
from polku.clients import actors, identity, progress, selectors, timeline
from polku.clients.models import Client
from polku.core import plugins


@dataclass(frozen=True)
class ExportSection:
    """Another app's records in the export: `read(client, viewer)` returns the records the viewer may
    see, each a dict with a `summary` line for the printable page and the data itself for JSON. Apps whose
    records are the client's data contribute one from their `AppConfig.ready()`
    (`polku.core.plugins.contribute`), so that the export stays complete as apps are added."""

    key: str
    title: Any
    # `read(client, None)` is the client's own download: every record of the client, unscoped.
    read: Callable[[Client, Membership | None], list[dict[str, Any]]]


NOT_INCLUDED = _(
    "Other organisations may hold records about the client that this export does not include without the"
    " client's consent; the client may ask them directly."
)


OWN_DOWNLOAD = _(
    "This download holds what every organisation using Polku has recorded about you in Polku."
    " Organisations may also hold records about you in their other systems; you may ask them directly."
)
THE_CLIENT = actors.THE_CLIENT


def when(moment: datetime) -> str:
    """A moment as the export writes it: ISO 8601 in Finnish time (Europe/Helsinki) with its offset,
    as the client reads every other time in Polku, not in the UTC the database keeps."""
    return timezone.localtime(moment).isoformat()


def _membership(m: Membership | None) -> dict[str, str] | None:
    if m is None:
        return None
    return {
        "name": str(m.user),
        "role": m.get_role_display(),
        "organisation": m.unit.organisation.display_name,
    }


def client_export(client: Client, *, viewer: Membership | None) -> dict[str, Any]:
    """The export as `viewer` may read it; `viewer=None` is the client themself (their own download)."""
    cases = selectors.cases_for_export(client, viewer=viewer)
    data: dict[str, Any] = {
        "exported_at": when(timezone.now()),
        "exported_by": _membership(viewer)
        if viewer is not None
        else {"name": client.full_name, "role": str(THE_CLIENT), "organisation": ""},
        "client": {
            "id": str(client.public_id),
            "identity_code": identity.decrypt(client.identity_code_encrypted),
            "first_names": client.first_names,
            "last_name": client.last_name,
            "birth_date": client.birth_date.isoformat(),
            "sex": client.get_sex_display(),
            "municipality": str(client.municipality),
            "languages": client.language_labels(),
            "phone": client.phone,
            "email": client.email,
            "address": " ".join(
                filter(None, [client.street_address, client.postal_code, client.post_office])
            ),
            "preferred_contact_channel": client.get_preferred_contact_channel_display(),
            "needs_interpreter": client.needs_interpreter,
            "interpreter_language": client.interpreter_language,
            "registered_at": when(client.created_at),
        },
        "cases": [],
        "contacts": [],
        "consents": [],
        "timeline": [],
        "access_log": [],
        # Said of every export alike: which organisations hold records withheld from the viewer, or how
        # many, would tell what the client has not consented to disclose (a health contact happened).
        "not_included": str(NOT_INCLUDED if viewer is not None else OWN_DOWNLOAD),
    }
    for case in cases:
        data["cases"].append(
            {
                "id": str(case.public_id),
                "unit": f"{case.unit.organisation.display_name}: {case.unit.display_name}",
                "source": case.get_source_display(),
                "opened_on": case.opened_on.isoformat(),
                "closed_on": case.closed_on.isoformat() if case.closed_on else None,
                "outcome": case.get_outcome_display(),
                "personal_worker": _membership(case.personal_worker),
                "status_history": [
                    {
                        "status": change.get_status_display(),
                        "at": when(change.at),
                        "by": actors.actor_label(change.by),
                        "cause": progress.cause_label(change.cause) if change.cause else "",
                        "note": change.note,
                    }
                    for change in case.status_changes.all()
                ],
                "worker_history": [
                    {"worker": _membership(change.worker), "at": when(change.at), "note": change.note}
                    for change in case.worker_changes.all()
                ],
                "team": [
                    {
                        "member": _membership(period.membership),
                        "from": period.started_on.isoformat(),
                        "until": period.ended_on.isoformat() if period.ended_on else None,
                        "responsibility": period.responsibility,
                    }
                    for period in case.team.all()
                ],
            }
        )
    for contact in selectors.contacts_of(client, viewer=viewer):
        data["contacts"].append(
            {
                "date": contact.happened_on.isoformat(),
                "type": contact.get_kind_display(),
                "minutes": contact.duration_minutes,
                "participants": contact.participants,
                "register": contact.get_register_display(),
                "organisation": contact.organisation.display_name,
                "author": str(contact.author.user),
                "note": contact.note,
            }
        )
    for consent in selectors.consents_of(client, viewer=viewer):
        data["consents"].append(
            {
                "discloser": consent.discloser.display_name,
                "recipient": consent.recipient.display_name,
                "registers": consent.register_labels(),
                "purpose": consent.purpose,
                "valid_from": consent.valid_from.isoformat(),
                "valid_until": consent.valid_until.isoformat() if consent.valid_until else None,
                "method": consent.get_method_display(),
                "revoked_on": consent.revoked_on.isoformat() if consent.revoked_on else None,
            }
        )
    for entry in timeline.for_client(client, viewer=viewer):
        data["timeline"].append(
            {
                "at": when(entry.at),
                "by": timeline.actor_of(entry),
                "event": timeline.label_for(entry),
                "text": entry.text,
            }
        )
    data["sections"] = []
    for section in plugins.contributions(ExportSection):
        records = section.read(client, viewer)
        data[section.key] = records
        data["sections"].append({"key": section.key, "title": str(section.title), "records": records})
    for event in selectors.access_report(client, viewer=viewer):
        row = selectors.AccessEvent.of(event)
        data["access_log"].append(
            {
                "at": when(event.at),
                "person": actors.event_actor(event),
                "organisation": event.organisation.display_name if event.organisation else "",
                "role": event.role,
                "action": event.action,
                "what": row.action,
                "basis": row.basis,
                "reason": event.reason,
            }
        )
    return data
