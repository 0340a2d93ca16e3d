"""Questionnaires my team asked me to fill in."""

from __future__ import annotations

import uuid

from polku.clients.models import Client
from polku.portal.models import (
    QuestionnaireRequest,
)


def questionnaires_waiting(client: Client) -> list[QuestionnaireRequest]:
    """The questionnaires the team has asked me to fill in and I have not submitted yet (open cases)."""
    return list(
        QuestionnaireRequest.objects.filter(
            client=client, completed_at__isnull=True, case__closed_on__isnull=True
        )
        .select_related("version", "response")
        .order_by("requested_at", "id")
    )


def questionnaire_request(
    client: Client, public_id: uuid.UUID
) -> tuple[QuestionnaireRequest | None, QuestionnaireRequest | None]:
    """(my own request, or None; another client's request with that id, or None): the view audits the
    second as a refusal."""
    found = (
        QuestionnaireRequest.objects.select_related("client", "case", "version", "response")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        return None, None
    return (found, None) if found.client_id == client.pk else (None, found)
