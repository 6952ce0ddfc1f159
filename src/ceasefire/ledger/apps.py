from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "ceasefire.ledger"
    label = "ledger"
    verbose_name = _("Transparency log")

    def ready(self) -> None:
        from ceasefire.ledger import logtypes  # noqa: F401 - registers the log's own entry types
