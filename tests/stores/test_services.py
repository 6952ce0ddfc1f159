from __future__ import annotations

import json

import pytest

from ceasefire.accounts.models import Party, User
from ceasefire.core.errors import Conflict, PermissionDenied, ValidationFailed
from ceasefire.incidents.models import Incident
from ceasefire.ledger.models import LogEntry
from ceasefire.ledger.services import publish_totals
from ceasefire.registry.models import CustodyEvent
from ceasefire.registry.selectors import items_annotated
from ceasefire.stores import services
from ceasefire.stores.models import Container, Placement, Seal
from ceasefire.stores.services import Witness
from tests.stores import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def north(cast: dict[str, User]) -> Party:
    return Party.objects.get(code="north")


def sealed(cast: dict[str, User], north: Party, count: int = 2) -> Container:
    container = factories.container(cast["storage"], factories.items(north, cast["field"], count))
    services.seal_apply(
        user=cast["storage"],
        container=container,
        number=f"S-{container.pk}",
        witnesses=factories.witnesses(north),
    )
    return container


class TestPlacement:
    def test_each_item_gets_a_stored_custody_event_naming_the_container(
        self, cast: dict[str, User], north: Party
    ) -> None:
        container = factories.container(cast["storage"], factories.items(north, cast["field"]))
        events = CustodyEvent.objects.filter(kind="stored")
        assert events.count() == 2
        assert {e.location for e in events} == {f"container {container.number}"}

    def test_an_item_is_in_one_container_at_a_time(
        self, cast: dict[str, User], north: Party
    ) -> None:
        items = factories.items(north, cast["field"])
        factories.container(cast["storage"], items)
        other = factories.container(cast["storage"], [])
        with pytest.raises(Conflict, match="already in container"):
            services.container_items_add(user=cast["storage"], container=other, items=items[:1])


class TestSeals:
    def test_breaking_a_seal_without_the_right_role_is_refused(
        self, cast: dict[str, User], north: Party
    ) -> None:
        container = sealed(cast, north)
        for name in ("field", "analyst", "liaison_north", "admin"):
            with pytest.raises(PermissionDenied):
                services.seal_break(
                    user=cast[name],
                    container=container,
                    witnesses=factories.witnesses(north),
                    reason="Inspection",
                )
        assert services.intact_seal(container) is not None

    def test_a_seal_needs_a_witness_of_each_party_concerned(
        self, cast: dict[str, User], north: Party
    ) -> None:
        container = factories.container(cast["storage"], factories.items(north, cast["field"]))
        entries = LogEntry.objects.count()
        with pytest.raises(ValidationFailed, match="none from north"):
            services.seal_apply(
                user=cast["storage"],
                container=container,
                number="S-1",
                witnesses=[Witness("mission", "Ines Arkady")],
            )
        assert not Seal.objects.exists() and LogEntry.objects.count() == entries

    def test_the_seal_entry_seals_every_witness(self, cast: dict[str, User], north: Party) -> None:
        container = sealed(cast, north)
        seal = Seal.objects.get(container=container)
        body = bytes(LogEntry.objects.get(index=seal.applied_entry_id).body)
        assert b"Witness of north" not in body
        assert "witnesses" in json.loads(body)["sealed"]


class TestMove:
    def test_moving_a_container_moves_exactly_its_items(
        self, cast: dict[str, User], north: Party
    ) -> None:
        inside = sealed(cast, north, count=3)
        outside = factories.items(north, cast["field"], 2)
        centre = factories.store("centre-east")
        move = services.container_move(user=cast["storage"], container=inside, destination=centre)
        moved = CustodyEvent.objects.filter(kind="transported")
        assert sorted(moved.values_list("item_id", flat=True)) == sorted(
            Placement.objects.filter(container=inside).values_list("item_id", flat=True)
        )
        assert not moved.filter(item__in=outside).exists()
        assert {event.place for event in moved} == {centre}
        header = json.loads(bytes(LogEntry.objects.get(index=move.entry_id).body))
        assert len(header["fields"]["items"]) == 3 == move.items
        inside.refresh_from_db()
        assert inside.place == centre

    def test_only_storage_officers_move_containers(
        self, cast: dict[str, User], north: Party
    ) -> None:
        container = sealed(cast, north)
        with pytest.raises(PermissionDenied):
            services.container_move(
                user=cast["field"], container=container, destination=factories.store("centre-x")
            )


class TestCount:
    def test_a_mismatched_count_raises_an_incident(
        self, cast: dict[str, User], north: Party
    ) -> None:
        container = sealed(cast, north, count=3)
        count = services.container_count(
            user=cast["storage"],
            container=container,
            counted=2,
            seal_found=f"S-{container.pk}",
            seal_intact=True,
        )
        assert count.incident is not None
        assert "Items counted: 2; in the records: 3." in count.incident.description

    def test_a_different_seal_number_raises_an_incident(
        self, cast: dict[str, User], north: Party
    ) -> None:
        container = sealed(cast, north)
        count = services.container_count(
            user=cast["field"], container=container, counted=2, seal_found="S-999", seal_intact=True
        )
        assert count.incident is not None

    def test_a_matching_count_raises_nothing(self, cast: dict[str, User], north: Party) -> None:
        container = sealed(cast, north)
        services.container_count(
            user=cast["storage"],
            container=container,
            counted=2,
            seal_found=f"S-{container.pk}",
            seal_intact=True,
        )
        assert not Incident.objects.exists()


class TestDestruction:
    def test_destroyed_items_count_as_destroyed_in_the_public_totals(
        self, cast: dict[str, User], north: Party
    ) -> None:
        container = sealed(cast, north, count=3)
        services.seal_break(
            user=cast["storage"],
            container=container,
            witnesses=factories.witnesses(north),
            reason="Destruction",
        )
        destruction = services.destruction_record(
            user=cast["storage"],
            container=container,
            place=factories.store("range-1", "storage_centre"),
            method="crushing",
            witnesses=factories.witnesses(north),
            media_hashes=["ab" * 32],
        )
        assert destruction.items.count() == 3
        assert services.contents(container) == []
        totals = json.loads(bytes(publish_totals().body))["fields"]["figures"]["total"]
        assert totals["destroyed"] == 3
        states = (
            items_annotated().filter(pk__in=destruction.items.all()).values_list("state", flat=True)
        )
        assert set(states) == {"destroyed"}
        header = bytes(LogEntry.objects.get(index=destruction.entry_id).body)
        assert b"ab" * 32 not in header

    def test_a_sealed_container_is_not_destroyed(self, cast: dict[str, User], north: Party) -> None:
        container = sealed(cast, north)
        entries = LogEntry.objects.count()
        with pytest.raises(Conflict, match="break its seal"):
            services.destruction_record(
                user=cast["storage"],
                container=container,
                place=factories.store("range-1"),
                method="cutting",
                witnesses=factories.witnesses(north),
            )
        assert LogEntry.objects.count() == entries

    def test_bad_input_gets_a_clear_message_and_writes_nothing(
        self, cast: dict[str, User], north: Party
    ) -> None:
        items = factories.items(north, cast["field"])
        entries = LogEntry.objects.count()
        for method, hashes, message in (
            ("boiling", [], "The method is one of"),
            ("melting", ["not-a-hash"], "SHA-256"),
        ):
            with pytest.raises(ValidationFailed, match=message):
                services.destruction_record(
                    user=cast["storage"],
                    items=items,
                    place=factories.store("range-1"),
                    method=method,
                    witnesses=factories.witnesses(north),
                    media_hashes=hashes,
                )
        assert LogEntry.objects.count() == entries
        assert not CustodyEvent.objects.exists()
