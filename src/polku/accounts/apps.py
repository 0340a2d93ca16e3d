from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "polku.accounts"
    verbose_name = _("Users and organisations")

    def ready(self) -> None:
        from allauth.mfa import signals as mfa_signals
        from allauth.mfa.models import Authenticator
        from django.core import checks as django_checks
        from django.db.models.signals import post_delete

        from polku.accounts import checks, signals

        mfa_signals.authenticator_removed.connect(
            signals.forget_mfa_ready, dispatch_uid="polku.accounts.forget_mfa_ready"
        )
        mfa_signals.authentication_failed.connect(
            signals.audit_wrong_code, dispatch_uid="polku.accounts.audit_wrong_code"
        )
        post_delete.connect(
            signals.end_sessions_without_the_factor,
            sender=Authenticator,
            dispatch_uid="polku.accounts.end_sessions_without_the_factor",
        )
        django_checks.register(
            checks.shared_cache_for_several_workers, django_checks.Tags.caches, deploy=True
        )
        django_checks.register(checks.host_prefixed_cookies, django_checks.Tags.security, deploy=True)

        # Each app decides its own actions in its `rules.py` (`@permissions.rule`), found the way the
        # admin finds `admin.py`: `manage.py rules` lists them all.
        autodiscover_modules("rules")


class PolkuAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "polku.accounts.admin_site.PolkuAdminSite"
