"""Writes on places."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ceasefire.accounts.models import Party
from ceasefire.core.errors import Conflict, ValidationFailed
from ceasefire.places.models import Place, PlaceName


@dataclass(frozen=True)
class NameForm:
    """One form of a place's name, as given to `place_create`."""

    language: str
    name: str
    party: Party | None = None
    neutral: bool = False


def _check_names(names: Sequence[NameForm]) -> None:
    if not names:
        raise ValidationFailed(_("Give at least one name for the place."), field="names")
    known = dict(settings.LANGUAGES)
    for form in names:
        if form.language not in known:
            raise ValidationFailed(
                _("Unknown language: %(code)s. Use one of: %(codes)s.")
                % {"code": form.language, "codes": ", ".join(known)},
                field="names",
            )
        if not form.name.strip():
            raise ValidationFailed(_("A name cannot be empty."), field="names")
        if form.neutral and form.party is not None:
            raise ValidationFailed(
                _("The mission's neutral form is not a party's form."), field="names"
            )
    if not any(form.neutral for form in names):
        # Otherwise a place known by one party's form alone would be shown under that form.
        raise ValidationFailed(
            _("Give the mission's neutral name for the place in at least one language."),
            field="names",
        )


@transaction.atomic
def place_create(
    *,
    code: str,
    kind: str,
    names: Sequence[NameForm],
    lat_microdeg: int | None = None,
    lon_microdeg: int | None = None,
) -> Place:
    """Record a place with every form of its name. Coordinates are whole microdegrees."""
    _check_names(names)
    if Place.objects.filter(code=code).exists():
        raise Conflict(_("A place with code %(code)s already exists.") % {"code": code})
    place = Place(code=code, kind=kind, lat_microdeg=lat_microdeg, lon_microdeg=lon_microdeg)
    try:
        place.full_clean()
        place.save()
        for form in names:
            name = PlaceName(
                place=place,
                language=form.language,
                name=" ".join(form.name.split()),
                party=form.party,
                neutral=form.neutral,
            )
            name.full_clean()
            name.save()
    except DjangoValidationError as exc:
        raise ValidationFailed.from_django(exc) from None
    return place
