from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from polku import audit
from polku.accounts import permissions
from polku.accounts.middleware import membership_of


class HasActiveMembership(BasePermission):
    """Deny by default: the API answers only users whose active membership may use it."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        membership = membership_of(request)
        if permissions.can(membership, "api.use"):
            return True
        audit.record(membership or request.user, "permission.refused", details={"action": "api.use"})
        return False
