from django.utils.translation import gettext_lazy as _

from ceasefire.fieldsync.forms.base import FormDef, Row, choices_of
from ceasefire.registry.models import CustodyEvent

FORM = FormDef(
    form_id="custody_event",
    title=_("Custody event"),
    version="2026011501",
    media=("places.csv",),
    survey=(
        Row(
            "barcode",
            "mission_id",
            _("Mission ID of the item"),
            _("Scan the label, or type the ID."),
            required=True,
        ),
        Row("select_one kind", "kind", _("Event"), required=True),
        Row("dateTime", "occurred_at", _("When"), required=True),
        Row(
            "select_one_from_file places.csv",
            "place",
            _("Place"),
            appearance="minimal",
        ),
        Row("text", "location", _("Store, shelf or other location")),
        Row(
            "text",
            "method",
            _("Method"),
            relevant="${kind}='destroyed' or ${kind}='deactivated'",
            required=True,
        ),
        Row(
            "text",
            "certificate",
            _("Certificate number"),
            relevant="${kind}='destroyed' or ${kind}='deactivated'",
        ),
        Row("text", "witnesses", _("Witnesses"), _("One name per line."), appearance="multiline"),
        Row("text", "notes", _("Notes"), appearance="multiline"),
    ),
    choices=tuple(choices_of("kind", CustodyEvent.Kind)),
)
