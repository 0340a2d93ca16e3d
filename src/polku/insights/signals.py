"""The one thing the insights app does on another app's write: when a case is deleted (by any path: a
queryset's or a case's `delete()`, the shell, a data migration), its facts and their share of the monthly
roll-ups go with it in the same transaction. Without this the fact row went by the database cascade but
the roll-ups kept counting the case until `refresh_insights --all`, and the incremental refresh could not
notice (it finds cases through the audit log and the cases table)."""

from __future__ import annotations

from typing import Any


def case_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from polku.insights import services

    services.forget([instance.pk])
