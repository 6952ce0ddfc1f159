"""Reads on places."""

from __future__ import annotations

from django.db.models import QuerySet

from ceasefire.places.models import Place


def place_list() -> QuerySet[Place]:
    """Every place with all its name forms and their parties, ready for `names.place_label`."""
    return Place.objects.prefetch_related("names__party").order_by("code")
