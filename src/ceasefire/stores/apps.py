from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoresConfig(AppConfig):
    name = "ceasefire.stores"
    label = "stores"
    verbose_name = _("Containers, seals and destruction")

    def ready(self) -> None:
        from ceasefire.stores import logtypes  # noqa: F401 - registers the entry types
