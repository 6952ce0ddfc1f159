"""`{{ place|place_name }}`: a place's name for the reader, following `ceasefire.places.names`."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ceasefire.places.models import Place
from ceasefire.places.names import ShownName, place_label

register = template.Library()


def _title(form: ShownName) -> str:
    if form.party is None:
        return _("The mission's name")
    return _("The form used by party %(party)s") % {"party": form.party}


@register.filter
def place_name(place: Place) -> SafeString:
    """Each form in its own element, marked with its language (so the browser picks a font that
    has the script) and with whose form it is."""
    label = place_label(place.names.all(), get_language())
    return format_html_join(
        " / ",
        '<span class="place-name" lang="{}" data-party="{}" title="{}">{}</span>',
        ((form.language, form.party or "", _title(form), form.name) for form in label.forms),
    ) or format_html("{}", place.code)
