"""One synthetic client's path, row for row what the services write: the client, cases with their
status history, worker changes and team periods (the personal worker's included), contacts, consents,
timeline entries and audit events (`records.py` makes the rows of each call)."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from typing import Any

from polku.accounts.models import Role
from polku.clients import identity
from polku.clients.demo import OULU_COACH, OULU_NURSE, OULU_WORKER
from polku.clients.demo_people import OTHER_LANGUAGES, POSTAL_CODES
from polku.clients.demo_story import (
    NEXT_STEPS,
    OPEN_STATUSES,
    SOURCES,
    between,
)
from polku.clients.models import (
    Case,
    CaseStatus,
    CaseStatusChange,
    CaseTeamMember,
    CaseWorkerChange,
    Client,
    Register,
)
from polku.core import names as core_names
from polku.core import search

from .people import ASCII, CLOSED_OUTCOMES, STATUS_WEIGHTS, scale_person
from .records import Records
from .staff import HEALTH_ROLES, PROFESSIONALS, Region, Staff


class ClientRows(Records):
    """Makes the rows of client number `index` (`add`)."""

    def add(self, index: int) -> None:
        self._client(index)

    def _client(self, index: int) -> None:
        rng, today = self.rng, self.today
        tenth = index % 10
        region = self.regions[0 if tenth < 7 else 1 if tenth < 9 else 2]
        owner = region.workers[(index // 10) % len(region.workers)]
        code, birth_date, individual = scale_person(index)
        sex = "male" if individual % 2 else "female"
        client_id, client_pid = self.sink.take(Client), uuid.uuid4()
        client = (client_id, client_pid, region)

        roll = rng.random()
        stage = rng.choices(range(6), STATUS_WEIGHTS)[0]
        cases: list[dict[str, Any]] = []
        if roll < 0.12:  # only a closed case
            closed_on = today - timedelta(days=rng.randint(5, 700))
            cases.append(
                {
                    "opened": closed_on - timedelta(days=rng.randint(60, 500)),
                    "closed_on": closed_on,
                    "stage": rng.randint(1, 5),
                }
            )
        else:
            opened = today - timedelta(days=min(14 + 55 * stage + rng.randint(0, 150), 1300))
            if roll < 0.20:  # came back after an earlier case
                closed_on = opened - timedelta(days=rng.randint(20, 400))
                cases.append(
                    {
                        "opened": closed_on - timedelta(days=rng.randint(60, 400)),
                        "closed_on": closed_on,
                        "stage": rng.randint(1, 5),
                    }
                )
            cases.append({"opened": opened, "closed_on": None, "stage": stage})

        for number, plan in enumerate(cases):
            opener = owner
            current = plan["closed_on"] is None
            handover_to = None
            if current and region is self.regions[0] and self.demo_slots[OULU_WORKER] > 0:
                handover_to = self.demo[OULU_WORKER]
                self.demo_slots[OULU_WORKER] -= 1
            elif rng.random() < 0.15 and len(region.workers) > 1:
                opener = rng.choice(region.workers)
                handover_to = owner if opener is not owner else None
            last = self._case(
                client, region=region, opener=opener, handover_to=handover_to, first=number == 0, **plan
            )
            if number == 0:
                first_at, creator = last["opened_at"], opener
        self._consents(client, last)
        for _ in range(rng.randint(2, 4)):
            self._audit(
                last["owner"], "client.view", "clients.client", str(client_pid), client_pid, request=True
            )

        first = rng.choice(self.first_names[sex])
        if rng.random() < 0.4:
            second = rng.choice(self.first_names[sex])
            first = f"{first} {second}" if second != first else first
        last_name = rng.choice(self.last_names)
        municipality = rng.choice(region.municipalities)
        postal, office = rng.choice(POSTAL_CODES[municipality])
        languages, other, interpreter = ["fi"], "", ""
        if (roll := rng.random()) < 0.05:
            languages = ["sv"] if region.key == "espoo" else ["sv", "fi"]
        elif roll < 0.12:
            other = rng.choice(OTHER_LANGUAGES)
            languages = ["other", "en"] if roll < 0.09 else ["other"]
            interpreter = other if roll >= 0.08 else ""
        email = ""
        if rng.random() < 0.55:
            email = f"{first.split()[0]}.{last_name}{index}@example.com".lower().translate(ASCII)
        self.rows[Client].append(
            (
                client_id,
                client_pid,
                first_at,
                first_at,
                identity.encrypt(code),
                identity.lookup_hash(code),
                identity.mask(code),
                first,
                last_name,
                birth_date,
                sex,
                municipality,
                json.dumps(languages),
                other,
                f"04{rng.choice('0145')} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                email,
                f"{rng.choice(self.streets)} {rng.randint(1, 60)}",
                postal,
                office,
                rng.choice(["phone", "phone", "sms", "email", ""]),
                bool(interpreter),
                interpreter,
                creator.id,
                search.fold(f"{first} {last_name}"),  # as Client.save() keeps it
            )
        )

    def _case(
        self,
        client: tuple[int, uuid.UUID, Region],
        *,
        region: Region,
        opener: Staff,
        handover_to: Staff | None,
        first: bool,
        opened: date,
        closed_on: date | None,
        stage: int,
    ) -> dict[str, Any]:
        rng, sink = self.rng, self.sink
        client_id, client_pid, _ = client
        case_id, case_pid = sink.take(Case), uuid.uuid4()
        self.case_pid = case_pid  # the case the audit events that follow are about (`_audit`)
        case_ref = ("clients.case", str(case_pid))
        end = closed_on or self.today - timedelta(days=1)
        span = (end - opened).days
        stage = min(stage, max(span - 1, 0))
        days = [opened] + [opened + timedelta(days=d) for d in sorted(rng.sample(range(1, span), stage))]
        handover_on = None
        if handover_to is not None:
            earliest = max(opened + timedelta(days=1), handover_to.valid_from, end - timedelta(days=300))
            handover_on = min(between(rng, earliest, end), end)
        owner = handover_to or opener

        def worker_on(day: date) -> Staff:
            return owner if handover_on is not None and day >= handover_on else opener

        opened_at = self._at(opened)
        source = rng.choices([s for s, _ in SOURCES], [w for _, w in SOURCES])[0]
        self._timeline(
            client,
            case_id,
            "case.opened",
            opened_at,
            opener,
            case_ref,
            core_names.both("unit", opener.unit_name, opener.unit_name_sv),
        )
        self._audit(opener, "case.open", *case_ref, client_pid, {"source": source})
        if first:
            self._audit(opener, "client.create", "clients.client", str(client_pid), client_pid)
        self.rows[CaseWorkerChange].append(
            (sink.take(CaseWorkerChange), case_id, opener.id, None, opened_at, opener.id, "")
        )
        team: list[list[Any]] = [self._period(case_id, opener, opened, opener, opened_at)]
        previous, status_at = "", opened_at
        for status, day in zip(OPEN_STATUSES, days, strict=False):
            by = worker_on(day)
            status_at = opened_at if not previous else self._at(day)
            self.rows[CaseStatusChange].append(
                (sink.take(CaseStatusChange), case_id, status, previous, status_at, by.id, "", "")
            )
            if previous:
                self._timeline(
                    client, case_id, "case.status_changed", status_at, by, case_ref, {"status": status}
                )
                self._audit(by, "case.status", *case_ref, client_pid, {"status": status})
            previous = status
        if handover_on is not None and handover_to is not None:
            at = self._at(handover_on)
            self.rows[CaseWorkerChange].append(
                (
                    sink.take(CaseWorkerChange),
                    case_id,
                    owner.id,
                    opener.id,
                    at,
                    opener.id,
                    "Siirto omatyöntekijälle.",
                )
            )
            team[0][9], team[0][11] = handover_on, opener.id
            team.append(self._period(case_id, owner, handover_on, opener, at))
            self._timeline(
                client,
                case_id,
                "case.worker_assigned",
                at,
                opener,
                case_ref,
                {"worker": owner.name},
                "Siirto omatyöntekijälle.",
            )
            self._audit(opener, "case.assign", *case_ref, client_pid, {"worker": owner.public_id})

        for _ in range(rng.randint(2, 5)):  # the personal worker's contacts, the first at the opening
            day = opened if _ == 0 else between(rng, opened, end)
            self._contact(
                client,
                case_id,
                worker_on(day),
                day,
                Register.SOCIAL if rng.random() < 0.3 else Register.EMPLOYMENT,
            )
        county_member = None
        for role, share, from_stage, _load in PROFESSIONALS:
            if stage < from_stage or rng.random() >= share:
                continue
            member = self._demo_member(role, region) or rng.choice(region.professionals[role])
            join = max(days[from_stage] + timedelta(days=rng.randint(0, 7)), member.valid_from)
            if join > end:
                continue
            by = worker_on(join)
            at = self._at(join)
            period = self._period(case_id, member, join, by, at)
            team.append(period)
            self._timeline(
                client,
                case_id,
                "team.member_added",
                at,
                by,
                ("clients.caseteammember", str(period[1])),
                {"member": member.name, "role": role},
            )
            self._audit(
                by,
                "team.add",
                "clients.caseteammember",
                str(period[1]),
                client_pid,
                {"member": member.public_id},
            )
            leaves = between(rng, join + timedelta(days=7), end) if rng.random() < 0.15 else None
            if leaves is not None and leaves < end:
                ender = worker_on(leaves)
                period[9], period[11] = leaves, ender.id
                at = self._at(leaves)
                self._timeline(
                    client,
                    case_id,
                    "team.member_ended",
                    at,
                    ender,
                    ("clients.caseteammember", str(period[1])),
                    {"member": member.name},
                )
                self._audit(ender, "team.end", "clients.caseteammember", str(period[1]), client_pid)
            register = (
                Register.HEALTH
                if role in HEALTH_ROLES
                else (Register.SOCIAL if role == Role.SOCIAL_WORKER else Register.EMPLOYMENT)
            )
            for _ in range(rng.randint(1, 3)):
                self._contact(client, case_id, member, between(rng, join, period[9] or end), register)
            if member.organisation_id == region.county.pk and county_member is None:
                county_member = (member, join)

        next_step, next_on = "", None
        if closed_on is None:
            for planned in sorted(
                {
                    between(rng, max(days[-1], end - timedelta(days=45)), end),
                    *[between(rng, opened, end) for _ in range(rng.randint(0, 2))],
                }
            ):
                next_step = NEXT_STEPS[min(stage + rng.randint(0, 2), len(NEXT_STEPS) - 1)]
                next_on = planned + timedelta(days=rng.randint(7, 60))
                at = self._at(planned)
                self._timeline(
                    client,
                    case_id,
                    "case.next_step",
                    at,
                    worker_on(planned),
                    case_ref,
                    {"on": next_on.isoformat(), "step": next_step},
                )
                self._audit(worker_on(planned), "case.next_step", *case_ref, client_pid)
        else:
            outcome = rng.choices([o for o, _ in CLOSED_OUTCOMES], [w for _, w in CLOSED_OUTCOMES])[0]
            status_at = self._at(closed_on)
            self.rows[CaseStatusChange].append(
                (
                    sink.take(CaseStatusChange),
                    case_id,
                    CaseStatus.CLOSED,
                    previous,
                    status_at,
                    owner.id,
                    "",
                    "",
                )
            )
            self._timeline(client, case_id, "case.closed", status_at, owner, case_ref, {"outcome": outcome})
            self._audit(owner, "case.close", *case_ref, client_pid, {"outcome": outcome})
            for period in team:
                if period[9] is None:
                    period[9], period[11] = closed_on, owner.id
            previous = CaseStatus.CLOSED
        self.rows[CaseTeamMember].extend(tuple(period) for period in team)
        self.rows[Case].append(
            (
                case_id,
                case_pid,
                opened_at,
                status_at,
                client_id,
                opener.unit_id,
                source,
                opened,
                opener.id,
                previous,
                status_at,
                owner.id,
                next_step,
                next_on,
                closed_on,
                "" if closed_on is None else outcome,
            )
        )
        return {
            "opened_at": opened_at,
            "owner": owner,
            "case_id": case_id,
            "end": end,
            "county": county_member,
            "open": closed_on is None,
            "worker_on": worker_on,
        }

    def _consents(self, client: tuple[int, uuid.UUID, Region], case: dict[str, Any]) -> None:
        """Health records from the county to the city (valid, expired or revoked), recorded by the county's
        professional, and now and then the city's social and employment records to the county, recorded
        by the personal worker: the organisation holding the records records the consent."""
        if case["county"] is None or self.rng.random() >= 0.6:
            return
        rng, (member, joined), region = self.rng, case["county"], client[2]
        owner, end = case["worker_on"](joined), case["end"]
        state = rng.choices(["valid", "expired", "revoked"], [70, 15, 15])[0]
        until = None if rng.random() < 0.5 else joined + timedelta(days=730)
        revoked = None
        if state == "expired":
            until = between(rng, joined, end)
        elif state == "revoked":
            revoked = between(rng, joined, end)
        self._consent(client, member, region.county, region.city, joined, until, revoked, health=True)
        if rng.random() < 0.4:
            self._consent(client, owner, region.city, region.county, joined, None, None, health=False)

    def _demo_member(self, role: str, region: Region) -> Staff | None:
        """The demo nurse and job coach join a few bulk teams in Oulu, so their caseloads grow too."""
        email = {str(Role.NURSE): OULU_NURSE, str(Role.JOB_COACH): OULU_COACH}.get(role)
        if email is None or region is not self.regions[0] or self.demo_slots.get(email, 0) <= 0:
            return None
        self.demo_slots[email] -= 1
        return self.demo[email]
