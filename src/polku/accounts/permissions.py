"""The one place that answers "may this membership do this action on this object".

Deny by default: an action nobody has written a rule for is refused, and so is everything for a user
without an active membership. Later apps add their rules here with `@rule("action")`, next to the
ones that already exist, so that every access decision in Polku can be read in one file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from polku.accounts.models import Membership, Role
from polku.core.compiled import compiled

if TYPE_CHECKING:
    from polku.accounts.models import User

Rule = Callable[[Membership, Any], bool]
_RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(check: Rule) -> Rule:
        if action in _RULES:
            raise RuntimeError(f"Permission rule {action!r} is defined twice.")
        _RULES[action] = check
        return check

    return register


_decided: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("polku_decided", default=None)


@contextmanager
def decided_once() -> Iterator[None]:
    """Within the block (or the decorated view), each fact about a viewer and a client or case is read
    from the database once: a page that asks several rules about the same client (may view, edit,
    export, record a contact) pays for each fact once, and the facts about the viewer and one client
    are read together (`ClientFacts`). Only for pages that change no access on the way:
    an answer stays as it was first read until the block ends."""
    token = _decided.set({})
    try:
        yield
    finally:
        _decided.reset(token)


def _once(key: tuple[Any, ...], decide: Callable[[], bool]) -> bool:
    return bool(_remembered(key, decide))


def _remembered(key: tuple[Any, ...], read: Callable[[], Any]) -> Any:
    decided = _decided.get()
    if decided is None:
        return read()
    if key not in decided:
        decided[key] = read()
    return decided[key]


def known_actions() -> list[str]:
    return sorted(_RULES)


def can(membership: Membership | None, action: str, obj: Any = None) -> bool:
    if membership is None or not membership.is_active_on():
        return False
    check = _RULES.get(action)
    if check is None:
        return False
    return bool(check(membership, obj))


def require(membership: Membership | None, action: str, obj: Any = None, *, hide: bool = False) -> None:
    """Return quietly when allowed; otherwise audit the refusal and raise.

    `hide=True` answers 404 instead of 403, for objects the user may not know exist.
    """
    if can(membership, action, obj):
        return
    refuse(membership, action, obj, hide=hide)


def refuse(actor: Membership | User | None, action: str, obj: Any = None, *, hide: bool = False) -> NoReturn:
    """Audit the refusal and raise. The audit event survives the rollback of any open transaction."""
    from polku.audit.services import record_despite_rollback

    error: Exception = Http404() if hide else PermissionDenied()
    record_despite_rollback(
        error, actor, "permission.refused", obj, client=_client_in(obj), details={"action": action}
    )
    raise error


def _client_in(obj: Any) -> Any:
    """The client whose data a refused request was about, so the refusal shows in their access report."""
    from polku.clients.models import Client

    if obj is None or isinstance(obj, Client):
        return obj
    client = getattr(obj, "client", None)
    return client if isinstance(client, Client) else None


def is_administrator(user: User) -> bool:
    """Whether the user holds an active administrator membership (cached on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.holds_administrator_membership


def must_use_mfa(user: User) -> bool:
    """Staff (anyone with a membership, current or not) must use two-factor authentication."""
    return user.is_authenticated and user.memberships.exists()


# --- Rules -------------------------------------------------------------------------------------------


@rule("workspace.view")
def _workspace_view(membership: Membership, obj: Any) -> bool:
    # An external work trial host sees only the feedback form sent to them (ARCHITECTURE.md, Roles).
    return not membership.has_role(Role.WORK_TRIAL_HOST)


@rule("admin.access")
def _admin_access(membership: Membership, obj: Any) -> bool:
    return membership.has_role(Role.ADMINISTRATOR)


@rule("api.use")
def _api_use(membership: Membership, obj: Any) -> bool:
    return not membership.has_role(Role.WORK_TRIAL_HOST)


# --- The client relationship (ARCHITECTURE.md rule 1) ------------------------------------------------
# Staff see a client while they are on one of the client's case teams, or for a few hours after a
# personal worker has opened the client with a stated reason ("break the glass"). Records of a register
# (contacts and their notes, and timeline entries of a register) are shown only when the viewer's
# organisation owns them or the client's valid consent lets the owner disclose that register to it.
# `selectors` apply these Q objects to every query of client data; the rules below use the same ones.


def client_relationship(viewer: Membership, *, client_field: str = "pk") -> Q:
    """Q on Client (or, with `client_field`, on a model with a client key) for the clients the viewer
    may see now."""
    on_team = _team_periods_now(viewer).filter(case__client=OuterRef(client_field))
    glass = _glass_now(viewer).filter(client=OuterRef(client_field))
    return Q(Exists(on_team)) | Q(Exists(glass))


def _team_periods_now(viewer: Membership) -> Any:
    """The viewer's team periods that have started and not ended."""
    from polku.clients.models import CaseTeamMember

    return CaseTeamMember.objects.filter(
        membership=viewer, ended_on__isnull=True, started_on__lte=timezone.localdate()
    )


def _glass_now(viewer: Membership) -> Any:
    """The viewer's break-the-glass accesses that have not expired."""
    from polku.clients.models import BreakGlassAccess

    return BreakGlassAccess.objects.filter(membership=viewer, expires_at__gt=timezone.now())


def disclosed_records(viewer: Membership, *, client_field: str = "client", client: Any = None) -> Q:
    """Q on a register record (fields `organisation`, `register` and a client key) for the records the
    viewer's organisation owns or may receive under a consent valid today.

    With `client` (records of one client, as on the client's pages) the consents valid today are read
    once and the Q names the disclosing organisations and registers outright: the same rule without a
    subquery per register, which Django takes milliseconds to build on every page."""
    from polku.clients.models import Consent, Register

    if client is not None:
        return _disclosed_for_client(viewer, client)
    consents = Consent.objects.valid_on().filter(
        client=OuterRef(client_field),
        discloser=OuterRef("organisation"),
        recipient_id=viewer.unit.organisation_id,
    )
    return (
        Q(organisation_id=viewer.unit.organisation_id)
        | Q(register=Register.SOCIAL) & Q(Exists(consents.filter(covers_social=True)))
        | Q(register=Register.HEALTH) & Q(Exists(consents.filter(covers_health=True)))
        | Q(register=Register.EMPLOYMENT) & Q(Exists(consents.filter(covers_employment=True)))
    )


@dataclass(frozen=True)
class Disclosers:
    """For one client and viewer: the viewer's organisation and, per register, the organisations whose
    records of it the client's consents valid today let the viewer read. Lists of plain values, so that
    compiled queries (core.compiled) take them as parameters; `q()` is the rule as a Q."""

    own: int
    social: list[int]
    health: list[int]
    employment: list[int]

    @staticmethod
    def q(own: int, social: list[int], health: list[int], employment: list[int]) -> Q:
        from polku.clients.models import Register

        disclosed = Q(organisation_id=own)
        for register, organisations in (
            (Register.SOCIAL, social),
            (Register.HEALTH, health),
            (Register.EMPLOYMENT, employment),
        ):
            if organisations:
                disclosed |= Q(register=register, organisation_id__in=organisations)
        return disclosed

    def params(self) -> dict[str, Any]:
        return {"own": self.own, "social": self.social, "health": self.health, "employment": self.employment}


def disclosers(viewer: Membership, client: Any) -> Disclosers:
    grants = _grants(viewer, client)
    return Disclosers(
        own=viewer.unit.organisation_id,
        social=sorted(discloser for discloser, social, _, _ in grants if social),
        health=sorted(discloser for discloser, _, health, _ in grants if health),
        employment=sorted(discloser for discloser, _, _, employment in grants if employment),
    )


def _grants(viewer: Membership, client: Any) -> list[tuple[int, bool, bool, bool]]:
    own = viewer.unit.organisation_id
    return _remembered(
        ("disclosures", viewer.pk, client.pk),
        lambda: _grant_rows(client_id=client.pk, own=own, today=timezone.localdate()),
    )


@compiled
def _grant_rows(*, client_id: int, own: int, today: date) -> Any:
    from polku.clients.models import Consent

    return (
        Consent.objects.valid_on(today)
        .filter(client_id=client_id, recipient_id=own)
        .values_list("discloser_id", "covers_social", "covers_health", "covers_employment")
    )


def _disclosed_for_client(viewer: Membership, client: Any) -> Q:
    return Disclosers.q(**disclosers(viewer, client).params())


def disclosed_rows(viewer: Membership, rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Of register records read as `(client_id, organisation_id, register, ...)` tuples, those the
    viewer may read: the same rule as `disclosed_records`, applied in Python to a page's rows.

    For pages that read a few records of many clients (the caseload's flags): a consent subquery per
    register costs Django milliseconds to build on every query, while the consents are read here at
    most once per request (remembered within `decided_once`), and only when a row belongs to another
    organisation."""
    from polku.clients.models import Consent, Register

    own = viewer.unit.organisation_id
    rows = list(rows)
    # client id -> the (discloser, register) pairs its consents valid today grant the viewer's organisation
    grants: dict[Any, set[tuple[Any, str]]] = _remembered(("page-disclosures", viewer.pk), dict)
    missing = sorted({row[0] for row in rows if row[1] != own and row[0] not in grants})
    if missing:
        grants.update({client_id: set() for client_id in missing})
        consents = (
            Consent.objects.valid_on()
            .filter(client_id__in=missing, recipient_id=own)
            .values_list("client_id", "discloser_id", "covers_social", "covers_health", "covers_employment")
        )
        for client_id, discloser_id, social, health, employment in consents:
            for register, covered in (
                (Register.SOCIAL, social),
                (Register.HEALTH, health),
                (Register.EMPLOYMENT, employment),
            ):
                if covered:
                    grants[client_id].add((discloser_id, register))
    return [row for row in rows if row[1] == own or (row[1], row[2]) in grants.get(row[0], ())]


def _clients_of(obj: Any) -> Any:
    """The client an object belongs to: a client, or anything with a `client`."""
    from polku.clients.models import Client

    return obj if isinstance(obj, Client) else obj.client


def sees_client(viewer: Membership, obj: Any) -> bool:
    """`client_relationship` for one client: on a case team now, or within break-the-glass."""
    client = _clients_of(obj)
    facts = _client_facts(viewer, client.pk)
    if facts is not None:
        return bool(facts.team_cases) or facts.glass
    return is_on_client_team(viewer, client) or bool(
        _glass_rows(viewer_id=viewer.pk, client_id=client.pk, now=timezone.now())
    )


def is_on_client_team(viewer: Membership, client: Any) -> bool:
    """On the team of any of the client's cases now (without break-the-glass)."""
    facts = _client_facts(viewer, client.pk)
    if facts is not None:
        return bool(facts.team_cases)
    return bool(_client_team_rows(viewer_id=viewer.pk, client_id=client.pk, today=timezone.localdate()))


@dataclass(frozen=True)
class ClientFacts:
    """What the rules ask about a viewer and one client, read together (`_client_facts`)."""

    team_cases: dict[int, bool]  # the client's cases whose team the viewer is on now: id -> open
    worker_of: bool  # the personal worker of one of the client's cases, open or closed
    glass: bool  # within a break-the-glass access to the client now


def _client_facts(viewer: Membership, client_id: int) -> ClientFacts | None:
    """Within `decided_once`: every fact about the viewer and the client in one query the first time a
    rule asks for one of them (a client page asks for four: on a team, on an open case's team, on this
    case's team, personal worker). Outside it, None: each rule reads only the fact it needs."""
    if _decided.get() is None:
        return None

    def read() -> ClientFacts:
        rows = _client_fact_rows(
            viewer_id=viewer.pk, client_id=client_id, today=timezone.localdate(), now=timezone.now()
        )
        if rows:
            glass = bool(rows[0][4])
        else:  # no case at all: the break-the-glass access still counts
            glass = bool(_glass_rows(viewer_id=viewer.pk, client_id=client_id, now=timezone.now()))
        return ClientFacts(
            team_cases={case_id: closed_on is None for case_id, closed_on, _, on_team, _ in rows if on_team},
            worker_of=any(worker_id == viewer.pk for _, _, worker_id, _, _ in rows),
            glass=glass,
        )

    facts: ClientFacts = _remembered(("client_facts", viewer.pk, client_id), read)
    return facts


# The facts above as compiled queries (core.compiled): every client page asks them.


@compiled
def _client_fact_rows(*, viewer_id: int, client_id: int, today: date, now: datetime) -> Any:
    """Each case of the client: id, closed on, personal worker, whether the viewer is on its team now,
    and (the same on every row) whether the viewer is within a break-the-glass access to the client."""
    from polku.clients.models import BreakGlassAccess, Case, CaseTeamMember

    on_team = CaseTeamMember.objects.filter(
        case=OuterRef("pk"), membership_id=viewer_id, ended_on__isnull=True, started_on__lte=today
    )
    glass = BreakGlassAccess.objects.filter(membership_id=viewer_id, client_id=client_id, expires_at__gt=now)
    return (
        Case.objects.filter(client_id=client_id)
        .values_list("pk", "closed_on", "personal_worker_id", Exists(on_team), Exists(glass))
        .order_by()
    )


@compiled
def _glass_rows(*, viewer_id: int, client_id: int, now: datetime) -> Any:
    from polku.clients.models import BreakGlassAccess

    return BreakGlassAccess.objects.filter(
        membership_id=viewer_id, client_id=client_id, expires_at__gt=now
    ).values_list("pk", flat=True)[:1]


@compiled
def _client_team_rows(*, viewer_id: int, client_id: int, today: date) -> Any:
    from polku.clients.models import CaseTeamMember

    return CaseTeamMember.objects.filter(
        membership_id=viewer_id, ended_on__isnull=True, started_on__lte=today, case__client_id=client_id
    ).values_list("pk", flat=True)[:1]


@compiled
def _case_team_rows(*, viewer_id: int, case_id: int, today: date) -> Any:
    from polku.clients.models import CaseTeamMember

    return CaseTeamMember.objects.filter(
        membership_id=viewer_id, ended_on__isnull=True, started_on__lte=today, case_id=case_id
    ).values_list("pk", flat=True)[:1]


@compiled
def _open_case_team_rows(*, viewer_id: int, client_id: int, today: date) -> Any:
    from polku.clients.models import Case

    return (
        Case.objects.filter(client_id=client_id, closed_on__isnull=True)
        .filter(team__membership_id=viewer_id, team__ended_on__isnull=True, team__started_on__lte=today)
        .values_list("pk", flat=True)[:1]
    )


@compiled
def _personal_worker_rows(*, viewer_id: int, client_id: int) -> Any:
    from polku.clients.models import Case

    return Case.objects.filter(client_id=client_id, personal_worker_id=viewer_id).values_list(
        "pk", flat=True
    )[:1]


def is_on_team(viewer: Membership, case: Any) -> bool:
    facts = _client_facts(viewer, case.client_id)
    if facts is not None:
        return case.pk in facts.team_cases
    return bool(_case_team_rows(viewer_id=viewer.pk, case_id=case.pk, today=timezone.localdate()))


def knows_of_case(viewer: Membership, case: Any) -> bool:
    """Whether the viewer may know the case exists: their own organisation's, or one they work on.
    Refusals on any other case answer 404 (selectors.cases_of applies the same rule to lists)."""
    return bool(case.unit.organisation_id == viewer.unit.organisation_id or is_on_team(viewer, case))


def works_with_clients(membership: Membership) -> bool:
    from polku.clients.models import TEAM_ROLES

    return membership.role in TEAM_ROLES


@rule("caseload.view")
def _caseload_view(membership: Membership, obj: Any) -> bool:
    return works_with_clients(membership)


@rule("client.create")
def _client_create(membership: Membership, obj: Any) -> bool:
    # Personal workers open cases; other professionals join the teams of cases already open.
    return membership.has_role(Role.PERSONAL_WORKER)


@rule("client.view")
def _client_view(membership: Membership, obj: Any) -> bool:
    return works_with_clients(membership) and sees_client(membership, obj)


@rule("client.break_glass")
def _client_break_glass(membership: Membership, obj: Any) -> bool:
    return membership.has_role(Role.PERSONAL_WORKER)


@rule("client.edit")
def _client_edit(membership: Membership, obj: Any) -> bool:

    client = _clients_of(obj)
    if not works_with_clients(membership):
        return False
    facts = _client_facts(membership, client.pk)
    if facts is not None:
        return any(facts.team_cases.values())
    return bool(
        _open_case_team_rows(viewer_id=membership.pk, client_id=client.pk, today=timezone.localdate())
    )


@rule("case.open")
def _case_open(membership: Membership, obj: Any) -> bool:
    """Open a new case in the personal worker's unit for a client they already see."""
    return membership.has_role(Role.PERSONAL_WORKER) and sees_client(membership, obj)


@rule("case.manage")
def _case_manage(membership: Membership, case: Any) -> bool:
    """Status, next step, closing, hand-over and team: the case's personal worker, or a personal
    worker of the same unit when the case has none (a hand-over after someone has left)."""
    if not case.is_open:
        return False
    if case.personal_worker_id == membership.pk:
        return True
    return (
        case.personal_worker_id is None
        and membership.has_role(Role.PERSONAL_WORKER)
        and membership.unit_id == case.unit_id
    )


@rule("case.record_contact")
def _case_record_contact(membership: Membership, case: Any) -> bool:
    return case.is_open and is_on_team(membership, case)


@rule("consent.record")
def _consent_record(membership: Membership, obj: Any) -> bool:
    return _client_edit(membership, obj)


@rule("client.reveal_identity_code")
def _client_reveal_identity_code(membership: Membership, obj: Any) -> bool:
    return works_with_clients(membership) and sees_client(membership, obj)


@rule("client.access_report")
def _client_access_report(membership: Membership, obj: Any) -> bool:
    # The report names every organisation and role that touched the client (a nurse's visit tells of a
    # health care relationship), so it is for the personal worker who answers the client, like the export.
    return _client_export(membership, obj)


@rule("client.export")
def _client_export(membership: Membership, obj: Any) -> bool:

    # The personal worker answers the client's request; other team members ask them.
    client = _clients_of(obj)
    facts = _client_facts(membership, client.pk)
    if facts is not None:
        worker_of = facts.worker_of
    else:
        worker_of = bool(_personal_worker_rows(viewer_id=membership.pk, client_id=client.pk))
    return worker_of and sees_client(membership, obj)


# --- Support needs (screening) and the early-identification worklist (intake) -----------------------


@rule("need.screen")
def _need_screen(membership: Membership, obj: Any) -> bool:
    """Run the screening rules for a client the worker sees (after a questionnaire or a registry match)."""
    return works_with_clients(membership) and sees_client(membership, obj)


@rule("need.manage")
def _need_manage(membership: Membership, obj: Any) -> bool:
    """Mark a need acted on or dismissed: the flagging organisation's people on the team of one of the
    client's open cases (as `client.edit`); another organisation's need is theirs to act on."""
    return obj.organisation_id == membership.unit.organisation_id and _client_edit(membership, obj)


@rule("intake.import")
def _intake_import(membership: Membership, obj: Any) -> bool:
    """Import a registry extract for the worker's own unit: its personal workers."""
    return membership.has_role(Role.PERSONAL_WORKER)


@rule("intake.worklist")
def _intake_worklist(membership: Membership, obj: Any) -> bool:
    """A unit's worklist, its extracts and the people on it: only that unit's personal workers."""
    return membership.has_role(Role.PERSONAL_WORKER) and (obj is None or obj.unit_id == membership.unit_id)


# --- Questionnaires (instruments) --------------------------------------------------------------------


@rule("instrument.view")
def _instrument_view(membership: Membership, obj: Any) -> bool:
    """Questionnaire definitions hold no client data: any staff member may read and download them."""
    return not membership.has_role(Role.WORK_TRIAL_HOST)


@rule("instrument.manage")
def _instrument_manage(membership: Membership, obj: Any) -> bool:
    return membership.has_role(Role.ADMINISTRATOR)


@rule("instrument.respond")
def _instrument_respond(membership: Membership, case: Any) -> bool:
    """Fill in a questionnaire in a case (with the client present): team members of an open case."""
    return works_with_clients(membership) and case.is_open and is_on_team(membership, case)


@rule("response.view")
def _response_view(membership: Membership, response: Any) -> bool:
    """A response is a record of the answering organisation's register (the instrument's register):
    readable like a contact note, by those who see the client, under the same consent rules."""
    from polku.instruments.models import Response

    return (
        works_with_clients(membership)
        and sees_client(membership, response)
        and Response.objects.filter(pk=response.pk).filter(disclosed_records(membership)).exists()
    )


@rule("response.correct")
def _response_correct(membership: Membership, response: Any) -> bool:
    return response.is_completed and _instrument_respond(membership, response.case)


@rule("safety_alert.acknowledge")
def _safety_alert_acknowledge(membership: Membership, alert: Any) -> bool:
    """Any member of the case team; the alert is theirs to act on."""
    return works_with_clients(membership) and is_on_team(membership, alert.case)


# --- Service catalogue and referrals (services) --------------------------------------------------------


@rule("catalogue.view")
def _catalogue_view(membership: Membership, obj: Any) -> bool:
    """The catalogue holds no client data: any staff member but an external work trial host reads it."""
    return not membership.has_role(Role.WORK_TRIAL_HOST)


@rule("catalogue.export")
def _catalogue_export(membership: Membership, obj: Any) -> bool:
    return membership.has_role(Role.ADMINISTRATOR)


@rule("referral.create")
def _referral_create(membership: Membership, case: Any) -> bool:
    """Refer from a case: members of its team while it is open."""
    return works_with_clients(membership) and case.is_open and is_on_team(membership, case)


def _sends(membership: Membership, referral: Any) -> bool:
    """The sending side: the referring organisation's people on the team of the referral's open case."""
    return (
        works_with_clients(membership)
        and referral.organisation_id == membership.unit.organisation_id
        and referral.case.is_open
        and is_on_team(membership, referral.case)
    )


def _receives(membership: Membership, referral: Any) -> bool:
    """Staff of the service's receiving unit, once the referral has been sent to them."""
    return (
        referral.service.unit_id is not None
        and referral.service.unit_id == membership.unit_id
        and referral.status != "draft"
        and not membership.has_role(Role.MANAGER, Role.ADMINISTRATOR, Role.WORK_TRIAL_HOST)
    )


def provider_in_polku(service: Any) -> bool:
    """Whether the service's receiving unit has staff in Polku to answer referrals themselves."""
    if service.unit_id is None:
        return False
    return bool(
        _once(
            ("unit_has_staff", service.unit_id),
            lambda: (
                Membership.objects.active()
                .filter(unit_id=service.unit_id)
                .exclude(role__in=[Role.MANAGER, Role.ADMINISTRATOR, Role.WORK_TRIAL_HOST])
                .exists()
            ),
        )
    )


@rule("referral.view")
def _referral_view(membership: Membership, referral: Any) -> bool:
    """The sending side: those who see the client, under the consent rules of the referral's register.
    The receiving unit reads it through `referral.view_incoming`, which shows less."""
    from polku.network.models import Referral

    return (
        works_with_clients(membership)
        and sees_client(membership, referral)
        and Referral.objects.filter(pk=referral.pk).filter(disclosed_records(membership)).exists()
    )


@rule("referral.view_incoming")
def _referral_view_incoming(membership: Membership, referral: Any) -> bool:
    return _receives(membership, referral)


@rule("referral.send")
def _referral_send(membership: Membership, referral: Any) -> bool:
    return _sends(membership, referral)


@rule("referral.answer")
def _referral_answer(membership: Membership, referral: Any) -> bool:
    """The provider's answers (accepted, declined, started, ...): its receiving unit's staff when it is in
    Polku; otherwise the sending side records what the provider said."""
    if provider_in_polku(referral.service):
        return _receives(membership, referral)
    return _sends(membership, referral)


@rule("referral.incoming")
def _referral_incoming(membership: Membership, obj: Any) -> bool:
    """The list of referrals sent to the viewer's unit."""
    return not membership.has_role(Role.MANAGER, Role.ADMINISTRATOR, Role.WORK_TRIAL_HOST)


@rule("referral.view_or_incoming")
def _referral_view_or_incoming(membership: Membership, referral: Any) -> bool:
    """Either side's page of the referral; what it shows depends on which side the viewer is."""
    return _referral_view(membership, referral) or _receives(membership, referral)


# --- Service plans (plans, plan area) ----------------------------------------------------------------


@rule("plan.view")
def _plan_view(membership: Membership, plan: Any) -> bool:
    """A service plan (its versions, reviews and PDF) is a record of the case organisation's register:
    readable by those who see the client, under the same consent rules as a contact note."""
    from polku.plans.models import ServicePlan

    return (
        works_with_clients(membership)
        and sees_client(membership, plan)
        and _once(
            ("plan_disclosed", membership.pk, plan.pk),
            lambda: (
                ServicePlan.objects.filter(pk=plan.pk)
                .filter(disclosed_records(membership, client=plan.client))
                .exists()
            ),
        )
    )


@rule("plan.edit")
def _plan_edit(membership: Membership, case: Any) -> bool:
    """Start, edit and agree the plan of a case: those who manage the open case (its personal worker)."""
    return _case_manage(membership, case)


@rule("plan.review")
def _plan_review(membership: Membership, case: Any) -> bool:
    return _case_manage(membership, case)


# --- Multidisciplinary work ability assessment (plans, assessment) ------------------------------------
# Only the case's team works on its assessments. The personal worker (whoever may manage the case)
# starts, invites, records the team meeting and concludes, and writes findings in their own role's
# domains; an invited team member writes findings in the domain they were invited for. Which findings
# a viewer reads is decided by `disclosed_records` (a finding is a record of its author's organisation
# in its domain's register: somatic and psychological findings are health care records).


def works_on_assessments(membership: Membership, case: Any) -> bool:
    """On the case's team now, or the one who manages the case (its personal worker)."""
    return works_with_clients(membership) and (_case_manage(membership, case) or is_on_team(membership, case))


def assessment_domains(membership: Membership, assessment: Any) -> set[str]:
    """The domains the membership may write findings in: none unless they work on the open case."""
    from polku.assessments.models import ROLE_DOMAINS

    case = assessment.case
    if not case.is_open or not works_on_assessments(membership, case):
        return set()
    invited = _remembered(
        ("assessment_invited", membership.pk, assessment.pk),
        lambda: set(assessment.invitations.filter(member=membership).values_list("domain", flat=True)),
    )
    own = set(ROLE_DOMAINS.get(membership.role, ())) if _case_manage(membership, case) else set()
    return set(invited) | own


@rule("assessment.start")
def _assessment_start(membership: Membership, case: Any) -> bool:
    return works_with_clients(membership) and _case_manage(membership, case)


@rule("assessment.view")
def _assessment_view(membership: Membership, assessment: Any) -> bool:
    return works_on_assessments(membership, assessment.case)


@rule("assessment.manage")
def _assessment_manage(membership: Membership, assessment: Any) -> bool:
    """Invite, record the team meeting, conclude."""
    return _assessment_start(membership, assessment.case)


@rule("assessment.contribute")
def _assessment_contribute(membership: Membership, assessment: Any) -> bool:
    return bool(assessment_domains(membership, assessment))


@rule("finding.record")
def _finding_record(membership: Membership, finding: Any) -> bool:
    """A finding in a domain the author was invited for (or, for the personal worker, their own)."""
    return finding.domain in assessment_domains(membership, finding.assessment)


@rule("assessment.addendum")
def _assessment_addendum(membership: Membership, assessment: Any) -> bool:
    """A correction to a concluded assessment: anyone who worked on it, while on the case's team."""
    return _assessment_manage(membership, assessment) or _assessment_contribute(membership, assessment)


# --- Placements: work trials and rehabilitative work activity (placements) -------------------------
# A placement is a record of the case organisation's register (employment services or social welfare):
# read like a contact note, by those who see the client, under the same consent rules. The case team of
# the owning organisation manages it. A work trial host (Role.WORK_TRIAL_HOST) sees only the placements
# hosted by their own unit, and only to enter attendance; nothing else of the client.


def _placement_disclosed(membership: Membership, placement: Any) -> bool:
    from polku.placements.models import Placement

    if placement.organisation_id == membership.unit.organisation_id:
        return True
    return Placement.objects.filter(pk=placement.pk).filter(disclosed_records(membership)).exists()


def hosts_placement(membership: Membership, placement: Any) -> bool:
    return membership.has_role(Role.WORK_TRIAL_HOST) and placement.host_unit_id == membership.unit_id


@rule("placement.create")
def _placement_create(membership: Membership, case: Any) -> bool:
    """Start a placement in an open case: the case organisation's people on its team."""
    return (
        works_with_clients(membership)
        and case.is_open
        and case.unit.organisation_id == membership.unit.organisation_id
        and is_on_team(membership, case)
    )


@rule("placement.view")
def _placement_view(membership: Membership, placement: Any) -> bool:
    return (
        works_with_clients(membership)
        and sees_client(membership, placement)
        and _placement_disclosed(membership, placement)
    )


@rule("placement.manage")
def _placement_manage(membership: Membership, placement: Any) -> bool:
    """Edit, interrupt, send feedback links: the owning organisation's people on the case team."""
    return _placement_create(membership, placement.case) and placement.organisation_id == (
        membership.unit.organisation_id
    )


@rule("placement.record_attendance")
def _placement_record_attendance(membership: Membership, placement: Any) -> bool:
    return hosts_placement(membership, placement) or _placement_manage(membership, placement)


@rule("placement.host_list")
def _placement_host_list(membership: Membership, obj: Any) -> bool:
    return membership.has_role(Role.WORK_TRIAL_HOST)
