from django.utils.translation import gettext_lazy as _

from ceasefire.convoys.models import CrossingCount
from ceasefire.fieldsync.forms.base import FormDef, Row, choices_of

COUNTS = (
    ("men", _("Men")),
    ("women", _("Women")),
    ("children", _("Children")),
    ("elderly", _("Elderly people")),
    ("disabled", _("Persons with disabilities")),
    ("vehicles", _("Vehicles")),
)

FORM = FormDef(
    form_id="corridor_crossings",
    title=_("Corridor crossing counts"),
    version="2026011501",
    media=("places.csv",),
    survey=(
        Row(
            "select_one_from_file places.csv",
            "checkpoint",
            _("Checkpoint"),
            required=True,
            choice_filter="kind='checkpoint'",
            appearance="minimal",
        ),
        Row("date", "day", _("Day"), required=True),
        Row("select_one direction", "direction", _("Direction"), required=True),
        *(
            Row(
                "integer",
                name,
                label,
                _("People with disabilities are also counted in their group.")
                if name == "disabled"
                else "",
                required=True,
                constraint=". >= 0",
                default="0",
            )
            for name, label in COUNTS
        ),
    ),
    choices=tuple(choices_of("direction", CrossingCount.Direction)),
)
