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
        # Timeline kinds and the need action type are registered when `services` is imported.
        from polku.clients import export, extensions
        from polku.network import panels, selectors, services  # noqa: F401

        export.register_section("referrals", _("Referrals"), selectors.for_export)
        extensions.register_panel(
            "referrals", template="network/_panel.html", context=panels.referrals, order=50
        )
        extensions.register_caseload_flag(
            "referral_overdue", label=_("Referral overdue"), case_ids=selectors.overdue_case_ids, alert=True
        )
