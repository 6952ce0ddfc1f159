from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ceasefire.accounts.models import Party
from ceasefire.incidents.models import Incident, Verification
from ceasefire.places.models import Place
from ceasefire.positions.forms import DateTimeInput


class IncidentForm(forms.Form):
    occurred_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
    kind = forms.ChoiceField(label=_("Type"), choices=Incident.Kind.choices)
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Place.objects.all(),
        required=False,
        help_text=_("Its coordinates are used when none are given below."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=10,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
    )
    location = forms.CharField(label=_("Location details"), max_length=300, required=False)
    alleged_party = forms.ModelChoiceField(
        label=_("Alleged party"), queryset=Party.objects.all(), required=False
    )
    source = forms.CharField(label=_("Source"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))


class VerifyForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(v, label) for v, label in Verification.choices if v != Verification.REPORTED],
    )
    duplicate_of = forms.IntegerField(
        label=_("Duplicate of incident number"), required=False, min_value=1
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Photo or document"), help_text=_("JPEG, PNG or PDF, up to 20 MB.")
    )


class FilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Any")), *Incident.Kind.choices], required=False
    )
    verification = forms.ChoiceField(
        label=_("Verification"), choices=[("", _("Any")), *Verification.choices], required=False
    )
    party = forms.ModelChoiceField(
        label=_("Alleged party"),
        queryset=Party.objects.all(),
        to_field_name="code",
        required=False,
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
