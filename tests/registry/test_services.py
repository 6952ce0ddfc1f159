from __future__ import annotations

import base64
import json
import threading
from collections import Counter as Tally
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection, transaction
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ceasefire.accounts.models import Party, User
from ceasefire.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ceasefire.ledger import commands
from ceasefire.ledger import services as ledger
from ceasefire.ledger.models import LogEntry
from ceasefire.ledger.policy import ENTRY_TYPES, Disclosure
from ceasefire.ledger.totals import Totals
from ceasefire.registry import cosign, selectors, services
from ceasefire.registry.logtypes import DESTROYING_EVENTS
from ceasefire.registry.models import (
    Correction,
    Cosignature,
    CustodyEvent,
    Item,
    ItemCount,
    ItemCountMark,
    Receipt,
)
from tests.registry import factories

pytestmark = pytest.mark.django_db


def body(entry: LogEntry | int) -> dict[str, Any]:
    if isinstance(entry, int):
        entry = LogEntry.objects.get(index=entry)
    loaded: dict[str, Any] = json.loads(bytes(entry.body))
    return loaded


def log_size() -> int:
    return LogEntry.objects.count()


def log_totals() -> dict[str, Any]:
    totals = Totals()
    for entry in LogEntry.objects.order_by("index"):
        totals.add(entry.index, body(entry))
    return totals.figures()


@pytest.fixture
def north(cast: dict[str, User]) -> Party:
    return Party.objects.get(code="north")


@pytest.fixture
def officer(cast: dict[str, User]) -> User:
    return cast["field"]


class TestReceiptCreate:
    def test_it_appends_one_entry_per_line_then_the_header_listing_them(
        self, north: Party, officer: User
    ) -> None:
        receipt = factories.receipt(north, officer)
        items = list(receipt.items.order_by("line"))
        assert [body(i.entry_id)["type"] for i in items] == [
            "registry.item/1",
            "registry.item/1",
            "registry.lot/1",
        ]
        assert [i.entry_id for i in items] == [
            receipt.entry_id - 3,
            receipt.entry_id - 2,
            receipt.entry_id - 1,
        ]
        header = body(receipt.entry_id)
        assert header["type"] == "registry.handover/1"
        assert header["fields"]["items"] == [
            base64.b64encode(bytes(i.entry.leaf_hash)).decode() for i in items
        ]
        assert header["fields"]["party"] == "north"

    def test_each_item_gets_a_mission_id_and_the_reference_spelling(
        self, north: Party, officer: User
    ) -> None:
        receipt = factories.receipt(
            north, officer, [factories.weapon(make="kalashnikov", model="akm"), factories.lot()]
        )
        weapon, lot = receipt.items.order_by("line")
        assert (weapon.make, weapon.model, weapon.calibre) == ("Kalashnikov", "AKM", "7.62×39 mm")
        assert weapon.category == "assault_rifle" and weapon.reference is not None
        assert weapon.mission_id.startswith("W-") and lot.mission_id.startswith("L-")
        assert receipt.number.startswith("R-")

    def test_the_policy_shows_category_point_and_date_and_seals_the_rest(
        self, north: Party, officer: User
    ) -> None:
        receipt = factories.receipt(north, officer, [factories.weapon(serial="KX-7731")])
        item = receipt.items.get()
        entry = body(item.entry_id)
        assert set(entry["fields"]) == {
            "mission_id",
            "receipt",
            "category",
            "collection_point",
            "date",
            "unlisted",
        }
        assert {"serial", "make", "model"} <= set(entry["sealed"])
        header = body(receipt.entry_id)
        assert {"witnesses", "received_by", "handed_over_by"} <= set(header["sealed"])
        raw = bytes(item.entry.body).decode() + bytes(receipt.entry.body).decode()
        for secret in ["KX-7731", "Kalashnikov", "Orla Pettersen", "Rurik Senn", '"field"']:
            assert secret not in raw

    def test_every_field_naming_a_person_is_personal_and_never_public(self) -> None:
        people = {"handed_over_by", "received_by", "witnesses", "recorded_by", "author", "liaison"}
        for name, entry_type in ENTRY_TYPES.items():
            if not name.startswith("registry."):
                continue
            for declared in entry_type.fields:
                if declared.name in people:
                    assert declared.personal, f"{name}.{declared.name}"
                    assert declared.disclosure is not Disclosure.PUBLIC

    def test_a_sealed_serial_opens_to_what_was_recorded(self, north: Party, officer: User) -> None:
        item = factories.receipt(north, officer, [factories.weapon(serial="ZZ 9")]).items.get()
        assert ledger.opening_for(item.entry_id, "serial").value == "ZZ 9"

    def test_bad_lines_are_all_reported_and_nothing_is_written(
        self, north: Party, officer: User
    ) -> None:
        size = log_size()
        lines = [
            factories.weapon(),
            factories.weapon(condition="shiny"),
            factories.weapon(make="Acme", model="Blaster", category="rifle"),
            factories.lot(quantity=0),
            factories.lot(category="assault_rifle"),
        ]
        with pytest.raises(ValidationFailed) as caught:
            factories.receipt(north, officer, lines)
        assert set(caught.value.fields) == {
            "lines.1.condition",
            "lines.2.model",
            "lines.3.quantity",
            "lines.4.category",
        }
        assert "not in the reference table" in caught.value.fields["lines.2.model"][0]
        assert "3 more problems" in caught.value.message
        assert log_size() == size and not Receipt.objects.exists() and not Item.objects.exists()

    def test_an_unlisted_weapon_is_accepted_when_flagged(self, north: Party, officer: User) -> None:
        line = factories.weapon(make="Acme", model="Blaster", category="rifle", unlisted=True)
        item = factories.receipt(north, officer, [line]).items.get()
        assert item.unlisted and item.reference is None
        assert body(item.entry_id)["fields"]["unlisted"] is True

    def test_a_category_that_contradicts_the_reference_is_refused(
        self, north: Party, officer: User
    ) -> None:
        with pytest.raises(ValidationFailed, match="lists the AKM as Assault rifles"):
            factories.receipt(north, officer, [factories.weapon(category="pistol")])

    def test_header_problems_are_reported_by_field(self, north: Party, officer: User) -> None:
        with pytest.raises(ValidationFailed) as caught:
            factories.receipt(
                north,
                officer,
                received_at=timezone.now() + timedelta(days=1),
                unit=" ",
                witnesses=(),
                lines=[],
            )
        assert set(caught.value.fields) == {"received_at", "unit", "witnesses", "lines"}

    def test_a_place_that_is_not_a_collection_point_is_refused(
        self, north: Party, officer: User
    ) -> None:
        from ceasefire.places import services as places
        from ceasefire.places.models import Place

        village = places.place_create(
            code="velmar",
            kind=Place.Kind.SETTLEMENT,
            names=[places.NameForm(language="en", name="Velmar", neutral=True)],
        )
        with pytest.raises(ValidationFailed, match="not a collection point"):
            factories.receipt(north, officer, collection_point=village)

    def test_photos_are_stored_and_enter_the_log_as_sealed_hashes(
        self, north: Party, officer: User
    ) -> None:
        import hashlib

        from django.core.files.uploadedfile import SimpleUploadedFile

        from ceasefire.registry.models import Photo

        line = replace(factories.weapon(), photos=(SimpleUploadedFile("w.jpg", b"weapon"),))
        receipt = services.receipt_create(
            user=officer,
            header=factories.header(north, officer),
            lines=[line],
            photos=[SimpleUploadedFile("h.jpg", b"handover")],
        )
        item = receipt.items.get()
        digests = {
            name: hashlib.sha256(name.encode()).hexdigest() for name in ["weapon", "handover"]
        }
        assert {(p.item_id, p.sha256) for p in Photo.objects.all()} == {
            (item.pk, digests["weapon"]),
            (None, digests["handover"]),
        }
        assert "photos" in body(item.entry_id)["sealed"]
        assert ledger.opening_for(item.entry_id, "photos").value == [digests["weapon"]]
        assert ledger.opening_for(receipt.entry_id, "photos").value == [digests["handover"]]


class TestDuplicateSerials:
    def test_a_serial_already_handed_over_is_refused_naming_the_earlier_receipt(
        self, north: Party, officer: User
    ) -> None:
        first = factories.receipt(north, officer, [factories.weapon(serial="AB-1234")])
        size = log_size()
        with pytest.raises(Conflict) as caught:
            factories.receipt(north, officer, [factories.weapon(serial="ab 1234")])
        assert first.number in caught.value.message
        assert first.items.get().mission_id in caught.value.message
        assert caught.value.fields.keys() == {"lines.0.serial"}
        assert log_size() == size and Receipt.objects.count() == 1

    def test_the_same_serial_of_another_make_is_accepted(self, north: Party, officer: User) -> None:
        factories.receipt(north, officer, [factories.weapon(serial="777")])
        factories.receipt(
            north, officer, [factories.weapon(make="Dragunov", model="SVD", serial="777")]
        )
        assert Item.objects.filter(serial_key="777").count() == 2

    def test_a_serial_repeated_within_a_receipt_names_the_earlier_line(
        self, north: Party, officer: User
    ) -> None:
        with pytest.raises(ValidationFailed, match="also on line 1"):
            factories.receipt(
                north, officer, [factories.weapon(serial="55"), factories.weapon(serial="55")]
            )

    def test_a_voided_items_serial_can_be_recorded_again(self, north: Party, officer: User) -> None:
        item = factories.receipt(north, officer, [factories.weapon(serial="V1")]).items.get()
        services.item_void(user=officer, item=item, reason="Entered on the wrong receipt.")
        factories.receipt(north, officer, [factories.weapon(serial="V1")])

    def test_a_corrected_serial_is_the_one_that_counts(self, north: Party, officer: User) -> None:
        item = factories.receipt(north, officer, [factories.weapon(serial="C1")]).items.get()
        services.item_correct(
            user=officer, item=item, changes={"serial": "C2"}, reason="Misread digit."
        )
        factories.receipt(north, officer, [factories.weapon(serial="C1")])
        with pytest.raises(Conflict, match="C2"):
            factories.receipt(north, officer, [factories.weapon(serial="C2")])


class TestCorrections:
    def test_a_correction_is_its_own_record_and_entry_and_the_totals_apply_it(
        self, north: Party, officer: User
    ) -> None:
        item = factories.receipt(
            north,
            officer,
            [factories.weapon(make="Acme", model="X", category="rifle", unlisted=True)],
        ).items.get()
        correction = services.item_correct(
            user=officer, item=item, changes={"category": "pistol"}, reason="It is a pistol."
        )
        item.refresh_from_db()
        assert item.category == "rifle"  # as first recorded
        assert selectors.effective(item)["category"] == "pistol"
        entry = body(correction.entry_id)
        assert entry["fields"] == {
            "corrects": item.entry_id,
            "mission_id": item.mission_id,
            "action": "correct",
            "category": "pistol",
        }
        assert {"changes", "reason", "author"} == set(entry["sealed"])
        assert selectors.totals()["by_category"] == {"pistol": {"surrendered": 1, "destroyed": 0}}
        assert log_totals() == selectors.totals()

    def test_a_new_reference_model_brings_its_category(self, north: Party, officer: User) -> None:
        item = factories.receipt(north, officer, [factories.weapon()]).items.get()
        services.item_correct(
            user=officer, item=item, changes={"model": "AKS-74U"}, reason="Short barrel."
        )
        values = selectors.effective(item)
        assert (values["category"], values["calibre"]) == ("submachine_gun", "5.45×39 mm")

    def test_a_void_removes_the_item_from_every_total(self, north: Party, officer: User) -> None:
        receipt = factories.receipt(north, officer)
        services.item_void(user=officer, item=receipt.items.first(), reason="Double entry.")  # type: ignore[arg-type]
        assert selectors.totals()["total"] == {"surrendered": 2, "destroyed": 0}
        assert log_totals() == selectors.totals()

    @pytest.mark.parametrize(
        ("changes", "reason", "message"),
        [
            ({"condition": "serviceable"}, "Same.", "Nothing would change"),
            ({"condition": "unsafe"}, "  ", "Give the reason"),
            ({"condition": "melted"}, "Typo.", "Unknown condition"),
            ({"quantity": 3}, "Typo.", "cannot be corrected"),
        ],
    )
    def test_bad_corrections_are_refused_and_write_nothing(
        self, north: Party, officer: User, changes: dict[str, Any], reason: str, message: str
    ) -> None:
        item = factories.receipt(north, officer, [factories.weapon()]).items.get()
        size = log_size()
        with pytest.raises(ValidationFailed, match=message):
            services.item_correct(user=officer, item=item, changes=changes, reason=reason)
        assert log_size() == size and not Correction.objects.exists()

    def test_a_voided_item_can_be_neither_corrected_nor_voided_again(
        self, north: Party, officer: User
    ) -> None:
        item = factories.receipt(north, officer, [factories.weapon()]).items.get()
        services.item_void(user=officer, item=item, reason="Error.")
        with pytest.raises(Conflict):
            services.item_void(user=officer, item=item, reason="Again.")
        with pytest.raises(Conflict):
            services.item_correct(
                user=officer, item=item, changes={"condition": "unsafe"}, reason="x"
            )


class TestCustody:
    def record(
        self, item: Item, user: User, kind: str, hours_ago: float, **extra: Any
    ) -> CustodyEvent:
        return services.custody_record(
            user=user,
            item=item,
            kind=kind,
            occurred_at=timezone.now() - timedelta(hours=hours_ago),
            **extra,
        )

    def test_events_follow_in_order_and_the_last_is_the_state(
        self, north: Party, officer: User
    ) -> None:
        item = factories.receipt(north, officer, [factories.weapon()]).items.get()
        self.record(item, officer, "transported", 1.5)
        self.record(item, officer, "stored", 1, location="Store B, shelf 4")
        assert selectors.item_list(officer).get(pk=item.pk).state == "stored"
        with pytest.raises(ValidationFailed, match="recorded in order"):
            self.record(item, officer, "inspected", 1.2)

    def test_nothing_follows_destruction_and_it_counts_as_destroyed(
        self, north: Party, officer: User
    ) -> None:
        item = factories.receipt(north, officer, [factories.weapon()]).items.get()
        event = self.record(
            item, officer, "destroyed", 1, method="Cut in three", witnesses=["Ines Marr"]
        )
        assert body(event.entry_id)["fields"] == {
            "item": item.entry_id,
            "mission_id": item.mission_id,
            "event": "destroyed",
            "date": timezone.localtime(event.occurred_at).date().isoformat(),
        }
        with pytest.raises(Conflict, match="no custody event can follow"):
            self.record(item, officer, "inspected", 0.5)
        assert selectors.totals()["total"] == {"surrendered": 1, "destroyed": 1}
        assert log_totals() == selectors.totals()

    @pytest.mark.parametrize(
        ("kind", "hours_ago", "extra", "field"),
        [
            ("destroyed", 1, {}, "method"),
            ("lost", 1, {}, "notes"),
            ("stored", 1, {}, "location"),
            ("inspected", 5, {}, "occurred_at"),  # before the handover
            ("buried", 1, {}, "kind"),
        ],
    )
    def test_incomplete_events_are_refused_and_write_nothing(
        self,
        north: Party,
        officer: User,
        kind: str,
        hours_ago: float,
        extra: dict[str, Any],
        field: str,
    ) -> None:
        item = factories.receipt(north, officer, [factories.weapon()]).items.get()
        size = log_size()
        with pytest.raises(ValidationFailed) as caught:
            self.record(item, officer, kind, hours_ago, **extra)
        assert field in caught.value.fields
        assert log_size() == size and not CustodyEvent.objects.exists()


class TestCosigning:
    def enrol(self, liaison: User) -> Ed25519PrivateKey:
        private = Ed25519PrivateKey.generate()
        services.key_enrol(user=liaison, public_key=cosign.public_bytes(private), label="laptop")
        return private

    def test_key_enrolment_is_logged_with_its_fingerprint(self, cast: dict[str, User]) -> None:
        private = self.enrol(cast["liaison_north"])
        public = cosign.public_bytes(private)
        key = cast["liaison_north"].liaison_keys.get()
        entry = body(key.entry_id)
        assert entry["fields"] == {
            "party": "north",
            "fingerprint": cosign.fingerprint(public),
            "public_key": base64.b64encode(public).decode(),
        }
        assert set(entry["sealed"]) == {"liaison"}

    def test_only_a_liaison_may_enrol(self, cast: dict[str, User]) -> None:
        with pytest.raises(PermissionDenied):
            services.key_enrol(user=cast["field"], public_key=b"\x01" * 32)

    def test_a_valid_signature_over_the_header_is_logged_and_verifies(
        self, north: Party, officer: User, cast: dict[str, User]
    ) -> None:
        receipt = factories.receipt(north, officer)
        liaison = cast["liaison_north"]
        private = self.enrol(liaison)
        signature = private.sign(bytes(receipt.entry.body))
        fingerprint = cosign.fingerprint(cosign.public_bytes(private))
        added = services.cosignature_add(
            user=liaison, entry_index=receipt.entry_id, fingerprint=fingerprint, signature=signature
        )
        assert body(added.entry_id)["fields"] == {
            "entry": receipt.entry_id,
            "fingerprint": fingerprint,
            "signature": base64.b64encode(signature).decode(),
        }
        [shown] = selectors.cosignatures(receipt.entry_id)
        assert shown.verifies and shown.cosignature.key.user == liaison
        with pytest.raises(Conflict):
            services.cosignature_add(
                user=liaison,
                entry_index=receipt.entry_id,
                fingerprint=fingerprint,
                signature=signature,
            )

    def test_a_signature_over_other_bytes_is_refused_and_nothing_is_logged(
        self, north: Party, officer: User, cast: dict[str, User]
    ) -> None:
        receipt = factories.receipt(north, officer)
        private = self.enrol(cast["liaison_north"])
        size = log_size()
        with pytest.raises(ValidationFailed, match="does not verify"):
            services.cosignature_add(
                user=cast["liaison_north"],
                entry_index=receipt.entry_id,
                fingerprint=cosign.fingerprint(cosign.public_bytes(private)),
                signature=private.sign(b"something else"),
            )
        assert log_size() == size and not Cosignature.objects.exists()

    def test_another_partys_liaison_cannot_cosign(
        self, north: Party, officer: User, cast: dict[str, User]
    ) -> None:
        receipt = factories.receipt(north, officer)
        private = self.enrol(cast["liaison_south"])
        with pytest.raises(NotFound):
            services.cosignature_add(
                user=cast["liaison_south"],
                entry_index=receipt.entry_id,
                fingerprint=cosign.fingerprint(cosign.public_bytes(private)),
                signature=private.sign(bytes(receipt.entry.body)),
            )

    def test_an_unenrolled_key_is_refused(
        self, north: Party, officer: User, cast: dict[str, User]
    ) -> None:
        receipt = factories.receipt(north, officer)
        private = Ed25519PrivateKey.generate()
        with pytest.raises(ValidationFailed, match="enrol the key first"):
            services.cosignature_add(
                user=cast["liaison_north"],
                entry_index=receipt.entry_id,
                fingerprint=cosign.fingerprint(cosign.public_bytes(private)),
                signature=private.sign(bytes(receipt.entry.body)),
            )

    def test_a_correction_of_the_partys_item_can_be_cosigned(
        self, north: Party, officer: User, cast: dict[str, User]
    ) -> None:
        item = factories.receipt(north, officer, [factories.weapon()]).items.get()
        correction = services.item_correct(
            user=officer, item=item, changes={"condition": "unsafe"}, reason="Cracked bolt."
        )
        private = self.enrol(cast["liaison_north"])
        services.cosignature_add(
            user=cast["liaison_north"],
            entry_index=correction.entry_id,
            fingerprint=cosign.fingerprint(cosign.public_bytes(private)),
            signature=private.sign(bytes(correction.entry.body)),
        )
        assert selectors.cosignatures(correction.entry_id)[0].verifies

    def test_the_openings_shown_to_the_liaison_match_the_commitments(
        self, north: Party, officer: User
    ) -> None:
        from ceasefire.ledger import sealing

        receipt = factories.receipt(north, officer)
        openings = selectors.receipt_openings(receipt)
        fields = {(o.index, o.field) for o in openings}
        assert (receipt.entry_id, "witnesses") in fields
        assert (receipt.items.first().entry_id, "serial") in fields  # type: ignore[union-attr]
        for shown in openings:
            opening = sealing.Opening(
                shown.index,
                shown.field,
                json.loads(shown.value_json),
                base64.b64decode(shown.secret),
            )
            sealing.check_opening(opening, bytes(LogEntry.objects.get(index=shown.index).body))


class TestPublishedTotals:
    def test_published_totals_verify_from_an_exported_log(
        self,
        north: Party,
        officer: User,
        cast: dict[str, User],
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        south = Party.objects.get(code="south")
        first = factories.receipt(north, officer)
        second = factories.receipt(
            south,
            officer,
            [
                factories.weapon(make="Bazalt", model="RPG-7"),
                factories.weapon(make="Kolomna KBM", model="9K38 Igla"),
            ],
        )
        items = list(first.items.order_by("line")) + list(second.items.order_by("line"))
        services.item_correct(
            user=officer, item=items[0], changes={"model": "AKS-74U"}, reason="Short barrel."
        )
        services.item_void(user=officer, item=items[1], reason="Double entry.")
        services.custody_record(
            user=officer,
            item=items[3],
            kind="destroyed",
            occurred_at=timezone.now(),
            method="Crushed",
            witnesses=["Ines Marr"],
        )
        services.custody_record(
            user=officer,
            item=items[2],
            kind="deactivated",
            occurred_at=timezone.now(),
            method="Welded",
            witnesses=["Ines Marr"],
        )
        published = ledger.publish_totals()
        figures = body(published)["fields"]["figures"]
        assert figures == selectors.totals()
        assert figures["total"] == {"surrendered": 4, "destroyed": 2}
        assert figures["by_category"]["submachine_gun"]["surrendered"] == 1
        ledger.publish_checkpoint()
        assert commands.export(tmp_path / "export") == 0
        assert commands.verify(str(tmp_path / "export"), None, None, []) == 0
        assert "1 published totals recomputed and equal" in capsys.readouterr().out


def counted() -> dict[tuple[int, str, str], int]:
    return {(c.party_id, c.unit, c.category): c.items for c in ItemCount.objects.all()}


def counted_independently() -> dict[tuple[int, str, str], int]:
    """Every item by its receipt's party and unit and its category as recorded, one by one."""
    tally: Tally[tuple[int, str, str]] = Tally()
    for item in Item.objects.select_related("receipt"):
        tally[(item.receipt.party_id, item.receipt.unit, item.category)] += 1
    return dict(tally)


def totals_item_by_item() -> dict[str, Any]:
    """The totals as `selectors.totals` computed them before the item counts: every item."""
    destroying = CustodyEvent.objects.filter(kind__in=DESTROYING_EVENTS)
    destroyed_ids = set(destroying.values_list("item_id", flat=True))
    surrendered: Tally[str] = Tally()
    destroyed: Tally[str] = Tally()
    for item in selectors.items_annotated().filter(voided=False):
        surrendered[item.current_category] += 1
        if item.pk in destroyed_ids:
            destroyed[item.current_category] += 1
    return {
        "by_category": {
            category: {"surrendered": surrendered[category], "destroyed": destroyed[category]}
            for category in sorted(surrendered)
        },
        "total": {"surrendered": sum(surrendered.values()), "destroyed": sum(destroyed.values())},
    }


class TestItemCountSync:
    def destroy(self, item: Item, officer: User, kind: str = "destroyed") -> None:
        services.custody_record(
            user=officer,
            item=item,
            kind=kind,
            occurred_at=timezone.now(),
            method="Cut by torch",
            witnesses=["Ines Marr"],
        )

    def test_the_counts_and_totals_agree_with_every_item_after_corrections_and_destructions(
        self, north: Party, officer: User
    ) -> None:
        south = Party.objects.get(code="south")
        acme = {"make": "Acme", "model": "X", "category": "pistol", "unlisted": True}
        first = factories.receipt(north, officer)
        second = factories.receipt(
            south, officer, [factories.weapon(**acme), factories.weapon()], unit="Border Guard"
        )
        factories.receipt(south, officer, [factories.lot()], unit="Border  guard")
        rifle, machine_gun, _lot = first.items.order_by("line")
        pistol, south_rifle = second.items.order_by("line")
        self.destroy(machine_gun, officer, kind="deactivated")
        self.destroy(machine_gun, officer)  # deactivated, then destroyed: destroyed once
        self.destroy(pistol, officer)
        # The only pistol becomes a rifle, then a machine gun: "pistol" leaves the totals.
        for category in ("rifle", "light_machine_gun"):
            services.item_correct(
                user=officer, item=pistol, changes={"category": category}, reason="Recount."
            )
        services.item_void(user=officer, item=rifle, reason="Double entry.")
        self.destroy(south_rifle, officer)
        services.item_void(user=officer, item=south_rifle, reason="Not handed over.")
        assert counted() == counted_independently()
        totals = selectors.totals()
        assert totals == totals_item_by_item() == log_totals()
        assert "pistol" not in totals["by_category"]
        assert totals["total"] == {"surrendered": 4, "destroyed": 2}
        assert totals["by_category"]["light_machine_gun"] == {"surrendered": 2, "destroyed": 2}

    def test_a_rolled_back_handover_leaves_them_right(self, north: Party, officer: User) -> None:
        factories.receipt(north, officer)
        with pytest.raises(RuntimeError), transaction.atomic():
            factories.receipt(north, officer, unit="Ghost Company")
            raise RuntimeError("rolled back after writing")
        assert counted() == counted_independently()
        # SQLite gives the next items the ids the rolled-back ones had.
        factories.receipt(north, officer, unit="Ghost Company")
        assert counted() == counted_independently()
        assert ItemCountMark.objects.get().last_item == Item.objects.aggregate(Max("pk"))["pk__max"]
        assert selectors.totals() == totals_item_by_item()

    def test_with_nothing_new_it_reads_once_and_writes_nothing(
        self, north: Party, officer: User
    ) -> None:
        factories.receipt(north, officer)
        with CaptureQueriesContext(connection) as sync:
            assert services.item_count_sync() == 0
        assert len(sync) == 1 and sync[0]["sql"].startswith("SELECT")
        with CaptureQueriesContext(connection) as reading:
            selectors.totals()
        assert all(query["sql"].startswith("SELECT") for query in reading)

    def test_items_written_before_the_counts_existed_are_counted_on_reading(
        self, north: Party, officer: User
    ) -> None:
        south = Party.objects.get(code="south")
        factories.receipt(north, officer)
        factories.receipt(south, officer, unit="Border Guard")
        expected = counted_independently()
        # As right after the migration that added the counts.
        ItemCount.objects.all().delete()
        ItemCountMark.objects.all().delete()
        assert selectors.totals() == totals_item_by_item()
        assert counted() == expected
        assert services.item_count_sync() == 0
        # The next handover counts its own items only.
        factories.receipt(north, officer)
        assert counted() == counted_independently()


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database locks whole tables instead of queueing writers",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_handovers_and_syncs_count_every_item_once(cast: dict[str, User]) -> None:
    # An earlier test of the same kind may have flushed the tables the migrations seeded.
    services.reference_seed()
    north, officer = Party.objects.get(code="north"), cast["field"]
    factories.collection_point()
    factories.receipt(north, officer)
    # Uncounted, as after the migration: readers and writers race to count them.
    ItemCount.objects.all().delete()
    ItemCountMark.objects.all().delete()
    start = threading.Barrier(6)
    failures: list[BaseException] = []

    def write(unit: str) -> None:
        try:
            start.wait()
            for _n in range(3):
                factories.receipt(north, officer, unit=unit)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    def read() -> None:
        try:
            start.wait()
            for _n in range(10):
                services.item_count_sync()
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(f"Unit {n}",)) for n in range(3)]
    threads += [threading.Thread(target=read) for _n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    services.item_count_sync()
    assert counted() == counted_independently()
    assert sum(counted().values()) == Item.objects.count() == 30
