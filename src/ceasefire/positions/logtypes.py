"""Log entry types of positions. While a position stands vacated and not yet taken over, its
entries are sealed (delayed disclosure: an empty position is targeting data) and opened by the
take-over."""

from __future__ import annotations

from ceasefire.ledger.policy import Disclosure, EntryType, Field, register

POSITION = register(
    EntryType(
        "positions.position/1",
        "A position recorded by the mission, with the party holding it.",
        (
            Field("code", "The mission's code of the position."),
            Field("name", "Its name."),
            Field("lat", "Latitude, integer microdegrees (WGS 84)."),
            Field("lon", "Longitude, integer microdegrees (WGS 84)."),
            Field("sector", "Code of the sector (a place), or null."),
            Field("party", "Code of the holding party."),
        ),
    )
)

STATUS = register(
    EntryType(
        "positions.status/1",
        "An event of a position's status timeline: held, vacated, taken over by the mission, or a "
        "verification visit with its finding. `status` is the status after the event. Sealed "
        "while the position stands vacated; opened when the mission takes it over.",
        (
            Field("position", "Code of the position."),
            Field("event", "held, vacated, taken_over or visit."),
            Field("status", "held, vacated, taken_over or reoccupied, after the event."),
            Field("occurred_at", "When, ISO 8601 UTC."),
            Field("unit", "The mission unit taking over or visiting, or empty."),
            Field("finding", "A visit's finding: remains_vacated, reoccupied, uxo_found."),
            Field("verified_by", "Who verified it.", Disclosure.SEALED, personal=True),
            Field("notes", "Free-text notes.", Disclosure.SEALED),
        ),
    )
)

CONFIRMATION = register(
    EntryType(
        "positions.confirmation/1",
        "A liaison of the holding party confirms a withdrawal recorded by the mission.",
        (
            Field("position", "Code of the position."),
            Field("entry", "Index of the positions.status/1 entry of the withdrawal."),
            Field("party", "Code of the confirming party."),
            Field("confirmed_at", "When, ISO 8601 UTC."),
            Field("liaison", "The confirming liaison.", Disclosure.SEALED, personal=True),
        ),
    )
)

LAYER = register(
    EntryType(
        "positions.layer/1",
        "A map layer drawn by the mission (sectors, line of contact, corridor) was saved. "
        "`sha256` is the SHA-256 (hex) of its GeoJSON as compact JSON with sorted keys, so a copy "
        "shown later can be checked.",
        (
            Field("code", "The layer's code."),
            Field("kind", "sectors, line_of_contact, corridor or other."),
            Field("name", "The layer's name."),
            Field("sha256", "SHA-256 of the GeoJSON (compact, sorted keys), hex."),
        ),
    )
)
