from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "polku.services"
    verbose_name = _("Service network and referrals")
