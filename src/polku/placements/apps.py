from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "polku.placements"
    verbose_name = _("Work trials and rehabilitative work activity")

    def ready(self) -> None:
        # Timeline kinds and access report labels are registered when events is imported.
        from polku.clients import export, extensions
        from polku.placements import events, selectors  # noqa: F401

        extensions.register_panel(
            "placements", template="placements/_panel.html", context=selectors.panel, order=50
        )
        extensions.register_caseload_flag(
            "placement_attention",
            label=_("Placement: attendance or feedback missing"),
            case_ids=selectors.flagged_cases,
        )
        export.register_section(
            "placements", _("Work trials and rehabilitative work activity"), selectors.for_export
        )
