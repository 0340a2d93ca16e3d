"""Who has viewed my data (page and PDF) and My data (the download)."""

from __future__ import annotations

import logging
import uuid
from typing import cast

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from polku.clients import selectors as client_selectors
from polku.clients.models import Client
from polku.core.pdf import render_pdf
from polku.portal import selectors, services
from polku.portal.session import ClientRequest, client_required

logger = logging.getLogger("polku.portal")


@require_GET
@client_required
def access_log(request: HttpRequest) -> HttpResponse:
    client = cast(ClientRequest, request).portal_client
    events, next_cursor = selectors.access_log_page(client, request.GET.get("after", ""))
    chain = selectors.chain_check(events)
    if not chain["ok"]:  # for the operators' alerting: event ids only
        logger.error("Audit events failed the portal's chain check: %s", chain["broken"])
    services.record(client, "portal.access_log.view")
    context = {
        "client": client,
        # The rows of the staff access report (`clients.selectors.AccessEvent`): the client reads the
        # same person, role, organisation, action and basis as staff do.
        "events": [client_selectors.AccessEvent.of(event) for event in events],
        "next_cursor": next_cursor,
        "first_page": not request.GET.get("after"),
        "chain": chain,
        "nav": "access_log",
    }
    return render(request, "portal/access_log.html", context)


@require_GET
@client_required
def access_log_pdf(request: HttpRequest) -> HttpResponse:
    """The whole two years as a PDF, with the result of the chain check of every listed event."""
    client = cast(ClientRequest, request).portal_client
    events = list(selectors.access_log(client))
    unit = selectors.newest_unit(client)
    if unit is None:
        raise Http404
    data = render_pdf(
        "portal/access_log_pdf.html",
        {
            "client": client,
            "events": [client_selectors.AccessEvent.of(event) for event in events],
            "chain": selectors.chain_check(events),
        },
        language=get_language(),
        unit=unit,
    )
    services.record(client, "portal.access_log.pdf")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="polku-who-has-viewed-my-data.pdf"'
    return response


@require_GET
@client_required
def my_data(request: HttpRequest) -> HttpResponse:
    """My data: what the download holds and the links to it, and the accessibility statement."""
    client = cast(ClientRequest, request).portal_client
    services.record(client, "portal.my_data.view")
    return render(request, "portal/my_data.html", {"client": client, "nav": "my_data"})


def _own_data(request: HttpRequest, public_id: uuid.UUID) -> Client:
    """The signed-in client, when the address names them; another client's id (or an unknown one) is a
    404 and an audited refusal. The address carries the public id only, never the identity code."""
    client = cast(ClientRequest, request).portal_client
    if public_id != client.public_id:
        services.refuse(client, ("clients.client", str(public_id)), owner=selectors.client_named(public_id))
    return client


@require_GET
@client_required
def my_data_page(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Everything Polku holds about me as a printable page (the staff export's sections)."""
    client = _own_data(request, public_id)
    data = selectors.my_data(client)
    services.record_my_data(client, "html")
    return render(request, "portal/my_data_export.html", {"client": client, "data": data, "nav": "my_data"})


@require_GET
@client_required
def my_data_json(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The same as a JSON file (machine-readable, GDPR art. 20)."""
    client = _own_data(request, public_id)
    data = selectors.my_data(client)
    services.record_my_data(client, "json")
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="polku-my-data.json"'
    return response
