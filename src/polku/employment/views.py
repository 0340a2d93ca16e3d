"""IPS pages: the coach's caseload (their home page), a client's IPS period and its records, employers
and openings, matching, the unit's figures and the fidelity reviews."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.models import Organisation, OrganisationKind, Role
from polku.accounts.requests import StaffRequest
from polku.audit import services as audit
from polku.clients import selectors as client_selectors
from polku.clients.forms import apply_service_errors
from polku.core.pages import render_form
from polku.employment import figures, forms, matching, selectors, services
from polku.employment.models import FidelityBand, IpsPeriod, Phase, fidelity_band
from polku.employment.scale import ITEMS


def _form_page(
    request: StaffRequest, form: Any, *, title: str, back: str, lead: str = "", submit: str = ""
) -> HttpResponse:
    return render_form(
        request,
        "employment/form.html",
        {"form": form, "title": title, "back": back, "lead": lead, "submit": submit or _("Save")},
    )


# --- Entry and the caseload ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def ips_enter(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    case = client_selectors.case_for(viewer=viewer, public_id=public_id)
    permissions.require(viewer, "ips.enter", case, hide=True)
    coaches = selectors.coaches_of(viewer.unit.organisation_id)
    form = forms.EnterForm(request.POST or None, coaches=coaches, initial={"coach": viewer.pk})
    if request.method == "POST" and form.is_valid():
        try:
            period = services.ips_enter(case=case, by=viewer, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The client is now in supported employment (IPS)."))
            return redirect("employment:period", public_id=period.public_id)
    elif request.method == "GET":
        audit.record(viewer, "client.view", case.client, client=case.client, details={"page": "ips_enter"})
    return _form_page(
        request,
        form,
        title=_("Supported employment (IPS)"),
        back=reverse("clients:detail", args=[case.client.public_id]),
        lead=case.client.full_name,
        submit=_("Start supported employment"),
    )


@require_GET
@staff_required
def caseload(request: StaffRequest) -> HttpResponse:
    viewer = request.membership
    permissions.require(viewer, "ips.caseload")
    phase = request.GET.get("phase", "")
    page = Paginator(selectors.caseload(viewer=viewer, phase=phase), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    audit.record(viewer, "ips.caseload", listed=[period.client for period in rows])
    return render(
        request,
        "employment/caseload.html",
        {
            "viewer": viewer,
            "page_obj": page,
            "query_string": f"phase={phase}" if phase in Phase.values else "",
            "rows": rows,
            "phase": phase,
            "phases": Phase.choices,
            "load": selectors.load_of(viewer),
            "weeks": selectors.contacts_per_week(viewer),
            "expected_contacts": selectors.EMPLOYER_CONTACTS_PER_WEEK,
        },
    )


@require_GET
@staff_required
def unit(request: StaffRequest) -> HttpResponse:
    """The unit's IPS: each coach's caseload against the limit, contacts a week, and the outcomes."""
    viewer = request.membership
    permissions.require(viewer, "ips.unit")
    return render(
        request,
        "employment/unit.html",
        {
            "can_set_fte": viewer.has_role(Role.MANAGER),
            "coaches": selectors.unit_coaches(viewer=viewer),
            "outcomes": figures.outcomes(organisation_id=viewer.unit.organisation_id),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def coach_fte(request: StaffRequest, public_id: str) -> HttpResponse:
    """A coach's share of full time in IPS: set by the coach or a manager of the organisation."""
    viewer = request.membership
    coach = selectors.coach_for(viewer=viewer, public_id=public_id)
    form = forms.FteForm(request.POST or None, initial={"fte": selectors.fte_of(coach)})
    back = reverse("employment:caseload" if coach.pk == viewer.pk else "employment:unit")
    if request.method == "POST" and form.is_valid():
        try:
            services.coach_set_fte(coach=coach, fte=form.cleaned_data["fte"], by=viewer)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Share of full time saved."))
            return redirect(back)
    return _form_page(request, form, title=_("Share of full time in IPS"), back=back, lead=str(coach.user))


# --- A client's period ----------------------------------------------------------------------------------


@require_GET
@staff_required
@permissions.decided_once()
def period_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    period = selectors.period_for(viewer=viewer, public_id=public_id)
    audit.record(viewer, "ips.view", period, client=period.client)
    return render(
        request,
        "employment/period.html",
        {
            "period": period,
            "client": period.client,
            "profile": selectors.profile_of(period),
            "counselling": selectors.counselling_of(period),
            "jobs": selectors.jobs_of(period),
            "follow_alongs": selectors.follow_alongs_of(period),
            "discussions": selectors.discussions_of(period),
            "contacts": selectors.contacts_on_behalf_of(period),
            "phase_changes": list(period.phase_changes.select_related("changed_by__user")),
            "can_manage": permissions.can(viewer, "ips.manage", period),
        },
    )


def _manage(request: StaffRequest, public_id: str) -> IpsPeriod:
    return selectors.period_for(viewer=request.membership, public_id=public_id, action="ips.manage")


def _back(period: IpsPeriod) -> str:
    return reverse("employment:period", args=[period.public_id])


@require_http_methods(["GET", "POST"])
@staff_required
def period_phase(request: StaffRequest, public_id: str) -> HttpResponse:
    period = _manage(request, public_id)
    form = forms.PhaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ips_change_phase(period=period, by=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Phase changed."))
            return redirect(_back(period))
    return _form_page(
        request, form, title=_("Change the IPS phase"), back=_back(period), lead=period.client.full_name
    )


@require_http_methods(["GET", "POST"])
@staff_required
def profile_edit(request: StaffRequest, public_id: str) -> HttpResponse:
    period = _manage(request, public_id)
    profile = selectors.profile_of(period)
    initial: dict[str, Any] = {"disclosure": "undecided"}
    if profile is not None:
        initial = {name: getattr(profile, name) for name in services.PROFILE_FIELDS}
        initial["municipalities"] = list(profile.municipalities.all())
    form = forms.ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        municipalities = values.pop("municipalities")
        try:
            services.profile_save(
                period=period, by=request.membership, municipalities=municipalities, **values
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Career profile saved."))
            return redirect(_back(period))
    elif request.method == "GET" and profile is not None:
        audit.record(request.membership, "ips.profile.view", profile, client=period.client)
    return _form_page(
        request, form, title=_("Career profile"), back=_back(period), lead=period.client.full_name
    )


@require_http_methods(["GET", "POST"])
@staff_required
def counselling_new(request: StaffRequest, public_id: str) -> HttpResponse:
    period = _manage(request, public_id)
    form = forms.CounsellingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.counselling_record(period=period, by=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Benefits counselling recorded."))
            return redirect(_back(period))
    return _form_page(
        request, form, title=_("Benefits counselling"), back=_back(period), lead=period.client.full_name
    )


@require_http_methods(["GET", "POST"])
@staff_required
def job_start(request: StaffRequest, public_id: str) -> HttpResponse:
    period = _manage(request, public_id)
    employers = Organisation.objects.filter(kind=OrganisationKind.EMPLOYER, is_active=True).order_by("name")
    form = forms.JobStartForm(request.POST or None, employers=employers)
    if request.method == "POST" and form.is_valid():
        try:
            services.job_start(period=period, by=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Job start recorded."))
            return redirect(_back(period))
    return _form_page(
        request, form, title=_("Record a job start"), back=_back(period), lead=period.client.full_name
    )


@require_http_methods(["GET", "POST"])
@staff_required
def job_end(request: StaffRequest, public_id: str) -> HttpResponse:
    job = selectors.job_for(viewer=request.membership, public_id=public_id)
    form = forms.JobEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.job_end(job=job, by=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Job end recorded."))
            return redirect(_back(job.period))
    return _form_page(
        request,
        form,
        title=_("Record a job end"),
        back=_back(job.period),
        lead=f"{job.client.full_name} · {job.title}",
    )


@require_http_methods(["GET", "POST"])
@staff_required
def follow_along_new(request: StaffRequest, public_id: str) -> HttpResponse:
    period = _manage(request, public_id)
    form = forms.FollowAlongForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_along_record(period=period, by=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Follow-along contact recorded."))
            return redirect(_back(period))
    return _form_page(
        request, form, title=_("Follow-along contact"), back=_back(period), lead=period.client.full_name
    )


@require_http_methods(["GET", "POST"])
@staff_required
def matches(request: StaffRequest, public_id: str) -> HttpResponse:
    """Openings ranked for the job seeker; a POST records that one was discussed and the decision."""
    period = _manage(request, public_id)
    profile = selectors.profile_of(period)
    form = forms.DiscussionForm(request.POST or None)
    if request.method == "POST":
        opening = selectors.opening_for(viewer=request.membership, public_id=request.POST.get("opening", ""))
        if form.is_valid():
            try:
                services.discussion_record(
                    period=period, opening=opening, by=request.membership, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Discussion recorded."))
                return redirect(reverse("employment:matches", args=[period.public_id]))
    else:
        audit.record(request.membership, "ips.matches", period, client=period.client)
    found = matching.openings_for(profile, viewer=request.membership) if profile is not None else []
    return render_form(
        request,
        "employment/matches.html",
        {"period": period, "client": period.client, "profile": profile, "matches": found, "form": form},
    )


# --- Employers and openings ---------------------------------------------------------------------------


@require_GET
@staff_required
def employers(request: StaffRequest) -> HttpResponse:
    viewer = request.membership
    permissions.require(viewer, "employer.view")
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.employers(viewer=viewer, query=query), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "employment/employers.html",
        {"page_obj": page, "query": query, "can_manage": permissions.can(viewer, "employer.manage")},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def employer_new(request: StaffRequest) -> HttpResponse:
    permissions.require(request.membership, "employer.manage")
    form = forms.EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_add(by=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("employment:employer", public_id=employer.public_id)
    return _form_page(request, form, title=_("Add an employer"), back=reverse("employment:employers"))


@require_GET
@staff_required
def employer_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    employer = selectors.employer_for(viewer=viewer, public_id=public_id)
    page = Paginator(selectors.contact_log(employer, viewer=viewer), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = selectors.contact_rows(list(page.object_list), viewer=viewer)
    shown = [client for row in rows for client in row.seekers]
    audit.record(viewer, "employer.view", employer, listed=shown or None)
    return render(
        request,
        "employment/employer.html",
        {
            "employer": employer,
            "page_obj": page,
            "rows": rows,
            "people": selectors.contact_people_of(employer, viewer=viewer),
            "workplaces": list(employer.units.filter(is_active=True)),
            "openings": list(selectors.openings(viewer=viewer, status="", employer=employer)[:50]),
            "can_manage": permissions.can(viewer, "employer.manage"),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def workplace_new(request: StaffRequest, public_id: str) -> HttpResponse:
    employer = selectors.employer_for(viewer=request.membership, public_id=public_id)
    permissions.require(request.membership, "employer.manage")
    form = forms.WorkplaceForm(request.POST or None)
    back = reverse("employment:employer", args=[employer.public_id])
    if request.method == "POST" and form.is_valid():
        try:
            services.workplace_add(employer=employer, by=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(back)
    return _form_page(request, form, title=_("Add a workplace"), back=back, lead=employer.name)


@require_http_methods(["GET", "POST"])
@staff_required
def opening_edit(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    opening = selectors.opening_for(viewer=viewer, public_id=public_id, action="employer.manage")
    initial = {name: getattr(opening, name) for name in services.OPENING_FIELDS if name != "workplace"}
    initial["status"] = opening.status
    form = forms.OpeningForm(request.POST or None, initial=initial)
    back = reverse("employment:opening", args=[opening.public_id])
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        status = values.pop("status")
        try:
            services.opening_save(by=viewer, opening=opening, status=status, **values)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Job opening saved."))
            return redirect(back)
    return _form_page(request, form, title=_("Change the job opening"), back=back, lead=opening.employer.name)


@require_http_methods(["GET", "POST"])
@staff_required
def contact_person_new(request: StaffRequest, public_id: str) -> HttpResponse:
    employer = selectors.employer_for(viewer=request.membership, public_id=public_id)
    permissions.require(request.membership, "employer.manage")
    form = forms.ContactPersonForm(request.POST or None)
    back = reverse("employment:employer", args=[employer.public_id])
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_person_add(employer=employer, by=request.membership, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect(back)
    return _form_page(request, form, title=_("Add a contact person"), back=back, lead=employer.name)


@require_http_methods(["GET", "POST"])
@staff_required
def employer_contact_new(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    employer = selectors.employer_for(viewer=viewer, public_id=public_id)
    permissions.require(viewer, "employer.manage")
    people = selectors.contact_people_queryset(employer, viewer=viewer)
    form = forms.EmployerContactForm(
        request.POST or None, people=people, periods=selectors.periods_to_link(viewer=viewer)
    )
    back = reverse("employment:employer", args=[employer.public_id])
    if request.method == "POST" and form.is_valid():
        try:
            services.employer_contact_record(employer=employer, by=viewer, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Employer contact recorded."))
            return redirect(back)
    return _form_page(request, form, title=_("Log an employer contact"), back=back, lead=employer.name)


@require_http_methods(["GET", "POST"])
@staff_required
def opening_new(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    employer = selectors.employer_for(viewer=viewer, public_id=public_id)
    permissions.require(viewer, "employer.manage")
    form = forms.OpeningForm(request.POST or None)
    back = reverse("employment:employer", args=[employer.public_id])
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        status = values.pop("status")
        try:
            opening = services.opening_save(by=viewer, employer=employer, status=status, **values)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Job opening saved."))
            return redirect("employment:opening", public_id=opening.public_id)
    return _form_page(request, form, title=_("Add a job opening"), back=back, lead=employer.name)


@require_GET
@staff_required
def openings(request: StaffRequest) -> HttpResponse:
    viewer = request.membership
    permissions.require(viewer, "employer.view")
    status = request.GET.get("status", "open")
    page = Paginator(
        selectors.openings(viewer=viewer, status=status if status != "all" else ""), selectors.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "employment/openings.html", {"page_obj": page, "status": status})


@require_GET
@staff_required
def opening_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    opening = selectors.opening_for(viewer=viewer, public_id=public_id)
    found = matching.seekers_for(opening, viewer=viewer)
    audit.record(viewer, "ips.opening_matches", opening, listed=[m.item.client for m in found] or None)
    return render(
        request,
        "employment/opening.html",
        {
            "opening": opening,
            "matches": found,
            "can_manage": permissions.can(viewer, "employer.manage", opening),
        },
    )


# --- Fidelity -----------------------------------------------------------------------------------------


@require_GET
@staff_required
def fidelity(request: StaffRequest) -> HttpResponse:
    viewer = request.membership
    permissions.require(viewer, "ips.unit")
    reviews = selectors.reviews(viewer=viewer)
    totals = [(review, review.total, FidelityBand(fidelity_band(review.total)).label) for review in reviews]
    return render(
        request,
        "employment/fidelity.html",
        {"totals": totals, "chart": figures.totals_chart([(r.reviewed_on, t) for r, t, _b in totals])},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def review_new(request: StaffRequest) -> HttpResponse:
    viewer = request.membership
    permissions.require(viewer, "ips.fidelity_record")
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scores, evidence = form.scores()
        try:
            review = services.review_record(
                by=viewer,
                reviewed_on=form.cleaned_data["reviewed_on"],
                reviewers=form.cleaned_data["reviewers"],
                scale_version=form.cleaned_data["scale_version"],
                scores=scores,
                evidence=evidence,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("employment:review", public_id=review.public_id)
    measured = figures.measured(organisation_id=viewer.unit.organisation_id)
    items = [
        (number, title, full, form[f"item_{number}"], form[f"evidence_{number}"], measured.get(number))
        for number, title, full in ITEMS
    ]
    return render_form(request, "employment/review_form.html", {"form": form, "items": items})


@require_GET
@staff_required
def review_detail(request: StaffRequest, public_id: str) -> HttpResponse:
    viewer = request.membership
    review = selectors.review_for(viewer=viewer, public_id=public_id)
    previous = selectors.previous_review(review)
    before = {r.item: r.score for r in previous.ratings.all()} if previous else {}
    ratings = {r.item: r for r in review.ratings.all()}
    rows = [(n, title, ratings.get(n), before.get(n)) for n, title, _f in ITEMS]
    total = review.total
    return render(
        request,
        "employment/review.html",
        {
            "review": review,
            "rows": rows,
            "total": total,
            "band": FidelityBand(fidelity_band(total)).label,
            "previous": previous,
        },
    )
