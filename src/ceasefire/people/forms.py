from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ceasefire.accounts.models import Party
from ceasefire.people.models import AmnestyDecision, Screening


class RegisterForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=200)
    other_names = forms.CharField(label=_("Other names"), max_length=500, required=False)
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    origin = forms.CharField(label=_("Place of origin"), max_length=200, required=False)
    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.objects.all())
    unit = forms.CharField(label=_("Unit"), max_length=200, required=False)
    rank = forms.CharField(label=_("Rank"), max_length=100, required=False)
    contact = forms.CharField(
        label=_("Contact"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    screening = forms.ChoiceField(label=_("Screening outcome"), choices=Screening.choices)
    screening_notes = forms.CharField(
        label=_("Screening notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    receipts = forms.CharField(
        label=_("Handover receipts"),
        required=False,
        help_text=_("Receipt numbers, separated by commas."),
    )
    photo = forms.FileField(label=_("Photo"), required=False)


class SearchForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=200)
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )


class PurposeForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=500,
        help_text=_("Why you need to see this person's personal data. It is recorded."),
    )


class ApplicationForm(forms.Form):
    applied_on = forms.DateField(
        label=_("Applied on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    statement = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 5}))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=AmnestyDecision.Outcome.choices, widget=forms.RadioSelect
    )
    grounds = forms.CharField(label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 5}))


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the record is erased. Never write a name here: the reason is kept."),
    )
