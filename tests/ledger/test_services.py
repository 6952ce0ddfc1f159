from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction

from ceasefire.ledger import keys, merkle, sealing, services
from ceasefire.ledger.audit import EntryAuditor
from ceasefire.ledger.checkpoint import open_checkpoint
from ceasefire.ledger.entries import JSONValue
from ceasefire.ledger.models import Checkpoint, LogEntry, LogHash, LogHead, SealedField
from ceasefire.ledger.storage import DatabaseHashReader
from ceasefire.ledger.totals import Totals
from ceasefire.ledger.verify import VerifyError

pytestmark = pytest.mark.django_db


def record(category: str = "rifle") -> LogEntry:
    fields: dict[str, JSONValue] = {
        "category": category,
        "quantity": 1,
        "note": "seen at dawn",
        "witness": "A. Person",
    }
    with transaction.atomic():
        return services.append("ledger.test/1", fields)


def body(entry: LogEntry) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(bytes(entry.body))
    return loaded


class TestAppend:
    def test_first_append_logs_the_policy_before_the_entry(self) -> None:
        entry = record()
        policy_entry = LogEntry.objects.get(index=0)
        assert policy_entry.entry_type == "ledger.policy/1"
        assert json.loads(bytes(policy_entry.body))["version"] == 1
        assert entry.index == 1
        assert body(entry)["policy"] == 1

    def test_indexes_follow_each_other_without_gaps(self) -> None:
        indexes = [record().index for _ in range(5)]
        assert indexes == [1, 2, 3, 4, 5]
        assert LogHead.objects.get().size == 6

    def test_fields_are_public_sealed_or_absent_as_the_policy_says(self) -> None:
        entry = body(record())
        assert entry["fields"] == {"category": "rifle", "quantity": 1}
        assert set(entry["sealed"]) == {"note", "witness"}
        assert "seen at dawn" not in json.dumps(entry)
        assert "A. Person" not in json.dumps(entry)

    def test_overridden_policy_withholds_a_field_and_logs_a_new_version(
        self, tmp_path: Path
    ) -> None:
        record()
        policy_file = tmp_path / "policy.json"
        policy_file.write_text(json.dumps({"ledger.test/1": {"note": "withheld"}}))
        settings.DISCLOSURE_POLICY_FILE = str(policy_file)
        services.current_policy.cache_clear()
        try:
            entry = body(record())
        finally:
            settings.DISCLOSURE_POLICY_FILE = ""
            services.current_policy.cache_clear()
        assert entry["policy"] == 2
        assert set(entry["sealed"]) == {"witness"}

    def test_a_sealed_field_opens_to_exactly_what_was_recorded(self) -> None:
        entry = record()
        opening = services.opening_for(entry.index, "note")
        sealing.check_opening(opening, bytes(entry.body))
        forged = sealing.Opening(entry.index, "note", "seen at dusk", opening.secret)
        with pytest.raises(sealing.OpeningError, match="not what was recorded"):
            sealing.check_opening(forged, bytes(entry.body))

    def test_personal_values_are_not_kept_beside_their_secret(self) -> None:
        entry = record()
        row = SealedField.objects.get(entry=entry, field="witness")
        assert row.value is None and row.secret is not None

    def test_erased_secrets_can_no_longer_open_the_field(self) -> None:
        entry = record()
        assert services.erase(entry.index, ["note"]) == 1
        with pytest.raises(Exception, match="erased"):
            services.opening_for(entry.index, "note")

    def test_unknown_field_is_refused_and_nothing_is_written(self) -> None:
        with pytest.raises(ValueError, match="has no fields"), transaction.atomic():
            services.append("ledger.test/1", {"colour": "red"})
        assert not LogEntry.objects.exists()

    @pytest.mark.django_db(transaction=True)
    def test_append_outside_a_transaction_is_refused(self) -> None:
        with pytest.raises(RuntimeError, match="inside the writer's transaction"):
            services.append("ledger.test/1", {"category": "x"})

    def test_a_crash_after_append_leaves_neither_record_nor_entry(self) -> None:
        record()
        size = LogHead.objects.get().size
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            services.append("ledger.test/1", {"category": "rifle"})
            _ = 1 / 0
        assert LogHead.objects.get().size == size
        assert LogEntry.objects.count() == size
        assert record().index == size

    def test_an_entry_over_the_size_limit_is_refused(self) -> None:
        with pytest.raises(Exception, match="too large"), transaction.atomic():
            services.append("ledger.test/1", {"category": "x" * 70_000})

    def test_stored_hashes_give_the_same_root_as_the_head(self) -> None:
        for _ in range(300):
            record()
        head = LogHead.objects.get()
        leaves = [bytes(e.leaf_hash) for e in LogEntry.objects.order_by("index")]
        store = merkle.MemoryHashStore()
        for leaf in leaves:
            store.append(leaf)
        assert merkle.tree_hash(head.size, DatabaseHashReader()) == store.root()


class TestDelayedDisclosure:
    def test_public_fields_stay_sealed_until_released(self) -> None:
        with transaction.atomic():
            entry = services.append(
                "ledger.test/1", {"category": "mortar", "quantity": 3}, release_key="convoy:7"
            )
        assert body(entry)["fields"] == {}
        with transaction.atomic():
            openings = services.release("convoy:7")
        assert [json.loads(bytes(o.body))["field"] for o in openings] == ["category", "quantity"]
        for opening_entry in openings:
            data = json.loads(bytes(opening_entry.body))
            opening = sealing.Opening.from_json({**data, "index": data["entry"]})
            sealing.check_opening(opening, bytes(entry.body))
        with transaction.atomic():
            assert services.release("convoy:7") == []


class TestPublishedTotals:
    def test_published_totals_equal_a_recount_of_the_entries(self) -> None:
        for category in ["rifle", "rifle", "grenade"]:
            record(category)
        published = services.publish_totals()
        fields = body(published)["fields"]
        assert fields["size"] == published.index
        assert fields["figures"]["total"] == {"surrendered": 3, "destroyed": 0}
        assert fields["figures"]["by_category"]["rifle"]["surrendered"] == 2

    def test_the_auditor_recomputes_them_and_refuses_a_forgery(self) -> None:
        record("rifle")
        services.publish_totals()
        auditor = EntryAuditor()
        for entry in LogEntry.objects.order_by("index"):
            auditor(entry.index, bytes(entry.body))
        assert auditor.published_totals_checked == 1
        forged = EntryAuditor()
        entries = list(LogEntry.objects.order_by("index"))
        for entry in entries[:-1]:
            forged(entry.index, bytes(entry.body))
        tampered = bytes(entries[-1].body).replace(b'"surrendered":1', b'"surrendered":900')
        with pytest.raises(VerifyError, match="not the totals of the entries before it"):
            forged(entries[-1].index, tampered)

    def test_totals_published_first_in_an_empty_log_claim_their_own_index(self) -> None:
        published = services.publish_totals()
        assert LogEntry.objects.get(index=0).entry_type == "ledger.policy/1"
        assert body(published)["fields"]["size"] == published.index == 1

    def test_totals_skip_entries_of_other_types(self) -> None:
        totals = Totals()
        totals.add(0, {"type": "ledger.policy/1"})
        assert totals.figures()["total"]["surrendered"] == 0


class TestCheckpoints:
    def test_checkpoint_is_signed_exported_and_covers_every_entry(self) -> None:
        record()
        checkpoint = services.publish_checkpoint()
        assert checkpoint is not None and checkpoint.size == 2
        exported = (settings.LOG_DIR / "checkpoint").read_bytes()
        signed = open_checkpoint(exported, keys.log_verifier())
        assert signed.checkpoint.size == 2
        assert (settings.LOG_DIR / "tile/entries/000.p/2").exists()
        assert services.publish_checkpoint() is None  # nothing new to sign

    def test_a_later_checkpoint_extends_the_earlier_one(self) -> None:
        record()
        first = services.publish_checkpoint()
        for _ in range(300):
            record()
        second = services.publish_checkpoint()
        assert first is not None and second is not None
        proof = merkle.consistency_proof(first.size, second.size, DatabaseHashReader())
        merkle.verify_consistency(
            first.size, second.size, bytes(first.root_hash), bytes(second.root_hash), proof
        )
        assert Checkpoint.objects.count() == 2

    def test_signing_a_fork_of_the_published_log_is_refused(self) -> None:
        record("rifle")
        services.publish_checkpoint()
        # The database is rebuilt with another history of the same size: a fork.
        head = LogHead.objects.get()
        LogHash.objects.all().delete()
        head.size, head.compact_range = 0, b""
        head.policy_digest = ""
        head.policy_version = 0
        head.save()
        SealedField.objects.all().delete()
        LogEntry.objects.all().delete()
        record("grenade")
        with pytest.raises(services.ForkRefused, match="another root"):
            services.publish_checkpoint()

    def test_signing_behind_the_published_checkpoint_is_refused(self) -> None:
        record()
        record()
        services.publish_checkpoint()
        head = LogHead.objects.get()
        head.size = 1
        head.compact_range = bytes(LogEntry.objects.get(index=0).leaf_hash)
        head.save()
        with pytest.raises(services.ForkRefused, match="restore the missing entries"):
            services.publish_checkpoint()
