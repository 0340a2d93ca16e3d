"""The records the services write for one call, as rows: a consent, a contact, a team period, a timeline
entry, and the audit event `audit.record` would write (built by `audit.services.new_event`, written by
`record_many` with the batch). No database access here: a thread makes the rows while another writes
the previous batch."""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, datetime, time, tzinfo
from typing import Any

from django.db.models import Model

from polku.accounts.models import Organisation
from polku.audit import basis
from polku.audit.context import RequestContext
from polku.audit.models import AuditEvent
from polku.audit.services import new_event
from polku.clients.demo_story import NOTES, PARTICIPANTS, RESPONSIBILITIES
from polku.clients.models import (
    CaseTeamMember,
    Consent,
    ConsentMethod,
    Contact,
    ContactKind,
    Register,
    TimelineEntry,
)
from polku.core import names as core_names

from .staff import Region, Staff, Workforce
from .tables import FIELDS, Sink

CONTACT_KINDS = (
    [ContactKind.MEETING] * 4 + [ContactKind.PHONE] * 3 + [ContactKind.VIDEO, ContactKind.HOME_VISIT]
)


class Records:
    """Rows for one service call each; `take` hands over what was made since the last take."""

    def __init__(
        self,
        *,
        rng: random.Random,
        sink: Sink,
        workforce: Workforce,
        first_names: dict[str, list[str]],
        last_names: list[str],
        streets: list[str],
        today: date,
        tz: tzinfo,
    ) -> None:
        self.rng, self.sink, self.today, self.tz = rng, sink, today, tz
        self.regions, self.demo, self.demo_slots = workforce.regions, workforce.demo, workforce.demo_slots
        self.first_names, self.last_names, self.streets = first_names, last_names, streets
        self.rows: dict[type[Model], list[tuple[Any, ...]]] = {model: [] for model in FIELDS}
        self.events: list[AuditEvent] = []
        self.case_pid: uuid.UUID | None = None  # the case being written, whose team is each event's basis

    def take(self) -> tuple[dict[type[Model], list[tuple[Any, ...]]], list[AuditEvent]]:
        made = self.rows, self.events
        self.rows, self.events = {model: [] for model in FIELDS}, []
        return made

    def _consent(
        self,
        client: tuple[int, uuid.UUID, Region],
        by: Staff,
        discloser: Organisation,
        recipient: Organisation,
        valid_from: date,
        until: date | None,
        revoked: date | None,
        *,
        health: bool,
    ) -> None:
        rng = self.rng
        consent_id, consent_pid = self.sink.take(Consent), uuid.uuid4()
        ref = ("clients.consent", str(consent_pid))
        at = self._at(valid_from)
        # Consents recorded by staff (the bulk clients have not logged in to their own Polku).
        method = rng.choices(
            [ConsentMethod.WRITTEN, ConsentMethod.ELECTRONIC, ConsentMethod.VERBAL_WITH_WITNESS], [60, 30, 10]
        )[0]
        witness = (
            rng.choice(self.first_names["female"]) + " " + rng.choice(self.last_names)
            if method == ConsentMethod.VERBAL_WITH_WITNESS
            else ""
        )
        revoked_at = self._at(revoked) if revoked else None
        self.rows[Consent].append(
            (
                consent_id,
                consent_pid,
                at,
                revoked_at or at,
                client[0],
                discloser.pk,
                recipient.pk,
                not health,
                health,
                not health,
                "Työkyvyn arviointi ja palvelupolun suunnittelu",
                valid_from,
                until,
                method,
                witness,
                by.id,
                revoked,
                by.id if revoked else None,
                revoked_at,
                "Asiakas perui suostumuksen." if revoked else "",
            )
        )
        # As `clients.timeline.consent_names` stores them: Finnish, and Swedish beside it where there is one.
        names = {
            **core_names.both("discloser", discloser.name, discloser.name_sv),
            **core_names.both("recipient", recipient.name, recipient.name_sv),
        }
        self._timeline(client, None, "consent.recorded", at, by, ref, names)
        registers = [Register.HEALTH] if health else [Register.SOCIAL, Register.EMPLOYMENT]
        self._audit(by, "consent.record", *ref, client[1], {"registers": [str(r) for r in registers]})
        if revoked_at is not None:
            self._timeline(
                client, None, "consent.revoked", revoked_at, by, ref, names, "Asiakas perui suostumuksen."
            )
            self._audit(by, "consent.revoke", *ref, client[1])

    def _contact(
        self, client: tuple[int, uuid.UUID, Region], case_id: int, author: Staff, day: date, register: str
    ) -> None:
        rng = self.rng
        contact_id, contact_pid = self.sink.take(Contact), uuid.uuid4()
        kind = rng.choice(CONTACT_KINDS)
        minutes = 15 if kind == ContactKind.PHONE else rng.choice([30, 45, 60, 90])
        note = rng.choice(NOTES[register])
        at = self._at(day)
        self.rows[Contact].append(
            (
                contact_id,
                contact_pid,
                at,
                at,
                case_id,
                client[0],
                kind,
                day,
                minutes,
                PARTICIPANTS[register],
                note,
                register,
                author.organisation_id,
                author.id,
            )
        )
        ref = ("clients.contact", str(contact_pid))
        params = {"kind": kind, "register": register, "on": day.isoformat(), "minutes": minutes}
        self._timeline(client, case_id, "contact.recorded", at, author, ref, params, note, register)
        self._audit(author, "contact.record", *ref, client[1])

    def _period(self, case_id: int, member: Staff, started_on: date, by: Staff, at: datetime) -> list[Any]:
        return [
            self.sink.take(CaseTeamMember),
            uuid.uuid4(),
            at,
            at,
            case_id,
            member.id,
            member.role,
            RESPONSIBILITIES.get(member.role, ""),
            started_on,
            None,
            by.id,
            None,
        ]

    def _timeline(
        self,
        client: tuple[int, uuid.UUID, Region],
        case_id: int | None,
        kind: str,
        at: datetime,
        actor: Staff,
        ref: tuple[str, str],
        params: dict[str, Any],
        text: str = "",
        register: str = "",
    ) -> None:
        self.rows[TimelineEntry].append(
            (
                self.sink.take(TimelineEntry),
                client[0],
                case_id,
                kind,
                at,
                actor.id,
                actor.organisation_id,
                register,
                ref[0],
                ref[1],
                json.dumps(params, ensure_ascii=False),
                text,
            )
        )

    def _audit(
        self,
        actor: Staff,
        action: str,
        object_type: str,
        object_id: str,
        client_pid: uuid.UUID,
        details: dict[str, Any] | None = None,
        *,
        request: bool = False,
    ) -> None:
        """The event `audit.record` writes for the same call (a view's when `request`), written by
        `record_many` with the batch and sealed by the normal sealer. Every seeded actor works on the
        case being written (`case_pid`), which is the basis of the access (`audit.basis`)."""
        context = (
            RequestContext(request_id=uuid.uuid4().hex, ip=f"192.0.2.{self.rng.randint(1, 254)}")
            if request
            else None
        )
        self.events.append(
            new_event(
                actor.membership,
                action,
                (object_type, object_id),
                client=client_pid,
                details=details,
                request=context,
                basis=basis.team(self.case_pid, actor.role),
            )
        )

    def _at(self, day: date) -> datetime:
        minutes = self.rng.randint(8 * 60 + 5, 15 * 60 + 50)
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.tz)
