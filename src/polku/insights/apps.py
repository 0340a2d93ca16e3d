from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "polku.insights"
    verbose_name = _("Knowledge-based management")

    def ready(self) -> None:
        from polku.audit.labels import AuditLabel
        from polku.core import plugins

        plugins.contribute(
            self,
            AuditLabel("insights.view", _("Viewed figures of knowledge-based management")),
            AuditLabel("insights.download", _("Downloaded figures of knowledge-based management")),
            AuditLabel("insights.target_save", _("Set a target")),
            AuditLabel("insights.extract", _("Asked for the pseudonymised research extract")),
            AuditLabel("insights.target_delete", _("Removed a target")),
        )
