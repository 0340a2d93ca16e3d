from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "polku.clients"
    verbose_name = _("Clients and cases")

    def ready(self) -> None:
        # The timeline kinds this app writes are registered when the module is imported.
        from polku.accounts import permissions
        from polku.clients import (
            access,
            timeline,  # noqa: F401
        )

        # A refusal about a client's record shows in that client's access report.
        permissions.find_clients_with(access.refused_client)
