"""Log entry types of incidents. Evidence enters as a sealed commitment of its SHA-256: a bare
hash would let anyone holding a leaked photo confirm that the mission has it."""

from __future__ import annotations

from ceasefire.ledger.policy import Disclosure, EntryType, Field, register

REPORT = register(
    EntryType(
        "incidents.report/1",
        "An incident or alleged violation as first reported to the mission.",
        (
            Field("incident", "The mission's number of the incident."),
            Field("occurred_at", "When, ISO 8601 UTC."),
            Field(
                "kind",
                "small_arms_fire, shelling, movement_restriction, convoy_obstruction, "
                "mine_uxo or other.",
            ),
            Field("lat", "Latitude, integer microdegrees."),
            Field("lon", "Longitude, integer microdegrees."),
            Field("place", "Code of the nearest recorded place, or null."),
            Field("alleged_party", "Code of the party alleged responsible, or null."),
            Field("description", "What was reported.", Disclosure.SEALED),
            Field("source", "Who reported it.", Disclosure.SEALED, personal=True),
        ),
    )
)

VERIFICATION = register(
    EntryType(
        "incidents.verification/1",
        "A step of an incident's verification: under_verification, confirmed, not_confirmed or "
        "duplicate (of `duplicate_of`).",
        (
            Field("incident", "The mission's number of the incident."),
            Field("status", "The verification status from now on."),
            Field("duplicate_of", "For a duplicate: the number of the incident it repeats."),
            Field("changed_at", "When, ISO 8601 UTC."),
            Field("note", "The reason.", Disclosure.SEALED),
        ),
    )
)

EVIDENCE = register(
    EntryType(
        "incidents.evidence/1",
        "A photo or document attached to an incident. `sha256` is sealed: its opening, given to a "
        "court or an inquiry, proves the file shown then is the file recorded now.",
        (
            Field("incident", "The mission's number of the incident."),
            Field("kind", "photo or document."),
            Field("added_at", "When, ISO 8601 UTC."),
            Field("sha256", "SHA-256 of the file, hex.", Disclosure.SEALED),
        ),
    )
)
