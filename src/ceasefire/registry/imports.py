"""Importing handovers from a CSV file, all or nothing.

One row per weapon or lot; rows with the same `receipt` value form one receipt, whose header
columns must agree. Every row is checked before anything is written, and every problem is
reported with its row number (the header row is row 1, as a spreadsheet shows it), column and
reason. Then everything is written in one transaction, through the same code as a receipt made
on the page; serials are checked for repeats within the file and against the database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ceasefire.accounts.models import User
from ceasefire.core.errors import ValidationFailed
from ceasefire.registry import services
from ceasefire.registry.models import Item, Receipt

HEADER_COLUMNS = [
    "receipt",
    "collection_point",
    "received_at",
    "party",
    "unit",
    "handed_over_by",
    "received_by",
    "witnesses",
    "notes",
]
LINE_COLUMNS = [
    "kind",
    "category",
    "make",
    "model",
    "calibre",
    "serial",
    "country",
    "year",
    "markings",
    "markings_location",
    "condition",
    "lot_number",
    "headstamp",
    "quantity",
    "unlisted",
]
COLUMNS = HEADER_COLUMNS + LINE_COLUMNS
REQUIRED = {"receipt", "collection_point", "received_at", "party", "unit", "witnesses", "kind"}
MAX_ROWS = 100_000
YES = {"yes", "y", "true", "1", "x"}
NO = {"", "no", "n", "false", "0"}

# A row of the template, so the columns' formats are shown by example.
EXAMPLE = {
    "receipt": "H-1",
    "collection_point": "tarsel-ford",
    "received_at": "2026-11-20T09:30",
    "party": "north",
    "unit": "3rd Rifle Company",
    "handed_over_by": "",
    "received_by": "field",
    "witnesses": "First Witness; Second Witness",
    "notes": "",
    "kind": "weapon",
    "category": "",
    "make": "Kalashnikov",
    "model": "AKM",
    "calibre": "",
    "serial": "KA12345",
    "country": "SU",
    "year": "1978",
    "markings": "present",
    "markings_location": "",
    "condition": "serviceable",
    "lot_number": "",
    "headstamp": "",
    "quantity": "",
    "unlisted": "no",
}


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "—",
            "message": self.message,
        }


class ImportFailed(ValidationFailed):
    """The file has problems; `problems` lists every one. Nothing was written."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.row, p.column))
        message = ngettext(
            "%(count)s problem in the file; nothing was imported.",
            "%(count)s problems in the file; nothing was imported.",
            len(self.problems),
        ) % {"count": len(self.problems)}
        fields: dict[str, list[str]] = {}
        for problem in self.problems:
            fields.setdefault(f"{problem.row}.{problem.column}", []).append(problem.message)
        super().__init__(message, fields=fields)


@dataclass
class ImportResult:
    receipts: list[Receipt]
    rows: int


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(EXAMPLE)
    return out.getvalue()


def read_rows(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """The columns and rows of a CSV file (UTF-8, with or without a byte-order mark)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(_("The file is not UTF-8 text; save it as CSV UTF-8.")) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ValidationFailed(
            _("The file is not a CSV file: %(reason)s") % {"reason": exc}
        ) from None
    return list(reader.fieldnames or []), rows


def _int(value: str, column: str, row: int, problems: list[RowProblem]) -> int | None:
    value = value.strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        problems.append(
            RowProblem(row, column, _("%(value)s is not a whole number.") % {"value": value})
        )
        return None


def _time(value: str, row: int, problems: list[RowProblem]) -> datetime | None:
    value = value.strip()
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        if value:
            problems.append(
                RowProblem(
                    row,
                    "received_at",
                    _("%(value)s is not a date and time like 2026-11-20T09:30.") % {"value": value},
                )
            )
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _line(raw: dict[str, str], row: int, problems: list[RowProblem]) -> services.LineIn:
    unlisted = raw.get("unlisted", "").strip().lower()
    if unlisted not in YES | NO:
        problems.append(RowProblem(row, "unlisted", _("Write yes or no.")))
    return services.LineIn(
        kind=raw.get("kind", "").strip().lower(),
        category=raw.get("category", "").strip().lower(),
        make=raw.get("make", ""),
        model=raw.get("model", ""),
        calibre=raw.get("calibre", ""),
        serial=raw.get("serial", ""),
        country=raw.get("country", ""),
        year=_int(raw.get("year", ""), "year", row, problems),
        markings=raw.get("markings", "").strip().lower(),
        markings_location=raw.get("markings_location", ""),
        condition=raw.get("condition", "").strip().lower(),
        lot_number=raw.get("lot_number", ""),
        headstamp=raw.get("headstamp", ""),
        quantity=_int(raw.get("quantity", ""), "quantity", row, problems),
        unlisted=unlisted in YES,
    )


@dataclass
class _Group:
    first_row: int
    header_values: dict[str, str]
    header: services.HandoverIn | None
    rows: list[int]
    items: list[Item]


def handovers_import(
    *,
    user: User,
    data: bytes,
    progress: Callable[[int], object] | None = None,
) -> ImportResult:
    """Check every row of the file, then write every receipt in one transaction, or nothing."""
    columns, raw_rows = read_rows(data)
    problems: list[RowProblem] = []
    missing = [c for c in COLUMNS if c in REQUIRED and c not in columns]
    for column in missing:
        problems.append(RowProblem(1, column, _("The column is missing.")))
    unknown = [c for c in columns if c not in COLUMNS]
    for column in unknown:
        problems.append(RowProblem(1, column, _("Unknown column; see the template.")))
    if not raw_rows:
        problems.append(RowProblem(1, "", _("The file has no rows.")))
    if len(raw_rows) > MAX_ROWS:
        problems.append(
            RowProblem(1, "", _("Import at most %(count)s rows at a time.") % {"count": MAX_ROWS})
        )
    if problems:
        raise ImportFailed(problems)
    groups = _check_rows(raw_rows, problems)
    if problems:
        raise ImportFailed(problems)
    with transaction.atomic():
        services.lock_registry()
        _check_database(groups, problems)
        if problems:
            raise ImportFailed(problems)
        receipts = []
        done = 0
        for group in groups.values():
            assert group.header is not None
            receipts.append(
                services.write_receipt(user=user, header=group.header, items=group.items)
            )
            done += len(group.items)
            if progress is not None:
                progress(len(group.items))
    return ImportResult(receipts=receipts, rows=done)


def _check_rows(
    raw_rows: Iterable[dict[str, Any]], problems: list[RowProblem]
) -> dict[str, _Group]:
    resolver = services.Resolver()
    references = services.reference_index()
    groups: dict[str, _Group] = {}
    for row, raw in enumerate(raw_rows, start=2):
        if None in raw:
            problems.append(
                RowProblem(row, "", _("The row has more cells than the file has columns."))
            )
            continue
        key = raw.get("receipt", "").strip()
        if not key:
            problems.append(RowProblem(row, "receipt", _("Give the receipt this row belongs to.")))
            continue
        header_values = {c: raw.get(c, "") for c in HEADER_COLUMNS}
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(row, header_values, None, [], [])
            _check_header(group, resolver, problems)
        else:
            for column in HEADER_COLUMNS:
                if header_values[column].strip() != group.header_values[column].strip():
                    problems.append(
                        RowProblem(
                            row,
                            column,
                            _("Differs from row %(row)s of the same receipt.")
                            % {"row": group.first_row},
                        )
                    )
        item, line_problems = services.clean_line(_line(raw, row, problems), references)
        for name, messages in line_problems.items():
            column = name if name in COLUMNS else ""
            problems.extend(RowProblem(row, column, message) for message in messages)
        group.rows.append(row)
        group.items.append(item)
    for group in groups.values():
        if len(group.items) > services.MAX_LINES:
            problems.append(
                RowProblem(
                    group.first_row,
                    "receipt",
                    _("A receipt holds at most %(count)s lines; split the handover.")
                    % {"count": services.MAX_LINES},
                )
            )
    rows = [row for group in groups.values() for row in group.rows]
    items = [item for group in groups.values() for item in group.items]
    repeated = services.within_duplicates(items, lambda n: _("row %(row)s") % {"row": rows[n]})
    problems.extend(RowProblem(rows[n], "serial", message) for n, message in repeated.items())
    return groups


def _check_header(group: _Group, resolver: services.Resolver, problems: list[RowProblem]) -> None:
    values, row = group.header_values, group.first_row
    header, found = resolver.header(
        collection_point=values["collection_point"],
        received_at=_time(values["received_at"], row, problems),
        party=values["party"],
        unit=values["unit"],
        received_by=values["received_by"],
        witnesses=[w for w in values["witnesses"].split(";")],
        handed_over_by=values["handed_over_by"],
        notes=values["notes"],
    )
    if header is not None:
        header, more = services.clean_header(header)
        found |= more
    group.header = header
    for column, messages in found.items():
        if column == "received_at" and any(p.row == row and p.column == column for p in problems):
            continue  # already said it is not a date
        problems.extend(RowProblem(row, column, message) for message in messages)


def _check_database(groups: dict[str, _Group], problems: list[RowProblem]) -> None:
    keyed = [
        (row, item)
        for group in groups.values()
        for row, item in zip(group.rows, group.items, strict=True)
        if item.serial_key
    ]
    holders = services.serial_holders({(item.make_key, item.serial_key) for _row, item in keyed})
    for row, item in keyed:
        holder = holders.get((item.make_key, item.serial_key))
        if holder is not None:
            problems.append(RowProblem(row, "serial", services.duplicate_message(item, holder)))
