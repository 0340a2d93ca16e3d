from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from polku.accounts import permissions
from polku.accounts.decorators import staff_required

# The areas of the workspace in the order of the client's path: title, description, the page and the
# rule that opens it. The workspace lists those the user's role may use (assessments, service plans,
# referrals and placements are reached from a client's page in the caseload).
AREAS = [
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
    (_("Supported employment (IPS)"), _("Job coaching, employer contacts and job openings.")),
    (_("Knowledge-based management"), _("Indicators, outcomes and costs per municipality and period.")),
]


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    if permissions.can(membership, "placement.host_list"):
        # An external work trial host reaches only the placements their unit hosts.
        return redirect("placements:hosted")
    permissions.require(membership, "workspace.view")
    if permissions.can(membership, "caseload.view"):
        # Staff who work with clients start from their caseload.
        return redirect("clients:caseload")
    return _workspace(request, membership)


@staff_required
def workspace(request: HttpRequest) -> HttpResponse:
    """Who the user is working as, and the links to their account settings."""
    membership = request.membership  # type: ignore[attr-defined]
    permissions.require(membership, "workspace.view")
    return _workspace(request, membership)


def _workspace(request: HttpRequest, membership: Any) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {
            "areas": [
                (title, description, reverse(url_name))
                for title, description, url_name, rule in AREAS
                if permissions.can(membership, rule)
            ],
            "areas_to_come": AREAS_TO_COME,
            "can_administer": permissions.can(membership, "admin.access"),
            "other_memberships": request.has_other_memberships,  # type: ignore[attr-defined]
        },
    )


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and as the benchmark's ceiling: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return redirect(static("polku/favicon.svg"), permanent=True)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
