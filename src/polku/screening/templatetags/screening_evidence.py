"""Evidence and rule conditions as sentences in templates (`screening.evidence`)."""

from __future__ import annotations

from typing import Any

from django import template

from polku.clients import actors
from polku.screening import evidence

register = template.Library()


@register.filter
def evidence_text(item: Any) -> evidence.EvidenceText:
    """A NeedEvidence as sentences: `{% with text=item|evidence_text %}{{ text }}{% endwith %}`."""
    return evidence.describe(item)


@register.filter
def rule_name(name: str) -> str:
    return evidence.rule_name(name)


@register.filter
def evidence_actor(item: Any) -> str:
    """Who recorded the evidence: the worker, or the client themself when their own answers in their
    Polku flagged it (`clients.actors.actor_or_client`)."""
    return actors.actor_or_client(item.by)
