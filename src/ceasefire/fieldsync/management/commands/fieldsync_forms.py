from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ceasefire.fieldsync.forms import FORMS, XLSX_DIR
from ceasefire.fieldsync.forms.base import workbook


class Command(BaseCommand):
    help = "Write the shipped XLSForms (fieldsync/forms/xlsx/) from their Python definitions."

    def handle(self, *args: Any, **options: Any) -> None:
        XLSX_DIR.mkdir(exist_ok=True)
        for form in FORMS.values():
            path = XLSX_DIR / f"{form.form_id}.xlsx"
            workbook(form).save(path)
            self.stdout.write(str(path))
