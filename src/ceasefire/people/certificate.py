"""The demobilization certificate: a printable PDF (WeasyPrint, the registry's print style) with a
QR code of the registration's public `/verify/<index>` page, and the openings of its commitments,
with which the holder can later prove the registration without the mission's help."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string

from ceasefire.ledger import selectors as ledger_selectors
from ceasefire.people.models import Person
from ceasefire.registry import printing


def render(person: Person, fields: dict[str, str], openings: list[dict[str, Any]]) -> bytes:
    assert person.entry is not None  # certificates are made once the batch is in the log
    url = ledger_selectors.verify_url(person.entry)
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
