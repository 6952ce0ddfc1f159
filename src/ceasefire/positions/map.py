"""The map: a page whose static script draws the mission's layers, positions by their status on
a chosen day, convoy routes with their checkpoints, and incidents, from one GeoJSON document.

Without a tile server (the field has no internet) the script draws a graticule under the
mission's own layers, so the map still means something."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.convoys import selectors as convoys
from ceasefire.core.access import may_access
from ceasefire.core.errors import ValidationFailed
from ceasefire.incidents import selectors as incidents
from ceasefire.positions import selectors
from ceasefire.positions.models import Status

Feature = dict[str, Any]


def point(lat_microdeg: int, lon_microdeg: int) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon_microdeg / 1e6, lat_microdeg / 1e6]}


def end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def _day(raw: str) -> date:
    if not raw:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(_("Give the day as YYYY-MM-DD."), field="on") from None


def position_features(user: Any, at: datetime) -> list[Feature]:
    return [
        {
            "type": "Feature",
            "geometry": point(position.lat_microdeg, position.lon_microdeg),
            "properties": {
                "layer": "position",
                "code": position.code,
                "name": position.name,
                "party": position.party.name,
                "status": position.current_status,  # type: ignore[attr-defined]
                "status_label": str(Status(position.current_status).label),  # type: ignore[attr-defined]
                "url": reverse("positions:detail", args=[position.pk]),
            },
        }
        for position in selectors.position_list(user=user, at=at)
    ]


def layer_features() -> list[Feature]:
    features = []
    for layer in selectors.mission_layers():
        for feature in layer.geojson.get("features", []):
            properties = dict(feature.get("properties") or {})
            properties.update(layer="mission", kind=layer.kind, layer_name=layer.name)
            features.append({**feature, "properties": properties})
    return features


def map_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "positions/map.html",
        {
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "statuses": Status.choices,
            "day": timezone.localdate().isoformat(),
            "can_edit_layers": may_access(request.user, "positions:layers"),
        },
    )


def map_data(request: HttpRequest) -> HttpResponse:
    """The map's GeoJSON as things stood at the end of `?on=YYYY-MM-DD` (today by default)."""
    day = _day(request.GET.get("on", ""))
    at = end_of_day(day)
    features = (
        layer_features()
        + convoys.map_features(request.user, at)
        + incidents.map_features(request.user, at)
        + position_features(request.user, at)
    )
    return JsonResponse(
        {"type": "FeatureCollection", "features": features, "on": day.isoformat()},
        json_dumps_params={"ensure_ascii": False},
    )
