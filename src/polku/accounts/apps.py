from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "polku.accounts"
    verbose_name = _("Users and organisations")

    def ready(self) -> None:
        from django.core import checks as django_checks

        from polku.accounts import (
            checks,
            signals,  # noqa: F401
        )

        django_checks.register(
            checks.shared_cache_for_several_workers, django_checks.Tags.caches, deploy=True
        )
        django_checks.register(checks.host_prefixed_cookies, django_checks.Tags.security, deploy=True)


class PolkuAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "polku.accounts.admin_site.PolkuAdminSite"
