"""The request an audit event belongs to (request id and client address), set by middleware."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None


current: ContextVar[RequestContext | None] = ContextVar("polku_audit_request", default=None)
