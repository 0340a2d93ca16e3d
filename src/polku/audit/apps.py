from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "polku.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from polku.audit import signals  # noqa: F401
