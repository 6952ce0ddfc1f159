from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ceasefire.convoys.models import Convoy, CrossingCount, ManifestLine, MovementEvent
from ceasefire.convoys.services import LineIn
from ceasefire.places.models import Place
from ceasefire.positions.forms import DateTimeInput


def checkpoint_field(label: Any) -> forms.ModelChoiceField[Place]:
    return forms.ModelChoiceField(
        label=label, queryset=Place.objects.filter(kind=Place.Kind.CHECKPOINT)
    )


class ConvoyForm(forms.Form):
    reference = forms.SlugField(label=_("Reference"), max_length=32)
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    origin = forms.ModelChoiceField(label=_("Origin"), queryset=Place.objects.all())
    destination = forms.ModelChoiceField(label=_("Destination"), queryset=Place.objects.all())
    route = forms.CharField(
        label=_("Route"),
        help_text=_("Codes of the corridor checkpoints, in the order passed, separated by commas."),
    )
    vehicles = forms.IntegerField(label=_("Vehicles"), min_value=1)
    planned_departure = forms.DateTimeField(label=_("Planned departure"), widget=DateTimeInput())
    manifest = forms.CharField(
        label=_("Manifest"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One line per item: quantity, unit (kg, l, kit, piece), item. "
            "For example: 20000 kg wheat flour"
        ),
    )

    def clean_route(self) -> list[Place]:
        codes = [code.strip() for code in self.cleaned_data["route"].split(",") if code.strip()]
        places = {place.code: place for place in Place.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in places]
        if unknown:
            raise ValidationError(_("Unknown place: %(codes)s.") % {"codes": ", ".join(unknown)})
        return [places[code] for code in codes]

    def clean_manifest(self) -> list[LineIn]:
        lines = []
        for number, text in enumerate(self.cleaned_data["manifest"].splitlines(), start=1):
            parts = text.split(maxsplit=2)
            if not parts:
                continue
            if len(parts) < 3 or not parts[0].isdigit():
                raise ValidationError(
                    _("Line %(number)s: write quantity, unit, item (e.g. 500 kit hygiene kits).")
                    % {"number": number}
                )
            lines.append(LineIn(item=parts[2], unit=parts[1].lower(), quantity=int(parts[0])))
        return lines


class DepartForm(forms.Form):
    departed_at = forms.DateTimeField(label=_("Departed at"), widget=DateTimeInput())


class MovementForm(forms.Form):
    checkpoint = checkpoint_field(_("Checkpoint"))
    kind = forms.ChoiceField(
        label=_("Event"),
        choices=[(k, v) for k, v in MovementEvent.Kind.choices if k != "departed"],
    )
    occurred_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
    reason = forms.CharField(
        label=_("Reason (held or turned back)"), max_length=300, required=False
    )
    held_minutes = forms.IntegerField(label=_("Held for (minutes)"), min_value=1, required=False)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


def arrival_form(convoy: Convoy, data: Any = None) -> forms.Form:
    """A form with the quantities received, good and damaged, for each manifest line."""
    form = forms.Form(data)
    form.fields["arrived_at"] = forms.DateTimeField(label=_("Arrived at"), widget=DateTimeInput())
    for line in convoy.lines.order_by("pk"):
        for part, label in (("good", _("in good condition")), ("damaged", _("damaged"))):
            form.fields[f"{part}_{line.pk}"] = forms.IntegerField(
                label=f"{line.item} ({line.quantity} {line.get_unit_display()}): {label}",
                min_value=0,
                initial=line.quantity if part == "good" else 0,
            )
    return form


class LossForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Manifest line"), queryset=ManifestLine.objects.none())
    quantity = forms.IntegerField(label=_("Quantity lost"), min_value=1)
    reason = forms.CharField(label=_("What happened"), max_length=300)

    def __init__(self, convoy: Convoy, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["line"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = convoy.lines.order_by("pk")


class CrossingForm(forms.Form):
    checkpoint = checkpoint_field(_("Checkpoint"))
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    direction = forms.ChoiceField(label=_("Direction"), choices=CrossingCount.Direction.choices)
    men = forms.IntegerField(label=_("Men (18 to 59)"), min_value=0)
    women = forms.IntegerField(label=_("Women (18 to 59)"), min_value=0)
    children = forms.IntegerField(label=_("Children (under 18)"), min_value=0)
    elderly = forms.IntegerField(label=_("Elderly (60 and over)"), min_value=0)
    disabled = forms.IntegerField(label=_("Of whom persons with disabilities"), min_value=0)
    vehicles = forms.IntegerField(label=_("Vehicles"), min_value=0)


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Convoy.Status.choices], required=False
    )
    flagged = forms.BooleanField(label=_("Only convoys that do not add up"), required=False)
