from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "polku.screening"
    verbose_name = _("Support needs and screening rules")

    def ready(self) -> None:
        # Registers this app's timeline kinds and the records a need can be acted on with.
        from polku.clients import export
        from polku.screening import selectors, services  # noqa: F401

        export.register_section("support_needs", _("Support needs"), selectors.for_export)
