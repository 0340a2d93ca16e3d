from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "polku.instruments"
    verbose_name = _("Questionnaires")

    def ready(self) -> None:
        # Timeline kinds and access report labels are registered when these modules are imported.
        from polku.clients import export
        from polku.instruments import events, selectors  # noqa: F401

        export.register_section("questionnaires", _("Questionnaire answers"), selectors.for_export)

        post_migrate.connect(_load_builtins, sender=self)


def _load_builtins(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """The built-in instruments are there after every `migrate` (and after a test database is flushed):
    the loader imports the files under data/ that are not stored yet, and does nothing otherwise."""
    from polku.instruments.builtin import load_builtin_instruments

    load_builtin_instruments(using=using)
