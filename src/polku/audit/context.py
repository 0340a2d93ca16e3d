"""The request an audit event belongs to (request id and client address), set by middleware, and the
bases of access the permission rules noted while deciding it (`basis.note`)."""

from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None
    # (membership id, client id) -> the basis that allowed the access; the consents read for the pair.
    bases: dict[tuple[Any, Any], dict[str, Any]] = field(default_factory=dict)
    consents: dict[tuple[Any, Any], list[str]] = field(default_factory=dict)


current: ContextVar[RequestContext | None] = ContextVar("polku_audit_request", default=None)
