from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "polku.core"
    verbose_name = _("Workspace")

    def ready(self) -> None:
        from polku.core.db import install_timestamp_loader, install_unicode_like
        from polku.core.limits import refuse_overlong_text

        connection_created.connect(install_timestamp_loader, dispatch_uid="polku.core.timestamp_loader")
        connection_created.connect(install_unicode_like, dispatch_uid="polku.core.unicode_like")
        # Every model's text is bounded whoever saves it (polku.core.limits).
        pre_save.connect(refuse_overlong_text, dispatch_uid="polku.core.refuse_overlong_text")
