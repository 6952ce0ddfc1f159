"""Backups and restores on the database of DATABASE_URL (SQLite's online backup API, or pg_dump
and psql), each test in its own key, upload and log directories (tests/conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction

from ceasefire.core.errors import Conflict, ValidationFailed
from ceasefire.ledger import commands, keys, services
from ceasefire.ledger.models import LogEntry, LogHead, SealedField
from ceasefire.ledger.storage import compact_range
from ceasefire.operations import erasure
from ceasefire.operations.models import Backup, RestoredEntry
from ceasefire.operations.services import backup_create, backup_restore

# A restore replaces the whole database, which a test inside a transaction cannot do.
pytestmark = pytest.mark.django_db(transaction=True)


def write(count: int, category: str = "rifle") -> list[LogEntry]:
    entries = []
    for number in range(count):
        with transaction.atomic():
            entries.append(
                services.append(
                    "ledger.test/1",
                    {"category": category, "quantity": number, "note": f"note {number}"},
                )
            )
    return entries


def root() -> bytes:
    return compact_range(LogHead.objects.get(pk=1)).root()


def published_totals() -> Any:
    totals = LogEntry.objects.filter(entry_type="reports.published/1").order_by("-index").first()
    assert totals is not None
    return json.loads(bytes(totals.body))["fields"]["figures"]


@pytest.fixture(autouse=True)
def _log_head() -> None:
    """The head row comes from a data migration, which a transactional test's flush removes."""
    LogHead.objects.get_or_create(pk=1)


@pytest.fixture
def backup_dirs(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "backup", tmp_path / "backup-keys"


class TestBackup:
    def test_a_backup_holds_the_data_and_the_keys_go_elsewhere(
        self, backup_dirs: tuple[Path, Path]
    ) -> None:
        directory, keys_to = backup_dirs
        write(3)
        services.publish_checkpoint()
        (Path(settings.MEDIA_ROOT) / "photo.jpg").write_bytes(b"a photo")

        backup = backup_create(directory=directory, keys_to=keys_to)

        manifest = json.loads((directory / "manifest.json").read_text())
        assert manifest["log_size"] == 4 == backup.log_size
        assert (directory / "uploads" / "photo.jpg").read_bytes() == b"a photo"
        assert (directory / "log" / "checkpoint").exists()
        assert json.loads((directory / "mission.json").read_text())["log_origin"] == (
            settings.LOG_ORIGIN
        )
        key_files = sorted(path.name for path in keys_to.iterdir())
        assert key_files == ["log-signer.key"]
        secret = keys.log_signer().signer_key.encode()
        for path in directory.rglob("*"):
            assert path.is_dir() or secret not in path.read_bytes(), path
        assert Backup.objects.get().directory == str(directory.resolve())

    def test_keys_are_never_written_inside_the_data_backup(
        self, backup_dirs: tuple[Path, Path]
    ) -> None:
        directory, _keys = backup_dirs
        with pytest.raises(ValidationFailed, match="apart from the data"):
            backup_create(directory=directory, keys_to=directory / "keys")
        assert not directory.exists()

    def test_a_backup_never_mixes_with_an_earlier_one(self, backup_dirs: tuple[Path, Path]) -> None:
        directory, _keys = backup_dirs
        directory.mkdir()
        (directory / "old").write_text("x")
        with pytest.raises(ValidationFailed, match="not empty"):
            backup_create(directory=directory)
        assert not Backup.objects.exists()


class TestRestore:
    def test_a_restore_reproduces_the_log_root_and_totals(
        self, backup_dirs: tuple[Path, Path]
    ) -> None:
        directory, keys_to = backup_dirs
        write(5, "rifle")
        write(2, "mortar")
        services.publish_totals()
        services.publish_checkpoint()
        expected_root, expected_totals = root(), published_totals()
        backup_create(directory=directory, keys_to=keys_to)
        # Changes after the backup, never published: the restore takes the database back.
        LogEntry.objects.filter(index=3).update(body=b"{}")

        restored = backup_restore(directory=directory)

        assert root() == expected_root
        assert published_totals() == expected_totals
        assert restored.reappended == []
        assert bytes(LogEntry.objects.get(index=3).body) != b"{}"

    def test_a_restore_older_than_the_published_log_appends_the_missing_entries_exactly(
        self, backup_dirs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        directory, keys_to = backup_dirs
        write(10)
        services.publish_checkpoint()
        backup_create(directory=directory, keys_to=keys_to)
        later = write(300, "mortar")
        services.publish_totals()
        published = services.publish_checkpoint()
        assert published is not None
        bodies = {entry.index: bytes(entry.body) for entry in later}

        restored = backup_restore(directory=directory)

        assert restored.log_size == 11
        assert restored.reappended == list(range(11, published.size))
        assert root() == published.root_hash
        for index, body in bodies.items():
            assert bytes(LogEntry.objects.get(index=index).body) == body
        assert list(RestoredEntry.objects.values_list("index", flat=True)) == list(
            range(11, published.size)
        )
        assert RestoredEntry.objects.get(index=published.size - 1).entry_type == (
            "reports.published/1"
        )
        # The log goes on from there without a fork, and verifies.
        write(1)
        assert services.publish_checkpoint() is not None
        assert commands.export(tmp_path / "export") == 0
        assert commands.verify(str(tmp_path / "export"), None, None, []) == 0
        assert "1 published totals recomputed and equal" in capsys.readouterr().out

    def test_a_restore_applies_again_every_erasure_logged_after_the_backup(
        self, backup_dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        directory, keys_to = backup_dirs
        kept, erased = write(2)
        services.publish_checkpoint()
        backup_create(directory=directory, keys_to=keys_to)
        # The erasure, as an app would log it: an entry naming what it erased.
        with transaction.atomic():
            services.erase(erased.index, ["note"])
            erasure_entry = services.append(
                "ledger.test/1", {"category": "erasure", "quantity": erased.index}
            )
        services.publish_checkpoint()
        calls: list[int] = []

        def erase_again(index: int, body: dict[str, Any]) -> None:
            calls.append(index)
            if body["fields"]["category"] == "erasure":
                services.erase(body["fields"]["quantity"], ["note"])

        monkeypatch.setitem(erasure.HOOKS, "ledger.test/1", erase_again)

        restored = backup_restore(directory=directory)

        assert calls == [erasure_entry.index] == restored.erasures
        with pytest.raises(Conflict, match="erased"):
            services.opening_for(erased.index, "note")
        assert services.opening_for(kept.index, "note").value == "note 0"

    def test_a_restore_puts_back_missing_keys_and_the_lost_log(
        self, backup_dirs: tuple[Path, Path]
    ) -> None:
        directory, keys_to = backup_dirs
        write(3)
        services.publish_checkpoint()
        expected_root = root()
        backup_create(directory=directory, keys_to=keys_to)
        # A new machine: no key, no exported log.
        (settings.KEY_DIR / keys.KEY_FILE).unlink()
        for path in sorted(settings.LOG_DIR.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        keys.log_signer.cache_clear()

        with pytest.raises(Conflict, match="--keys-from"):
            backup_restore(directory=directory)
        assert not (settings.KEY_DIR / keys.KEY_FILE).exists()

        backup_restore(directory=directory, keys_from=keys_to)
        assert root() == expected_root
        assert services.published_checkpoint() is not None

    def test_a_restore_refuses_to_replace_a_different_key(
        self, backup_dirs: tuple[Path, Path], tmp_path: Path
    ) -> None:
        directory, _keys = backup_dirs
        write(1)
        services.publish_checkpoint()
        backup_create(directory=directory)
        other = tmp_path / "other-keys"
        other.mkdir()
        (other / keys.KEY_FILE).write_text("PRIVATE+KEY+someone+else")
        with pytest.raises(Conflict, match="refusing to replace a key"):
            backup_restore(directory=directory, keys_from=other)

    @pytest.mark.parametrize(
        ("damage", "message"),
        [
            (lambda d: (d / "manifest.json").unlink(), "no finished backup"),
            (lambda d: (d / "mission.json").write_text("{}"), "damaged: mission.json"),
        ],
    )
    def test_a_damaged_backup_is_refused_and_nothing_changes(
        self,
        backup_dirs: tuple[Path, Path],
        damage: Callable[[Path], object],
        message: str,
    ) -> None:
        directory, _keys = backup_dirs
        write(1)
        backup_create(directory=directory)
        write(1)
        damage(directory)
        with pytest.raises(ValidationFailed, match=message):
            backup_restore(directory=directory)
        assert LogHead.objects.get(pk=1).size == 3

    def test_a_backup_of_another_log_is_refused(self, backup_dirs: tuple[Path, Path]) -> None:
        directory, _keys = backup_dirs
        write(1)
        backup_create(directory=directory)
        manifest_path = directory / "manifest.json"
        manifest = json.loads(manifest_path.read_text())
        manifest["log_origin"] = "elsewhere.example/log"
        manifest_path.write_text(json.dumps(manifest))
        with pytest.raises(ValidationFailed, match="CEASEFIRE_LOG_ORIGIN"):
            backup_restore(directory=directory)


def test_sealed_values_survive_a_restore(backup_dirs: tuple[Path, Path]) -> None:
    directory, _keys = backup_dirs
    entry = write(1)[0]
    backup_create(directory=directory)
    SealedField.objects.all().delete()
    backup_restore(directory=directory)
    assert services.opening_for(entry.index, "note").value == "note 0"
