"""My plan: my own marks and ratings, and agreeing a plan version my team asked me to agree."""

from __future__ import annotations

import uuid
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.core.pages import render_form
from polku.plans import services as plan_services
from polku.portal import selectors, services
from polku.portal.session import ClientRequest, client_required


@require_GET
@client_required
def plan(request: HttpRequest) -> HttpResponse:
    client = cast(ClientRequest, request).portal_client
    plans = selectors.agreed_plans(client)
    services.record(client, "portal.plan.view")
    return render(request, "portal/plan.html", {"client": client, "plans": plans, "nav": "plan"})


@require_POST
@client_required
def mark_action(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    client = cast(ClientRequest, request).portal_client
    action, owner = selectors.own_action(client, public_id)
    if action is None:
        services.refuse(client, ("plans.planaction", str(public_id)), owner=owner)
    services.mark_action(
        client=client,
        action=action,
        done=request.POST.get("done") == "1",
        comment=request.POST.get("comment", "")[:2000],
    )
    messages.success(request, _("Saved."))
    return redirect(f"{reverse('portal:plan')}#action-{action.public_id}")


@require_POST
@client_required
def rate_goal(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    client = cast(ClientRequest, request).portal_client
    goal, owner = selectors.own_goal(client, public_id)
    if goal is None:
        services.refuse(client, ("plans.goal", str(public_id)), owner=owner)
    try:
        level = int(request.POST.get("level", ""))
        services.rate_goal(client=client, goal=goal, level=level, note=request.POST.get("note", "")[:2000])
    except (ValueError, ValidationError):
        services.record(client, "portal.plan.view")  # the plan is shown again, with the error
        context = {
            "client": client,
            "plans": selectors.agreed_plans(client),
            "nav": "plan",
            "rating_error": str(goal.public_id),
        }
        return render_form(request, "portal/plan.html", context)
    messages.success(request, _("Your rating was saved. Your personal worker sees it beside their own."))
    return redirect(f"{reverse('portal:plan')}#goal-{goal.public_id}")


@require_http_methods(["GET", "POST"])
@client_required
def agree_plan(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The draft my team asked me to agree, shown in full; I agree exactly what is shown."""
    client = cast(ClientRequest, request).portal_client
    version, owner = selectors.plan_version_to_agree(client, public_id)
    if version is None:
        services.refuse(client, ("plans.planversion", str(public_id)), owner=owner)
    error = ""
    if request.method == "POST":
        try:
            services.agree_plan(client=client, version=version, shown=request.POST.get("shown", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
            version, _owner = selectors.plan_version_to_agree(client, public_id)
            if version is None:
                raise Http404 from exc
        else:
            messages.success(request, _("You agreed the plan. Thank you."))
            return redirect("portal:plan")
    else:
        services.record(client, "portal.plan.agree.view", version)
    context = {
        "client": client,
        "version": version,
        "shown": plan_services.agreement_token(version),
        "error": error,
        "nav": "plan",
    }
    return render_form(request, "portal/agree_plan.html", context)
