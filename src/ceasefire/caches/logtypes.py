"""Log entry types of arms caches. A cache's location goes into its own entry
(`caches.location/1`) appended under delayed disclosure (release key `cache:<id>`): its fields
are sealed until the cache is cleared, when their openings are published. No other entry names
where a cache is."""

from __future__ import annotations

from ceasefire.ledger.policy import Disclosure, EntryType, Field, register

SEALED = Disclosure.SEALED

CACHE = register(
    EntryType(
        "caches.cache/1",
        "An arms cache reported by a party or found by the mission (its location apart).",
        (
            Field("cache", "The cache number."),
            Field("origin", "`reported` or `found`."),
            Field("party", "The code of the party it belongs to, or null."),
            Field("reported_at", "When, ISO 8601 UTC."),
            Field("description", "What was reported.", SEALED),
            Field("recorded_by", "The officer who recorded it.", SEALED, personal=True),
        ),
    )
)

LOCATION = register(
    EntryType(
        "caches.location/1",
        "Where a cache is. Appended under delayed disclosure: sealed until the cache is "
        "cleared, then opened (`ledger.opening/1`).",
        (
            Field("cache", "The cache number."),
            Field("lat", "Latitude, integer microdegrees."),
            Field("lon", "Longitude, integer microdegrees."),
        ),
    )
)

VISIT = register(
    EntryType(
        "caches.visit/1",
        "A verification visit to a cache.",
        (
            Field("cache", "The cache number."),
            Field("visited_at", "When, ISO 8601 UTC."),
            Field("findings", "What was found.", SEALED),
            Field("visited_by", "The officer.", SEALED, personal=True),
        ),
    )
)

FIND = register(
    EntryType(
        "caches.find/1",
        "Contents found in a cache, entered on receipt `receipt` with custody starting at the "
        "cache, then destroyed on site or extracted into a container; `items` lists the leaf "
        "hashes of the items' last custody entries.",
        (
            Field("cache", "The cache number."),
            Field("receipt", "The receipt number the contents were entered on."),
            Field("disposition", "`destroyed_on_site` or `extracted`."),
            Field("container", "The container number, when extracted."),
            Field("items", "Leaf hashes (base64) of the items' custody entries."),
            Field("method", "Method of destruction on site.", SEALED),
            Field("witnesses", "Witnesses.", SEALED, personal=True),
        ),
    )
)

STATUS = register(
    EntryType(
        "caches.status/1",
        "A cache cleared; the openings of its location follow this entry.",
        (
            Field("cache", "The cache number."),
            Field("status", "`cleared`."),
            Field("at", "When, ISO 8601 UTC."),
        ),
    )
)
