"""Factories for people tests: real records made through the services."""

from __future__ import annotations

import io
import itertools
import random
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ceasefire.accounts.models import Party, User
from ceasefire.people import services
from ceasefire.people.models import Person
from ceasefire.people.services import PersonIn
from ceasefire.registry.models import Receipt

_numbers = itertools.count(1)


def person_in(party: Party | None, **overrides: Any) -> PersonIn:
    number = next(_numbers)
    values: dict[str, Any] = {
        "name": f"Vardan Test{number}",
        "birth_date": date(1990, 1, 1 + number % 28),
        "party": party,
        "other_names": "Vardo",
        "origin": "Keshin valley",
        "unit": "3rd Rifle Company",
        "rank": "Sergeant",
        "contact": "+000 555 0100",
        "screening": "eligible",
        "screening_notes": "Adult, no known charges.",
    }
    return PersonIn(**(values | overrides))


def photo(seed: int = 1) -> SimpleUploadedFile:
    """A small PNG of random pixels: its bytes are unlike any other file's."""
    rng = random.Random(seed)
    image = Image.new("RGB", (16, 16))
    image.putdata(
        [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(256)]
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("face.png", out.getvalue(), content_type="image/png")


def person(
    user: User,
    party: Party,
    *,
    receipts: list[Receipt] | None = None,
    with_photo: bool = False,
    **overrides: Any,
) -> Person:
    return services.person_register(
        user=user,
        person=person_in(party, **overrides),
        receipts=receipts or [],
        photo=photo() if with_photo else None,
    )
