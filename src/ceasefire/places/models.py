"""Places the mission works in, with every form of their names.

The parties often write a place's name differently. Each form is kept as its own row, with the
language it is written in and the party that uses it, so that no form replaces another; the
mission's own neutral form is marked as such. `ceasefire.places.names` decides what a reader sees.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ceasefire.accounts.models import Party

MICRODEGREES = Decimal(1_000_000)


class Place(models.Model):
    # Context: catalogues merge at run time, and the log also speaks of "checkpoints".
    class Kind(models.TextChoices):
        SETTLEMENT = "settlement", pgettext_lazy("place kind", "Settlement")
        COLLECTION_POINT = "collection_point", pgettext_lazy("place kind", "Collection point")
        STORAGE_CENTRE = "storage_centre", pgettext_lazy("place kind", "Storage centre")
        CHECKPOINT = "checkpoint", pgettext_lazy("place kind", "Checkpoint")
        SECTOR = "sector", pgettext_lazy("place kind", "Sector")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # Whole microdegrees (WGS 84): exact, so a coordinate reads back as it was recorded.
    lat_microdeg = models.IntegerField(
        _("latitude (microdegrees)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90_000_000), MaxValueValidator(90_000_000)],
    )
    lon_microdeg = models.IntegerField(
        _("longitude (microdegrees)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180_000_000), MaxValueValidator(180_000_000)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                condition=Q(lat_microdeg__isnull=True, lon_microdeg__isnull=True)
                | Q(
                    lat_microdeg__isnull=False,
                    lon_microdeg__isnull=False,
                    lat_microdeg__gte=-90_000_000,
                    lat_microdeg__lte=90_000_000,
                    lon_microdeg__gte=-180_000_000,
                    lon_microdeg__lte=180_000_000,
                ),
                name="place_coordinates_both_or_neither_and_in_range",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def latitude(self) -> Decimal | None:
        return None if self.lat_microdeg is None else self.lat_microdeg / MICRODEGREES

    @property
    def longitude(self) -> Decimal | None:
        return None if self.lon_microdeg is None else self.lon_microdeg / MICRODEGREES


class PlaceName(models.Model):
    """One written form of a place's name: in one language, used by one party, by the mission
    (its neutral form), or by neither (a plain rendering in that language)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(_("language"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("party using this form"),
    )
    neutral = models.BooleanField(_("the mission's neutral form"), default=False)

    class Meta:
        ordering = ["place", "pk"]
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        constraints = [
            models.CheckConstraint(
                condition=~Q(neutral=True, party__isnull=False),
                name="place_name_neutral_form_has_no_party",
                violation_error_message=_("The mission's neutral form is not a party's form."),
            ),
            models.UniqueConstraint(
                fields=["place", "language"],
                condition=Q(neutral=True),
                name="place_name_one_neutral_form_per_language",
                violation_error_message=_(
                    "A place has one neutral form in each language; this one has two."
                ),
            ),
            models.UniqueConstraint(
                fields=["place", "party", "language"],
                condition=Q(party__isnull=False),
                name="place_name_one_form_per_party_and_language",
                violation_error_message=_(
                    "A party has one form of the name in each language; this one has two."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"

    def clean(self) -> None:
        if self.language not in dict(settings.LANGUAGES):
            raise ValidationError(
                {
                    "language": _("Unknown language: %(code)s. Use one of: %(codes)s.")
                    % {"code": self.language, "codes": ", ".join(dict(settings.LANGUAGES))}
                }
            )
