from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "polku.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from allauth.mfa import signals as mfa_signals
        from django.contrib.auth import signals as auth_signals

        from polku.audit import signals

        # Logins, logouts, failed logins and two-factor changes go to the audit log.
        for signal, receiver in (
            (auth_signals.user_logged_in, signals.record_login),
            (auth_signals.user_logged_out, signals.record_logout),
            (auth_signals.user_login_failed, signals.record_failed_login),
            (mfa_signals.authenticator_added, signals.record_mfa_added),
            (mfa_signals.authenticator_removed, signals.record_mfa_removed),
            (mfa_signals.authenticator_reset, signals.record_mfa_reset),
        ):
            signal.connect(receiver, dispatch_uid=f"polku.audit.{receiver.__name__}")
