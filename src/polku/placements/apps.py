from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "polku.placements"
    verbose_name = _("Work trials and rehabilitative work activity")
