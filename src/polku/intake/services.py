"""Every write of registry extracts and the worklist.

- `receive_extract` stores an uploaded file for the worker's unit and queues its import;
- `run_import` (the background task's body, also run by `manage.py import_registry`) validates the
  whole file first and writes nothing unless every row is valid, then screens and writes in one
  transaction;
- `mark_contacted` opens a case through `clients.services` and turns the person's flags into the
  client's support needs through `screening.services.screen_client`; `mark_not_relevant` records why.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.accounts import permissions
from polku.accounts.models import Membership, Unit
from polku.audit import services as audit
from polku.clients import identity, timeline
from polku.clients import services as client_services
from polku.clients.models import Case, CaseSource, Municipality
from polku.clients.timeline import TimelineKind
from polku.core import story_time
from polku.intake import loading, reading, reading_formats
from polku.intake.models import ExtractProblem, ExtractStatus, RegistryExtract, RegistryPerson, WorklistState
from polku.screening import evaluation
from polku.screening import services as screening

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 10_000


def max_bytes() -> int:
    return int(settings.REGISTRY_EXTRACT_MAX_MB) * 1_000_000


def limits() -> reading_formats.Limits:
    return reading_formats.Limits(
        problems=int(settings.REGISTRY_EXTRACT_MAX_PROBLEMS),
        rows=int(settings.REGISTRY_EXTRACT_MAX_ROWS),
        unpacked_bytes=int(settings.REGISTRY_EXTRACT_MAX_UNPACKED_MB) * 1_000_000,
    )


def extract_path(extract: RegistryExtract) -> Path:
    return Path(settings.REGISTRY_EXTRACT_DIR) / f"{extract.public_id}.upload"


def receive_extract(*, by: Membership, file_name: str, chunks: Any, size: int) -> RegistryExtract:
    """Keep the uploaded file (readable by the server only) and queue its import into the worker's unit.
    A file over the size limit is refused before it is read."""
    permissions.require(by, "intake.import")
    reading_formats.check_size(size, max_bytes())
    extract = RegistryExtract.objects.create(
        unit=by.unit, uploaded_by=by, file_name=os.path.basename(file_name)[:200], file_size=size
    )
    path = extract_path(extract)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in chunks:
            out.write(chunk)
    audit.record(by, "intake.upload", extract, details={"file": extract.file_name, "bytes": size})
    from polku.intake.tasks import import_extract

    transaction.on_commit(lambda: import_extract.enqueue(extract_id=extract.pk))
    return extract


def create_extract_for_command(*, unit: Unit, path: Path) -> RegistryExtract:
    """An extract imported from the command line (by whoever runs the server; audited without a user)."""
    size = path.stat().st_size
    reading_formats.check_size(size, max_bytes())
    extract = RegistryExtract.objects.create(unit=unit, file_name=path.name[:200], file_size=size)
    audit.record(None, "intake.upload", extract, details={"file": extract.file_name, "command_line": True})
    return extract


def fail_abandoned_extracts() -> int:
    """Mark failed the extracts still checking or saving long after their last sign of life (progress is
    saved every 10,000 rows): their process died (a worker killed, a server restarted), and they would
    otherwise show "Checking the file" for ever. Their stored upload is removed. Run at the start of every
    import, when a unit's extracts are listed, and by `manage.py fail_abandoned_extracts`."""
    since = timezone.now() - timedelta(minutes=int(settings.REGISTRY_EXTRACT_STALE_MINUTES))
    abandoned = list(
        RegistryExtract.objects.filter(
            status__in=[ExtractStatus.CHECKING, ExtractStatus.WRITING], updated_at__lt=since
        )
    )
    for extract in abandoned:
        with transaction.atomic():
            changed = RegistryExtract.objects.filter(pk=extract.pk, status=extract.status).update(
                status=ExtractStatus.FAILED,
                finished_at=timezone.now(),
                updated_at=timezone.now(),
                error="abandoned",
            )
            if changed:
                audit.record(None, "intake.abandoned", extract, details={"status": extract.status})
        extract_path(extract).unlink(missing_ok=True)
    if abandoned:
        logger.warning("Marked %s abandoned registry extract(s) failed", len(abandoned))
    return len(abandoned)


def _progress(extract: RegistryExtract, report: Callable[[int, int], None] | None) -> Callable[[int], None]:
    def progress(rows: int) -> None:
        # updated_at is the sign of life fail_abandoned_extracts looks for.
        RegistryExtract.objects.filter(pk=extract.pk).update(rows_checked=rows, updated_at=story_time.now())
        if report:
            report(rows, extract.rows_total)

    return progress


def run_import(
    *,
    extract: RegistryExtract,
    data: bytes,
    report: Callable[[int, int], None] | None = None,
    timings: dict[str, float] | None = None,
) -> RegistryExtract:
    """Validate the whole file, then write it (or only its problems) and screen the people in it.
    `timings` (for bench/import.py) receives the seconds each phase took."""
    timings = timings if timings is not None else {}
    fail_abandoned_extracts()
    clock = time.perf_counter()
    extract.status, extract.started_at = ExtractStatus.CHECKING, story_time.now()
    extract.rows_total = (
        max(data.count(b"\n") - 1, 1) if not data.startswith(reading_formats.XLSX_MAGIC) else 0
    )
    extract.save(update_fields=["status", "started_at", "rows_total", "updated_at"])
    try:
        result = reading.read_extract(
            data,
            today=timezone.localdate(),
            municipalities=Municipality.objects.values_list("code", flat=True),
            progress=_progress(extract, report),
            limits=limits(),
        )
        problems = result.problems
    except reading_formats.Rejected as rejected:
        result, problems = None, rejected.problems
    del data  # the rows hold what is needed from here on
    timings["validate"] = time.perf_counter() - clock
    if problems:
        return _reject(extract, problems, stopped_at=result.stopped_at if result else 0)
    assert result is not None
    extract.status, extract.rows_checked, extract.rows_total = (
        ExtractStatus.WRITING,
        result.total,
        result.total,
    )
    extract.save(update_fields=["status", "rows_checked", "rows_total", "updated_at"])
    if report:
        report(result.total, result.total)
    rules = screening.current_rules(only_facts=evaluation.REGISTRY_FACTS)
    clock = time.perf_counter()
    prepared = loading.prepare(result.rows, rules)
    timings["hash_and_screen"] = time.perf_counter() - clock
    clock = time.perf_counter()
    with transaction.atomic():
        Unit.objects.select_for_update().get(pk=extract.unit_id)  # one import per unit at a time
        counts = loading.load(extract=extract, prepared=prepared)
        extract.status, extract.finished_at = ExtractStatus.DONE, story_time.now()
        extract.new_people, extract.changed_people = counts.new, counts.changed
        extract.unchanged_people = counts.unchanged + counts.rescreened + counts.older
        extract.flagged_people = counts.flagged
        extract.extract_date = max(row.extract_date for row in result.rows)
        extract.save()
        audit.record(
            extract.uploaded_by,
            "intake.import",
            extract,
            details={
                "rows": result.total,
                "new": counts.new,
                "changed": counts.changed,
                "flagged": counts.flagged,
            },
        )
    timings["write"] = time.perf_counter() - clock
    return extract


def stopped_note(*, problems: int, line: int) -> str:
    """The last problem row of an extract whose checking stopped at the limit (also in problems.csv)."""
    return _(
        "And more: checking stopped on line %(line)s after %(count)s problems, so there may be more after "
        "it. Correct these and import the file again to find the rest."
    ) % {"line": line, "count": problems}


def _reject(
    extract: RegistryExtract, problems: list[reading_formats.Problem], *, stopped_at: int
) -> RegistryExtract:
    rows = [ExtractProblem(extract=extract, line=p.line, column=p.column, reason=p.reason) for p in problems]
    if stopped_at:
        reason = stopped_note(problems=len(problems), line=stopped_at)
        rows.append(ExtractProblem(extract=extract, line=stopped_at, column="", reason=reason))
    with transaction.atomic():
        ExtractProblem.objects.bulk_create(rows, batch_size=2000)
        extract.status, extract.finished_at, extract.problem_count, extract.stopped_at_line = (
            ExtractStatus.REJECTED,
            story_time.now(),
            len(problems),
            stopped_at,
        )
        extract.save(
            update_fields=["status", "finished_at", "problem_count", "stopped_at_line", "updated_at"]
        )
        audit.record(
            extract.uploaded_by,
            "intake.reject",
            extract,
            details={"problems": len(problems), "stopped_at_line": stopped_at},
        )
    return extract


def run_stored_import(extract_id: int) -> None:
    """The background task: import the stored upload and remove the file whatever the outcome."""
    extract = RegistryExtract.objects.select_related("uploaded_by__unit__organisation").get(pk=extract_id)
    path = extract_path(extract)
    try:
        run_import(extract=extract, data=path.read_bytes())
    except Exception as error:
        logger.exception("Registry extract %s failed", extract.public_id)
        RegistryExtract.objects.filter(pk=extract.pk).update(
            status=ExtractStatus.FAILED, finished_at=story_time.now(), error=type(error).__name__
        )
        raise
    finally:
        path.unlink(missing_ok=True)


# --- The worklist ---------------------------------------------------------------------------------------


def _locked_person(person: RegistryPerson) -> RegistryPerson:
    return RegistryPerson.objects.select_for_update().select_related("unit", "municipality").get(pk=person.pk)


@transaction.atomic
def mark_contacted(*, person: RegistryPerson, by: Membership) -> Case:
    """The person was reached: they become a client with a case in the unit (or the person Polku already
    holds gets the case), and the needs the rules flagged become the client's support needs."""
    person = _locked_person(person)
    permissions.require(by, "intake.worklist", person, hide=True)
    permissions.require(by, "client.create")
    if person.state:
        raise ValidationError(_("This person has already been handled on the worklist."))
    try:
        result = client_services.create_client(
            by=by,
            identity_code=identity.decrypt(person.identity_code_encrypted),
            source=CaseSource.REGISTRY_SCREENING,
            # The screening of the unit's own area reaches the person wherever Polku holds them.
            open_for_existing=True,
            first_names=person.first_names,
            last_name=person.last_name,
            municipality=person.municipality,
        )
    except ValidationError as error:
        if getattr(error, "code", "") != "open_case_exists":
            raise
        raise ValidationError(
            _(
                "This person already has an open case in your unit. Ask its personal worker to add you to "
                "its team, or mark the person not relevant here with that as the reason."
            )
        ) from None
    client, case = result.client, result.case
    on = date_format(person.facts_on, "SHORT_DATE_FORMAT")
    timeline.add(
        client, "intake.identified", by=by, case=case, obj=case, params={"on": person.facts_on.isoformat()}
    )
    screening.screen_client(
        client=client,
        case=case,
        facts=loading.person_facts(person),
        by=by,
        source_description=_("Registry extract of %(on)s") % {"on": on},
    )
    person.state, person.handled_at, person.handled_by = WorklistState.CONTACTED, story_time.now(), by
    person.client, person.case = client, case
    person.save(update_fields=["state", "handled_at", "handled_by", "client", "case", "updated_at"])
    audit.record(by, "intake.contacted", person, client=client, details={"case": str(case.public_id)})
    return case


@transaction.atomic
def mark_not_relevant(*, person: RegistryPerson, by: Membership, reason: str) -> RegistryPerson:
    person = _locked_person(person)
    permissions.require(by, "intake.worklist", person, hide=True)
    reason = reason.strip()
    if person.state:
        raise ValidationError(_("This person has already been handled on the worklist."))
    if len(reason) < 5:
        raise ValidationError({"reason": _("Say why contacting the person is not relevant.")})
    person.state, person.handled_at, person.handled_by, person.reason = (
        WorklistState.NOT_RELEVANT,
        story_time.now(),
        by,
        reason,
    )
    person.save(update_fields=["state", "handled_at", "handled_by", "reason", "updated_at"])
    audit.record(by, "intake.not_relevant", person, reason=reason)
    return person


def _on(params: dict[str, Any]) -> dict[str, Any]:
    from datetime import date

    try:
        return {**params, "on": date_format(date.fromisoformat(params["on"]), "SHORT_DATE_FORMAT")}
    except (KeyError, TypeError, ValueError):
        return params


# The client timeline's kinds of this app (its AppConfig.ready contributes them).
TIMELINE_KINDS = (
    TimelineKind("intake.identified", gettext_lazy("Identified in the registry extract of %(on)s"), _on),
)
