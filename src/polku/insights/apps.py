from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "polku.insights"
    verbose_name = _("Knowledge-based management")

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from polku.audit.labels import AuditLabel
        from polku.clients.models import Case
        from polku.core import plugins
        from polku.insights import signals

        # Before the case's row goes (its fact is still there to subtract), inside the deleting transaction.
        pre_delete.connect(signals.case_deleted, sender=Case, dispatch_uid="polku.insights.case_deleted")

        plugins.contribute(
            self,
            AuditLabel("insights.view", _("Viewed figures of knowledge-based management")),
            AuditLabel("insights.download", _("Downloaded figures of knowledge-based management")),
            AuditLabel("insights.target_save", _("Set a target")),
            AuditLabel("insights.extract", _("Asked for the pseudonymised research extract")),
            AuditLabel("insights.target_delete", _("Removed a target")),
        )
