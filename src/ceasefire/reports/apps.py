from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "ceasefire.reports"
    label = "reports"
    verbose_name = _("Reports, dashboard and exports")

    def ready(self) -> None:
        from ceasefire.reports.config import report_clock

        # A bad cut-off or time zone stops the program at start, not at the first report.
        report_clock()
