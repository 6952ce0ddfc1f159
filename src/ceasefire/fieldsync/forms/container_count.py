from django.utils.translation import gettext_lazy as _

from ceasefire.fieldsync.forms.base import FormDef, Row
from ceasefire.fieldsync.forms.seal_check import FORM as SEAL_CHECK

FORM = FormDef(
    form_id="container_count",
    title=_("Container count"),
    version="2026112501",
    survey=(
        *SEAL_CHECK.survey,
        Row(
            "integer",
            "counted",
            _("Items counted"),
            _("Count every weapon and lot in the container."),
            required=True,
            constraint=". >= 0",
        ),
    ),
    choices=SEAL_CHECK.choices,
)
