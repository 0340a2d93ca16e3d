from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "polku.accounts"
    verbose_name = _("Users and organisations")

    def ready(self) -> None:
        from allauth.mfa import signals as mfa_signals

        from polku.accounts import signals

        mfa_signals.authenticator_removed.connect(
            signals.forget_mfa_ready, dispatch_uid="polku.accounts.forget_mfa_ready"
        )


class PolkuAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "polku.accounts.admin_site.PolkuAdminSite"
