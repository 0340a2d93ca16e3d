from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "polku.plans"
    verbose_name = _("Assessments and service plans")

    def ready(self) -> None:
        _register_assessment()


def _register_assessment() -> None:
    """The assessment's timeline kinds and access report labels (registered when its services module is
    imported) and its panel on the client overview."""
    from polku.clients import extensions
    from polku.plans.selectors import assessment as selectors
    from polku.plans.services import assessment as services  # noqa: F401

    extensions.register_panel(
        "assessments",
        template="plans/assessment/_panel.html",
        context=selectors.assessments_panel,
        order=50,
    )
