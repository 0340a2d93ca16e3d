from typing import Any

from django.http import HttpRequest

from polku.accounts.models import CLIENT_WORK_ROLES


def membership(request: HttpRequest) -> dict[str, Any]:
    return {
        "membership": getattr(request, "membership", None),
        "can_change_membership": getattr(request, "has_other_memberships", False),
        "client_roles": CLIENT_WORK_ROLES,
    }
