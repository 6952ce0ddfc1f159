from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HoldingsConfig(AppConfig):
    name = "ceasefire.holdings"
    label = "holdings"
    verbose_name = _("Declared holdings")

    def ready(self) -> None:
        from ceasefire.holdings import logtypes  # noqa: F401 - registers the entry types
