"""How the client's access report names each audited action. The app that records an action contributes
its label (`AuditLabel`) from its `AppConfig.ready()` through `polku.core.plugins.contribute`; an action
nobody labelled is shown as recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from polku.core import plugins


@dataclass(frozen=True)
class AuditLabel:
    action: str
    label: Any  # a lazy translation: what the action means to the client reading the report

    @property
    def key(self) -> str:
        return self.action


def label_for(action: str) -> str:
    found = plugins.contribution(AuditLabel, action)
    return str(found.label) if found is not None else action
