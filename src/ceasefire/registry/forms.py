from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ceasefire.accounts.models import Party, User
from ceasefire.places.models import Place
from ceasefire.registry.models import (
    CORRECTABLE,
    Category,
    Condition,
    CustodyEvent,
    Item,
    Markings,
    ReferenceWeapon,
)
from ceasefire.registry.services import LineIn

BLANK = [("", "—")]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def names(text: str) -> list[str]:
    """One name per line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class ReceiptForm(forms.Form):
    collection_point = forms.ModelChoiceField(
        label=_("Collection point"),
        queryset=Place.objects.filter(kind=Place.Kind.COLLECTION_POINT).order_by("code"),
    )
    received_at = forms.DateTimeField(
        label=_("Date and time of the handover"), widget=DateTimeInput()
    )
    party = forms.ModelChoiceField(label=_("Handing-over party"), queryset=Party.objects.all())
    unit = forms.CharField(label=_("Handing-over unit"), max_length=200)
    handed_over_by = forms.CharField(label=_("Handed over by"), max_length=200, required=False)
    received_by = forms.ModelChoiceField(
        label=_("Receiving officer"), queryset=User.objects.filter(is_active=True)
    )
    witnesses = forms.CharField(
        label=_("Witnesses (one per line)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    photos = MultipleFileField(label=_("Photos of the handover"), required=False)


class LineForm(forms.Form):
    """One line of a receipt; its prefix (`line-<key>`) is unique in the page, so lines can be
    added without counting them."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Item.Kind.choices)
    reference = forms.ModelChoiceField(
        label=_("Make and model"),
        queryset=ReferenceWeapon.objects.order_by("make", "model"),
        required=False,
        empty_label=_("— not listed, or a lot —"),
    )
    unlisted = forms.BooleanField(label=_("Not in the reference table"), required=False)
    make = forms.CharField(label=_("Make (if not listed)"), max_length=100, required=False)
    model = forms.CharField(label=_("Model (if not listed)"), max_length=100, required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=BLANK + list(Category.choices), required=False
    )
    calibre = forms.CharField(label=_("Calibre or type"), max_length=50, required=False)
    serial = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    country = forms.CharField(label=_("Country of manufacture"), max_length=100, required=False)
    year = forms.IntegerField(label=_("Year of manufacture"), required=False)
    markings = forms.ChoiceField(
        label=_("Markings"), choices=BLANK + list(Markings.choices), required=False
    )
    markings_location = forms.CharField(
        label=_("Where the markings are"), max_length=200, required=False
    )
    condition = forms.ChoiceField(label=_("Condition"), choices=BLANK + list(Condition.choices))
    lot_number = forms.CharField(label=_("Lot or batch number"), max_length=100, required=False)
    headstamp = forms.CharField(label=_("Headstamp"), max_length=100, required=False)
    quantity = forms.IntegerField(label=_("Quantity (lots)"), required=False, min_value=1)

    def line(self) -> LineIn:
        data = dict(self.cleaned_data)
        reference = data.pop("reference")
        if reference is not None:
            data["make"], data["model"] = reference.make, reference.model
        return LineIn(**data)


def new_line_prefix() -> str:
    return f"line-{secrets.token_hex(4)}"


def line_prefixes(data: Any) -> list[str]:
    """The prefixes of the lines posted, in the page's order."""
    seen: list[str] = []
    for key in data:
        if key.startswith("line-") and key.endswith("-kind"):
            prefix = key.removesuffix("-kind")
            if prefix not in seen:
                seen.append(prefix)
    return seen


class CustodyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Event"), choices=CustodyEvent.Kind.choices)
    occurred_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
    place = forms.ModelChoiceField(
        label=_("Place"), queryset=Place.objects.order_by("code"), required=False
    )
    location = forms.CharField(label=_("Store and shelf"), max_length=200, required=False)
    method = forms.CharField(
        label=_("Method (destruction or deactivation)"), max_length=200, required=False
    )
    certificate = forms.CharField(label=_("Certificate number"), max_length=100, required=False)
    witnesses = forms.CharField(
        label=_("Witnesses (one per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes or loss report"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CorrectionForm(forms.Form):
    """A correction: the fields to change (left empty, a field stays as it is), or a void."""

    void = forms.BooleanField(label=_("Void this item (recorded in error)"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=BLANK + list(Category.choices), required=False
    )
    make = forms.CharField(label=_("Make"), max_length=100, required=False)
    model = forms.CharField(label=_("Model"), max_length=100, required=False)
    calibre = forms.CharField(label=_("Calibre or type"), max_length=50, required=False)
    serial = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    condition = forms.ChoiceField(
        label=_("Condition"), choices=BLANK + list(Condition.choices), required=False
    )
    markings = forms.ChoiceField(
        label=_("Markings"), choices=BLANK + list(Markings.choices), required=False
    )
    quantity = forms.IntegerField(label=_("Quantity (lots)"), required=False, min_value=1)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def changes(self, kind: str) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in CORRECTABLE[kind] and value not in ("", None)
        }


class KeyForm(forms.Form):
    public_key = forms.CharField(
        label=_("Public key (base64, from `ceasefire cosign keygen`)"), max_length=100
    )
    label = forms.CharField(label=_("Label"), max_length=100, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
