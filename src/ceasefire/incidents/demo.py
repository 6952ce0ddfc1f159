"""Demo incidents near the line of contact over the past two weeks: ten in each verification
status, a few with evidence files."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

from ceasefire.incidents import services
from ceasefire.incidents.models import Incident, Verification
from ceasefire.positions.demo import LINE_OF_CONTACT, day_at, line_latitude

if TYPE_CHECKING:
    from ceasefire.demo import DemoContext

PER_STATUS = 10
Kind = Incident.Kind

# kind -> (description, whether a party is alleged)
STORIES: dict[str, tuple[str, bool]] = {
    Kind.SMALL_ARMS_FIRE: ("Bursts of small-arms fire heard for minutes across the line.", True),
    Kind.SHELLING: ("Two mortar rounds landed in open ground near the line of contact.", True),
    Kind.MOVEMENT_RESTRICTION: ("A mission patrol was turned away at a roadblock.", True),
    Kind.CONVOY_OBSTRUCTION: ("Trucks of a humanitarian convoy were kept waiting.", True),
    Kind.MINE_UXO: ("An unexploded mortar round found beside a farm track.", False),
    Kind.OTHER: ("Drone seen flying low over a vacated position.", False),
}
SOURCES = [
    "Mission patrol, Team Alpha",
    "Mission patrol, Team Bravo",
    "Complaint by the northern liaison",
    "Complaint by the southern liaison",
    "Village council of Arden",
    "Shepherd near Korsa",
]
# The smallest valid PNG (1x1, grey), as evidence a demo photo.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg=="
)

# The steps that lead to each status, from reported.
PATHS: dict[str, list[str]] = {
    Verification.REPORTED: [],
    Verification.UNDER_VERIFICATION: [Verification.UNDER_VERIFICATION],
    Verification.CONFIRMED: [Verification.UNDER_VERIFICATION, Verification.CONFIRMED],
    Verification.NOT_CONFIRMED: [Verification.UNDER_VERIFICATION, Verification.NOT_CONFIRMED],
    Verification.DUPLICATE: [Verification.DUPLICATE],
}


def demo_incidents(context: DemoContext) -> None:
    rng = context.rng
    field, analyst = context.users["field"], context.users["analyst"]
    west, east = LINE_OF_CONTACT[0][0], LINE_OF_CONTACT[-1][0]
    confirmed: list[Incident] = []
    for status, steps in PATHS.items():
        for _ in range(PER_STATUS):
            # A duplicate is a second report of a confirmed incident, from another source.
            original = rng.choice(confirmed) if status == Verification.DUPLICATE else None
            kind = original.kind if original else rng.choice(list(STORIES))
            description, alleged = STORIES[kind]
            if original:
                lon, lat = original.lon_microdeg, original.lat_microdeg
            else:
                lon = rng.randint(west + 10_000, east - 10_000)
                lat = line_latitude(lon) + rng.randint(-15_000, 15_000)
            incident = services.incident_report(
                occurred_at=(
                    original.occurred_at
                    if original
                    else day_at(rng.randint(1, 14), rng.randint(0, 23), rng.randrange(60))
                ),
                kind=kind,
                description=description,
                source=rng.choice(SOURCES),
                lat_microdeg=lat,
                lon_microdeg=lon,
                alleged_party=(
                    original.alleged_party
                    if original
                    else context.parties[rng.choice(["north", "south"])]
                    if alleged
                    else None
                ),
                by=field,
            )
            for step in steps:
                services.incident_verify(
                    incident=incident,
                    status=step,
                    note="Checked on the ground by a mission patrol.",
                    duplicate_of=original,
                    by=analyst,
                )
            if status == Verification.CONFIRMED:
                confirmed.append(incident)
    for incident in confirmed[:3]:
        services.evidence_add(
            incident=incident, upload=io.BytesIO(PNG), original_name="photo.png", by=field
        )
