from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CachesConfig(AppConfig):
    name = "ceasefire.caches"
    label = "caches"
    verbose_name = _("Arms caches")

    def ready(self) -> None:
        from ceasefire.caches import logtypes  # noqa: F401 - registers the entry types
