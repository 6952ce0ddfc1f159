"""Log entry types of declared holdings. A declaration's category and quantity are public (the
point of declaring); its unit and location are sealed (they locate armed forces), and so are the
serials. Estimates are sealed whole but for party and category: they are the mission's
intelligence until it decides to open them."""

from __future__ import annotations

from ceasefire.ledger.policy import Disclosure, EntryType, Field, register

SEALED = Disclosure.SEALED

DECLARATION = register(
    EntryType(
        "holdings.declaration/1",
        "One version of a party's declaration of a unit's holdings of one category at one "
        "location. An amendment is a new version naming the entry it supersedes.",
        (
            Field("holding", "The mission's number of the declared holding."),
            Field("version", "The version, from 1."),
            Field("supersedes", "The log index of the version it amends, or null."),
            Field("party", "The code of the declaring party."),
            Field("category", "The category (the registry's taxonomy)."),
            Field("quantity", "Weapons (one per piece) or lots declared."),
            Field("unit", "The declared unit.", SEALED),
            Field("location", "The code of the declared location.", SEALED),
            Field("serials", "Serial numbers, where declared item by item.", SEALED),
            Field("declared_at", "When, ISO 8601 UTC."),
            Field("declared_by", "The liaison who declared.", SEALED, personal=True),
        ),
    )
)

ESTIMATE = register(
    EntryType(
        "holdings.estimate/1",
        "An independent estimate of a party's holdings, recorded beside its declarations.",
        (
            Field("party", "The code of the party."),
            Field("category", "The category."),
            Field("unit", "The unit.", SEALED),
            Field("quantity", "Estimated weapons or lots.", SEALED),
            Field("estimated_at", "When, ISO 8601 UTC.", SEALED),
            Field("source", "Who made the estimate.", SEALED, personal=True),
        ),
    )
)
