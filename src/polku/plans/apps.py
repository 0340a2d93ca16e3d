from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "polku.plans"
    verbose_name = _("Assessments and service plans")

    def ready(self) -> None:
        _register_assessment()


def _register_assessment() -> None:
    """The assessment's timeline kinds and access report labels (registered when its services module is
    imported), its panel on the client overview and its section of the client's data export."""
    from django.utils.translation import gettext_lazy as _

    from polku.clients import export, extensions
    from polku.plans.selectors import assessment as selectors
    from polku.plans.services import assessment as services  # noqa: F401

    extensions.register_panel(
        "assessments",
        template="plans/assessment/_panel.html",
        context=selectors.assessments_panel,
        order=50,
    )
    export.register_section("assessments", _("Work ability assessments"), selectors.for_export)
