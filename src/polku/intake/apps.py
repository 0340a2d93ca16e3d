from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "polku.intake"
    verbose_name = _("Registry extracts and early identification")

    def ready(self) -> None:
        from polku.core import plugins
        from polku.intake import services

        plugins.contribute(self, *services.TIMELINE_KINDS)
