from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "ceasefire.people"
    label = "people"
    verbose_name = _("Demobilization and amnesty registry")

    def ready(self) -> None:
        from ceasefire.operations import erasure
        from ceasefire.people import logtypes, services

        # A restore from an older backup applies every erasure logged since, again.
        erasure.register(logtypes.ERASURE.name, services.erasure_reapply)
