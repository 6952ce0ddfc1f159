"""Checks on GeoJSON drawn by the mission (RFC 7946): shapes and coordinate ranges, with
messages that say where the problem is."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.utils.translation import gettext as _

from ceasefire.core.errors import ValidationFailed

GEOMETRY_DEPTH = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(message, field="geojson")


def _position(value: Any, where: str) -> None:
    if (
        not isinstance(value, list)
        or len(value) not in (2, 3)
        or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in value)
    ):
        raise _invalid(_("%(where)s: a position is [longitude, latitude].") % {"where": where})
    lon, lat = value[0], value[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _invalid(
            _("%(where)s: [%(lon)s, %(lat)s] is not a longitude and latitude on Earth.")
            % {"where": where, "lon": lon, "lat": lat}
        )


def _coordinates(value: Any, depth: int, where: str) -> None:
    if depth == 0:
        _position(value, where)
        return
    if not isinstance(value, list) or not value:
        raise _invalid(_("%(where)s: coordinates are missing.") % {"where": where})
    for item in value:
        _coordinates(item, depth - 1, where)


def _geometry(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise _invalid(_("%(where)s: a geometry is an object.") % {"where": where})
    kind = value.get("type")
    if kind == "GeometryCollection":
        for geometry in value.get("geometries") or []:
            _geometry(geometry, where)
        return
    if kind not in GEOMETRY_DEPTH:
        raise _invalid(
            _("%(where)s: unknown geometry type %(type)s.") % {"where": where, "type": kind}
        )
    _coordinates(value.get("coordinates"), GEOMETRY_DEPTH[kind], where)


def _feature(value: Any, where: str) -> None:
    if not isinstance(value, dict) or value.get("type") != "Feature":
        raise _invalid(_("%(where)s: not a Feature.") % {"where": where})
    if value.get("geometry") is not None:
        _geometry(value["geometry"], where)
    if not isinstance(value.get("properties", {}), dict | None):
        raise _invalid(_("%(where)s: properties must be an object.") % {"where": where})


def parse(text: str) -> dict[str, Any]:
    """The GeoJSON in `text` as a FeatureCollection; ValidationFailed saying what is wrong."""
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise _invalid(_("This is not JSON: %(error)s") % {"error": exc}) from None
    if not isinstance(value, dict):
        raise _invalid(_("GeoJSON is an object with a type."))
    kind = value.get("type")
    if kind == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list):
            raise _invalid(_("A FeatureCollection needs a list of features."))
        for number, feature in enumerate(features, start=1):
            _feature(feature, _("Feature %(number)s") % {"number": number})
        return value
    if kind == "Feature":
        _feature(value, _("The feature"))
        return {"type": "FeatureCollection", "features": [value]}
    _geometry(value, _("The geometry"))
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": value, "properties": {}}],
    }


def digest(value: dict[str, Any]) -> str:
    """SHA-256 (hex) of the GeoJSON as compact JSON with sorted keys. Not RFC 8785: GeoJSON
    coordinates are floating-point numbers, which the log's own entries never hold."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
