"""Log entry types of containers, seals and destruction. Items' own custody goes into the
registry's `registry.custody/1` entries (one per item); these are the containers' events and the
headers of batches, which list the leaf hashes of their items' custody entries. Every person
(officers, witnesses) is sealed."""

from __future__ import annotations

from ceasefire.ledger.policy import Disclosure, EntryType, Field, register

SEALED = Disclosure.SEALED


def _witnesses() -> Field:
    return Field("witnesses", "Witnesses, with the party of each.", SEALED, personal=True)


def _officer() -> Field:
    return Field("recorded_by", "The storage officer.", SEALED, personal=True)


CONTAINER = register(
    EntryType(
        "stores.container/1",
        "A storage container taken into use at a collection point or storage centre.",
        (
            Field("container", "The container number."),
            Field("place", "The code of its place."),
            Field("created_at", "When, ISO 8601 UTC."),
            _officer(),
        ),
    )
)

PLACEMENT = register(
    EntryType(
        "stores.placement/1",
        "Items placed into a container; `items` lists the leaf hashes (base64) of their "
        "`registry.custody/1` entries (event `stored`).",
        (
            Field("container", "The container number."),
            Field("items", "Leaf hashes (base64) of the items' custody entries."),
            Field("placed_at", "When, ISO 8601 UTC."),
            _officer(),
        ),
    )
)

SEAL = register(
    EntryType(
        "stores.seal/1",
        "A numbered seal applied to or broken on a container; `items` lists the log indexes of "
        "the entries of the items in the container then.",
        (
            Field("container", "The container number."),
            Field("seal", "The seal number."),
            Field("action", "`applied` or `broken`."),
            Field("at", "When, ISO 8601 UTC."),
            Field("items", "Log indexes of the entries of the items sealed in."),
            Field("reason", "Why it was broken.", SEALED),
            _witnesses(),
            _officer(),
        ),
    )
)

MOVE = register(
    EntryType(
        "stores.container_move/1",
        "A container moved with everything in it: the header after one `registry.custody/1` "
        "entry (event `transported`) per item, listing their leaf hashes.",
        (
            Field("container", "The container number."),
            Field("origin", "The code of the place it left."),
            Field("destination", "The code of the place it reached."),
            Field("moved_at", "When, ISO 8601 UTC."),
            Field("items", "Leaf hashes (base64) of the items' custody entries."),
            _officer(),
        ),
    )
)

COUNT = register(
    EntryType(
        "stores.count/1",
        "A container's contents counted and its seal checked. A difference raises an incident "
        "(`incident`).",
        (
            Field("container", "The container number."),
            Field("counted_at", "When, ISO 8601 UTC."),
            Field("expected", "Items the records put in it."),
            Field("counted", "Items counted, or null for a seal check alone."),
            Field("seal_expected", "The number of the seal the records put on it."),
            Field("seal_found", "The seal number found."),
            Field("seal_intact", "Whether the seal was found intact."),
            Field("incident", "The number of the incident raised, or null."),
            _officer(),
        ),
    )
)

DESTRUCTION = register(
    EntryType(
        "stores.destruction/1",
        "A destruction event: the header after one `registry.custody/1` entry (event "
        "`destroyed`, counted as destroyed in the totals) per item, listing their leaf hashes.",
        (
            Field("certificate", "The destruction certificate number."),
            Field("date", "The day, ISO 8601."),
            Field("place", "The code of the place."),
            Field("method", "cutting, crushing, melting or detonation."),
            Field("items", "Leaf hashes (base64) of the items' custody entries."),
            Field("media", "SHA-256 (hex) of each photo and video.", SEALED),
            Field("occurred_at", "When, ISO 8601 UTC.", SEALED),
            _witnesses(),
            _officer(),
        ),
    )
)
