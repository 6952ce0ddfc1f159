from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "ceasefire.registry"
    label = "registry"
    verbose_name = _("Weapons and ammunition registry")

    def ready(self) -> None:
        # Registers the entry types and their totals handlers, and the home page's totals.
        from ceasefire.core.views import HOME_SECTIONS
        from ceasefire.registry import logtypes  # noqa: F401
        from ceasefire.registry.views import home_totals

        if home_totals not in HOME_SECTIONS:
            HOME_SECTIONS.append(home_totals)
