from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "polku.services"
    verbose_name = _("Service network and referrals")

    def ready(self) -> None:
        # Timeline kinds and the need action type are registered when `services` is imported.
        from polku.clients import export, extensions
        from polku.services import panels, selectors, services  # noqa: F401

        export.register_section("referrals", _("Referrals"), selectors.for_export)
        extensions.register_panel(
            "referrals", template="services/_panel.html", context=panels.referrals, order=50
        )
        extensions.register_caseload_flag(
            "referral_overdue", label=_("Referral overdue"), case_ids=selectors.overdue_case_ids, alert=True
        )
