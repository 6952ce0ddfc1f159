"""The demobilization certificate: a printable PDF (WeasyPrint, the registry's print style) with a
QR code of the registration's public `/verify/<index>` page, and the openings of its commitments,
with which the holder can later prove the registration without the mission's help."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from ceasefire.ledger import keys, note
from ceasefire.people.models import Person
from ceasefire.registry import printing


def verify_url(person: Person) -> str:
    """The entry's page, with its leaf hash and the mission key's fingerprint after `#`, so a
    reader checks that the page speaks of this very entry, signed by this very key."""
    assert person.entry is not None
    leaf = base64.urlsafe_b64encode(bytes(person.entry.leaf_hash)).rstrip(b"=").decode()
    fingerprint = note.key_fingerprint(keys.verifier_key())
    path = reverse("ledger:entry", kwargs={"index": person.entry_id})
    return f"{settings.SITE_URL}{path}#{leaf}.{fingerprint}"


def render(person: Person, fields: dict[str, str], openings: list[dict[str, Any]]) -> bytes:
    url = verify_url(person)
    html = render_to_string(
        "people/certificate.html",
        {
            "person": person,
            "fields": fields,
            "openings": [
                {**opening, "secret": base64.b64encode(bytes(opening["secret"])).decode()}
                for opening in openings
            ],
            "verify_url": url,
            "qr_svg": segno.make(url, error="m").svg_data_uri(scale=3),
            "mission_name": settings.MISSION_NAME,
        },
    )
    return printing.pdf(html, settings.SITE_URL + "/")
