"""The log's own entry types."""

from __future__ import annotations

from ceasefire.ledger.policy import Disclosure, EntryType, Field, register

POLICY = register(
    EntryType(
        "ledger.policy/1",
        "The disclosure policy from this entry on: for each entry type and field, whether it is "
        "public, sealed or withheld. Fields: `version` (1, 2, ...) and `rules`.",
        structural=True,
    )
)

OPENING = register(
    EntryType(
        "ledger.opening/1",
        "Opens a sealed field of an earlier entry, when its delayed disclosure ends (a convoy "
        "arrived, a position was taken over). Fields: `entry` (index), `field`, `value`, `secret` "
        "(base64); HMAC-SHA-256(secret, canonical JSON of value) equals the entry's commitment.",
        structural=True,
    )
)

TEST = register(
    EntryType(
        "ledger.test/1",
        "An entry for exercising the log in tests and benchmarks; never written by the product.",
        (
            Field("category", "A category counted in the public totals."),
            Field("quantity", "A whole number."),
            Field("note", "Free text, sealed.", Disclosure.SEALED),
            Field("witness", "A person's name.", Disclosure.SEALED, personal=True),
        ),
    )
)

PUBLISHED = register(
    EntryType(
        "reports.published/1",
        "Published figures. `kind` says what (`totals`: the public totals), `size` is the log "
        "size they were computed at (the entries before this one), `figures` the figures, "
        "`published_at` the time, so anyone can recompute them from the entries.",
        (
            Field("kind", "What is published: `totals` or `daily_report`."),
            Field("size", "The number of log entries the figures were computed from."),
            Field("figures", "The figures, as the kind defines them."),
            Field("published_at", "When, ISO 8601 UTC."),
            Field("cutoff", "For a daily report: the cut-off time, ISO 8601."),
        ),
    )
)
