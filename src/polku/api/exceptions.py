from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler

from polku.audit.services import record_pending


def handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF answers refusals inside the view, so Django's exception middleware never sees them: write
    the audit event a refusal carries here, after the service's transaction has rolled back."""
    record_pending(exc)
    return exception_handler(exc, context)
