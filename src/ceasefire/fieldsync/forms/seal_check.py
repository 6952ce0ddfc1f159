from django.utils.translation import gettext_lazy as _

from ceasefire.fieldsync.forms.base import Choice, FormDef, Row

FORM = FormDef(
    form_id="seal_check",
    title=_("Seal check"),
    version="2026112501",
    survey=(
        Row(
            "barcode",
            "container",
            _("Container number"),
            _("Scan the label, or type it."),
            required=True,
        ),
        Row("dateTime", "occurred_at", _("When"), required=True),
        Row("text", "seal_found", _("Seal number found"), _("Leave empty if there is no seal.")),
        Row("select_one yes_no", "seal_intact", _("Is the seal intact?"), required=True),
    ),
    choices=(Choice("yes_no", "yes", _("Yes")), Choice("yes_no", "no", _("No"))),
)
