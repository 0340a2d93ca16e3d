from typing import Any

from django import template

from polku.accounts.models import Membership, Role
from polku.audit import labels
from polku.audit.models import AuditEvent
from polku.clients import actors, audit_labels

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """What the audited action means to the client reading their access report (audit.labels)."""
    return labels.label_for(action)


@register.filter
def role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role or "–"


@register.filter
def actor(membership: Membership | None) -> str:
    """Who did it, with their own unit and organisation (`clients.actors`): "{{ change.by|actor }}"."""
    return actors.actor_label(membership)


@register.filter
def event_actor(event: AuditEvent) -> str:
    """The person of an access report row (`actors.event_actor`)."""
    return actors.event_actor(event) or "–"


@register.filter
def basis_label(basis: dict[str, Any] | None) -> str:
    """On what basis an audited access was allowed, in the reader's language (`clients.audit_labels`)."""
    return audit_labels.basis_label(basis) if basis else ""
