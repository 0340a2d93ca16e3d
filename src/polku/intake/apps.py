from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "polku.intake"
    verbose_name = _("Registry extracts and early identification")

    def ready(self) -> None:
        # Registers this app's timeline kinds.
        from polku.intake import services  # noqa: F401
