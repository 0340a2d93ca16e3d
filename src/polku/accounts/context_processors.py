from typing import Any

from django.http import HttpRequest

from polku.accounts.models import Membership


def membership(request: HttpRequest) -> dict[str, Any]:
    active: Membership | None = getattr(request, "membership", None)
    return {"membership": active}
