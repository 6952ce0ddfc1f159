from django.utils.translation import gettext_lazy as _

from ceasefire.fieldsync.forms.base import FormDef, Row, choices_of
from ceasefire.people.models import Screening

# Personal: Collect encrypts each submission with the mission's public key (added by the server
# when it serves the form), so neither the phone's storage nor the network sees it in clear.
# It asks exactly what `people.services.person_register` records: no place or time, since
# registrations reach the log in daily batches so as not to link a person to a handover.
FORM = FormDef(
    form_id="demobilization_registration",
    title=_("Demobilization registration"),
    version="2026112501",
    media=("parties.csv",),
    personal=True,
    survey=(
        Row("text", "full_name", _("Full name"), required=True),
        Row("text", "other_names", _("Other names"), _("Aliases, former or nom de guerre.")),
        Row("date", "birth_date", _("Date of birth"), required=True),
        Row("text", "origin", _("Place of origin")),
        Row("select_one_from_file parties.csv", "party", _("Party"), required=True),
        Row("text", "unit", _("Unit")),
        Row("text", "rank", _("Rank")),
        Row("text", "contact", _("Contact"), _("A telephone number or an address.")),
        Row(
            "text",
            "receipt",
            _("Handover receipt number"),
            _("The number on the receipt for the arms this person handed over, if any."),
        ),
        Row(
            "select_one screening",
            "screening",
            _("Screening outcome"),
            required=True,
            default="pending",
        ),
        Row("text", "screening_notes", _("Screening notes"), appearance="multiline"),
        Row("image", "photo", _("Photo of the person"), parameters="max-pixels=1024"),
    ),
    choices=tuple(choices_of("screening", Screening)),
)
