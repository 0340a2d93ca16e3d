import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from polku.audit.context import RequestContext, current

# A request id passed in by a proxy is kept only when it looks like one (8 to 64 letters, digits, dots,
# dashes and underscores, nothing else: fullmatch, since `$` would let a trailing newline through);
# anything else is replaced, so that no free text (let alone an identity code or a forged log line)
# reaches the log through this header, and the id always fits the event's 64 characters.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the login rate limits see it (allauth's trusted proxy count)."""
    count = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    forwarded = [
        part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()
    ]
    if count > 0 and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current.set(RequestContext(request_id=request_id, ip=client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response["X-Request-ID"] = request_id
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # Refusals raised inside a transaction carry their audit event; the transaction has rolled
        # back by now, so the event is written on its own and survives.
        from polku.audit.services import record_pending

        record_pending(exception)
