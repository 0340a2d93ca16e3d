from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "polku.placements"
    verbose_name = _("Work trials and rehabilitative work activity")

    def ready(self) -> None:
        from polku.clients.export import ExportSection
        from polku.clients.extensions import CaseloadFlag, NothingIn, Panel
        from polku.core import plugins
        from polku.placements import events, panels, selectors

        plugins.contribute(
            self,
            *events.TIMELINE_KINDS,
            *events.AUDIT_LABELS,
            Panel(
                key="placements",
                template="placements/_panel.html",
                context=panels.placements,
                order=50,
                title=_("Work trials and rehabilitative work activity"),
                anchor="placements",
                is_empty=NothingIn("placements"),
            ),
            CaseloadFlag(
                key="placement_attention",
                label=_("Placement: attendance or feedback missing"),
                case_ids=panels.flagged_cases,
            ),
            ExportSection(
                "placements", _("Work trials and rehabilitative work activity"), selectors.for_export
            ),
        )
