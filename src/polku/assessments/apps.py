from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "polku.assessments"
    verbose_name = _("Work ability assessments")

    def ready(self) -> None:
        """The assessment's timeline kinds and access report labels, its panel on the client overview and
        its section of the client's data export."""
        from polku.assessments import events, selectors
        from polku.clients.export import ExportSection
        from polku.clients.extensions import Panel
        from polku.core import plugins

        plugins.contribute(
            self,
            *events.TIMELINE_KINDS,
            *events.AUDIT_LABELS,
            Panel(
                key="assessments",
                template="assessments/_panel.html",
                context=selectors.assessments_panel,
                order=50,
            ),
            ExportSection("assessments", _("Work ability assessments"), selectors.for_export),
        )
