from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "polku.services"
    verbose_name = _("Service network and referrals")

    def ready(self) -> None:
        from polku.clients.export import ExportSection
        from polku.clients.extensions import CaseloadFlag, Panel
        from polku.core import plugins
        from polku.services import panels, selectors, services

        plugins.contribute(
            self,
            *services.TIMELINE_KINDS,
            *services.AUDIT_LABELS,
            *services.NEED_ACTION_TYPES,
            Panel(key="referrals", template="services/_panel.html", context=panels.referrals, order=50),
            CaseloadFlag(
                key="referral_overdue",
                label=_("Referral overdue"),
                case_ids=selectors.overdue_case_ids,
                alert=True,
            ),
            ExportSection("referrals", _("Referrals"), selectors.for_export),
        )
