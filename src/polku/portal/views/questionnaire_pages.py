"""A questionnaire my team asked me to fill in."""

from __future__ import annotations

import uuid
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from polku.core.pages import render_form
from polku.instruments import selectors as instrument_selectors
from polku.instruments.forms import AnswerForm
from polku.portal import selectors, services
from polku.portal.session import ClientRequest, client_required


@require_http_methods(["GET", "POST"])
@client_required
def questionnaire(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A questionnaire the team asked me to fill in: saved as I go, scored when I submit; a safety alert
    shows its guidance to me at once."""
    client = cast(ClientRequest, request).portal_client
    own, other = selectors.questionnaire_request(client, public_id)
    if own is None:
        services.refuse(
            client,
            other or ("portal.questionnairerequest", str(public_id)),
            owner=other.client if other else None,
        )
    version = instrument_selectors.version_with_content(own.version_id)
    if own.is_completed:
        services.record(client, "portal.questionnaire.view", own)
        return render(
            request, "portal/questionnaire_done.html", {"client": client, "request_": own, "version": version}
        )
    draft = own.response
    form = AnswerForm(request.POST or None, version=version, answers=draft.answers if draft else None)
    if request.method == "POST" and form.is_valid():
        complete = request.POST.get("action") == "submit"
        try:
            own, alerts = services.answer_questionnaire(
                client=client, request=own, answers=form.answers(), complete=complete
            )
        except ValidationError as error:
            form.apply_errors(error.message_dict if hasattr(error, "error_dict") else {"": error.messages})
        else:
            if complete:
                context = {"client": client, "request_": own, "version": version, "alerts": alerts}
                return render(request, "portal/questionnaire_done.html", context)
            messages.success(request, _("Your answers were saved. You can go on with them later."))
            return redirect("portal:questionnaire", public_id=own.public_id)
    if request.method == "GET":
        services.record(client, "portal.questionnaire.view", own)
    context = {"client": client, "request_": own, "version": version, "form": form, "nav": "home"}
    return render_form(request, "portal/questionnaire.html", context)
