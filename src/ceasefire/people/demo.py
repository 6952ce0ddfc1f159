"""The demo's people: 120 invented fighters of both parties who handed over arms, linked to the
demo's handover receipts of their party, some with photos, amnesty applications and decisions;
the day's batch is appended to the log, and one record is erased."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ceasefire.people import services
from ceasefire.people.models import AmnestyDecision, Person, Screening
from ceasefire.people.services import PersonIn
from ceasefire.registry.models import Receipt

if TYPE_CHECKING:
    import random

    from ceasefire.demo import DemoContext

DEMO_PEOPLE = 120
# Invented names: no real person is meant.
GIVEN_NAMES = [
    "Arvan", "Besarion", "Corvel", "Davit", "Elmir", "Faruz", "Gorven", "Hayk", "Ilgar", "Jovan",
    "Kerim", "Levor", "Marun", "Nodir", "Oktay", "Pavel", "Ruslan", "Sarkis", "Tamaz", "Vusal",
    "Anoush", "Leyra", "Marin", "Nareh",
]  # fmt: skip
FAMILY_NAMES = [
    "Karvelian", "Dostrovan", "Merkalov", "Tashvili", "Orbelyan", "Zangurov", "Velikhanli",
    "Sarnoyan", "Budrakov", "Aslanzade", "Hovrikyan", "Kemalov", "Lordiyan", "Mazurev",
    "Nazarli", "Petrosov", "Qasimyan", "Ruzgarov",
]  # fmt: skip
PLACES = ["Keshin valley", "Upper Dalar", "Norvan", "Tarsel", "Ashen ridge", "Mirvali"]
UNITS = ["1st Rifle Company", "2nd Mortar Platoon", "3rd Rifle Company", "Border Battalion"]
RANKS = ["Private", "Corporal", "Sergeant", "Lieutenant"]
SCREENING = [Screening.ELIGIBLE] * 7 + [
    Screening.PENDING,
    Screening.REFERRED,
    Screening.NOT_ELIGIBLE,
]


def demo_identities(rng: random.Random) -> list[tuple[str, date]]:
    """The demo people's names and dates of birth (tests look for them in a database dump)."""
    pairs = [(given, family) for given in GIVEN_NAMES for family in FAMILY_NAMES]
    chosen = rng.sample(pairs, DEMO_PEOPLE)
    return [
        (f"{given} {family}", date(1965, 1, 1) + timedelta(days=rng.randrange(40 * 365)))
        for given, family in chosen
    ]


def demo_photo(rng: random.Random) -> bytes:
    """A small portrait-sized image of random pixels."""
    image = Image.new("RGB", (24, 32))
    image.putdata(
        [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(768)]
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def demo_people(context: DemoContext) -> None:
    rng = context.rng
    field, protection = context.users["field"], context.users["protection"]
    parties = [context.parties["north"], context.parties["south"]]
    receipts = {
        party.pk: list(Receipt.objects.filter(party=party).order_by("pk")) for party in parties
    }
    people: list[Person] = []
    photos: list[bytes] = []
    for number, (name, born) in enumerate(demo_identities(rng)):
        party = parties[number % 2]
        own = receipts[party.pk]
        photo = demo_photo(rng) if number % 4 == 0 else None
        if photo is not None:
            photos.append(photo)
        people.append(
            services.person_register(
                user=field,
                person=PersonIn(
                    name=name,
                    birth_date=born,
                    party=party,
                    other_names=rng.choice(["", "", f"{name.split()[0][:3]}o"]),
                    origin=rng.choice(PLACES),
                    unit=rng.choice(UNITS),
                    rank=rng.choice(RANKS),
                    contact=f"+000 555 {rng.randrange(10000):04d}",
                    screening=rng.choice(SCREENING),
                ),
                receipts=[own[number // 2 % len(own)]] if own else [],
                photo=SimpleUploadedFile("photo.png", photo) if photo is not None else None,
            )
        )
    for person in people[::3]:
        application = services.amnesty_apply(
            user=field,
            person=person,
            applied_on=person.registered_on,
            statement="I handed over my weapon and ask for amnesty under the agreement.",
        )
        if rng.random() < 0.7:
            services.amnesty_decide(
                user=protection,
                application=application,
                outcome=rng.choice([AmnestyDecision.Outcome.GRANTED] * 4 + ["refused"]),
                grounds="Article 4 of the ceasefire agreement: no charges pending.",
            )
    services.batch_publish()
    services.person_erase(
        person_id=people[-1].pk, reason="Demo: the person asked for the record to be erased."
    )
    context.extra["people"] = people
    context.extra["people_photos"] = photos
