from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router, Schema
from ninja.pagination import paginate

from ceasefire.core.pagination import LimitOffset
from ceasefire.places import selectors
from ceasefire.places.models import Place, PlaceName
from ceasefire.places.names import place_label

router = Router(tags=["places"])


class PlaceNameOut(Schema):
    language: str
    name: str
    party: str | None  # the code of the party using this form
    neutral: bool

    @staticmethod
    def resolve_party(obj: PlaceName) -> str | None:
        return obj.party.code if obj.party else None


class PlaceOut(Schema):
    code: str
    kind: str
    name: str  # as shown to a reader of the request's language (docs/i18n.md)
    lat_microdeg: int | None
    lon_microdeg: int | None
    names: list[PlaceNameOut]

    @staticmethod
    def resolve_name(obj: Place) -> str:
        return place_label(obj.names.all(), get_language()).text

    @staticmethod
    def resolve_names(obj: Place) -> list[PlaceName]:
        return list(obj.names.all())


@router.get("/places", response=list[PlaceOut], url_name="places")
@paginate(LimitOffset)
def place_list(request: HttpRequest) -> QuerySet[Place]:
    """Every place with each form of its name. `name` follows the display rule for the
    request's language (Accept-Language or the language cookie)."""
    return selectors.place_list()
