"""Nothing personal is readable outside the people registry's encrypted columns and files: not in
a full dump of the database, not in the uploads, not in the log, not in task arguments."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from ceasefire.accounts.models import User
from ceasefire.demo import DEMO_SEED, DemoContext
from ceasefire.people import services
from ceasefire.people.demo import DEMO_PEOPLE, demo_identities, demo_people
from ceasefire.people.models import Person
from tests import factories as common
from tests.registry import factories as registry

pytestmark = pytest.mark.django_db


def database_dump() -> bytes:
    """Every row of every model, every row of every table, and the database file if any."""
    parts: list[str] = []
    for model in apps.get_models(include_auto_created=True):
        parts.extend(repr(row) for row in model._base_manager.values_list())
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            parts.extend(repr(row) for row in cursor.fetchall())
    dump = "\n".join(parts).encode()
    name = str(connection.settings_dict["NAME"])
    for path in (Path(name), Path(name + "-wal")):
        if connection.vendor == "sqlite" and path.is_file():
            dump += path.read_bytes()
    return dump


def uploads() -> bytes:
    files = [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
    return b"".join(path.read_bytes() for path in files)


@pytest.fixture
def demo(cast: dict[str, User]) -> DemoContext:
    north, south = common.party("north"), common.party("south")
    for party in (north, south):
        registry.receipt(party, cast["field"])
    context = DemoContext(
        rng=random.Random(DEMO_SEED),
        parties={"north": north, "south": south},
        users={"field": cast["field"], "protection": cast["protection"]},
    )
    demo_people(context)
    # Certificates are rendered by a task; render a few, which print names and photos.
    for person in context.extra["people"][:3]:
        services.certificate_issue(person_id=person.pk)
    return context


def test_a_database_dump_and_the_uploads_hold_no_demo_name_birth_date_or_photo(
    demo: DemoContext, cast: dict[str, User]
) -> None:
    # The demo registered its people, which protection officers see...
    assert Person.objects.count() == DEMO_PEOPLE >= 100
    assert Person.objects.filter(receipts__isnull=False).distinct().count() >= 100
    assert Person.objects.filter(applications__decision__isnull=False).exists()
    assert Person.objects.filter(status=Person.Status.ERASED).count() == 1
    revealed = services.person_reveal(
        user=cast["protection"], person=demo.extra["people"][0], purpose="check"
    )
    name, born = demo_identities(random.Random(DEMO_SEED))[0]
    assert (revealed.fields["name"], revealed.fields["birth_date"]) == (name, born.isoformat())
    assert revealed.photo is not None
    # ...and nobody else: not in a dump, not in the uploads.
    dump = database_dump().lower()
    assert str(demo.extra["people"][0].reference).lower().encode() in dump  # the dump sees text
    stored = uploads()
    for name, born in demo_identities(random.Random(DEMO_SEED)):
        for needle in (name, name.split()[-1], born.isoformat()):
            assert needle.encode().lower() not in dump, f"{needle!r} is in the database dump"
            assert needle.encode() not in stored, f"{needle!r} is in the uploads"
    photos = demo.extra["people_photos"]
    assert photos and stored
    for photo in photos:
        assert photo not in stored
    # Neither the re-encoded photos nor the certificates are stored in clear.
    assert b"\x89PNG" not in stored and b"%PDF" not in stored
