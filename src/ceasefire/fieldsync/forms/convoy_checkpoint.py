from django.utils.translation import gettext_lazy as _

from ceasefire.convoys.models import MovementEvent
from ceasefire.fieldsync.forms.base import FormDef, Row, choices_of

FORM = FormDef(
    form_id="convoy_checkpoint",
    title=_("Convoy checkpoint event"),
    version="2026011501",
    media=("places.csv", "convoys.csv"),
    survey=(
        Row(
            "select_one_from_file convoys.csv",
            "convoy",
            _("Convoy"),
            required=True,
            appearance="minimal",
        ),
        Row(
            "select_one_from_file places.csv",
            "checkpoint",
            _("Checkpoint"),
            required=True,
            choice_filter="kind='checkpoint'",
            appearance="minimal",
        ),
        Row("select_one kind", "kind", _("What happened"), required=True),
        Row("dateTime", "occurred_at", _("When"), required=True),
        Row(
            "text",
            "reason",
            _("Reason"),
            relevant="${kind}='held' or ${kind}='turned_back'",
            required=True,
        ),
        Row(
            "integer",
            "held_minutes",
            _("Held for how many minutes?"),
            relevant="${kind}='held'",
            required=True,
            constraint=". > 0",
        ),
        Row("text", "notes", _("Notes"), appearance="multiline"),
    ),
    choices=tuple(
        c
        for c in choices_of("kind", MovementEvent.Kind)
        if c.name not in (MovementEvent.Kind.DEPARTED,)
    ),
)
