from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from polku import audit
from polku.accounts.forms import ChooseMembershipForm
from polku.accounts.middleware import activate_membership


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
        return redirect(next_url or "core:home")
    return render(
        request,
        "accounts/choose_membership.html",
        {"form": form, "next": next_url, "has_choices": form.fields["membership"].queryset.exists()},  # type: ignore[attr-defined]
    )
