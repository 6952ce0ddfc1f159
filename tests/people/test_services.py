from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image

from ceasefire.accounts.models import User
from ceasefire.audit.models import AuditEvent
from ceasefire.core.errors import Conflict, NotFound, ValidationFailed
from ceasefire.ledger import commands, sealing
from ceasefire.ledger import services as ledger
from ceasefire.ledger.models import LogEntry, SealedField
from ceasefire.operations import erasure
from ceasefire.people import crypto, services
from ceasefire.people.models import (
    PERSONAL_FIELDS,
    AmnestyDecision,
    Erasure,
    PendingEntry,
    Person,
    PersonFile,
)
from tests import factories as common
from tests.people import factories
from tests.registry import factories as registry

pytestmark = pytest.mark.django_db


def body(entry: LogEntry) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(bytes(entry.body))
    return loaded


def stored_bytes() -> bytes:
    return b"".join(
        path.read_bytes() for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()
    )


def nothing_written() -> bool:
    return not (Person.objects.exists() or PendingEntry.objects.exists() or stored_bytes())


class TestRegister:
    def test_personal_fields_are_stored_only_encrypted(self, cast: dict[str, User]) -> None:
        person = factories.person(cast["field"], common.party("north"), name="Anahit Serobyan")
        row = Person.objects.filter(pk=person.pk).values_list().get()
        assert not any(b"Anahit" in bytes(v) for v in row if isinstance(v, bytes | memoryview))
        assert not any("Anahit" in str(value) for value in row)
        assert person.reference is not None and person.reference.startswith("P-")
        assert person.kek_id == crypto.keyring().current_id

    def test_a_registration_waits_for_the_daily_batch(self, cast: dict[str, User]) -> None:
        person = factories.person(cast["field"], common.party("north"))
        assert PendingEntry.objects.filter(person=person, decision=None).count() == 1
        assert person.entry is None
        assert not LogEntry.objects.filter(entry_type="people.registration/1").exists()

    def test_the_same_person_twice_is_refused_naming_the_earlier_record(
        self, cast: dict[str, User]
    ) -> None:
        first = factories.person(
            cast["field"],
            common.party("north"),
            name="Anahit Serobyan",
            birth_date=date(1990, 5, 6),
        )
        with pytest.raises(Conflict, match=str(first.reference)):
            factories.person(
                cast["field"],
                common.party("north"),
                name="serobyan  ANAHIT",
                birth_date=date(1990, 5, 6),
            )
        assert Person.objects.count() == 1

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"name": "  "}, "name"),
            ({"birth_date": None}, "birth_date"),
            ({"birth_date": date.today() + timedelta(days=2)}, "birth_date"),
            ({"party": None}, "party"),
            ({"screening": "maybe"}, "screening"),
            ({"rank": "x" * 101}, "rank"),
        ],
    )
    def test_bad_input_is_refused_clearly_and_writes_nothing(
        self, cast: dict[str, User], overrides: dict[str, Any], field: str
    ) -> None:
        data = factories.person_in(**({"party": common.party("north")} | overrides))
        with pytest.raises(ValidationFailed) as refused:
            services.person_register(user=cast["field"], person=data)
        assert field in refused.value.fields
        assert nothing_written()

    def test_a_receipt_of_another_party_is_refused(self, cast: dict[str, User]) -> None:
        receipt = registry.receipt(common.party("south"), cast["field"])
        with pytest.raises(ValidationFailed, match=receipt.number):
            factories.person(cast["field"], common.party("north"), receipts=[receipt])
        assert nothing_written()

    def test_a_file_that_is_not_a_photo_writes_nothing(self, cast: dict[str, User]) -> None:
        with pytest.raises(ValidationFailed):
            services.person_register(
                user=cast["field"],
                person=factories.person_in(common.party("north")),
                photo=SimpleUploadedFile("face.png", b"#!/bin/sh\necho hi\n"),
            )
        assert nothing_written()

    def test_the_photo_is_stored_encrypted_and_revealed_whole(self, cast: dict[str, User]) -> None:
        raw = factories.photo().read()
        person = factories.person(cast["field"], common.party("north"), with_photo=True)
        stored = stored_bytes()
        assert stored and raw not in stored and b"PNG" not in stored
        revealed = services.person_reveal(user=cast["protection"], person=person, purpose="test")
        assert revealed.photo is not None and revealed.photo[0] == "image/png"
        with Image.open(io.BytesIO(revealed.photo[1])) as image:
            assert image.size == (16, 16)

    def test_receipts_are_linked_and_more_can_be_added(self, cast: dict[str, User]) -> None:
        north = common.party("north")
        first, second = (registry.receipt(north, cast["field"]) for _ in range(2))
        person = factories.person(cast["field"], north, receipts=[first])
        services.person_add_receipts(user=cast["field"], person=person, receipts=[second])
        assert set(person.receipts.all()) == {first, second}


class TestReveal:
    def test_a_reveal_is_recorded_with_who_which_record_and_why(
        self, cast: dict[str, User]
    ) -> None:
        person = factories.person(cast["field"], common.party("north"), name="Anahit Serobyan")
        revealed = services.person_reveal(
            user=cast["protection"], person=person, purpose="Amnesty hearing 12"
        )
        assert revealed.fields["name"] == "Anahit Serobyan"
        assert set(revealed.fields) == set(PERSONAL_FIELDS)
        event = AuditEvent.objects.get(action=AuditEvent.Action.REVEAL)
        assert (event.user, event.object_id, event.purpose) == (
            cast["protection"],
            str(person.pk),
            "Amnesty hearing 12",
        )
        assert "name" in event.fields and "Anahit" not in json.dumps(event.fields)

    def test_a_reveal_without_a_purpose_is_refused_and_recorded_nowhere(
        self, cast: dict[str, User]
    ) -> None:
        person = factories.person(cast["field"], common.party("north"))
        with pytest.raises(ValidationFailed, match="State why"):
            services.person_reveal(user=cast["protection"], person=person, purpose="  ")
        assert not AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).exists()

    def test_a_search_finds_the_person_by_exact_name_and_birth_date(
        self, cast: dict[str, User]
    ) -> None:
        person = factories.person(
            cast["field"],
            common.party("north"),
            name="Anahit Serobyan",
            birth_date=date(1990, 5, 6),
        )
        found = services.person_find(name="ANAHIT serobyan", birth_date=date(1990, 5, 6))
        assert found == person
        assert services.person_find(name="Anahit Serobyan", birth_date=date(1990, 5, 7)) is None


def publish() -> list[LogEntry]:
    return services.batch_publish(before=timezone.now() + timedelta(seconds=1))


class TestBatch:
    def test_the_batch_appends_commitments_only_and_empties_the_queue(
        self, cast: dict[str, User]
    ) -> None:
        people = [factories.person(cast["field"], common.party("north")) for _ in range(3)]
        entries = publish()
        assert len(entries) == 3 and not PendingEntry.objects.exists()
        for entry in entries:
            logged = body(entry)
            assert logged["fields"] == {}
            assert set(logged["sealed"]) == {"reference", "name", "birth_date", "registered_on"}
            # The ledger keeps the secrets, never the personal values.
            assert not SealedField.objects.filter(entry=entry, value__isnull=False).exists()
        assert {p.pk for p in Person.objects.filter(entry__in=entries)} == {p.pk for p in people}

    def test_the_batch_is_appended_in_random_order(self, cast: dict[str, User]) -> None:
        orders = set()
        for _ in range(4):
            people = [factories.person(cast["field"], common.party("north")) for _ in range(6)]
            publish()
            by_entry = sorted(
                Person.objects.filter(pk__in=[p.pk for p in people]), key=lambda p: p.entry_id or 0
            )
            orders.add(tuple(p.pk - people[0].pk for p in by_entry))
        assert len(orders) > 1

    def test_what_is_queued_after_the_cut_off_waits_for_the_next_batch(
        self, cast: dict[str, User]
    ) -> None:
        factories.person(cast["field"], common.party("north"))
        assert services.batch_publish(before=timezone.now() - timedelta(hours=1)) == []
        assert PendingEntry.objects.count() == 1

    def test_a_registration_queues_the_batch_for_the_next_day(
        self, cast: dict[str, User], django_capture_on_commit_callbacks: Any
    ) -> None:
        services._batch_scheduled_for = None
        with django_capture_on_commit_callbacks(execute=True):
            factories.person(cast["field"], common.party("north"))
        task = DBTaskResult.objects.get(task_path__endswith="batch_publish_task")
        assert task.run_after is not None and task.run_after > timezone.now()


class TestAmnesty:
    def test_a_decision_is_its_own_record_and_goes_into_the_next_batch(
        self, cast: dict[str, User]
    ) -> None:
        person = factories.person(cast["field"], common.party("north"))
        application = services.amnesty_apply(
            user=cast["field"], person=person, applied_on=date.today(), statement="I ask."
        )
        decision = services.amnesty_decide(
            user=cast["protection"], application=application, outcome="granted", grounds="Art. 3"
        )
        assert b"Art. 3" not in bytes(AmnestyDecision.objects.get().grounds_enc)
        entries = publish()
        decision.refresh_from_db()
        assert decision.entry in entries
        assert set(body(decision.entry)["sealed"]) == {
            "reference",
            "decision",
            "decided_on",
            "decided_by",
        }
        revealed = services.person_reveal(user=cast["protection"], person=person, purpose="x")
        assert revealed.grounds == {decision.pk: "Art. 3"}
        assert revealed.statements == {application.pk: "I ask."}

    def test_an_application_is_decided_once(self, cast: dict[str, User]) -> None:
        person = factories.person(cast["field"], common.party("north"))
        application = services.amnesty_apply(
            user=cast["field"], person=person, applied_on=date.today(), statement="I ask."
        )
        services.amnesty_decide(
            user=cast["protection"], application=application, outcome="refused", grounds="No."
        )
        with pytest.raises(Conflict):
            services.amnesty_decide(
                user=cast["protection"], application=application, outcome="granted", grounds="Y"
            )

    def test_a_decision_without_grounds_is_refused_and_writes_nothing(
        self, cast: dict[str, User]
    ) -> None:
        person = factories.person(cast["field"], common.party("north"))
        application = services.amnesty_apply(
            user=cast["field"], person=person, applied_on=date.today(), statement="I ask."
        )
        with pytest.raises(ValidationFailed, match="required"):
            services.amnesty_decide(
                user=cast["protection"], application=application, outcome="granted", grounds=" "
            )
        assert not AmnestyDecision.objects.exists()
        assert PendingEntry.objects.count() == 1


class TestCertificate:
    def test_the_certificate_is_stored_encrypted_and_its_openings_prove_the_entry(
        self, cast: dict[str, User]
    ) -> None:
        person = factories.person(cast["field"], common.party("north"), name="Anahit Serobyan")
        publish()
        stored = services.certificate_issue(person_id=person.pk)
        assert stored is not None
        assert b"%PDF" not in stored_bytes()
        person.refresh_from_db()
        pdf = services.certificate_read(user=cast["protection"], person=person, purpose="print")
        assert pdf.startswith(b"%PDF")
        assert person.entry is not None
        openings = services._openings(
            person.entry.index, services.registration_values(person, services.data_key(person))
        )
        assert {o["field"] for o in openings} == {
            "reference",
            "name",
            "birth_date",
            "registered_on",
        }
        for o in openings:
            opening = sealing.Opening(o["index"], o["field"], o["value"], bytes(o["secret"]))
            sealing.check_opening(opening, bytes(person.entry.body))
        assert AuditEvent.objects.filter(purpose="print", fields=["certificate"]).exists()

    def test_no_certificate_before_the_registration_is_in_the_log(
        self, cast: dict[str, User]
    ) -> None:
        person = factories.person(cast["field"], common.party("north"))
        assert services.certificate_issue(person_id=person.pk) is None
        with pytest.raises(Conflict, match="once the registration is in the log"):
            services.certificate_read(user=cast["protection"], person=person, purpose="print")


class TestErase:
    def erased(self, cast: dict[str, User]) -> tuple[Person, Person]:
        """A person with a photo, a certificate and an amnesty decision in the log, erased; and
        the same row as it was before (what an older backup holds)."""
        person = factories.person(cast["field"], common.party("north"), with_photo=True)
        application = services.amnesty_apply(
            user=cast["field"], person=person, applied_on=date.today(), statement="I ask."
        )
        services.amnesty_decide(
            user=cast["protection"], application=application, outcome="granted", grounds="Art. 3"
        )
        publish()
        services.certificate_issue(person_id=person.pk)
        before = Person.objects.get(pk=person.pk)
        services.person_erase(person_id=person.pk, reason="The person asked.", user=None)
        return Person.objects.get(pk=person.pk), before

    def test_an_erased_record_cannot_be_decrypted_with_any_key_the_system_holds(
        self, cast: dict[str, User]
    ) -> None:
        person, before = self.erased(cast)
        assert person.erased and person.data_key is None and person.blind_index is None
        assert person.reference is None and not PersonFile.objects.exists()
        with pytest.raises(Conflict):
            services.data_key(person)
        for _kek_id, kek in crypto.keyring().keys:
            for name in PERSONAL_FIELDS:
                with pytest.raises(crypto.CryptoError):
                    crypto.decrypt(
                        kek,
                        bytes(getattr(person, f"{name}_enc")),
                        record=services.record_label(person),
                        field=name,
                    )
        entries = [before.entry_id, *AmnestyDecision.objects.values_list("entry_id", flat=True)]
        assert not SealedField.objects.filter(entry_id__in=entries, secret__isnull=False).exists()

    def test_the_erasure_is_logged_and_the_log_still_verifies(
        self, cast: dict[str, User], tmp_path: Path
    ) -> None:
        person, before = self.erased(cast)
        erasure = Erasure.objects.get(person=person)
        logged = body(erasure.entry)
        assert logged["fields"]["person"] == person.pk
        assert before.entry_id in logged["fields"]["entries"]
        assert set(logged["sealed"]) == {"reason"}
        ledger.publish_checkpoint()
        assert commands.export(tmp_path / "export") == 0
        assert commands.verify(str(tmp_path / "export"), None, None, []) == 0

    def test_counts_are_unchanged_by_an_erasure(self, cast: dict[str, User]) -> None:
        from ceasefire.people import selectors

        self.erased(cast)
        counts = selectors.counts(Person.objects.all())
        assert counts["total"] == 1 and counts["by_party"] == {"north": 1}
        assert counts["amnesty"]["granted"] == 1

    def test_restoring_an_older_backup_re_applies_the_logged_erasure(
        self, cast: dict[str, User]
    ) -> None:
        person, before = self.erased(cast)
        logged = Erasure.objects.get(person=person).entry
        # What a restore from a backup taken before the erasure brings back.
        Erasure.objects.filter(person=person).delete()
        before.save()
        erasure.HOOKS["people.erasure/1"](logged.index, body(logged))
        person.refresh_from_db()
        assert person.erased and person.data_key is None and person.blind_index is None
        assert Erasure.objects.get(person=person).entry == logged

    def test_erasing_needs_a_reason_and_writes_nothing_without_one(
        self, cast: dict[str, User]
    ) -> None:
        person = factories.person(cast["field"], common.party("north"))
        with pytest.raises(ValidationFailed, match="State why"):
            services.person_erase(person_id=person.pk, reason=" ")
        person.refresh_from_db()
        assert not person.erased and not Erasure.objects.exists()

    def test_erasing_twice_or_an_unknown_record_is_refused(self, cast: dict[str, User]) -> None:
        person = factories.person(cast["field"], common.party("north"))
        services.person_erase(person_id=person.pk, reason="asked")
        with pytest.raises(Conflict):
            services.person_erase(person_id=person.pk, reason="asked")
        with pytest.raises(NotFound):
            services.person_erase(person_id=999999, reason="asked")

    def test_an_erased_registration_still_queued_never_reaches_the_log(
        self, cast: dict[str, User]
    ) -> None:
        person = factories.person(cast["field"], common.party("north"))
        services.person_erase(person_id=person.pk, reason="asked")
        assert publish() == []


class TestRotateKey:
    def test_rotation_rewraps_every_data_key_and_destroys_the_old_kek(
        self, cast: dict[str, User]
    ) -> None:
        person = factories.person(
            cast["field"],
            common.party("north"),
            name="Anahit Serobyan",
            birth_date=date(1990, 5, 6),
        )
        old = crypto.keyring().current_id
        count, new = services.kek_rotate()
        assert count == 1 and new != old
        assert [kek for kek, _key in crypto.keyring().keys] == [new]
        person.refresh_from_db()
        assert person.kek_id == new
        revealed = services.person_reveal(user=cast["protection"], person=person, purpose="x")
        assert revealed.fields["name"] == "Anahit Serobyan"
        assert services.person_find(name="Anahit Serobyan", birth_date=date(1990, 5, 6)) == person
