from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "polku.clients"
    verbose_name = _("Clients and cases")

    def ready(self) -> None:
        # The timeline kinds this app writes are registered when the module is imported.
        from polku.clients import timeline  # noqa: F401
