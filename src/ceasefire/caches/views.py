"""Arms caches for the mission, and the public map layer of cleared caches."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from ceasefire.caches import selectors
from ceasefire.core.access import request_user


def cache_list(request: HttpRequest) -> HttpResponse:
    caches = selectors.cache_list(request_user(request)).prefetch_related("visits", "finds")
    return render(request, "caches/list.html", {"caches": caches})


def public_map(request: HttpRequest) -> JsonResponse:
    """GeoJSON of cleared caches only: a cache's location stays sealed until it is cleared."""
    return JsonResponse(selectors.public_geojson(), content_type="application/geo+json")
