from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "polku.instruments"
    verbose_name = _("Questionnaires")

    def ready(self) -> None:
        from polku.clients.export import ExportSection
        from polku.clients.extensions import CaseloadFlag, NothingIn, Panel
        from polku.core import plugins
        from polku.instruments import events, panels, selectors

        plugins.contribute(
            self,
            *events.TIMELINE_KINDS,
            *events.AUDIT_LABELS,
            Panel(
                key="safety_alerts",
                template="instruments/_alerts.html",
                context=panels.safety_alerts,
                order=5,  # above the basic details
            ),
            Panel(
                key="questionnaires",
                template="instruments/_overview.html",
                context=panels.questionnaires,
                order=25,  # between the case and the team
                title=_("Questionnaires"),
                anchor="questionnaires",
                is_empty=NothingIn("overview", "series"),
            ),
            CaseloadFlag(
                key="safety_alert",
                label=_("Safety alert"),
                case_ids=panels.safety_alert_cases,
                alert=True,
                order=10,  # before the caseload's own flags
            ),
            ExportSection("questionnaires", _("Questionnaire answers"), selectors.for_export),
        )

        post_migrate.connect(_load_builtins, sender=self)


def _load_builtins(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """The built-in instruments are there after every `migrate` (and after a test database is flushed):
    the loader imports the files under data/ that are not stored yet, and does nothing otherwise."""
    from polku.instruments.builtin import load_builtin_instruments

    load_builtin_instruments(using=using)
