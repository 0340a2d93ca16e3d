from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "polku.assessments"
    verbose_name = _("Work ability assessments")

    def ready(self) -> None:
        """The assessment's timeline kinds and access report labels (registered when its services module
        is imported), its panel on the client overview and its section of the client's data export."""
        from polku.assessments import selectors, services  # noqa: F401
        from polku.clients import export, extensions

        extensions.register_panel(
            "assessments",
            template="assessments/_panel.html",
            context=selectors.assessments_panel,
            order=50,
        )
        export.register_section("assessments", _("Work ability assessments"), selectors.for_export)
