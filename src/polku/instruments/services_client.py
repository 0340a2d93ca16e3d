"""The client answers a questionnaire on their own device (the client's own Polku): the same answer checks,
scoring, bands and safety alert rules as staff entry (`services`), but the response records the client as
the one who answered (`answered_by` "client", no `entered_by`) and no staff membership acts.

The caller (the portal) decides that the client may answer this version in this case (a questionnaire
the team asked them to fill in) and passes `actor`, the audit details that name the client as the actor.
A completed response runs the screening rules as staff entry does (`screening.services.screen_client`),
over the latest answers the response's organisation may read, flagging support needs as that
organisation's records with the client named as the actor.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from polku.accounts.models import Organisation
from polku.audit import services as audit
from polku.clients import timeline
from polku.clients.models import Case
from polku.core import story_time
from polku.instruments import scoring, selectors
from polku.instruments.models import AnsweredBy, InstrumentVersion, Response, SafetyAlert
from polku.instruments.services import check_target, clean_answers, raise_alert
from polku.screening import services as screening


def save_client_draft(
    *,
    case: Case,
    version: InstrumentVersion,
    answers: dict[str, Any],
    organisation: Organisation,
    actor: dict[str, Any],
    draft: Response | None = None,
) -> Response:
    """Keep the client's partial answers (each answer checked, none required yet)."""
    with transaction.atomic():
        check_target(case, version, draft)
        cleaned = clean_answers(version, answers, complete=False)
        if draft is None:
            draft = _new_response(case, version, organisation)
        draft.answers = cleaned
        draft.save()
        audit.record(
            None,
            "response.save_draft",
            draft,
            client=case.client,
            details={**actor, "instrument": version.instrument.code, "answered": len(cleaned)},
        )
    return draft


def record_client_response(
    *,
    case: Case,
    version: InstrumentVersion,
    answers: dict[str, Any],
    organisation: Organisation,
    actor: dict[str, Any],
    draft: Response | None = None,
) -> tuple[Response, list[SafetyAlert]]:
    """Complete the client's response: required answers checked, scored with `scoring.score` as staff
    entry is, and a safety alert raised for every alert rule met (the team sees it at once on the client
    overview and the caseload). Returns the response and the alerts, whose guidance the client is shown."""
    with transaction.atomic():
        check_target(case, version, draft)
        cleaned = clean_answers(version, answers, complete=True)
        result = scoring.score(version, cleaned, sex=case.client.sex)
        response = draft or _new_response(case, version, organisation)
        response.answers = cleaned
        response.item_scores = result.item_scores
        response.total_score = result.total
        response.subscale_scores = result.subscales
        response.band = result.band
        response.completed_at = story_time.now()
        response.save()
        code = version.instrument.code
        timeline.add(
            case.client,
            "questionnaire.completed",
            by=None,
            case=case,
            obj=response,
            register=response.register,
            organisation=response.organisation,
            params={
                "instrument": code,
                "title": version.title,
                "score": result.total,
                "band": result.band.label if result.band else {},
            },
        )
        audit.record(
            None,
            "response.complete",
            response,
            client=case.client,
            details={
                **actor,
                "instrument": code,
                "version": version.number,
                "score": result.total,
                "band": result.band.code if result.band else "",
            },
        )
        alerts = [raise_alert(response=response, rule=rule, by=None, actor=actor) for rule in result.alerts]
        # As `services.record_response`: the screening rules over the latest answers the organisation
        # may read (its own, others' under the client's consent), so a rule over two questionnaires
        # fires whichever was answered last, by the client or with a worker.
        facts, registers = selectors.latest_facts_of_organisation(case.client, organisation.pk)
        screening.screen_client(
            client=case.client,
            case=case,
            facts=facts,
            fact_registers=registers,
            by=None,
            organisation=organisation,
            actor=actor,
            source_description=_("%(title)s answered on %(on)s")
            % {"title": version.title_text(), "on": date_format(timezone.localdate(), "SHORT_DATE_FORMAT")},
        )
    return response, alerts


def _new_response(case: Case, version: InstrumentVersion, organisation: Organisation) -> Response:
    """A response the client answers themself: no staff member entered it; a record of the case
    organisation's register, as the questionnaire's version says."""
    return Response(
        version=version,
        client=case.client,
        case=case,
        answered_by=AnsweredBy.CLIENT,
        entered_by=None,
        organisation=organisation,
        register=version.register,
    )
