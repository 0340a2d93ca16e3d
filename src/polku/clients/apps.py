from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "polku.clients"
    verbose_name = _("Clients and cases")

    def ready(self) -> None:
        from polku.accounts import permissions
        from polku.audit.basis import BasisFinder
        from polku.clients import access, audit_labels, timeline
        from polku.core import plugins

        plugins.contribute(self, *timeline.KINDS, *audit_labels.AUDIT_LABELS)
        # Why a membership may see a client, for audit events written outside a request.
        plugins.contribute(self, BasisFinder("clients", access.basis_outside_a_request))
        # A refusal about a client's record shows in that client's access report.
        permissions.find_clients_with(access.refused_client)
