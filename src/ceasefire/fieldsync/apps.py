from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldsyncConfig(AppConfig):
    name = "ceasefire.fieldsync"
    label = "fieldsync"
    verbose_name = _("Field collection (ODK Collect)")

    def ready(self) -> None:
        # Wires each form to the service of the domain app that records it.
        from ceasefire.fieldsync import handlers  # noqa: F401
