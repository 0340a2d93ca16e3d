from typing import Any

from django import template
from django.template import Context, Engine
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from polku.accounts.models import Membership, Role
from polku.audit import labels
from polku.audit.models import AuditEvent
from polku.clients import actors, audit_labels
from polku.clients.extensions import RenderedPanel

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


@register.simple_tag(takes_context=True)
def overview_panels(context: Context, placed: list[RenderedPanel]) -> SafeString:
    """Other apps' panels placed before one of the client overview's sections (`extensions.panels_for`):
    each drawn by its own template with its context as `panel`, a panel with nothing to show wrapped to
    be drawn as one line, its "none" and its action links beside its heading. A tag rather than an
    `{% include %}` of a wrapper template: the two includes a panel took cost the overview about 0.2 ms of
    CPU (bench/README.md)."""
    engine = context.template.engine if context.template is not None else Engine.get_default()
    drawn = []
    for rendered in placed:
        with context.push(panel=rendered.panel):
            html = engine.get_template(rendered.template).render(context)
        if rendered.is_empty:
            html = format_html(
                '<div class="polku-collapsed" data-testid="collapsed-{}">{}</div>', rendered.key, html
            )
        drawn.append(html)
    return mark_safe("".join(drawn))  # noqa: S308 - templates' output and format_html's, escaped there
