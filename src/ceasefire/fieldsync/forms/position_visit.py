from django.utils.translation import gettext_lazy as _

from ceasefire.fieldsync.forms.base import FormDef, Row, choices_of
from ceasefire.positions.models import PositionEvent

FORM = FormDef(
    form_id="position_visit",
    title=_("Position visit"),
    version="2026011501",
    media=("positions.csv",),
    survey=(
        Row(
            "select_one_from_file positions.csv",
            "position",
            _("Position"),
            required=True,
            appearance="minimal",
        ),
        Row("select_one kind", "kind", _("What was seen"), required=True),
        Row("dateTime", "occurred_at", _("When"), required=True),
        Row("geopoint", "location", _("Where you stand"), _("Wait for an accuracy of 10 m.")),
        Row(
            "select_one finding",
            "finding",
            _("Finding"),
            relevant="${kind}='visit'",
            required=True,
        ),
        Row("text", "verified_by", _("Verified by"), relevant="${kind}='vacated'", required=True),
        Row("text", "unit", _("Mission unit"), relevant="${kind}='taken_over'", required=True),
        Row("text", "notes", _("Notes"), appearance="multiline"),
    ),
    choices=tuple(
        c
        for c in (
            *choices_of("kind", PositionEvent.Kind),
            *choices_of("finding", PositionEvent.Finding),
        )
        if not (c.list_name == "kind" and c.name == PositionEvent.Kind.HELD)
    ),
)
