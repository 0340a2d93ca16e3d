"""Every read of client data, scoped to the viewer by `access.py` (and `accounts.permissions` for one
object) and prefetched, so that pages run a fixed number of queries whatever the data size."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Case as DbCase
from django.db.models import (
    DateField,
    Exists,
    F,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from polku.accounts import permissions
from polku.accounts.models import Membership, Organisation, Role
from polku.audit import labels
from polku.audit.models import AuditEvent, ListedClient
from polku.clients import access, actors, audit_labels, identity
from polku.clients.models import (
    TEAM_ROLES,
    BreakGlassAccess,
    Case,
    CaseStatus,
    CaseStatusChange,
    CaseTeamMember,
    CaseWorkerChange,
    Client,
    Consent,
    Contact,
    Municipality,
)
from polku.core import names, story_time
from polku.core.search import every_folded_word, every_word

NO_RECENT_CONTACT_DAYS = 90


def contact_cutoff(today: date) -> date:
    """The day a case's last contact (or, before any, its opening) must be on or after to be recent.
    "No contact in 90 days" is one rule for the caseload's filter (`recent_contact_missing`) and the
    flag on its rows (`has_no_recent_contact`): a contact 90 days ago still counts, one 91 days ago does
    not; a case opened less than 90 days ago without a contact yet is not flagged."""
    return today - timedelta(days=NO_RECENT_CONTACT_DAYS)


def has_no_recent_contact(last_contact: date | None, opened_on: date, *, today: date) -> bool:
    return (last_contact or opened_on) < contact_cutoff(today)


def recent_contact_missing(cutoff: date) -> Q:
    """`has_no_recent_contact` as a filter on cases annotated with `last_contact`, for `contact_cutoff`."""
    return Q(last_contact__lt=cutoff) | Q(last_contact__isnull=True, opened_on__lt=cutoff)


class Flag:
    OVERDUE = "overdue"
    INTERPRETER = "interpreter"
    NO_RECENT_CONTACT = "no_recent_contact"


FLAGS = (Flag.OVERDUE, Flag.INTERPRETER, Flag.NO_RECENT_CONTACT)

# The caseload's age and time-in-status filters: [from, until) in years or days, None for open-ended.
# The age groups are those employment services follow (under 30, 55 and over).
AGE_GROUPS: dict[str, tuple[int | None, int | None]] = {
    "under_30": (None, 30),
    "30_54": (30, 55),
    "55_plus": (55, None),
}
STATUS_TIMES: dict[str, tuple[int | None, int | None]] = {
    "under_30_days": (None, 30),
    "30_89_days": (30, 90),
    "90_days_plus": (90, None),
}


CASELOAD_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("client__last_name", "client__first_names", "id"),
    "age": ("-client__birth_date", "id"),
    "municipality": ("client__municipality__name_fi", "client__last_name", "id"),
    "status": ("status", "client__last_name", "id"),
    "status_since": ("status_changed_at", "id"),
    "last_contact": ("last_contact", "id"),
    "next_step": ("next_step_on", "id"),
}


@dataclass(frozen=True)
class CaseloadFilters:
    status: str = ""
    municipality: str = ""
    flag: str = ""
    age: str = ""
    in_status: str = ""
    q: str = ""
    sort: str = "next_step"
    descending: bool = False


def caseload(*, viewer: Membership, filters: CaseloadFilters | None = None) -> QuerySet[Case]:
    """Open cases the viewer owns (a personal worker) or works on (other team members), with what the
    caseload table shows, in one query (an unknown flag, group or sort is ignored)."""
    filters = filters or CaseloadFilters()
    today = timezone.localdate()
    cases = Case.objects.filter(closed_on__isnull=True)
    if viewer.has_role(Role.PERSONAL_WORKER):
        cases = cases.filter(personal_worker=viewer)
    else:
        cases = cases.filter(
            team__membership=viewer, team__ended_on__isnull=True, team__started_on__lte=today
        )
    cases = _with_caseload_columns(cases, viewer=viewer)
    optional: dict[str, Any] = {"status": filters.status, "client__municipality_id": filters.municipality}
    if filters.age in AGE_GROUPS:
        # Aged `youngest` or more: born on or before that birthday; under `oldest`: born after it.
        youngest, oldest = AGE_GROUPS[filters.age]
        optional["client__birth_date__lte"] = years_before(today, youngest) if youngest is not None else None
        optional["client__birth_date__gt"] = years_before(today, oldest) if oldest is not None else None
    if filters.in_status in STATUS_TIMES:
        # Whole days since the change, as the caseload's "In status" column counts them: `shortest`
        # days or more, changed by then; under `longest` days, changed after.
        shortest, longest = STATUS_TIMES[filters.in_status]
        now = timezone.now()
        optional["status_changed_at__lte"] = now - timedelta(days=shortest) if shortest is not None else None
        optional["status_changed_at__gt"] = now - timedelta(days=longest) if longest is not None else None
    cases = cases.filter(**{lookup: value for lookup, value in optional.items() if value})
    if filters.flag == Flag.OVERDUE:
        cases = cases.filter(next_step_on__lt=today)
    elif filters.flag == Flag.INTERPRETER:
        cases = cases.filter(client__needs_interpreter=True)
    elif filters.flag == Flag.NO_RECENT_CONTACT:
        cases = cases.filter(recent_contact_missing(contact_cutoff(today)))
    if filters.q:
        cases = cases.filter(_search(filters.q))
    order = CASELOAD_SORTS.get(filters.sort, CASELOAD_SORTS["next_step"])
    if filters.descending:
        order = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in order)
    return cases.order_by(*[_nulls_last(f) for f in order])


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier; 28 February for 29 February in a common year, so that someone
    born on that day is `years` old by it, as `Client.age_on` counts."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _with_caseload_columns(cases: QuerySet[Case], *, viewer: Membership) -> QuerySet[Case]:
    """The caseload's derived columns, each from the records the viewer may read: the latest contact
    of a register the client has not disclosed to the viewer's organisation moves no date, sort order
    or "no contact in 90 days" flag."""
    # Written as SQL (`RawSQL`, core.sql): built by the ORM, this one subquery cost the caseload more
    # than all its other parts together. `clients_case` is the outer query's table.
    disclosed, params = access.disclosed_records_sql(viewer, "contact")
    last_contact = RawSQL(  # noqa: S611 - fixed SQL, the values are parameters
        "SELECT MAX(contact.happened_on) FROM clients_contact contact "  # noqa: S608
        f"WHERE contact.case_id = clients_case.id AND {disclosed}",
        params,
        output_field=DateField(),
    )
    return cases.annotate(last_contact=last_contact).select_related("client__municipality")


def caseload_page(
    *, viewer: Membership, filters: CaseloadFilters, number: str | None, size: int
) -> Page[Case]:
    """A page of the caseload: two queries (how many cases match, and the page's cases), one when
    none does."""
    return Paginator(caseload(viewer=viewer, filters=filters), size).get_page(number)


def _nulls_last(field: str) -> Any:
    if field.lstrip("-") in {"last_contact", "next_step_on"}:
        expression = F(field.lstrip("-"))
        return expression.desc(nulls_last=True) if field.startswith("-") else expression.asc(nulls_last=True)
    return field


def _search(term: str) -> Q:
    """An identity code matches exactly (through its keyed hash), never in part; anything else is a name,
    found as it is typed: each word in the client's names regardless of case, accents and order, with
    or without the comma of "Surname, Firstnames" (`core.search.fold`)."""
    term = term.strip()
    if identity.looks_like_identity_code(term):
        return Q(client__identity_code_hash=identity.lookup_hash(term))
    return every_folded_word(term, "client__search_name")


MUNICIPALITY_FILTER_SECONDS = 60


def caseload_municipalities(*, viewer: Membership) -> list[Municipality]:
    """The municipalities of the viewer's open cases, for the filter. Remembered for a minute: the
    caseload is the most used page and this list changes only when a case opens or moves."""
    key = f"polku:caseload-municipalities:{viewer.pk}"
    names = cache.get(key)
    if names is None:
        codes = caseload(viewer=viewer).order_by().values("client__municipality_id").distinct()
        names = list(Municipality.objects.filter(code__in=codes).values_list("code", "name_fi", "name_sv"))
        cache.set(key, names, MUNICIPALITY_FILTER_SECONDS)
    return [Municipality(code=code, name_fi=fi, name_sv=sv) for code, fi, sv in names]


def client_for(*, viewer: Membership, public_id: uuid.UUID | str, action: str = "client.view") -> Client:
    """The client if the viewer may see them now; otherwise the refusal is audited and it is a 404."""
    client = Client.objects.select_related("municipality").filter(public_id=_uuid_or_404(public_id)).first()
    if client is None:
        raise Http404
    permissions.require(viewer, action, client, hide=True)
    return client


def _uuid_or_404(value: uuid.UUID | str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def case_for(*, viewer: Membership, public_id: uuid.UUID | str) -> Case:
    case = (
        Case.objects.select_related("client__municipality", "unit__organisation", "personal_worker__user")
        .filter(public_id=public_id)
        .first()
    )
    if case is None:
        raise Http404
    permissions.require(viewer, "client.view", case.client, hide=True)
    return case


def cases_of(client: Client, *, viewer: Membership) -> list[Case]:
    """The client's cases the viewer may know of: their own organisation's and those whose team they are
    on. Another organisation's case (its status, notes, outcome) is that organisation's record."""
    cases = list(
        Case.objects.filter(client=client)
        .filter(
            Q(unit__organisation_id=viewer.unit.organisation_id)
            | Q(pk__in=access.team_case_ids(viewer, client))
        )
        .select_related("unit__organisation", "personal_worker__user")
        .order_by(F("closed_on").desc(nulls_first=True), "-opened_on", "-id")
    )
    for case in cases:
        case.client = client  # as client.cases would have set it: the rules read case.client
    return cases


@dataclass(frozen=True)
class CaseElsewhere:
    organisation: str
    unit: str


def cases_elsewhere(client: Client, *, viewer: Membership, known: list[Case]) -> list[CaseElsewhere]:
    """The units (with their organisations) of the client's open cases the viewer does not know of
    (`known`: `cases_of`): what a worker who opened the client through break-the-glass is told instead of
    "no cases", so that they know whom to contact. Nothing of the case itself, nor of its people."""
    return [
        CaseElsewhere(
            organisation=names.in_reader_language(organisation, organisation_sv),
            unit=names.in_reader_language(unit, unit_sv),
        )
        for organisation, organisation_sv, unit, unit_sv in Case.objects.filter(
            client=client, closed_on__isnull=True
        )
        .exclude(pk__in=[case.pk for case in known])
        .order_by("unit__organisation__name", "unit__name")
        .values_list("unit__organisation__name", "unit__organisation__name_sv", "unit__name", "unit__name_sv")
        .distinct()
    ]


def break_glass_reason(client: Client, *, viewer: Membership) -> str:
    """The reason the viewer stated, when they see the client only through break-the-glass; else ""."""
    if access.is_on_client_team(viewer, client):
        return ""
    reason = (
        BreakGlassAccess.objects.filter(client=client, membership=viewer, expires_at__gt=story_time.now())
        .order_by("-at")
        .values_list("reason", flat=True)
        .first()
    )
    return reason or ""


def client_by_public_id(public_id: uuid.UUID | str) -> Client:
    """Unscoped, for break-the-glass only: the caller checks permission and shows nothing of the client."""
    client = Client.objects.filter(public_id=public_id).first()
    if client is None:
        raise Http404
    return client


def cases_for_export(client: Client, *, viewer: Membership | None) -> list[Case]:
    """cases_of with everything the export prints, in a fixed number of queries; every case of the
    client without a viewer (the client's own download)."""
    cases = Case.objects.filter(client=client)
    if viewer is not None:
        cases = Case.objects.filter(pk__in=[case.pk for case in cases_of(client, viewer=viewer)])
    return list(
        cases.select_related(
            "unit__organisation", "personal_worker__user", "personal_worker__unit__organisation"
        )
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=CaseStatusChange.objects.select_related(
                    "by__user", "by__unit__organisation"
                ).order_by("at", "id"),
            ),
            Prefetch(
                "worker_changes",
                queryset=CaseWorkerChange.objects.select_related(
                    "worker__user", "worker__unit__organisation"
                ),
            ),
            Prefetch(
                "team",
                queryset=CaseTeamMember.objects.select_related(
                    "membership__user", "membership__unit__organisation"
                ).order_by("started_on", "id"),
            ),
        )
        .order_by(F("closed_on").desc(nulls_first=True), "-opened_on", "-id")
    )


def team_of(case: Case, *, include_ended: bool = True) -> list[CaseTeamMember]:
    periods = CaseTeamMember.objects.filter(case=case).select_related(
        "membership__user", "membership__unit__organisation"
    )
    if not include_ended:
        periods = periods.filter(ended_on__isnull=True)
    team = list(periods.order_by(F("ended_on").desc(nulls_first=True), "started_on", "id"))
    for period in team:
        period.case = case
    return team


def team_candidates(case: Case) -> QuerySet[Membership]:
    """Active staff who could join the team: working with clients, not on it already. The case's own
    organisation comes first, the others by name."""
    on_team = case.team.filter(ended_on__isnull=True).values("membership")
    return (
        Membership.objects.active()
        .filter(role__in=TEAM_ROLES)
        .exclude(pk__in=on_team)
        .select_related("user", "unit__organisation")
        .alias(
            other_organisation=DbCase(
                When(unit__organisation_id=case.unit.organisation_id, then=Value(0)), default=Value(1)
            )
        )
        .order_by(
            "other_organisation", "unit__organisation__name", "user__last_name", "user__first_name", "pk"
        )
    )


def personal_worker_candidates(case: Case) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(role=Role.PERSONAL_WORKER, unit__organisation=case.unit.organisation)
        .exclude(pk=case.personal_worker_id or 0)
        .select_related("user", "unit__organisation")
        .order_by("unit__name", "user__last_name", "user__first_name", "pk")
    )


# A picker of staff lists at most this many; a search by name, email, unit or organisation finds the rest.
# Large organisations have thousands of staff (the benchmark data: 1,524 personal workers in Oulu).
STAFF_CHOICES_SHOWN = 50


@dataclass(frozen=True)
class StaffChoices:
    shown: list[Membership]
    matching: int  # how many candidates match the query, of which `shown` holds the first `limit`
    query: str
    limit: int

    @property
    def cut(self) -> bool:
        """Whether some who match are not listed."""
        return self.matching > self.limit


def staff_choices(
    candidates: QuerySet[Membership], *, query: str, selected: Any = None, limit: int = STAFF_CHOICES_SHOWN
) -> StaffChoices:
    """The candidates a picker lists: those matching every word of `query` (up to five; the query as
    searched is returned) in their name, email, unit or organisation, at most `limit` of them, and the
    `selected` one (a posted choice) even if it is not among them, so that a form shown again with an
    error keeps what was chosen. Two queries at most, three with a kept choice. `query` is a cleaned
    term (`identity.name_search_term`)."""
    query = " ".join(query.split()[:5])
    matches = candidates.filter(
        every_word(
            query,
            "user__first_name",
            "user__last_name",
            "user__email",
            "unit__name",
            "unit__name_sv",
            "unit__organisation__name",
            "unit__organisation__name_sv",
        )
    )
    shown = list(matches[: limit + 1])
    matching = len(shown) if len(shown) <= limit else matches.count()
    shown = shown[:limit]
    kept = str(selected or "")[:18]
    if kept.isascii() and kept.isdigit() and int(kept) not in {membership.pk for membership in shown}:
        shown = [*candidates.filter(pk=int(kept)), *shown]
    return StaffChoices(shown=shown, matching=matching, query=query, limit=limit)


def consents_of(client: Client, *, viewer: Membership | None = None) -> list[Consent]:
    """The client's consents, newest first, with the organisations they name (who recorded or revoked
    one is in the timeline); with `viewer`, those they may see: every one for the client's own personal
    worker in the organisation holding the record, else those their organisation gives or receives
    (a consent between two other organisations tells of a care relationship: `access.own_part`)."""
    consents = Consent.objects.filter(client=client)
    own = access.own_part(viewer, client) if viewer is not None else None
    if own is not None:
        consents = consents.filter(Q(discloser_id=own) | Q(recipient_id=own))
    return list(consents.select_related("discloser", "recipient").order_by("-valid_from", "-id"))


def consent_for(*, viewer: Membership, public_id: uuid.UUID | str) -> Consent:
    consent = (
        Consent.objects.select_related("client", "discloser", "recipient").filter(public_id=public_id).first()
    )
    if consent is None:
        raise Http404
    permissions.require(viewer, "client.view", consent.client, hide=True)
    return consent


def team_period_for(*, viewer: Membership, public_id: uuid.UUID | str) -> CaseTeamMember:
    period = (
        CaseTeamMember.objects.select_related("case__client", "membership__user")
        .filter(public_id=public_id)
        .first()
    )
    if period is None:
        raise Http404
    permissions.require(viewer, "client.view", period.case.client, hide=True)
    return period


def contacts_of(client: Client, *, viewer: Membership | None) -> QuerySet[Contact]:
    """Contacts the viewer may read: their organisation's, and others' under a valid consent; every one
    without a viewer (the client's own download)."""
    return (
        Contact.objects.filter(client=client)
        .filter(access.disclosed_records(viewer, client=client) if viewer is not None else Q())
        .select_related("author__user", "organisation", "case__unit")
        .order_by("-happened_on", "-id")
    )


def organisations_for_consent() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).order_by("name")


def access_report(client: Client, *, viewer: Membership | None = None) -> QuerySet[AuditEvent]:
    """Who viewed or changed the client's data, newest first: the events about the client and the list
    pages that showed them (`audit.record(listed=...)`). With `viewer`, the part they may see: every
    organisation's for the client's own personal worker in the organisation holding the record, else
    their own organisation's (`access.own_part`), and in either case less the events about records the
    viewer may not read (another organisation's case, or a record of a register the client has not
    disclosed to the viewer's organisation): that a health contact was written or read is the health
    record's own. Without a viewer, all of it (the client themself)."""
    about = AuditEvent.objects.filter(client_id=client.public_id).order_by().values("id")
    listed = ListedClient.objects.filter(client_id=client.public_id).order_by().values("event_id")
    events = AuditEvent.objects.filter(pk__in=about.union(listed, all=True))
    if viewer is not None:
        own = access.own_part(viewer, client)
        if own is not None:
            events = events.filter(organisation_id=own)
        for object_type, object_ids in _hidden_records(client, viewer=viewer).items():
            events = events.exclude(object_type=object_type, object_id__in=object_ids)
    return events.select_related(
        "actor", "organisation", "membership__user", "membership__unit__organisation"
    ).order_by("-at", "-id")


def _hidden_records(client: Client, *, viewer: Membership) -> dict[str, list[str]]:
    """By audit object type, the public ids of the client's records the viewer may not read: the cases
    of other organisations whose team the viewer is not on, and every app's register records (a model
    with a client, an organisation and a register, or one raised by such a record through `response`,
    as a safety alert is) that `access.disclosed_records` leaves out. Found from the models themselves,
    so that every app's records are covered without the clients app naming them; one query."""
    on_team = CaseTeamMember.objects.filter(
        case=OuterRef("pk"), membership=viewer, ended_on__isnull=True, started_on__lte=timezone.localdate()
    )
    parts: list[QuerySet[Any]] = [
        Case.objects.filter(client=client)
        .exclude(Q(unit__organisation_id=viewer.unit.organisation_id) | Q(Exists(on_team)))
        .order_by()
        .values_list(Value(Case._meta.label_lower), "public_id")
    ]
    disclosed = access.disclosed_records(viewer, client=client)
    for model, source in _client_record_models():
        records = model._default_manager.filter(client=client)
        if source is None:
            records = records.exclude(disclosed)
        else:
            readable = source._default_manager.filter(client=client).filter(disclosed).values("pk")
            records = records.exclude(response__in=readable)
        parts.append(records.order_by().values_list(Value(model._meta.label_lower), "public_id"))
    hidden: dict[str, list[str]] = {}
    for object_type, public_id in parts[0].union(*parts[1:], all=True):
        hidden.setdefault(object_type, []).append(str(public_id))
    return hidden


@functools.cache
def _client_record_models() -> tuple[tuple[type[Model], type[Model] | None], ...]:
    """The models `_hidden_records` reads, found once (the installed models do not change while the
    process runs): each register record model (a client, a public id, an organisation and a register)
    with None, and each model raised by one through `response` with that source model."""

    def names(model: type[Model]) -> set[str]:
        return {field.name for field in model._meta.get_fields()}

    found: list[tuple[type[Model], type[Model] | None]] = []
    for model in django_apps.get_models():
        fields = names(model)
        if not {"client", "public_id"} <= fields:
            continue
        if {"organisation", "register"} <= fields:
            found.append((model, None))
        elif "response" in fields:
            source = model._meta.get_field("response").related_model
            if (
                isinstance(source, type)
                and issubclass(source, Model)
                and {"organisation", "register"} <= names(source)
            ):
                found.append((model, source))
    return tuple(found)


@dataclass(frozen=True)
class AccessEvent:
    """One row of a client's access log as people read it: when, who (with their unit and organisation),
    in which role, from which organisation, what they did, and on what basis (`audit.basis`)."""

    at: datetime
    person: str
    role: str
    organisation: str
    action: str
    basis: str
    reason: str
    event: AuditEvent

    @classmethod
    def of(cls, event: AuditEvent) -> AccessEvent:
        return cls(
            at=event.at,
            person=actors.event_actor(event) or "–",
            role=audit_labels.role_name(event.role) if event.role else "–",
            organisation=event.organisation.display_name if event.organisation else "–",
            action=labels.label_for(event.action),
            basis=audit_labels.basis_label(event.basis),
            reason=event.reason,
            event=event,
        )


ACCESS_EVENTS_PAGE = 50


def access_events(
    client: Client, *, viewer: Membership | None, number: Any = None, size: int = ACCESS_EVENTS_PAGE
) -> Page[AccessEvent]:
    """A page of the client's audit events as `AccessEvent` rows (basis, person, role, organisation,
    action and time in the reader's language), scoped as `access_report`: the staff access report and
    the export use it, and a client portal passes `viewer=None` (the client sees every part). Two queries
    (how many, and the page)."""
    events = Paginator(access_report(client, viewer=viewer), size).get_page(number)
    rows = [AccessEvent.of(event) for event in events.object_list]
    return Page(rows, events.number, events.paginator)  # type: ignore[arg-type]


def find_client_by_identity_code(code: str) -> Client | None:
    """Whether Polku holds this person (for the duplicate check and break-the-glass), unscoped: callers
    show nothing of the client without a permission check."""
    try:
        parsed = identity.parse(code)
    except Exception:
        return None
    return Client.objects.filter(identity_code_hash=identity.lookup_hash(parsed.code)).first()


STATUS_ORDER = [status for status in CaseStatus.values if status != CaseStatus.CLOSED]
