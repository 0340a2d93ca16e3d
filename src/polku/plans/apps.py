from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "polku.plans"
    verbose_name = _("Service plans")

    def ready(self) -> None:
        _register_plan()


def _register_plan() -> None:
    """The service plan's timeline kinds, overview panel, caseload flags and export section."""
    from polku.clients import export, extensions

    # Importing events registers the timeline kinds and the access report's labels.
    from polku.plans import events, panels  # noqa: F401
    from polku.plans.selectors import plan as plan_selectors

    extensions.register_panel(
        "service_plan", template="plans/plan/_overview.html", context=panels.overview_panel, order=40
    )
    extensions.register_caseload_flag(
        "plan_review_due", label=_("Review due"), case_ids=plan_selectors.review_due_case_ids
    )
    extensions.register_caseload_flag(
        "plan_review_overdue",
        label=_("Review overdue"),
        case_ids=plan_selectors.review_overdue_case_ids,
        alert=True,
    )
    export.register_section("service_plans", _("Service plans"), plan_selectors.plan_for_export)
