from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PositionsConfig(AppConfig):
    name = "ceasefire.positions"
    label = "positions"
    verbose_name = _("Positions")

    def ready(self) -> None:
        from ceasefire.positions import logtypes  # noqa: F401 - registers the entry types
