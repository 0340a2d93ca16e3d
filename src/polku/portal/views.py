"""The client's own Polku: thin views over `oidc`, `session`, `selectors` and `services`."""

from __future__ import annotations

import logging
import uuid
from datetime import date
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.clients import selectors as client_selectors
from polku.clients.models import Client
from polku.core.pages import render_form
from polku.core.pdf import render_pdf
from polku.instruments import selectors as instrument_selectors
from polku.instruments.forms import AnswerForm
from polku.plans import services as plan_services
from polku.portal import oidc, selectors, services, session
from polku.portal.session import ClientRequest, client_required

logger = logging.getLogger("polku.portal")


def _callback_uri(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("portal:callback"))


@require_GET
def start(request: HttpRequest, expired: bool = False) -> HttpResponse:
    if session.client_public_id(request) is not None:
        return redirect("portal:home")
    return render(request, "portal/start.html", {"expired": expired, "configured": oidc.is_configured()})


@require_GET
def login(request: HttpRequest) -> HttpResponse:
    """Sends the browser to the identity provider with a new attempt (state, nonce, PKCE verifier)."""
    if not oidc.is_configured():
        return render(request, "portal/refused.html", {"step": "not_configured"}, status=503)
    try:
        url, attempt = oidc.start(_callback_uri(request), ui_locale=get_language() or "")
    except oidc.IdentificationError as error:
        logger.warning("Portal login could not start: %s", error.code)
        return render(request, "portal/refused.html", {"step": error.code}, status=502)
    if session.client_public_id(request) is not None or request.user.is_authenticated:
        request.session.flush()  # a login starts from an empty session, whoever was logged in
    request.session[session.ATTEMPT_KEY] = attempt.as_dict()
    return redirect(url)


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: the code is exchanged, the ID token verified and its identity code matched
    to a client by the keyed lookup hash. The code is never logged, shown or put in an address."""
    attempt = oidc.Attempt.from_dict(request.session.pop(session.ATTEMPT_KEY, None))
    try:
        if request.GET.get("error"):
            raise oidc.IdentificationError(
                "denied" if request.GET["error"] == "access_denied" else "provider_error"
            )
        claims = oidc.finish(
            attempt=attempt,
            state=request.GET.get("state", ""),
            code=request.GET.get("code", ""),
            redirect_uri=_callback_uri(request),
        )
    except oidc.IdentificationError as error:
        logger.warning("Portal login refused at step %s", error.code)
        services.record_refused_login(error.code)
        return render(request, "portal/refused.html", {"step": error.code}, status=400)
    code = claims.get(settings.POLKU_PORTAL_OIDC_IDENTITY_CLAIM)
    client = client_selectors.find_client_by_identity_code(code) if isinstance(code, str) else None
    if client is None:
        services.record_unknown_person()
        return render(
            request, "portal/not_a_client.html", {"contact": settings.POLKU_PORTAL_HELP_CONTACT}, status=403
        )
    session.log_in(request, client)
    services.record(client, "portal.login")
    return redirect("portal:home")


@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    """The public halves of Polku's keys, for the provider."""
    return JsonResponse(oidc.public_jwks())


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    public_id = session.client_public_id(request)
    client = selectors.signed_in_client(public_id)
    if client is not None:
        services.record(client, "portal.logout")
    session.log_out(request)
    provider_logout = oidc.logout_url(request.build_absolute_uri(reverse("portal:logged_out")))
    return redirect(provider_logout or reverse("portal:logged_out"))


@require_GET
def logged_out(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/logged_out.html")


@require_GET
@client_required
def home(request: HttpRequest) -> HttpResponse:
    client = cast(ClientRequest, request).portal_client
    context = selectors.home(client)
    waiting = selectors.feedback_waiting(client)
    questionnaires = selectors.questionnaires_waiting(client)
    context["plans_to_agree"] = selectors.plans_to_agree(client)
    services.record(client, "portal.home.view")
    context = {"client": client, "feedback_waiting": waiting, "questionnaires": questionnaires, **context}
    return render(request, "portal/home.html", {"nav": "home", **context})


@require_GET
@client_required
def consents(request: HttpRequest) -> HttpResponse:
    client = cast(ClientRequest, request).portal_client
    rows = list(selectors.consents(client))
    services.record(client, "portal.consents.view")
    return render(request, "portal/consents.html", {"client": client, "consents": rows, "nav": "consents"})


@require_http_methods(["GET", "POST"])
@client_required
def revoke_consent(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A confirmation page, then the revocation (effective at once)."""
    client = cast(ClientRequest, request).portal_client
    consent, others = selectors.consent(client, public_id)
    if consent is None:
        services.refuse(
            client, others or ("clients.consent", str(public_id)), owner=others.client if others else None
        )
    error = ""
    if request.method == "POST":
        try:
            services.revoke_consent(client=client, consent=consent)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The consent was revoked. It no longer applies from today."))
            return redirect("portal:consents")
    else:
        services.record(client, "portal.consents.view", consent, details={"page": "revoke"})
    context = {"client": client, "consent": consent, "error": error, "nav": "consents"}
    return render_form(request, "portal/revoke_consent.html", context)


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
def messages_page(request: HttpRequest) -> HttpResponse:
    client = cast(ClientRequest, request).portal_client
    error = ""
    if request.method == "POST":
        try:
            services.send_message(client=client, text=request.POST.get("text", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Your message was sent."))
            return redirect("portal:messages")
    rows = list(selectors.messages_of(client)[:50])
    services.record(client, "portal.messages.view")
    context = {
        "client": client,
        "rows": rows,
        "error": error,
        "text": request.POST.get("text", "") if error else "",
        "nav": "messages",
    }
    return render_form(request, "portal/messages.html", context)


@require_POST
@staff_required
def answer_message(request: StaffRequest, public_id: uuid.UUID) -> HttpResponse:
    case = client_selectors.case_for(viewer=request.membership, public_id=public_id)
    try:
        services.answer_message(case=case, by=request.membership, text=request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your message was sent."))
    return redirect(f"{reverse('clients:detail', args=[case.client.public_id])}#portal-messages")


@require_http_methods(["GET", "POST"])
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement and its feedback channel (Act 306/2019), open to everyone."""
    errors = ""
    if request.method == "POST":
        try:
            services.give_accessibility_feedback(
                text=request.POST.get("text", ""),
                page=request.POST.get("page", ""),
                contact=request.POST.get("contact", ""),
            )
        except ValidationError as exc:
            errors = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("Thank you. Your feedback was sent; we answer within 14 days if you left a contact."),
            )
            return redirect("portal:accessibility")
    client = selectors.signed_in_client(session.client_public_id(request))
    context = {"client": client, "error": errors, "values": request.POST if errors else {}}
    return render_form(request, "portal/accessibility.html", context)


@require_http_methods(["GET", "POST"])
@client_required
def feedback(request: HttpRequest) -> HttpResponse:
    """The short feedback on the service at plan agreement, a review or the end of the service."""
    client = cast(ClientRequest, request).portal_client
    waiting = selectors.feedback_waiting(client)
    if waiting is None:
        return redirect("portal:home")
    error = ""
    if request.method == "POST":
        try:
            services.give_service_feedback(
                client=client,
                waiting=waiting,
                heard=int(request.POST.get("heard", "0")),
                knew_responsible=request.POST.get("knew") == "yes",
                useful=int(request.POST.get("useful", "0")),
            )
        except (ValueError, ValidationError):
            error = _("Answer every question.")
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("portal:home")
    else:
        services.record(client, "portal.feedback.view")
    context = {"client": client, "waiting": waiting, "error": error, "scale": range(1, 6)}
    return render_form(request, "portal/feedback.html", context)


@require_POST
@staff_required
def request_questionnaire(request: StaffRequest, public_id: uuid.UUID) -> HttpResponse:
    case = client_selectors.case_for(viewer=request.membership, public_id=public_id)
    try:
        services.request_questionnaire(case=case, by=request.membership, code=request.POST.get("code", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The client sees the questionnaire in their own Polku."))
    return redirect(f"{reverse('clients:detail', args=[case.client.public_id])}#portal-messages-panel")


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


@require_POST
@staff_required
def ask_to_agree(request: StaffRequest, public_id: uuid.UUID) -> HttpResponse:
    """A team member asks the client to agree the case's draft plan version in their own Polku."""
    version = selectors.plan_version_for_staff(public_id)
    case = client_selectors.case_for(viewer=request.membership, public_id=version.plan.case.public_id)
    try:
        services.ask_to_agree(version=version, by=request.membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The client sees the plan to agree in their own Polku."))
    return redirect(f"{reverse('clients:detail', args=[case.client.public_id])}#portal-messages-panel")


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


@require_http_methods(["GET", "POST"])
@client_required
def give_consent(request: HttpRequest) -> HttpResponse:
    """I give a new consent between two organisations working with me; it applies from today."""
    client = cast(ClientRequest, request).portal_client
    organisations = selectors.consent_organisations(client)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            valid_until = (
                date.fromisoformat(request.POST["valid_until"]) if request.POST.get("valid_until") else None
            )
        except ValueError:
            errors = {"valid_until": [_("Enter the date as day, month and year.")]}
        else:
            try:
                services.give_consent(
                    client=client,
                    organisations=organisations,
                    discloser_id=request.POST.get("discloser", ""),
                    recipient_id=request.POST.get("recipient", ""),
                    registers=request.POST.getlist("registers"),
                    purpose=request.POST.get("purpose", ""),
                    valid_until=valid_until,
                )
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            else:
                messages.success(request, _("Your consent was recorded. It applies from today."))
                return redirect("portal:consents")
    else:
        services.record(client, "portal.consents.view", details={"page": "give"})
    context = {
        "client": client,
        "organisations": organisations,
        "errors": errors,
        "values": request.POST if errors else {},
        "chosen_registers": request.POST.getlist("registers") if errors else [],
        "general_errors": errors.get("__all__", []),
        "nav": "consents",
    }
    return render_form(request, "portal/give_consent.html", context)


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
