"""Reads on arms caches. Mission members see every cache, a liaison their own party's; the
public only cleared caches, whose locations the log has opened."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ceasefire.caches.models import Cache
from ceasefire.core.errors import NotFound
from ceasefire.registry.selectors import party_scope


def cache_list(user: Any) -> QuerySet[Cache]:
    caches = Cache.objects.select_related("party")
    scope = party_scope(user)
    return caches if scope is None else caches.filter(party_id=scope)


def cache_for_user(user: Any, pk: int) -> Cache:
    cache = cache_list(user).filter(pk=pk).first()
    if cache is None:
        raise NotFound(_("There is no such arms cache."))
    return cache


def cleared_caches() -> QuerySet[Cache]:
    """The only caches whose location may be shown to the public."""
    return Cache.objects.filter(status=Cache.Status.CLEARED).select_related("party")


def public_geojson() -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    # GeoJSON wants numbers in degrees; microdegrees divide exactly for display.
                    "coordinates": [cache.lon_microdeg / 1e6, cache.lat_microdeg / 1e6],
                },
                "properties": {
                    "cache": cache.number,
                    "origin": cache.origin,
                    "party": cache.party.code if cache.party else None,
                },
            }
            for cache in cleared_caches()
        ],
    }
