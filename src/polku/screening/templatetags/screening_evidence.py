"""Evidence and rule conditions as sentences in templates (`screening.evidence`)."""

from __future__ import annotations

from typing import Any

from django import template

from polku.screening import evidence

register = template.Library()


@register.filter
def evidence_text(item: Any) -> evidence.EvidenceText:
    """A NeedEvidence as sentences: `{% with text=item|evidence_text %}{{ text }}{% endwith %}`."""
    return evidence.describe(item)


@register.filter
def rule_name(name: str) -> str:
    return evidence.rule_name(name)
