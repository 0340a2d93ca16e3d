"""The synthetic staff the bulk clients need: personal workers (about 40 open cases each) and team
professionals of the three demo regions, in units of 15, created once and found again on the next run;
and how many bulk cases the demo accounts take on top of their own demo caseloads."""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password

from polku.accounts.demo import synthetic_business_id
from polku.accounts.models import Membership, Organisation, OrganisationKind, Role, Unit, User
from polku.clients.demo import OULU_COACH, OULU_NURSE, OULU_WORKER
from polku.clients.models import Case, CaseTeamMember, Client

SCALE_DOMAIN = "scale.polku.example"
OPEN_CASES_PER_WORKER = 40
# role, share of cases whose team it joins, the status from which it joins, clients per professional
PROFESSIONALS = [
    (Role.NURSE, 0.45, 1, 90),
    (Role.SOCIAL_WORKER, 0.25, 1, 60),
    (Role.PSYCHOLOGIST, 0.08, 2, 60),
    (Role.PHYSIOTHERAPIST, 0.06, 2, 60),
    (Role.PHYSICIAN, 0.05, 2, 150),
    (Role.OCCUPATIONAL_THERAPIST, 0.04, 2, 60),
    (Role.JOB_COACH, 0.15, 3, 18),
]
HEALTH_ROLES = {
    Role.NURSE,
    Role.PSYCHOLOGIST,
    Role.PHYSIOTHERAPIST,
    Role.PHYSICIAN,
    Role.OCCUPATIONAL_THERAPIST,
}
# Share of the clients (in tenths), city, wellbeing services county, municipalities of residence.
REGIONS = [
    (
        "oulu",
        7,
        "Oulun kaupunki",
        "Pohjois-Pohjanmaan hyvinvointialue",
        ["564"] * 14 + ["244", "425", "494", "139", "859", "072"],
    ),
    ("espoo", 2, "Espoon kaupunki", "Länsi-Uudenmaan hyvinvointialue", ["049"] * 8 + ["235", "257"]),
    ("rovaniemi", 1, "Rovaniemen kaupunki", "Lapin hyvinvointialue", ["698"] * 5 + ["320"]),
]
SCALE_FROM = date(2020, 1, 1)  # synthetic memberships are valid from here
DEMO_HANDOVERS, DEMO_NURSE_TEAMS, DEMO_COACH_TEAMS = 15, 20, 6


class Staff:
    """What the rows need of a membership, read once; `membership` (with its user, unit and organisation
    loaded) is the actor of the audit events."""

    __slots__ = (
        "email",
        "id",
        "membership",
        "name",
        "organisation_id",
        "public_id",
        "role",
        "unit_id",
        "unit_name",
        "unit_name_sv",
        "user_id",
        "valid_from",
    )

    def __init__(self, m: Membership) -> None:
        self.membership = m
        self.id, self.public_id, self.user_id, self.role = m.pk, str(m.public_id), m.user_id, m.role
        self.email, self.name = m.user.email, str(m.user)
        self.unit_id, self.unit_name, self.organisation_id = m.unit_id, m.unit.name, m.unit.organisation_id
        self.unit_name_sv = m.unit.name_sv
        self.valid_from = m.valid_from


@dataclass
class Region:
    key: str
    city: Organisation
    county: Organisation
    municipalities: list[str]
    workers: list[Staff]
    professionals: dict[str, list[Staff]]


@dataclass
class Workforce:
    regions: list[Region]
    demo: dict[str, Staff]  # the demo accounts that take bulk cases, by email
    demo_slots: dict[str, int]  # how many more bulk cases (or teams) each of them takes
    count: int


class StaffBuilder:
    def __init__(
        self, target: int, rng: random.Random, first_names: dict[str, list[str]], last_names: list[str]
    ):
        self.target, self.rng = target, rng
        self.first_names, self.last_names = first_names, last_names

    def build(self) -> Workforce:
        self._staff()
        return Workforce(self.regions, self.demo, self._demo_slots(), self.staff_count)

    def _staff(self) -> None:
        """Units, users and memberships for the personal workers and team professionals that N clients
        need; created once, found again on the next run."""
        self.regions: list[Region] = []
        wanted: list[tuple[Organisation, str, str, str]] = []  # organisation, unit name, role, email
        plans = []
        for key, tenths, city_name, county_name, municipalities in REGIONS:
            clients = math.ceil(self.target * tenths / 10)
            city = Organisation.objects.get(name=city_name)
            county = _organisation(county_name, OrganisationKind.WELLBEING_COUNTY)
            roles = [(Role.PERSONAL_WORKER, math.ceil(clients * 0.87 / OPEN_CASES_PER_WORKER))]
            roles += [(role, math.ceil(clients * share / load)) for role, share, _, load in PROFESSIONALS]
            for role, count in roles:
                organisation = county if role in HEALTH_ROLES or role == Role.SOCIAL_WORKER else city
                for n in range(count):
                    unit = _unit_name(role, n // 15 + 1)
                    wanted.append(
                        (
                            organisation,
                            unit,
                            role,
                            f"{role.replace('_', '')}.{key}.{n + 1:04d}@{SCALE_DOMAIN}",
                        )
                    )
            plans.append((key, city, county, municipalities))
        users = self._users([email for *_, email in wanted])
        units = {(o.pk, name): None for o, name, _, _ in wanted}
        found = {
            (u.organisation_id, u.name): u
            for u in Unit.objects.filter(
                organisation__in={o for o, *_ in wanted}, name__in={n for _, n, _, _ in wanted}
            )
        }
        Unit.objects.bulk_create([Unit(organisation_id=o, name=n) for o, n in units if (o, n) not in found])
        found = {
            (u.organisation_id, u.name): u
            for u in Unit.objects.filter(
                organisation__in={o for o, *_ in wanted}, name__in={n for _, n, _, _ in wanted}
            )
        }
        have = set(Membership.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
        Membership.objects.bulk_create(
            [
                Membership(user=users[email], unit=found[o.pk, unit], role=role, valid_from=SCALE_FROM)
                for o, unit, role, email in wanted
                if users[email].pk not in have
            ],
            batch_size=1000,
        )
        staff = [
            Staff(m)
            for m in Membership.objects.filter(user__email__endswith=f"@{SCALE_DOMAIN}")
            .select_related("user", "unit__organisation")
            .order_by("user__email")
        ]
        self.staff_count = len(staff)
        for key, city, county, municipalities in plans:
            mine = [s for s in staff if f".{key}." in s.email]
            self.regions.append(
                Region(
                    key,
                    city,
                    county,
                    municipalities,
                    workers=[s for s in mine if s.role == Role.PERSONAL_WORKER],
                    professionals={role: [s for s in mine if s.role == role] for role, *_ in PROFESSIONALS},
                )
            )
        demo = {
            m.user.email: Staff(m)
            for m in Membership.objects.active()
            .select_related("user", "unit__organisation")
            .filter(user__email__in=[OULU_WORKER, OULU_NURSE, OULU_COACH])
        }
        self.demo = demo

    def _users(self, emails: list[str]) -> dict[str, User]:
        have = {u.email: u for u in User.objects.filter(email__in=emails)}
        new = []
        for email in emails:
            if email not in have:
                sex = self.rng.choice(["female", "male"])
                new.append(
                    User(
                        email=email,
                        first_name=self.rng.choice(self.first_names[sex]),
                        last_name=self.rng.choice(self.last_names),
                        password=make_password(None),
                    )
                )
        User.objects.bulk_create(new, batch_size=1000)
        return {u.email: u for u in User.objects.filter(email__in=emails)}

    def _demo_slots(self) -> dict[str, int]:
        """How many more bulk cases the demo accounts take, so the demo worker's caseload stays ~45."""
        scale_clients = Client.objects.filter(created_by__user__email__endswith=f"@{SCALE_DOMAIN}")
        worker = self.demo.get(OULU_WORKER)
        taken = {
            OULU_WORKER: Case.objects.filter(client__in=scale_clients, personal_worker_id=worker.id).count()
            if worker
            else 0,
            OULU_NURSE: CaseTeamMember.objects.filter(
                case__client__in=scale_clients, membership__user__email=OULU_NURSE
            ).count(),
            OULU_COACH: CaseTeamMember.objects.filter(
                case__client__in=scale_clients, membership__user__email=OULU_COACH
            ).count(),
        }
        limits = {OULU_WORKER: DEMO_HANDOVERS, OULU_NURSE: DEMO_NURSE_TEAMS, OULU_COACH: DEMO_COACH_TEAMS}
        return {email: max(limits[email] - taken[email], 0) if email in self.demo else 0 for email in limits}

    # --- One client's rows ---------------------------------------------------------------------------


def _organisation(name: str, kind: str) -> Organisation:
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        base = 2_950_000 + int(hashlib.sha256(name.encode()).hexdigest()[:6], 16) % 40_000
        business_id = synthetic_business_id(base)
        while Organisation.objects.filter(business_id=business_id).exists():
            base += 1
            business_id = synthetic_business_id(base)
        organisation = Organisation.objects.create(name=name, kind=kind, business_id=business_id)
    return organisation


def _unit_name(role: str, team: int) -> str:
    if role == Role.PERSONAL_WORKER:
        return f"Työllisyyspalvelut, omatyöntekijätiimi {team}"
    if role == Role.JOB_COACH:
        return f"IPS-työhönvalmennus, tiimi {team}"
    if role == Role.SOCIAL_WORKER:
        return f"Aikuissosiaalityö, tiimi {team}"
    return f"Työkykypalvelut, {PROFESSION_NAMES[role]} {team}"


PROFESSION_NAMES: dict[str, str] = {
    Role.NURSE: "terveydenhoitajat",
    Role.PSYCHOLOGIST: "psykologit",
    Role.PHYSIOTHERAPIST: "fysioterapeutit",
    Role.PHYSICIAN: "lääkärit",
    Role.OCCUPATIONAL_THERAPIST: "toimintaterapeutit",
}
