from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "polku.employment"
    verbose_name = _("Supported employment (IPS)")

    def ready(self) -> None:
        from polku.clients.export import ExportSection
        from polku.clients.extensions import CaseloadFlag, NothingIn, Panel
        from polku.core import plugins
        from polku.employment import events, selectors

        plugins.contribute(
            self,
            *events.TIMELINE_KINDS,
            *events.AUDIT_LABELS,
            Panel(
                key="employment",
                template="employment/_panel.html",
                context=selectors.panel,
                order=55,
                title=_("Supported employment (IPS)"),
                anchor="employment",
                is_empty=NothingIn("periods"),
            ),
            CaseloadFlag(
                key="ips_attention",
                label=_("IPS: employer contact, follow-along or benefits counselling due"),
                case_ids=selectors.flagged_cases,
            ),
            ExportSection("employment", _("Supported employment (IPS)"), selectors.for_export),
        )
