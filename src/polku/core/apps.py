from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "polku.core"
    verbose_name = _("Workspace")

    def ready(self) -> None:
        from polku.core.db import install_timestamp_loader, install_unicode_like

        connection_created.connect(install_timestamp_loader, dispatch_uid="polku.core.timestamp_loader")
        connection_created.connect(install_unicode_like, dispatch_uid="polku.core.unicode_like")
