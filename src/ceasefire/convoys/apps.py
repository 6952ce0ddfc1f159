from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConvoysConfig(AppConfig):
    name = "ceasefire.convoys"
    label = "convoys"
    verbose_name = _("Humanitarian convoys")

    def ready(self) -> None:
        from ceasefire.convoys import logtypes  # noqa: F401 - registers the entry types
