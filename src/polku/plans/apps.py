from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "polku.plans"
    verbose_name = _("Service plans")

    def ready(self) -> None:
        """The service plan's timeline kinds, access report labels, overview panel, caseload flags and
        export section."""
        from polku.clients.export import ExportSection
        from polku.clients.extensions import CaseloadFlag, NothingIn, Panel
        from polku.core import plugins
        from polku.plans import events, panels
        from polku.plans.selectors import plan as plan_selectors

        plugins.contribute(
            self,
            *events.TIMELINE_KINDS,
            *events.AUDIT_LABELS,
            Panel(
                key="service_plan",
                template="plans/plan/_overview.html",
                context=panels.overview_panel,
                order=40,
                title=_("Service plan"),
                anchor="service-plan",
                is_empty=NothingIn("progress"),
            ),
            CaseloadFlag(
                key="plan_review_due", label=_("Review due"), case_ids=plan_selectors.review_due_case_ids
            ),
            CaseloadFlag(
                key="plan_review_overdue",
                label=_("Review overdue"),
                case_ids=plan_selectors.review_overdue_case_ids,
                alert=True,
            ),
            ExportSection("service_plans", _("Service plans"), plan_selectors.plan_for_export),
        )
