from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "polku.plans"
    verbose_name = _("Assessments and service plans")

    def ready(self) -> None:
        _contribute_plan(self)
        _contribute_assessment(self)


def _contribute_plan(app_config: AppConfig) -> None:
    """The service plan's timeline kinds, access report labels, overview panel, caseload flags and
    export section."""
    from polku.clients.export import ExportSection
    from polku.clients.extensions import CaseloadFlag, Panel
    from polku.core import plugins
    from polku.plans import plan_events
    from polku.plans.selectors import plan as plan_selectors

    plugins.contribute(
        app_config,
        *plan_events.TIMELINE_KINDS,
        *plan_events.AUDIT_LABELS,
        Panel(
            key="service_plan",
            template="plans/plan/_overview.html",
            context=plan_events.overview_panel,
            order=40,
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


def _contribute_assessment(app_config: AppConfig) -> None:
    """The assessment's timeline kinds and access report labels, its panel on the client overview and its
    section of the client's data export."""
    from polku.clients.export import ExportSection
    from polku.clients.extensions import Panel
    from polku.core import plugins
    from polku.plans.selectors import assessment as selectors
    from polku.plans.services import assessment as services

    plugins.contribute(
        app_config,
        *services.TIMELINE_KINDS,
        *services.AUDIT_LABELS,
        Panel(
            key="assessments",
            template="plans/assessment/_panel.html",
            context=selectors.assessments_panel,
            order=50,
        ),
        ExportSection("assessments", _("Work ability assessments"), selectors.for_export),
    )
