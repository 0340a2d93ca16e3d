"""The request a staff view receives: `staff_required` has checked that a membership was chosen, so
`membership` is a `Membership`, never None, and views need no `type: ignore` to read it."""

from django.http import HttpRequest

from polku.accounts.models import Membership


class StaffRequest(HttpRequest):
    """Only a type: `ActiveMembershipMiddleware` sets these attributes on Django's own request, and
    `staff_required` lets a view run only when `membership` is set. Annotate a staff view's request with
    it (`def view(request: StaffRequest, ...)`); nothing is ever constructed from this class."""

    membership: Membership
    has_other_memberships: bool
