from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import transaction

from ceasefire.ledger import commands, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    for number in range(600):
        with transaction.atomic():
            services.append(
                "ledger.test/1",
                {
                    "category": ["rifle", "mortar"][number % 2],
                    "quantity": number,
                    "note": f"n{number}",
                },
            )
    services.publish_totals()
    with transaction.atomic():
        services.append("ledger.test/1", {"category": "manpads"}, release_key="cache:1")
        services.release("cache:1")
    services.publish_totals()
    services.publish_checkpoint()
    directory = tmp_path / "export"
    assert commands.export(directory) == 0
    return directory


def test_an_exported_log_verifies_with_its_totals_and_openings(
    exported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert commands.verify(str(exported), None, None, []) == 0
    out = capsys.readouterr().out
    assert "2 published totals recomputed and equal" in out
    assert "1 openings checked" in out


def test_a_changed_entry_is_refused_naming_its_tile(
    exported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = exported / "tile/entries/001"
    data = bytearray(bundle.read_bytes())
    data[100] ^= 1
    bundle.write_bytes(bytes(data))
    assert commands.verify(str(exported), None, None, []) == 1
    assert "LOG DOES NOT VERIFY" in capsys.readouterr().err


def test_a_removed_entry_is_refused(exported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (exported / "tile/entries/000").unlink()
    assert commands.verify(str(exported), None, None, []) == 1
    assert "tile/entries/000" in capsys.readouterr().err


def test_the_wrong_key_is_refused(exported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ceasefire.ledger import note

    _signer, other_key = note.generate_key("someone-else/log")
    assert commands.verify(str(exported), other_key, None, []) == 1


def test_revealed_openings_check_against_the_exported_log(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert commands.reveal(5, ["note"]) == 0
    opening_line = capsys.readouterr().out.strip()
    (tmp_path / "opening").write_text(opening_line)
    assert commands.check_opening(str(tmp_path / "opening"), str(exported)) == 0
    forged = json.loads(opening_line) | {"value": "n999"}
    (tmp_path / "forged").write_text(json.dumps(forged))
    assert commands.check_opening(str(tmp_path / "forged"), str(exported)) == 1
    assert "NOT VERIFIED" in capsys.readouterr().out


def test_verify_refuses_a_log_that_rolled_back(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "saved-checkpoint"
    saved.write_bytes((exported / "checkpoint").read_bytes())
    assert commands.verify(str(exported), None, str(saved), []) == 0
    with transaction.atomic():
        services.append("ledger.test/1", {"category": "rifle"})
    services.publish_checkpoint()
    newer = tmp_path / "newer"
    commands.export(newer)
    newer_saved = tmp_path / "newer-checkpoint"
    newer_saved.write_bytes((newer / "checkpoint").read_bytes())
    assert commands.verify(str(exported), None, str(newer_saved), []) == 1
    assert "rolled back" in capsys.readouterr().err
