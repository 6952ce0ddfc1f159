"""Every role sees exactly what it may: a table of roles x fields, checked on the pages and the
API, and every reveal lands in the access log."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from ceasefire.accounts.models import User
from ceasefire.audit.models import AuditEvent
from ceasefire.people.models import Person
from tests import factories as common
from tests.people import factories
from tests.scoping import assert_party_scoped

pytestmark = pytest.mark.django_db

NAME, BORN, RANK = "Anahit Serobyan", date(1990, 5, 6), "Sergeant-major"

# What each role sees of a north person registered by `field`: the pseudonymous fields
# (reference, party, screening), the personal ones (name, date of birth, rank) only after a
# reveal, which only protection officers may make. `None`: the record is out of reach (404 or
# refused).
PSEUDONYMOUS, PERSONAL, NOTHING = "pseudonymous", "personal", None
SEES: dict[str, str | None] = {
    "field": PSEUDONYMOUS,  # registered it
    "analyst": PSEUDONYMOUS,
    "protection": PERSONAL,
    "liaison_north": PSEUDONYMOUS,
    "liaison_south": NOTHING,  # another party's
    "storage": NOTHING,
    "admin": NOTHING,
    "outsider": NOTHING,
    "public": NOTHING,
}


@pytest.fixture
def person(cast: dict[str, User]) -> Person:
    return factories.person(
        cast["field"], common.party("north"), name=NAME, birth_date=BORN, rank=RANK
    )


def shown(client: Client, person: Person) -> tuple[str, str]:
    """What a client gets on the record's page and its reveal (page and API), as text."""
    page = client.get(f"/people/{person.pk}/")
    api = client.get(f"/api/people/{person.pk}")
    revealed = client.post(f"/people/{person.pk}/reveal", {"purpose": "Hearing 12"})
    api_revealed = client.post(
        f"/api/people/{person.pk}/reveal",
        json.dumps({"purpose": "Hearing 12"}),
        content_type="application/json",
    )
    visible = [r for r in (page, api) if r.status_code == 200]
    personal = [r for r in (revealed, api_revealed) if r.status_code == 200]
    return (
        " ".join(r.content.decode() for r in visible),
        " ".join(r.content.decode() for r in personal),
    )


@pytest.mark.parametrize("role", SEES)
def test_each_role_sees_exactly_its_fields(
    role: str, person: Person, client_as: Callable[[str], Client]
) -> None:
    record, personal = shown(client_as(role), person)
    expected = SEES[role]
    pseudonymous = [str(person.reference), "north"]
    personal_values = [NAME, BORN.isoformat(), RANK]
    for value in pseudonymous:
        assert (value in record) == (expected is not NOTHING), (role, value)
    for value in personal_values:
        assert value not in record, (role, value)
        assert (value in personal) == (expected == PERSONAL), (role, value)
    reveals = AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL, object_id=str(person.pk))
    assert reveals.count() == (2 if expected == PERSONAL else 0)


def test_a_reveal_page_records_who_when_which_record_and_why(
    person: Person, client_as: Callable[[str], Client], cast: dict[str, User]
) -> None:
    response = client_as("protection").post(
        f"/people/{person.pk}/reveal", {"purpose": "Amnesty hearing 12"}
    )
    assert NAME in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.REVEAL)
    assert (event.user, event.object_id, event.purpose) == (
        cast["protection"],
        str(person.pk),
        "Amnesty hearing 12",
    )
    assert event.at is not None


def test_a_reveal_without_a_purpose_shows_nothing(
    person: Person, client_as: Callable[[str], Client]
) -> None:
    response = client_as("protection").post(f"/people/{person.pk}/reveal", {"purpose": ""})
    assert response.status_code == 200
    assert NAME not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).exists()


def test_another_partys_liaison_gets_the_same_404_as_for_no_record(
    person: Person, client_as: Callable[[str], Client]
) -> None:
    # Pages carry a fresh CSRF token each time: only the API's answers compare byte for byte.
    assert_party_scoped(client_as, f"/people/{person.pk}/")
    assert_party_scoped(client_as, f"/api/people/{person.pk}", missing_url="/api/people/999999")


def test_a_field_officer_registers_through_the_form_and_nothing_personal_is_in_the_answer(
    client_as: Callable[[str], Client],
) -> None:
    common.party("north")
    response = client_as("field").post(
        "/people/new",
        {
            "name": NAME,
            "birth_date": BORN.isoformat(),
            "party": common.party("north").pk,
            "screening": "eligible",
            "photo": factories.photo(),
        },
        follow=True,
    )
    assert response.status_code == 200
    person = Person.objects.get()
    assert str(person.reference) in response.content.decode()
    assert NAME not in response.content.decode()


def test_bad_input_on_the_form_is_shown_and_writes_nothing(
    client_as: Callable[[str], Client],
) -> None:
    response = client_as("field").post(
        "/people/new",
        {
            "name": NAME,
            "birth_date": "2999-01-01",
            "party": common.party("north").pk,
            "screening": "eligible",
            "receipts": "R-NOPE",
        },
    )
    assert response.status_code == 200
    assert "No receipt R-NOPE" in response.content.decode()
    assert not Person.objects.exists()


def test_the_search_finds_a_person_without_putting_the_name_in_a_url(
    person: Person, client_as: Callable[[str], Client]
) -> None:
    response = client_as("field").post(
        "/people/search", {"name": "serobyan anahit", "birth_date": BORN.isoformat()}
    )
    assert str(person.reference) in response.content.decode()


def test_a_protection_officer_erases_a_record_from_the_web(
    person: Person, client_as: Callable[[str], Client]
) -> None:
    response = client_as("protection").post(
        f"/people/{person.pk}/erase", {"reason": "The person asked."}, follow=True
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.erased


def test_counts_for_a_liaison_are_of_their_own_party(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    factories.person(cast["field"], common.party("north"))
    factories.person(cast["field"], common.party("south"))
    counts = client_as("liaison_south").get("/api/people/counts").json()
    assert counts["total"] == 1 and counts["by_party"] == {"south": 1}
    assert client_as("analyst").get("/api/people/counts").json()["total"] == 2


def test_the_list_shows_each_amnesty_status_in_queries_that_do_not_grow_with_the_page(
    client_as: Callable[[str], Client], cast: dict[str, User]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ceasefire.people import selectors, services

    def register(count: int) -> list[Person]:
        return [factories.person(cast["field"], common.party("north")) for _ in range(count)]

    applied, granted, refused, never, denied_then_applied = register(5)
    protection = cast["protection"]
    for who in (applied, granted, refused, denied_then_applied):
        services.amnesty_apply(
            user=protection, person=who, applied_on=date(2026, 1, 5), statement="Laid down arms."
        )
    for who, outcome in (
        (granted, "granted"),
        (refused, "refused"),
        (denied_then_applied, "refused"),
    ):
        services.amnesty_decide(
            user=protection,
            application=who.applications.get(),
            outcome=outcome,
            grounds="Checked.",
        )
    services.amnesty_apply(
        user=protection,
        person=denied_then_applied,
        applied_on=date(2026, 2, 5),
        statement="Again.",
    )
    listed = {p.pk: selectors.amnesty_status(p) for p in selectors.people_for_user(protection)}
    assert listed == {
        applied.pk: "applied",
        granted.pk: "granted",
        refused.pk: "refused",
        never.pk: "none",
        denied_then_applied.pk: "applied",
    }
    # The same answers as one person's own record gives.
    assert all(
        selectors.amnesty_status(Person.objects.get(pk=pk)) == status
        for pk, status in listed.items()
    )
    client = client_as("analyst")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/people/").status_code == 200
    register(6)
    with CaptureQueriesContext(connection) as more:
        assert client.get("/people/").status_code == 200
    assert len(more.captured_queries) == len(few.captured_queries)
