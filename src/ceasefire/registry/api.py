"""The registry's API: receipts, items and lots, custody events, corrections, the reference table,
and co-signing (key enrolment, the bytes to sign with their openings, signatures).

No `from __future__ import annotations` here: ninja reads the query schema of paginated lists
from their real annotations."""

import base64
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ceasefire.core.access import request_user
from ceasefire.core.errors import ValidationFailed
from ceasefire.core.pagination import LimitOffset
from ceasefire.registry import cosign, selectors, services
from ceasefire.registry.models import (
    CORRECTABLE,
    Correction,
    CustodyEvent,
    Item,
    Receipt,
    ReferenceWeapon,
)

router = Router(tags=["registry"])


class ReferenceOut(Schema):
    id: int
    category: str
    make: str
    model: str
    calibre: str
    calibre_um: int | None


class ItemOut(Schema):
    id: int
    mission_id: str
    receipt: str
    kind: str
    category: str  # now, corrections applied
    state: str  # the last custody event, or `collected`
    voided: bool
    make: str
    model: str
    calibre: str
    serial: str
    country: str
    year: int | None
    markings: str
    markings_location: str
    condition: str
    lot_number: str
    headstamp: str
    quantity: int | None
    unlisted: bool
    log_index: int

    @staticmethod
    def resolve_receipt(obj: Item) -> str:
        return obj.receipt.number

    @staticmethod
    def resolve_log_index(obj: Item) -> int:
        return obj.entry_id

    @staticmethod
    def resolve_category(obj: Any) -> str:
        return str(obj.current_category)


class ItemDetailOut(ItemOut):
    as_recorded: dict[str, Any]
    now: dict[str, Any]

    @staticmethod
    def resolve_as_recorded(obj: Item) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in CORRECTABLE[obj.kind]}

    @staticmethod
    def resolve_now(obj: Item) -> dict[str, Any]:
        return selectors.effective(obj)


class LineSchema(Schema):
    kind: str = Item.Kind.WEAPON
    category: str = ""
    make: str = ""
    model: str = ""
    calibre: str = ""
    serial: str = ""
    country: str = ""
    year: int | None = None
    markings: str = ""
    markings_location: str = ""
    condition: str = ""
    lot_number: str = ""
    headstamp: str = ""
    quantity: int | None = None
    unlisted: bool = False


class ReceiptIn(Schema):
    collection_point: str = Field(description="The code of the collection point.")
    received_at: datetime
    party: str = Field(description="The code of the handing-over party.")
    unit: str
    received_by: str | None = Field(None, description="Username; the caller by default.")
    witnesses: list[str]
    handed_over_by: str = ""
    notes: str = ""
    lines: list[LineSchema]


class CosignatureOut(Schema):
    liaison: str
    party: str
    fingerprint: str
    signature: str
    signed_at: datetime
    verifies: bool
    log_index: int


class ReceiptOut(Schema):
    id: int
    number: str
    collection_point: str
    received_at: datetime
    party: str
    unit: str
    log_index: int

    @staticmethod
    def resolve_collection_point(obj: Receipt) -> str:
        return obj.collection_point.code

    @staticmethod
    def resolve_party(obj: Receipt) -> str:
        return obj.party.code

    @staticmethod
    def resolve_log_index(obj: Receipt) -> int:
        return obj.entry_id


class ReceiptDetailOut(ReceiptOut):
    # Names of people: only for those who may see them (otherwise null).
    received_by: str | None
    witnesses: list[str] | None
    handed_over_by: str | None
    notes: str
    items: list[ItemOut]
    cosignatures: list[CosignatureOut]

    @staticmethod
    def resolve_received_by(obj: Receipt, context: Any) -> str | None:
        return obj.received_by.get_username() if _personal(obj, context) else None

    @staticmethod
    def resolve_witnesses(obj: Receipt, context: Any) -> list[str] | None:
        return list(obj.witnesses) if _personal(obj, context) else None

    @staticmethod
    def resolve_handed_over_by(obj: Receipt, context: Any) -> str | None:
        return obj.handed_over_by if _personal(obj, context) else None

    @staticmethod
    def resolve_items(obj: Receipt, context: Any) -> list[Item]:
        filters = selectors.ItemFilters(receipt=obj.pk, include_voided=True)
        return list(selectors.item_list(context["request"].user, filters).order_by("line"))

    @staticmethod
    def resolve_cosignatures(obj: Receipt) -> list[dict[str, Any]]:
        return _cosignatures(obj.entry_id)


def _personal(receipt: Receipt, context: Any) -> bool:
    return selectors.sees_personal(context["request"].user, receipt)


def _cosignatures(entry_id: int) -> list[dict[str, Any]]:
    return [
        {
            "liaison": shown.cosignature.key.user.get_username(),
            "party": shown.cosignature.key.party.code,
            "fingerprint": shown.cosignature.key.fingerprint,
            "signature": base64.b64encode(bytes(shown.cosignature.signature)).decode(),
            "signed_at": shown.cosignature.signed_at,
            "verifies": shown.verifies,
            "log_index": shown.cosignature.entry_id,
        }
        for shown in selectors.cosignatures(entry_id)
    ]


@router.get("/registry/reference", response=list[ReferenceOut], url_name="registry_reference")
def reference(request: HttpRequest) -> QuerySet[ReferenceWeapon]:
    """The reference table of makes, models and calibres."""
    return selectors.reference_list()


@router.get("/registry/receipts", response=list[ReceiptOut], url_name="registry_receipts")
@paginate(LimitOffset)
def receipt_list(request: HttpRequest) -> QuerySet[Receipt]:
    return selectors.receipt_list(request_user(request))


@router.post("/registry/receipts", response={201: ReceiptDetailOut}, url_name="registry_receipts")
def receipt_create(request: HttpRequest, payload: ReceiptIn) -> Status[Receipt]:
    """Record a handover. Every problem is reported at once, by field (`lines.0.serial`); a
    serial already handed over answers 409 naming the earlier receipt. Nothing is written
    unless all is well."""
    user = request_user(request)
    header, problems = services.Resolver().header(
        collection_point=payload.collection_point,
        received_at=payload.received_at,
        party=payload.party,
        unit=payload.unit,
        received_by=payload.received_by or user.get_username(),
        witnesses=payload.witnesses,
        handed_over_by=payload.handed_over_by,
        notes=payload.notes,
    )
    if header is None:
        raise ValidationFailed(services.first_problem(problems), fields=problems)
    lines = [services.LineIn(**line.model_dump()) for line in payload.lines]
    return Status(201, services.receipt_create(user=user, header=header, lines=lines))


@router.get(
    "/registry/receipts/{receipt_id}", response=ReceiptDetailOut, url_name="registry_receipt"
)
def receipt_detail(request: HttpRequest, receipt_id: int) -> Receipt:
    return selectors.receipt_for_user(request_user(request), receipt_id)


class ItemQuery(Schema):
    q: str = ""
    category: str = ""
    state: str = ""
    party: str = ""
    collection_point: str = ""
    include_voided: bool = False


def _items(request: HttpRequest, kind: str, query: ItemQuery) -> selectors.ItemPages:
    filters = selectors.ItemFilters(kind=kind, **query.model_dump())
    return selectors.ItemPages(request_user(request), filters)


@router.get("/registry/items", response=list[ItemOut], url_name="registry_items")
@paginate(LimitOffset)
def item_list(request: HttpRequest, query: Query[ItemQuery]) -> selectors.ItemPages:
    """Weapons, newest handover first. `q` matches a mission ID, receipt number, make, model or
    serial."""
    return _items(request, Item.Kind.WEAPON, query)


@router.get("/registry/lots", response=list[ItemOut], url_name="registry_lots")
@paginate(LimitOffset)
def lot_list(request: HttpRequest, query: Query[ItemQuery]) -> selectors.ItemPages:
    """Ammunition and explosive lots."""
    return _items(request, Item.Kind.LOT, query)


@router.get("/registry/items/{item_id}", response=ItemDetailOut, url_name="registry_item")
def item_detail(request: HttpRequest, item_id: int) -> Item:
    """A weapon or lot: as recorded, and now (corrections applied)."""
    return selectors.item_for_user(request_user(request), item_id)


class CustodyIn(Schema):
    kind: str
    occurred_at: datetime
    place: str = Field("", description="The code of a place, if any.")
    location: str = ""
    method: str = ""
    certificate: str = ""
    witnesses: list[str] = []
    notes: str = ""


class CustodyOut(Schema):
    id: int
    kind: str
    occurred_at: datetime
    place: str | None
    log_index: int

    @staticmethod
    def resolve_place(obj: CustodyEvent) -> str | None:
        return obj.place.code if obj.place else None

    @staticmethod
    def resolve_log_index(obj: CustodyEvent) -> int:
        return obj.entry_id


@router.get(
    "/registry/items/{item_id}/custody", response=list[CustodyOut], url_name="registry_custody"
)
def custody_list(request: HttpRequest, item_id: int) -> list[CustodyEvent]:
    """The item's chain of custody, oldest first."""
    return list(selectors.item_for_user(request_user(request), item_id).custody_events.all())


@router.post(
    "/registry/items/{item_id}/custody", response={201: CustodyOut}, url_name="registry_custody"
)
def custody_create(request: HttpRequest, item_id: int, payload: CustodyIn) -> Status[CustodyEvent]:
    user = request_user(request)
    item = selectors.item_for_user(user, item_id)
    place = None
    if payload.place:
        place = services.Resolver().place(payload.place)
        if place is None:
            raise ValidationFailed(
                _("There is no place %(code)s.") % {"code": payload.place}, field="place"
            )
    event = services.custody_record(
        user=user,
        item=item,
        kind=payload.kind,
        occurred_at=payload.occurred_at,
        place=place,
        location=payload.location,
        method=payload.method,
        certificate=payload.certificate,
        witnesses=payload.witnesses,
        notes=payload.notes,
    )
    return Status(201, event)


class CorrectionIn(Schema):
    action: str = Field(Correction.Action.CORRECT, description="`correct` or `void`.")
    changes: dict[str, Any] = {}
    reason: str


class CorrectionOut(Schema):
    id: int
    action: str
    changes: dict[str, Any]
    previous: dict[str, Any]
    created_at: datetime
    log_index: int
    cosignatures: list[CosignatureOut]

    @staticmethod
    def resolve_log_index(obj: Correction) -> int:
        return obj.entry_id

    @staticmethod
    def resolve_cosignatures(obj: Correction) -> list[dict[str, Any]]:
        return _cosignatures(obj.entry_id)


@router.get(
    "/registry/items/{item_id}/corrections",
    response=list[CorrectionOut],
    url_name="registry_corrections",
)
def correction_list(request: HttpRequest, item_id: int) -> list[Correction]:
    return list(selectors.item_for_user(request_user(request), item_id).corrections.all())


@router.post(
    "/registry/items/{item_id}/corrections",
    response={201: CorrectionOut},
    url_name="registry_corrections",
)
def correction_create(
    request: HttpRequest, item_id: int, payload: CorrectionIn
) -> Status[Correction]:
    """Correct some fields of an item, or void it. Nothing is edited in place."""
    user = request_user(request)
    item = selectors.item_for_user(user, item_id)
    if payload.action == Correction.Action.VOID:
        correction = services.item_void(user=user, item=item, reason=payload.reason)
    elif payload.action == Correction.Action.CORRECT:
        correction = services.item_correct(
            user=user, item=item, changes=payload.changes, reason=payload.reason
        )
    else:
        raise ValidationFailed(_("The action is `correct` or `void`."), field="action")
    return Status(201, correction)


class KeyIn(Schema):
    public_key: str = Field(description="The raw 32-byte Ed25519 public key, base64.")
    label: str = ""


class KeyOut(Schema):
    fingerprint: str
    label: str
    enrolled_at: datetime
    log_index: int

    @staticmethod
    def resolve_log_index(obj: Any) -> int:
        return int(obj.entry_id)


@router.get("/registry/keys", response=list[KeyOut], url_name="registry_keys")
def key_list(request: HttpRequest) -> Any:
    """The caller's enrolled co-signing keys."""
    return selectors.liaison_keys(request_user(request))


@router.post("/registry/keys", response={201: KeyOut}, url_name="registry_keys")
def key_enrol(request: HttpRequest, payload: KeyIn) -> Status[Any]:
    """Enrol a co-signing key. Give the fingerprint to your party to confirm."""
    try:
        public_key = cosign.decode(payload.public_key, cosign.PUBLIC_KEY_SIZE, "public key")
    except cosign.CosignError:
        raise ValidationFailed(
            _("A public key is 32 bytes (a raw Ed25519 key), in base64."), field="public_key"
        ) from None
    key = services.key_enrol(user=request_user(request), public_key=public_key, label=payload.label)
    return Status(201, key)


class OpeningOut(Schema):
    index: int
    field: str
    value_json: str
    secret: str
    commitment: str


class SigningOut(Schema):
    index: int
    entry: str = Field(description="The exact bytes to sign, base64.")
    items: list[str] = Field(description="The bytes of the receipt's item entries, base64.")
    openings: list[OpeningOut]


@router.get("/registry/entries/{index}/signing", response=SigningOut, url_name="registry_signing")
def signing(request: HttpRequest, index: int) -> SigningOut:
    """What a liaison co-signs: the entry's bytes, its items' bytes (whose leaf hashes the
    header lists) and the openings of their sealed fields, to check before signing."""
    user = request_user(request)
    entry, receipt, correction = selectors.signable_for_user(user, index)
    if receipt is not None:
        shown = selectors.receipt_openings(receipt)
        item_bodies = [bytes(i.entry.body) for i in receipt.items.select_related("entry")]
    else:
        assert correction is not None
        shown = selectors.correction_openings(correction)
        item_bodies = []
    return SigningOut(
        index=entry.index,
        entry=base64.b64encode(bytes(entry.body)).decode(),
        items=[base64.b64encode(b).decode() for b in item_bodies],
        openings=[OpeningOut(**vars(o)) for o in shown],
    )


class CosignIn(Schema):
    fingerprint: str
    signature: str = Field(description="The Ed25519 signature over the entry's bytes, base64.")


@router.post(
    "/registry/entries/{index}/cosignatures",
    response={201: CosignatureOut},
    url_name="registry_cosignatures",
)
def cosignature_add(request: HttpRequest, index: int, payload: CosignIn) -> Status[dict[str, Any]]:
    """Co-sign an entry of your party. The signature is checked and logged."""
    try:
        signature = cosign.decode(payload.signature, cosign.SIGNATURE_SIZE, "signature")
    except cosign.CosignError:
        raise ValidationFailed(
            _("A signature is 64 bytes (Ed25519), in base64."), field="signature"
        ) from None
    added = services.cosignature_add(
        user=request_user(request),
        entry_index=index,
        fingerprint=payload.fingerprint.strip(),
        signature=signature,
    )
    [out] = [c for c in _cosignatures(index) if c["log_index"] == added.entry_id]
    return Status(201, out)
