"""Pages that change a case, its team, contacts and the client's consents. Each shows a form (the GET
is an audited read of the client's data) and hands a valid POST to one service function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.requests import StaffRequest
from polku.audit import services as audit
from polku.clients import access, edits, forms, identity, selectors, services
from polku.clients.models import Case, Client


def _form_page(
    request: StaffRequest,
    *,
    client: Client,
    case: Case | None,
    form: django_forms.Form,
    title: Any,
    save: Callable[[dict[str, Any]], Any],
    done: Any,
    intro: Any = "",
    submit: Any = None,
    danger: bool = False,
    staff_search: StaffSearch | None = None,
) -> HttpResponse:
    viewer = request.membership
    # A staff search is posted (so that nothing typed into it reaches an address or a log) but only
    # reads: the page is shown again with the list it finds, as a GET shows the page.
    reading = request.method == "GET" or bool(staff_search and staff_search.searching)
    if request.method == "POST" and not reading and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            forms.apply_service_errors(form, error)
        else:
            messages.success(request, str(done))
            if permissions.can(viewer, "client.view", client):
                return redirect("clients:detail", public_id=client.public_id)
            return redirect("clients:caseload")
    elif reading:
        page = request.resolver_match.url_name if request.resolver_match else ""
        details: dict[str, Any] = {"page": page}
        if request.method == "POST":
            details["staff_search"] = True  # so the access report tells a search from opening the page
        audit.record(viewer, "client.view", client, client=client, details=details)
    return render(
        request,
        "clients/case_form.html",
        {
            "client": client,
            "case": case,
            "form": form,
            "title": title,
            "intro": intro,
            "submit": submit or _("Save"),
            "danger": danger,
            "staff_search": staff_search,
        },
        status=400 if request.method == "POST" and not reading else 200,
    )


@dataclass(frozen=True)
class StaffSearch:
    """The staff search above a form that picks one of many staff (forms.StaffPickerForm)."""

    field: str
    choices: selectors.StaffChoices
    searching: bool  # this request is the search, not the form
    refused_code: bool  # the search held an identity code, which is not searched for (nor shown again)


def _staff_picker(
    request: StaffRequest, form_class: type[forms.StaffPickerForm], candidates: Any
) -> tuple[forms.StaffPickerForm, StaffSearch]:
    """The form, listing the candidates that the posted search (`q`) finds. The search form posts
    `staff_search`; the form itself carries the search in a hidden field, so that it is shown again
    with the same list after an error."""
    field = form_class.staff_field
    searching = request.method == "POST" and "staff_search" in request.POST
    query, refused_code = identity.name_search_term(request.POST.get("q", ""))
    choices = selectors.staff_choices(
        candidates, query=query, selected=None if searching else request.POST.get(field)
    )
    bound = request.POST if request.method == "POST" and not searching else None
    form = form_class(bound, candidates=candidates, shown=choices.shown)
    return form, StaffSearch(field=field, choices=choices, searching=searching, refused_code=refused_code)


def _case(request: StaffRequest, public_id: str, action: str) -> Case:
    viewer = request.membership
    case = selectors.case_for(viewer=viewer, public_id=public_id)
    permissions.require(viewer, action, case, hide=not access.knows_of_case(viewer, case))
    return case


@require_http_methods(["GET", "POST"])
@staff_required
def change_status(request: StaffRequest, public_id: str) -> HttpResponse:
    case = _case(request, public_id, "case.manage")
    form = edits.carry_version(forms.StatusForm(request.POST or None, initial={"status": case.status}), case)
    return _form_page(
        request,
        client=case.client,
        case=case,
        form=form,
        title=_("Change the case status"),
        save=lambda d: services.change_status(case=case, by=request.membership, **d),
        done=_("Status changed."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def close_case(request: StaffRequest, public_id: str) -> HttpResponse:
    case = _case(request, public_id, "case.manage")
    return _form_page(
        request,
        client=case.client,
        case=case,
        form=forms.CloseCaseForm(request.POST or None),
        title=_("Close the case"),
        intro=_(
            "Closing ends the team's access to the client's data. The case stays as it is; working with the "
            "client again opens a new case."
        ),
        submit=_("Close the case"),
        danger=True,
        save=lambda d: services.close_case(case=case, by=request.membership, **d),
        done=_("Case closed."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def hand_over(request: StaffRequest, public_id: str) -> HttpResponse:
    case = _case(request, public_id, "case.manage")
    form, search = _staff_picker(request, forms.HandOverForm, selectors.personal_worker_candidates(case))
    return _form_page(
        request,
        client=case.client,
        case=case,
        form=form,
        title=_("Hand the case over"),
        intro=_("You leave the case team when the new personal worker takes over."),
        submit=_("Hand over"),
        save=lambda d: services.assign_personal_worker(case=case, by=request.membership, **d),
        done=_("The case was handed over."),
        staff_search=search,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def next_step(request: StaffRequest, public_id: str) -> HttpResponse:
    case = _case(request, public_id, "case.manage")
    initial = {"step": case.next_step, "due_on": case.next_step_on}
    return _form_page(
        request,
        client=case.client,
        case=case,
        form=edits.carry_version(forms.NextStepForm(request.POST or None, initial=initial), case),
        title=_("Plan the next step"),
        save=lambda d: services.plan_next_step(case=case, by=request.membership, **d),
        done=_("Next step saved."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def add_team_member(request: StaffRequest, public_id: str) -> HttpResponse:
    case = _case(request, public_id, "case.manage")
    form, search = _staff_picker(request, forms.TeamMemberForm, selectors.team_candidates(case))
    return _form_page(
        request,
        client=case.client,
        case=case,
        form=form,
        title=_("Add a team member"),
        intro=_("A team member sees the client's data while on the team."),
        submit=_("Add to the team"),
        save=lambda d: services.add_team_member(case=case, by=request.membership, **d),
        done=_("Team member added."),
        staff_search=search,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def end_team_membership(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    period = selectors.team_period_for(viewer=viewer, public_id=public_id)
    permissions.require(
        viewer, "case.manage", period.case, hide=not access.knows_of_case(viewer, period.case)
    )
    return _form_page(
        request,
        client=period.case.client,
        case=period.case,
        form=forms.EndTeamMembershipForm(request.POST if request.method == "POST" else None),
        title=_("End team membership"),
        intro=_("%(member)s leaves the team today and no longer sees the client's data.")
        % {"member": period.membership.user},
        submit=_("End membership"),
        danger=True,
        save=lambda d: services.end_team_membership(period=period, by=viewer),
        done=_("Team membership ended."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def record_contact(request: StaffRequest, public_id: str) -> HttpResponse:
    case = _case(request, public_id, "case.record_contact")
    viewer = request.membership
    form = edits.carry_submission_key(
        forms.ContactForm(request.POST or None, initial={"register": _default_register(viewer)})
    )
    return _form_page(
        request,
        client=case.client,
        case=case,
        form=form,
        title=_("Record a contact"),
        save=lambda d: services.record_contact(case=case, by=viewer, **d),
        done=_("Contact recorded."),
    )


def _default_register(viewer: Any) -> str:
    from polku.accounts.models import OrganisationKind, Role
    from polku.clients.models import Register

    if viewer.role in {
        Role.NURSE,
        Role.PHYSICIAN,
        Role.PSYCHOLOGIST,
        Role.PHYSIOTHERAPIST,
        Role.OCCUPATIONAL_THERAPIST,
    }:
        return Register.HEALTH
    if (
        viewer.role == Role.SOCIAL_WORKER
        or viewer.unit.organisation.kind == OrganisationKind.WELLBEING_COUNTY
    ):
        return Register.SOCIAL
    return Register.EMPLOYMENT


@require_http_methods(["GET", "POST"])
@staff_required
def open_case(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    client = selectors.client_for(viewer=viewer, public_id=public_id, action="case.open")
    return _form_page(
        request,
        client=client,
        case=None,
        form=forms.OpenCaseForm(request.POST or None),
        title=_("Open a new case"),
        intro=_("The earlier cases stay as they are."),
        submit=_("Open the case"),
        save=lambda d: services.open_case(client=client, by=viewer, **d),
        done=_("Case opened."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def open_case_from_break_glass(request: StaffRequest, public_id: str) -> HttpResponse:
    """Opening a case for a client seen only through break-the-glass: its own confirmed, audited step."""
    viewer = request.membership
    client = selectors.client_for(viewer=viewer, public_id=public_id, action="case.open_from_break_glass")
    return _form_page(
        request,
        client=client,
        case=None,
        form=forms.OpenCaseFromBreakGlassForm(request.POST or None),
        title=_("Open a case in your unit"),
        intro=_(
            "You see this client only for a few hours, because you opened their data outside the case "
            "teams. Opening a case makes them a client of your unit beyond those hours. The client's "
            "personal workers see on the client's timeline who opened the case, when and why."
        ),
        submit=_("Open the case"),
        save=lambda d: services.open_case_from_break_glass(
            client=client, by=viewer, source=d["source"], opened_on=d["opened_on"], reason=d["reason"]
        ),
        done=_("Case opened."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def record_consent(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    client = selectors.client_for(viewer=viewer, public_id=public_id, action="consent.record")
    form = edits.carry_submission_key(
        forms.ConsentForm(request.POST or None, organisations=selectors.organisations_for_consent())
    )
    return _form_page(
        request,
        client=client,
        case=None,
        form=form,
        title=_("Record a consent"),
        intro=_(
            "Records of the chosen registers become visible to the receiving organisation's team members "
            "while the consent is valid."
        ),
        save=lambda d: services.record_consent(client=client, by=viewer, **form.service_arguments()),
        done=_("Consent recorded."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def revoke_consent(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    consent = selectors.consent_for(viewer=viewer, public_id=public_id)
    permissions.require(viewer, "consent.record", consent.client, hide=True)
    return _form_page(
        request,
        client=consent.client,
        case=None,
        form=forms.RevokeConsentForm(request.POST or None),
        title=_("Revoke a consent"),
        intro=_("%(discloser)s may no longer disclose records to %(recipient)s from the date given.")
        % {"discloser": consent.discloser.display_name, "recipient": consent.recipient.display_name},
        submit=_("Revoke the consent"),
        danger=True,
        save=lambda d: services.revoke_consent(consent=consent, by=viewer, **d),
        done=_("Consent revoked."),
    )
