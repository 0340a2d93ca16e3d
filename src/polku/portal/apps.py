from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "polku.portal"
    verbose_name = _("The client's own Polku")

    def ready(self) -> None:
        from polku.clients.export import ExportSection
        from polku.clients.extensions import Panel
        from polku.core import plugins
        from polku.portal import audit_labels, selectors

        plugins.contribute(
            self,
            *audit_labels.AUDIT_LABELS,
            Panel(key="portal", template="portal/_panel.html", context=selectors.panel, order=58),
            ExportSection(
                "own_polku", _("Messages and own entries in the client's own Polku"), selectors.for_export
            ),
        )
