from django.utils.translation import gettext_lazy as _

from ceasefire.fieldsync.forms.base import FormDef, Row, choices_of
from ceasefire.incidents.models import Incident

FORM = FormDef(
    form_id="incident_report",
    title=_("Incident report"),
    version="2026011501",
    media=("places.csv", "parties.csv"),
    survey=(
        Row("dateTime", "occurred_at", _("When did it happen?"), required=True),
        Row("select_one kind", "kind", _("Type"), required=True),
        Row(
            "geopoint",
            "location",
            _("Where"),
            _("Stand at the place, or leave empty and choose a place below."),
        ),
        Row(
            "select_one_from_file places.csv",
            "place",
            _("Nearest place"),
            appearance="minimal",
        ),
        Row("text", "location_text", _("Description of the location")),
        Row(
            "select_one_from_file parties.csv",
            "alleged_party",
            _("Alleged party"),
            _("Leave empty if unknown."),
        ),
        Row("text", "description", _("What happened"), required=True, appearance="multiline"),
        Row("text", "source", _("Source"), _("Who reported it, or your own observation.")),
        Row("image", "photo1", _("Photo"), parameters="max-pixels=2048"),
        Row("image", "photo2", _("Another photo"), parameters="max-pixels=2048"),
    ),
    choices=tuple(choices_of("kind", Incident.Kind)),
)
