from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "polku.screening"
    verbose_name = _("Support needs and screening rules")

    def ready(self) -> None:
        from polku.clients.export import ExportSection
        from polku.clients.extensions import NothingIn, Panel
        from polku.core import plugins
        from polku.screening import panels, selectors, services

        plugins.contribute(
            self,
            *services.TIMELINE_KINDS,
            *services.ACTION_TYPES,
            Panel(
                key="support_needs",
                template="screening/_needs.html",
                context=panels.support_needs,
                order=35,  # after the team, before the other apps' panels
                title=_("Support needs"),
                anchor="support-needs",
                is_empty=NothingIn("needs"),
            ),
            ExportSection("support_needs", _("Support needs"), selectors.for_export),
        )
