from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from polku import audit
from polku.accounts import permissions
from polku.accounts.decorators import staff_required
from polku.accounts.forms import ChooseMembershipForm
from polku.accounts.middleware import activate_membership
from polku.accounts.requests import StaffRequest


@login_required
@require_http_methods(["GET", "POST"])
def choose_membership(request: HttpRequest) -> HttpResponse:
    """After login, a user with several memberships picks the one they work in now."""
    current = getattr(request, "membership", None)
    form = ChooseMembershipForm(
        request.POST if request.method == "POST" else None,
        user=request.user,  # type: ignore[arg-type]
        initial={"membership": current.public_id} if current else None,
    )
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    if request.method == "POST" and form.is_valid():
        membership = form.cleaned_data["membership"]
        activate_membership(request, membership)
        audit.record(membership, "membership.choose", membership)
        return redirect(next_url or "accounts:home")
    return render(
        request,
        "accounts/choose_membership.html",
        {"form": form, "next": next_url, "has_choices": form.fields["membership"].queryset.exists()},  # type: ignore[attr-defined]
    )


# The areas of the workspace in the order of the client's path: title, description, the page and the
# rule that opens it. The workspace lists those the user's role may use (assessments, service plans,
# referrals and placements are reached from a client's page in the caseload).
AREAS = [
    (
        _("Supported employment (IPS)"),
        _("Job coaches' caseloads against the limit, outcomes and fidelity reviews."),
        "employment:unit",
        "ips.unit",
    ),
    (
        _("Caseload"),
        _("Your clients' cases: assessments, service plans, referrals and work placements."),
        "clients:caseload",
        "caseload.view",
    ),
    (
        _("Early identification"),
        _("Screening questionnaires and registry extracts that find people early."),
        "intake:worklist",
        "intake.worklist",
    ),
    (
        _("Service catalogue"),
        _("Services to refer clients to, with how to apply."),
        "network:catalogue",
        "catalogue.view",
    ),
    (
        _("Incoming referrals"),
        _("Referrals sent to your unit, to accept or decline."),
        "network:incoming",
        "referral.incoming",
    ),
]

# What is not built yet, the same for everyone.
AREAS_TO_COME = [
    (_("Knowledge-based management"), _("Indicators, outcomes and costs per municipality and period.")),
]


@staff_required
def home(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    if permissions.can(membership, "placement.host_list"):
        # An external work trial host reaches only the placements their unit hosts.
        return redirect("placements:hosted")
    permissions.require(membership, "workspace.view")
    if permissions.can(membership, "ips.caseload"):
        # A job coach starts from their IPS caseload.
        return redirect("employment:caseload")
    if permissions.can(membership, "caseload.view"):
        # Staff who work with clients start from their caseload.
        return redirect("clients:caseload")
    return _workspace(request, membership)


@staff_required
def workspace(request: StaffRequest) -> HttpResponse:
    """Who the user is working as, and the links to their account settings."""
    membership = request.membership
    permissions.require(membership, "workspace.view")
    return _workspace(request, membership)


def _workspace(request: StaffRequest, membership: Any) -> HttpResponse:
    return render(
        request,
        "accounts/home.html",
        {
            "areas": [
                (title, description, reverse(url_name))
                for title, description, url_name, rule in AREAS
                if permissions.can(membership, rule)
            ],
            "areas_to_come": AREAS_TO_COME,
            "can_administer": permissions.can(membership, "admin.access"),
            "other_memberships": request.has_other_memberships,
        },
    )
