from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ceasefire.audit.models import AuditEvent


class EventFilterForm(forms.Form):
    username = forms.CharField(label=_("User"), max_length=150, required=False)
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("", _("Any")), *AuditEvent.Action.choices],
        required=False,
    )
    route = forms.CharField(label=_("Route"), max_length=100, required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
