from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "polku.network"
    # The app was called `services` before it was named for its domain (the service network). The label
    # stays "services" so that existing databases keep their tables (services_*), migration history,
    # content types, admin permissions and audit object types ("services.referral"): Django cannot move
    # an app's migration history to a new label without rewriting it. See README.md.
    label = "services"
    verbose_name = _("Service network and referrals")

    def ready(self) -> None:
        from polku.clients.export import ExportSection
        from polku.clients.extensions import CaseloadFlag, NothingIn, Panel
        from polku.core import plugins
        from polku.network import panels, selectors, services

        plugins.contribute(
            self,
            *services.TIMELINE_KINDS,
            *services.AUDIT_LABELS,
            *services.NEED_ACTION_TYPES,
            Panel(
                key="referrals",
                template="network/_panel.html",
                context=panels.referrals,
                order=50,
                title=_("Referrals"),
                anchor="referrals",
                is_empty=NothingIn("referrals"),
            ),
            CaseloadFlag(
                key="referral_overdue",
                label=_("Referral overdue"),
                case_ids=selectors.overdue_case_ids,
                alert=True,
            ),
            ExportSection("referrals", _("Referrals"), selectors.for_export),
        )
