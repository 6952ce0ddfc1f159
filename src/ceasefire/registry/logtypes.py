"""The registry's log entry types and how each counts in the public totals.

A handover writes one entry per line (`registry.item/1`, `registry.lot/1`), then its header
(`registry.handover/1`) listing their leaf hashes, so a signature over the header covers every
line. The demo policy: category, collection point and date public; serial, make, model and the
other details sealed; every field that names a person sealed and marked personal.
"""

from __future__ import annotations

from ceasefire.ledger.policy import Disclosure, EntryType, Field, register
from ceasefire.ledger.totals import HANDLERS, Entry, Totals, public_field

SEALED = Disclosure.SEALED


def _common(kind: str) -> tuple[Field, ...]:
    return (
        Field("mission_id", f"The mission-unique ID of the {kind}, the mark written on it."),
        Field("receipt", "The number of the handover receipt."),
        Field("category", "The category (the registry's taxonomy), counted in the totals."),
        Field("collection_point", "The code of the collection point."),
        Field("date", "The day of the handover, ISO 8601."),
    )


ITEM = register(
    EntryType(
        "registry.item/1",
        "One weapon handed over (one entry per piece), written before its receipt's header.",
        (
            *_common("weapon"),
            Field("make", "Make, as in the reference table.", SEALED),
            Field("model", "Model, as in the reference table.", SEALED),
            Field("calibre", "Calibre, e.g. `7.62×39 mm`.", SEALED),
            Field("serial", "Serial number as read on the weapon.", SEALED),
            Field("country", "Country of manufacture.", SEALED),
            Field("year", "Year of manufacture.", SEALED),
            Field("markings", "`present`, `defaced` or `absent`, and where.", SEALED),
            Field("condition", "Condition on receipt.", SEALED),
            Field("unlisted", "True when make and model are not in the reference table."),
            Field("photos", "SHA-256 (hex) of each photo.", SEALED),
        ),
    )
)

LOT = register(
    EntryType(
        "registry.lot/1",
        "One ammunition or explosive lot handed over, written before its receipt's header.",
        (
            *_common("lot"),
            Field("calibre", "Calibre or type.", SEALED),
            Field("lot_number", "Lot or batch number.", SEALED),
            Field("headstamp", "Headstamp.", SEALED),
            Field("quantity", "Number of rounds or pieces in the lot."),
            Field("condition", "Condition on receipt.", SEALED),
            Field("photos", "SHA-256 (hex) of each photo.", SEALED),
        ),
    )
)

HANDOVER = register(
    EntryType(
        "registry.handover/1",
        "The header of a handover receipt, after its lines: `items` lists their leaf hashes "
        "(base64), so a liaison's signature over this entry covers every line.",
        (
            Field("receipt", "The receipt number."),
            Field("collection_point", "The code of the collection point."),
            Field("date", "The day of the handover, ISO 8601."),
            Field("party", "The code of the handing-over party."),
            Field("items", "The leaf hashes (base64) of the receipt's item and lot entries."),
            Field("received_at", "Time of the handover, ISO 8601.", SEALED),
            Field("unit", "The handing-over unit.", SEALED),
            Field("handed_over_by", "The person who handed over.", SEALED, personal=True),
            Field("received_by", "The receiving mission officer.", SEALED, personal=True),
            Field("witnesses", "The witnesses.", SEALED, personal=True),
            Field("notes", "Notes.", SEALED),
            Field("photos", "SHA-256 (hex) of each photo of the handover.", SEALED),
        ),
    )
)

CUSTODY = register(
    EntryType(
        "registry.custody/1",
        "A custody event of an item: collected, transported, stored, inspected, deactivated, "
        "destroyed or lost. `destroyed` and `deactivated` count as destroyed in the totals.",
        (
            Field("item", "The log index of the item's or lot's entry."),
            Field("mission_id", "The item's mission ID."),
            Field("event", "What happened."),
            Field("date", "The day it happened, ISO 8601."),
            Field("occurred_at", "When it happened, ISO 8601.", SEALED),
            Field("place", "The code of the place (a store's location is sealed).", SEALED),
            Field("location", "Store and shelf.", SEALED),
            Field("method", "Method of destruction or deactivation.", SEALED),
            Field("certificate", "Certificate number.", SEALED),
            Field("witnesses", "The witnesses.", SEALED, personal=True),
            Field("recorded_by", "The officer who recorded it.", SEALED, personal=True),
            Field("notes", "Notes or loss report.", SEALED),
        ),
    )
)

CORRECTION = register(
    EntryType(
        "registry.correction/1",
        "A correction (`action` `correct`) or void (`void`) of an item's entry: nothing is "
        "edited in place. A changed category is public, so the totals apply it.",
        (
            Field("corrects", "The log index of the corrected item's or lot's entry."),
            Field("mission_id", "The item's mission ID."),
            Field("action", "`correct` or `void`."),
            Field("category", "The new category, when it changed."),
            Field("changes", "The changed fields and their new values.", SEALED),
            Field("reason", "Why.", SEALED),
            Field("author", "Who made the correction.", SEALED, personal=True),
        ),
    )
)

KEY_ENROLMENT = register(
    EntryType(
        "registry.key_enrolment/1",
        "A party liaison's Ed25519 co-signing key. The party confirms the fingerprint on its own "
        "channel, so the mission cannot substitute a key unnoticed.",
        (
            Field("party", "The code of the liaison's party."),
            Field("fingerprint", "base64url (no padding) of the SHA-256 of the public key."),
            Field("public_key", "The raw 32-byte Ed25519 public key, base64."),
            Field("liaison", "The liaison.", SEALED, personal=True),
        ),
    )
)

COSIGNATURE = register(
    EntryType(
        "registry.cosignature/1",
        "A liaison's Ed25519 signature over the exact bytes of entry `entry` (a receipt header "
        "or a correction), by the key enrolled with `fingerprint`.",
        (
            Field("entry", "The log index of the signed entry."),
            Field("fingerprint", "The fingerprint of the enrolled key that signed."),
            Field("signature", "The Ed25519 signature, base64."),
        ),
    )
)

# What counts as destroyed in the totals.
DESTROYING_EVENTS = frozenset({"destroyed", "deactivated"})


def _count(totals: Totals, index: int, entry: Entry) -> None:
    totals.count_item(index, entry)


def _custody(totals: Totals, index: int, entry: Entry) -> None:
    item = public_field(entry, "item")
    if public_field(entry, "event") in DESTROYING_EVENTS and isinstance(item, int):
        totals.destroy(item)


def _correction(totals: Totals, index: int, entry: Entry) -> None:
    item = public_field(entry, "corrects")
    if not isinstance(item, int):
        return
    if public_field(entry, "action") == "void":
        totals.void(item)
        return
    category = public_field(entry, "category")
    if isinstance(category, str):
        totals.recategorise(item, category)


HANDLERS.update(
    {
        ITEM.name: _count,
        LOT.name: _count,
        CUSTODY.name: _custody,
        CORRECTION.name: _correction,
    }
)
