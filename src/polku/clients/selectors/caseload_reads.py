"""The caseload: a worker's open cases with their filters, sorts, search and the "no contact in 90
days" rule, in a fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import DateField, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from polku.accounts.models import Membership, Role
from polku.clients import access, identity
from polku.clients.models import Case, CaseStatus, Client, Municipality
from polku.core import sql
from polku.core.search import every_folded_word, fold

__all__ = [
    "AGE_GROUPS",
    "CASELOAD_SORTS",
    "FLAGS",
    "MUNICIPALITY_FILTER_SECONDS",
    "NO_RECENT_CONTACT_DAYS",
    "STATUS_ORDER",
    "STATUS_TIMES",
    "CaseloadFilters",
    "Flag",
    "caseload",
    "caseload_municipalities",
    "caseload_page",
    "contact_cutoff",
    "has_no_recent_contact",
    "recent_contact_missing",
    "years_before",
]

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
    none does. The same rows in the same order as `caseload`, written as SQL (`CaseloadRows`): every
    caseload request reads them, and the ORM took longer to build the two queries than PostgreSQL to
    run them (bench/README.md)."""
    # The Paginator reads only `count()` and a slice of it.
    rows: Any = CaseloadRows(viewer=viewer, filters=filters)
    return Paginator[Case](rows, size).get_page(number)


# `caseload`'s sorts as SQL: its columns in the statement of `CaseloadRows`, and which sort NULLs last.
_SQL_SORT_COLUMNS = {
    "client__last_name": "client.last_name",
    "client__first_names": "client.first_names",
    "client__birth_date": "client.birth_date",
    "client__municipality__name_fi": "municipality.name_fi",
    "status": "c.status",
    "status_changed_at": "c.status_changed_at",
    "last_contact": "last_contact",
    "next_step_on": "c.next_step_on",
    "id": "c.id",
}
_DATE: DateField[Any, Any] = DateField()


class CaseloadRows:
    """`caseload(viewer, filters)` written as SQL (`core.sql`) for `caseload_page`'s Paginator: `count()`
    is one query, a slice one more (none for an empty slice); the cases come with their client, its
    municipality and `last_contact`, as `caseload` selects and annotates them. Every rule of `caseload`
    is here in the same terms: the tests compare the two for every filter and sort."""

    def __init__(self, *, viewer: Membership, filters: CaseloadFilters) -> None:
        self.where, self.params = _caseload_where(viewer, filters)
        self.last_contact = _last_contact_sql(viewer)
        self.filters = filters

    def count(self) -> int:
        ((count,),) = sql.rows(
            "SELECT COUNT(*) FROM clients_case c JOIN clients_client client ON client.id = c.client_id "  # noqa: S608
            f"WHERE {self.where}",
            self.params,
        )
        return int(count)

    def __getitem__(self, window: slice) -> list[Case]:
        """The cases of a page: the Paginator slices with a start and a stop."""
        start, stop = window.start or 0, window.stop
        if stop <= start:
            return []
        contact, contact_params = self.last_contact
        cases = []
        for row in sql.rows(
            f"""
            SELECT {sql.columns(Case, "c")}, {sql.columns(Client, "client")},
                {sql.columns(Municipality, "municipality")}, ({contact}) AS last_contact
            FROM clients_case c
            JOIN clients_client client ON client.id = c.client_id
            LEFT JOIN clients_municipality municipality ON municipality.code = client.municipality_id
            WHERE {self.where}
            ORDER BY {_sql_order(self.filters)}
            LIMIT %s OFFSET %s
            """,  # noqa: S608 - fixed SQL, the values are parameters
            [*contact_params, *self.params, stop - start, start],
        ):
            case, client, municipality = sql.instances(row[:-1], Case, Client, Municipality)
            client.municipality = municipality
            case.client = client
            case.last_contact = _DATE.to_python(row[-1])
            cases.append(case)
        return cases


def _last_contact_sql(viewer: Membership) -> tuple[str, list[Any]]:
    """`_with_caseload_columns`'s `last_contact` on the case aliased `c`."""
    disclosed, params = access.disclosed_records_sql(viewer, "contact")
    return (
        "SELECT MAX(contact.happened_on) FROM clients_contact contact "  # noqa: S608
        f"WHERE contact.case_id = c.id AND {disclosed}",
        params,
    )


def _caseload_where(viewer: Membership, filters: CaseloadFilters) -> tuple[str, list[Any]]:
    """`caseload`'s filters as an SQL condition on the case `c` and its client `client`."""
    today = timezone.localdate()
    where: list[str] = ["c.closed_on IS NULL"]
    params: list[Any] = []
    if viewer.has_role(Role.PERSONAL_WORKER):
        where.append("c.personal_worker_id = %s")
        params.append(viewer.pk)
    else:
        where.append(
            "EXISTS (SELECT 1 FROM clients_caseteammember team WHERE team.case_id = c.id "
            "AND team.membership_id = %s AND team.ended_on IS NULL AND team.started_on <= %s)"
        )
        params += [viewer.pk, today]

    def add(condition: str, *values: Any) -> None:
        where.append(condition)
        params.extend(values)

    if filters.status:
        add("c.status = %s", filters.status)
    if filters.municipality:
        add("client.municipality_id = %s", filters.municipality)
    if filters.age in AGE_GROUPS:
        youngest, oldest = AGE_GROUPS[filters.age]
        if youngest is not None:
            add("client.birth_date <= %s", years_before(today, youngest))
        if oldest is not None:
            add("client.birth_date > %s", years_before(today, oldest))
    if filters.in_status in STATUS_TIMES:
        shortest, longest = STATUS_TIMES[filters.in_status]
        now = timezone.now()
        if shortest is not None:
            add("c.status_changed_at <= %s", sql.moment(now - timedelta(days=shortest)))
        if longest is not None:
            add("c.status_changed_at > %s", sql.moment(now - timedelta(days=longest)))
    if filters.flag == Flag.OVERDUE:
        add("c.next_step_on < %s", today)
    elif filters.flag == Flag.INTERPRETER:
        add("client.needs_interpreter = %s", True)
    elif filters.flag == Flag.NO_RECENT_CONTACT:
        contact, contact_params = _last_contact_sql(viewer)
        cutoff = contact_cutoff(today)
        add(
            f"(({contact}) < %s OR ({contact}) IS NULL AND c.opened_on < %s)",
            *contact_params,
            cutoff,
            *contact_params,
            cutoff,
        )
    if filters.q:
        term = filters.q.strip()
        if identity.looks_like_identity_code(term):
            add("client.identity_code_hash = %s", identity.lookup_hash(term))
        else:
            # `every_folded_word`: each folded word anywhere in the folded names (both in lower case).
            for word in fold(term).split():
                add("client.search_name LIKE %s ESCAPE '\\'", f"%{_like_escaped(word)}%")
    return " AND ".join(where), params


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _sql_order(filters: CaseloadFilters) -> str:
    """`caseload`'s ORDER BY: the sort's fields, each the other way round when descending, the
    last contact and the next step with NULLs last either way."""
    order = CASELOAD_SORTS.get(filters.sort, CASELOAD_SORTS["next_step"])
    if filters.descending:
        order = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in order)
    terms = []
    for field in order:
        name = field.lstrip("-")
        term = _SQL_SORT_COLUMNS[name] + (" DESC" if field.startswith("-") else " ASC")
        if name in {"last_contact", "next_step_on"}:
            term += " NULLS LAST"
        terms.append(term)
    return ", ".join(terms)


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


STATUS_ORDER = [status for status in CaseStatus.values if status != CaseStatus.CLOSED]
