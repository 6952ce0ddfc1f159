"""Log entry types of convoys and corridor crossings. Everything about a convoy written before
it arrives or turns back is sealed (delayed disclosure: a convoy on the road is targeting data)
and opened when it closes."""

from __future__ import annotations

from ceasefire.ledger.policy import Disclosure, EntryType, Field, register

CONVOY_FIELD = Field("convoy", "The convoy's reference.")

LINE = register(
    EntryType(
        "convoys.line/1",
        "One manifest line of a convoy: the quantity dispatched, in whole units.",
        (
            CONVOY_FIELD,
            Field("item", "What is carried."),
            Field("unit", "kg, l, kit or piece."),
            Field("quantity", "Quantity dispatched, in the unit."),
        ),
    )
)

CONVOY = register(
    EntryType(
        "convoys.convoy/1",
        "A humanitarian convoy: its route through the corridor's checkpoints, and `lines`, the "
        "leaf hashes (base64) of its convoys.line/1 entries.",
        (
            CONVOY_FIELD,
            Field("organisation", "The humanitarian organisation."),
            Field("origin", "Code of the place of origin."),
            Field("destination", "Code of the destination."),
            Field("route", "Codes of the checkpoints, in order."),
            Field("vehicles", "Number of vehicles."),
            Field("planned_departure", "ISO 8601 UTC."),
            Field("lines", "Leaf hashes of the manifest lines."),
        ),
    )
)

NOTIFICATION = register(
    EntryType(
        "convoys.notification/1",
        "Advance notification of a convoy to a party. `short_notice` is true when it was sent "
        "less than 48 hours before the planned departure.",
        (
            CONVOY_FIELD,
            Field("party", "Code of the party notified."),
            Field("sent_at", "ISO 8601 UTC."),
            Field("short_notice", "Sent less than 48 hours before departure."),
        ),
    )
)

ACKNOWLEDGEMENT = register(
    EntryType(
        "convoys.acknowledgement/1",
        "A party acknowledges a convoy's notification. `short_notice` is true when that was less "
        "than 48 hours before the planned departure.",
        (
            CONVOY_FIELD,
            Field("party", "Code of the party."),
            Field("acknowledged_at", "ISO 8601 UTC."),
            Field("short_notice", "Acknowledged less than 48 hours before departure."),
            Field("liaison", "The acknowledging liaison.", Disclosure.SEALED, personal=True),
        ),
    )
)

EVENT = register(
    EntryType(
        "convoys.event/1",
        "A convoy's departure or a movement at a checkpoint: departed, passed, inspected, held "
        "(with reason and minutes) or turned_back.",
        (
            CONVOY_FIELD,
            Field("event", "departed, passed, inspected, held or turned_back."),
            Field("checkpoint", "Code of the checkpoint, or null for the departure."),
            Field("occurred_at", "ISO 8601 UTC."),
            Field("reason", "Why it was held or turned back."),
            Field("held_minutes", "How long it was held, in minutes, or null."),
            Field("notes", "Free-text notes.", Disclosure.SEALED),
        ),
    )
)

RECEIPT = register(
    EntryType(
        "convoys.receipt/1",
        "What arrived of one manifest line, in its unit.",
        (
            CONVOY_FIELD,
            Field("item", "What was carried."),
            Field("unit", "kg, l, kit or piece."),
            Field("dispatched", "Quantity dispatched."),
            Field("good", "Quantity received in good condition."),
            Field("damaged", "Quantity received damaged."),
        ),
    )
)

ARRIVAL = register(
    EntryType(
        "convoys.arrival/1",
        "A convoy arrived. `receipts`: leaf hashes (base64) of its convoys.receipt/1 entries.",
        (
            CONVOY_FIELD,
            Field("arrived_at", "ISO 8601 UTC."),
            Field("receipts", "Leaf hashes of the receipts."),
        ),
    )
)

LOSS = register(
    EntryType(
        "convoys.loss/1",
        "A loss report for one manifest line of a convoy.",
        (
            CONVOY_FIELD,
            Field("item", "What was lost."),
            Field("unit", "kg, l, kit or piece."),
            Field("quantity", "Quantity lost, in the unit."),
            Field("reason", "What happened."),
            Field("reported_at", "ISO 8601 UTC."),
        ),
    )
)

CROSSING = register(
    EntryType(
        "convoys.crossing/1",
        "People and vehicles crossing a corridor checkpoint in one direction on one day, by "
        "broad group. Aggregates only, never a person.",
        (
            Field("checkpoint", "Code of the checkpoint."),
            Field("day", "The day, YYYY-MM-DD."),
            Field("direction", "inbound or outbound."),
            Field("men", "Men, 18 to 59."),
            Field("women", "Women, 18 to 59."),
            Field("children", "Children under 18."),
            Field("elderly", "People of 60 and over."),
            Field("disabled", "Of all these, persons with disabilities."),
            Field("vehicles", "Vehicles."),
        ),
    )
)
