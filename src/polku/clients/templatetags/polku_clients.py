from django import template

from polku.accounts.models import Role
from polku.audit import labels

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
