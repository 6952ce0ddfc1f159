from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from ceasefire.accounts.models import Party
from ceasefire.places.models import Place
from ceasefire.positions.models import MissionLayer, PositionEvent, Status

MICRODEGREES = Decimal(1_000_000)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def microdegrees(value: Decimal) -> int:
    return int((value * MICRODEGREES).to_integral_value())


class PositionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=200)
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=10, decimal_places=6, min_value=-180, max_value=180
    )
    party = forms.ModelChoiceField(label=_("Holding party"), queryset=Party.objects.all())
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Place.objects.filter(kind=Place.Kind.SECTOR), required=False
    )
    held_since = forms.DateTimeField(label=_("Held since"), widget=DateTimeInput())


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Event"),
        choices=[(k, label) for k, label in PositionEvent.Kind.choices if k != "held"],
    )
    occurred_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
    verified_by = forms.CharField(
        label=_("Verified by (for a withdrawal)"), max_length=200, required=False
    )
    unit = forms.CharField(
        label=_("Mission unit (for a take-over or visit)"), max_length=200, required=False
    )
    finding = forms.ChoiceField(
        label=_("Finding (for a visit)"),
        choices=[("", "—"), *PositionEvent.Finding.choices],
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Status.choices], required=False
    )
    party = forms.ModelChoiceField(
        label=_("Party"), queryset=Party.objects.all(), to_field_name="code", required=False
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Place.objects.filter(kind=Place.Kind.SECTOR),
        to_field_name="code",
        required=False,
    )


class LayerForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MissionLayer.Kind.choices)
    geojson = forms.CharField(
        label=_("GeoJSON"),
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        help_text=_("A FeatureCollection, a Feature or a geometry; [longitude, latitude] pairs."),
    )
