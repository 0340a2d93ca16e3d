from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "polku.clients"
    verbose_name = _("Clients and cases")

    def ready(self) -> None:
        from polku.clients import audit_labels, timeline
        from polku.core import plugins

        plugins.contribute(self, *timeline.KINDS, *audit_labels.AUDIT_LABELS)
