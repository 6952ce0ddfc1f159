from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from ceasefire import cli
from ceasefire.accounts.models import Party, User
from ceasefire.ledger.models import LogEntry
from ceasefire.registry import cosign, services
from ceasefire.registry.imports import COLUMNS, EXAMPLE, ImportFailed, handovers_import
from ceasefire.registry.models import Item, Receipt
from tests.registry import factories

pytestmark = pytest.mark.django_db


def row(number: int, **overrides: Any) -> dict[str, str]:
    values = EXAMPLE | {"receipt": f"H-{number // 50}", "serial": f"IM{number:06d}"}
    return values | {name: str(value) for name, value in overrides.items()}


def csv_bytes(rows: list[dict[str, str]], columns: list[str] = COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def officer(cast: dict[str, User]) -> User:
    factories.collection_point()
    return cast["field"]


def problems_of(caught: pytest.ExceptionInfo[ImportFailed]) -> set[tuple[int, str]]:
    return {(p.row, p.column) for p in caught.value.problems}


def test_rows_are_grouped_into_receipts_with_their_entries(officer: User) -> None:
    lot = {"kind": "lot", "category": "ammunition", "calibre": "5.45×39 mm", "quantity": "300"}
    rows = [row(n) for n in range(120)] + [row(200, **lot, serial="")]
    result = handovers_import(user=officer, data=csv_bytes(rows))
    assert result.rows == 121 and len(result.receipts) == 4
    assert Item.objects.count() == 121
    assert LogEntry.objects.filter(entry_type="registry.handover/1").count() == 4
    assert Receipt.objects.get(items__kind="lot").witnesses == [
        "First Witness",
        "Second Witness",
    ]


def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_written(
    officer: User,
) -> None:
    rows = [
        row(0),
        row(1, condition="shiny"),
        row(2, year="old"),
        row(3, model="Blaster", category="rifle"),
        row(4, kind="tank"),
        row(100, received_at="yesterday", collection_point="nowhere"),
    ]
    with pytest.raises(ImportFailed) as caught:
        handovers_import(user=officer, data=csv_bytes(rows))
    assert problems_of(caught) == {
        (3, "condition"),
        (4, "year"),
        (5, "model"),
        (6, "kind"),
        (7, "received_at"),
        (7, "collection_point"),
    }
    assert caught.value.message == "6 problems in the file; nothing was imported."
    assert not Receipt.objects.exists() and not LogEntry.objects.exists()


def test_a_receipts_header_must_agree_across_its_rows(officer: User) -> None:
    with pytest.raises(ImportFailed) as caught:
        handovers_import(user=officer, data=csv_bytes([row(0), row(1, unit="Other unit")]))
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (3, "unit")
    assert "row 2" in problem.message


def test_a_serial_repeated_in_the_file_names_the_earlier_row(officer: User) -> None:
    with pytest.raises(ImportFailed) as caught:
        handovers_import(
            user=officer, data=csv_bytes([row(0, serial="X1"), row(1), row(2, serial="x-1")])
        )
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (4, "serial")
    assert "row 2" in problem.message


def test_a_serial_already_in_the_database_names_its_receipt(officer: User) -> None:
    earlier = factories.receipt(
        Party.objects.get(code="north"), officer, [factories.weapon(serial="DB-1")]
    )
    with pytest.raises(ImportFailed) as caught:
        handovers_import(user=officer, data=csv_bytes([row(0), row(1, serial="DB-1")]))
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (3, "serial")
    assert earlier.number in problem.message
    assert Receipt.objects.count() == 1


def test_a_missing_column_or_a_file_that_is_not_utf8_is_refused(officer: User) -> None:
    with pytest.raises(ImportFailed) as caught:
        handovers_import(
            user=officer, data=csv_bytes([row(0)], [c for c in COLUMNS if c != "witnesses"])
        )
    assert problems_of(caught) == {(1, "witnesses")}
    with pytest.raises(Exception, match="not UTF-8"):
        handovers_import(user=officer, data="serial\nÄ".encode("latin-1"))


def test_ten_thousand_rows_import_in_one_go(officer: User) -> None:
    rows = [row(n, receipt=f"T-{n // 500}") for n in range(10_000)]
    result = handovers_import(user=officer, data=csv_bytes(rows))
    assert result.rows == 10_000 and len(result.receipts) == 20
    assert Item.objects.count() == 10_000
    assert Item.objects.order_by("-pk").first().mission_id == "W-010000"  # type: ignore[union-attr]


def test_the_command_imports_a_file_or_lists_its_problems(
    officer: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([row(0, condition="shiny")]))
    assert cli.main(["import", "handovers", str(bad), "--user", "field"]) == 1
    assert "Row 2, condition: Unknown condition shiny" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([row(0), row(1)]))
    assert cli.main(["import", "handovers", str(good), "--user", "field"]) == 0
    assert "Imported 2 rows as 1 receipts" in capsys.readouterr().out
    assert cli.main(["import", "handovers", str(good), "--user", "nobody"]) == 2


def test_a_key_made_with_the_cosign_command_signs_what_the_server_accepts(
    officer: User, cast: dict[str, User], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "liaison.key"
    assert cli.main(["cosign", "keygen", "--out", str(key_file)]) == 0
    lines = capsys.readouterr().out.splitlines()
    public_key = cosign.decode(lines[2], cosign.PUBLIC_KEY_SIZE, "public key")
    assert key_file.stat().st_mode & 0o777 == 0o600
    services.key_enrol(user=cast["liaison_north"], public_key=public_key)
    receipt = factories.receipt(Party.objects.get(code="north"), officer)
    entry_file = tmp_path / "entry.bin"
    entry_file.write_bytes(bytes(receipt.entry.body))
    assert cli.main(["cosign", "sign", str(entry_file), "--key", str(key_file)]) == 0
    printed = capsys.readouterr().out.splitlines()
    fingerprint, signature = (line.split(" ", 1)[1] for line in printed)
    services.cosignature_add(
        user=cast["liaison_north"],
        entry_index=receipt.entry_id,
        fingerprint=fingerprint,
        signature=cosign.decode(signature, cosign.SIGNATURE_SIZE, "signature"),
    )
    assert cli.main(["cosign", "keygen", "--out", str(key_file)]) == 2
