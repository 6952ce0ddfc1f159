from django.utils.translation import gettext_lazy as _

from ceasefire.fieldsync.forms.base import FormDef, Row

FORM = FormDef(
    form_id="cache_visit",
    title=_("Arms cache visit"),
    version="2026112501",
    survey=(
        Row(
            "text", "cache", _("Cache number"), _("As on the tasking, e.g. AC-003."), required=True
        ),
        Row("dateTime", "visited_at", _("When"), required=True),
        Row("text", "findings", _("What was found"), required=True, appearance="multiline"),
    ),
)
