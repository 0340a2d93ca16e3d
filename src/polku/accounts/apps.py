from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "polku.accounts"
    verbose_name = _("Users and organisations")

    def ready(self) -> None:
        from polku.accounts import signals  # noqa: F401

        # Each app decides its own actions in its `rules.py` (`@permissions.rule`), found the way the
        # admin finds `admin.py`: `manage.py rules` lists them all.
        autodiscover_modules("rules")


class PolkuAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "polku.accounts.admin_site.PolkuAdminSite"
