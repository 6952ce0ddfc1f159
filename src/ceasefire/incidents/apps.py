from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "ceasefire.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from ceasefire.incidents import logtypes  # noqa: F401 - registers the entry types
