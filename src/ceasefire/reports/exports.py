"""Exports of the mission's records as CSV, HXL-tagged CSV, GeoJSON and XLSX, streamed in
constant memory whatever the size: rows come from a server-side cursor in chunks and leave as
bytes as they come (XLSX, a zip that is complete only at its end, goes through a temporary
file written by xlsxwriter's constant-memory mode).

Datasets and formats are registered like extensions: `DATASETS` and `FORMATS` are dicts, and
adding a format is one entry. A public export holds only fields the log makes public and never
a personal field; the mission's exports add the sealed details, never a person either."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from ceasefire.convoys.models import Convoy, CrossingCount
from ceasefire.incidents.models import Incident
from ceasefire.positions.models import Position, PositionEvent, Status
from ceasefire.registry.models import Correction, Item, Receipt

CHUNK_ROWS = 2000

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Column:
    name: str  # the header: stable, English, machine-readable
    hxl: str  # the HXL hashtag with attributes
    public: bool = True
    # The field of the dataset's log entry type this column shows, when it is one: a public
    # column must be a public field there (tests/reports/test_exports.py checks it).
    log_field: str | None = None


@dataclass(frozen=True)
class Dataset:
    name: str
    entry_types: tuple[str, ...]
    columns: tuple[Column, ...]
    # rows(public) -> rows with a value for every column (in order), public or not
    rows: Callable[[bool], Iterator[Row]]
    # The columns holding latitude and longitude (degrees, as text), for GeoJSON.
    lat: str | None = None
    lon: str | None = None

    def selected(self, public: bool) -> list[int]:
        return [n for n, column in enumerate(self.columns) if column.public or not public]


@lru_cache(maxsize=4096)
def degrees(microdegrees: int | None) -> str:
    """Exact decimal degrees of a whole number of microdegrees: -49370000 -> "-49.370000"."""
    if microdegrees is None:
        return ""
    sign = "-" if microdegrees < 0 else ""
    whole, fraction = divmod(abs(microdegrees), 1_000_000)
    return f"{sign}{whole}.{fraction:06d}"


def _day(moment: datetime | None) -> str:
    return timezone.localdate(moment).isoformat() if moment is not None else ""


# Rows repeat their receipt's time and place: conversions are cached (bounded), and the zone is
# part of the key, so a reader in another time zone never gets another's days.
@lru_cache(maxsize=65536)
def _local_day(raw: datetime | str, zone: tzinfo) -> str:
    """The local day of a time as the database driver gives it: an aware datetime
    (PostgreSQL) or SQLite's UTC text, `2026-11-24 09:00:00[.ffffff]`."""
    moment = raw if isinstance(raw, datetime) else datetime.fromisoformat(raw).replace(tzinfo=UTC)
    return moment.astimezone(zone).date().isoformat()


def _time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(timezone.get_current_timezone()).isoformat(timespec="seconds")


def _stream(queryset: QuerySet[Any], *fields: str) -> Iterator[Row]:
    # A server-side cursor on PostgreSQL, chunked fetches on SQLite: memory stays flat.
    return iter(queryset.values_list(*fields).iterator(chunk_size=CHUNK_ROWS))


# Items


def _item_corrections() -> dict[int, str | None]:
    """Item -> its category after corrections, None when voided. Corrections are rare (a few
    per thousand items), so they are read once rather than joined to every row."""
    final: dict[int, str | None] = {}
    rows = Correction.objects.order_by("entry_id").values_list("item_id", "action", "changes")
    for item_id, action, changes in rows.iterator(chunk_size=CHUNK_ROWS):
        if item_id in final and final[item_id] is None:
            continue
        if action == Correction.Action.VOID:
            final[item_id] = None
        elif isinstance(changes, dict) and isinstance(changes.get("category"), str):
            final[item_id] = changes["category"]
    return final


# What the items export reads of each row (bench/reports.py iterates the same, bare).
ITEM_FIELDS = (
    "pk",
    "mission_id",
    "receipt__number",
    "kind",
    "category",
    "receipt__received_at",
    "receipt__collection_point__code",
    "receipt__collection_point__lat_microdeg",
    "receipt__collection_point__lon_microdeg",
    "receipt__party__code",
    "quantity",
    "make",
    "model",
    "calibre",
    "serial",
    "condition",
)


def item_stream() -> Iterator[Row]:
    """The items' rows straight from the driver: a server-side cursor on PostgreSQL, chunked
    fetches on SQLite, without the ORM's per-value converters (a third of the time at a million
    rows); times come as the driver gives them (see `_local_day`)."""
    sql, params = Item.objects.order_by("pk").values_list(*ITEM_FIELDS).query.sql_with_params()
    # No transaction: on SQLite it would hold the write lock for the whole download; on
    # PostgreSQL Django makes the named cursor WITH HOLD in autocommit.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            yield from rows


def _item_rows(public: bool) -> Iterator[Row]:
    corrected = _item_corrections()
    zone = timezone.get_current_timezone()
    for pk, mission_id, receipt, kind, category, at, point, lat, lon, party, *rest in item_stream():
        if pk in corrected:
            current = corrected[pk]
            if current is None:
                continue  # voided: not in the totals, not in the export
            category = current
        quantity, make, model, calibre, serial, condition = rest
        yield (
            mission_id,
            receipt,
            kind,
            category,
            _local_day(at, zone),
            point,
            degrees(lat),
            degrees(lon),
            party,
            "" if quantity is None else quantity,
            make,
            model,
            calibre,
            serial,
            condition,
        )


ITEMS = Dataset(
    "items",
    ("registry.item/1", "registry.lot/1"),
    (
        Column("mission_id", "#item+id", log_field="mission_id"),
        Column("receipt", "#meta+receipt", log_field="receipt"),
        Column("kind", "#item+kind"),
        Column("category", "#item+type", log_field="category"),
        Column("date", "#date", log_field="date"),
        Column("collection_point", "#loc+code", log_field="collection_point"),
        Column("lat", "#geo+lat"),
        Column("lon", "#geo+lon"),
        Column("party", "#org+party"),
        Column("quantity", "#item+num", log_field="quantity"),
        Column("make", "#item+make", public=False),
        Column("model", "#item+model", public=False),
        Column("calibre", "#item+calibre", public=False),
        Column("serial", "#item+serial", public=False),
        Column("condition", "#item+condition", public=False),
    ),
    _item_rows,
    lat="lat",
    lon="lon",
)


# Receipts


def _receipt_rows(public: bool) -> Iterator[Row]:
    rows = _stream(
        Receipt.objects.order_by("pk"),
        "number",
        "received_at",
        "collection_point__code",
        "collection_point__lat_microdeg",
        "collection_point__lon_microdeg",
        "party__code",
        "unit",
        "notes",
    )
    for number, at, point, lat, lon, party, unit, notes in rows:
        yield number, _day(at), _time(at), point, degrees(lat), degrees(lon), party, unit, notes


RECEIPTS = Dataset(
    "receipts",
    ("registry.handover/1",),
    (
        Column("receipt", "#meta+receipt", log_field="receipt"),
        Column("date", "#date", log_field="date"),
        Column("received_at", "#date+time", public=False),
        Column("collection_point", "#loc+code", log_field="collection_point"),
        Column("lat", "#geo+lat"),
        Column("lon", "#geo+lon"),
        Column("party", "#org+party", log_field="party"),
        Column("unit", "#org+unit", public=False),
        Column("notes", "#description", public=False),
    ),
    _receipt_rows,
    lat="lat",
    lon="lon",
)


# Positions


def _position_rows(public: bool) -> Iterator[Row]:
    last = PositionEvent.objects.filter(position=OuterRef("pk")).order_by("-occurred_at", "-pk")
    positions = Position.objects.annotate(status=Subquery(last.values("status")[:1])).order_by(
        "code"
    )
    if public:
        # A vacated position not yet taken over is targeting data, sealed in the log.
        positions = positions.exclude(status=Status.VACATED)
    rows = _stream(
        positions,
        "code",
        "name",
        "lat_microdeg",
        "lon_microdeg",
        "sector__code",
        "party__code",
        "status",
    )
    for code, name, lat, lon, sector, party, status in rows:
        yield code, name, degrees(lat), degrees(lon), sector or "", party, status or ""


POSITIONS = Dataset(
    "positions",
    ("positions.position/1",),
    (
        Column("code", "#loc+code", log_field="code"),
        Column("name", "#loc+name", log_field="name"),
        Column("lat", "#geo+lat", log_field="lat"),
        Column("lon", "#geo+lon", log_field="lon"),
        Column("sector", "#adm1+code", log_field="sector"),
        Column("party", "#org+party", log_field="party"),
        Column("status", "#status"),
    ),
    _position_rows,
    lat="lat",
    lon="lon",
)


# Convoys


def _convoy_rows(public: bool) -> Iterator[Row]:
    convoys = Convoy.objects.order_by("planned_departure", "pk")
    if public:
        # Everything about a convoy is sealed until it arrives or turns back.
        convoys = convoys.filter(status__in=[Convoy.Status.ARRIVED, Convoy.Status.TURNED_BACK])
    rows = _stream(
        convoys,
        "reference",
        "organisation",
        "origin__code",
        "destination__code",
        "vehicles",
        "planned_departure",
        "status",
        "departed_at",
        "closed_at",
    )
    for reference, organisation, origin, destination, vehicles, planned, *rest in rows:
        status, departed, closed = rest
        yield (
            reference,
            organisation,
            origin,
            destination,
            vehicles,
            _time(planned),
            status,
            _time(departed),
            _time(closed),
        )


CONVOYS = Dataset(
    "convoys",
    ("convoys.convoy/1",),
    (
        Column("convoy", "#activity+code", log_field="convoy"),
        Column("organisation", "#org+impl", log_field="organisation"),
        Column("origin", "#loc+origin", log_field="origin"),
        Column("destination", "#loc+dest", log_field="destination"),
        Column("vehicles", "#indicator+vehicles", log_field="vehicles"),
        Column("planned_departure", "#date+planned", log_field="planned_departure"),
        Column("status", "#status"),
        Column("departed_at", "#date+start"),
        Column("closed_at", "#date+end"),
    ),
    _convoy_rows,
)


# Crossings


def _crossing_rows(public: bool) -> Iterator[Row]:
    rows = _stream(
        CrossingCount.objects.order_by("day", "checkpoint__code", "direction"),
        "day",
        "checkpoint__code",
        "checkpoint__lat_microdeg",
        "checkpoint__lon_microdeg",
        "direction",
        "men",
        "women",
        "children",
        "elderly",
        "disabled",
        "vehicles",
    )
    for day, checkpoint, lat, lon, *counts in rows:
        yield (day.isoformat(), checkpoint, degrees(lat), degrees(lon), *counts)


CROSSINGS = Dataset(
    "crossings",
    ("convoys.crossing/1",),
    (
        Column("day", "#date", log_field="day"),
        Column("checkpoint", "#loc+code", log_field="checkpoint"),
        Column("lat", "#geo+lat"),
        Column("lon", "#geo+lon"),
        Column("direction", "#direction", log_field="direction"),
        Column("men", "#affected+m+adults", log_field="men"),
        Column("women", "#affected+f+adults", log_field="women"),
        Column("children", "#affected+children", log_field="children"),
        Column("elderly", "#affected+elderly", log_field="elderly"),
        Column("disabled", "#affected+disabled", log_field="disabled"),
        Column("vehicles", "#indicator+vehicles", log_field="vehicles"),
    ),
    _crossing_rows,
    lat="lat",
    lon="lon",
)


# Incidents


def _incident_rows(public: bool) -> Iterator[Row]:
    rows = _stream(
        Incident.objects.order_by("occurred_at", "pk"),
        "pk",
        "occurred_at",
        "kind",
        "lat_microdeg",
        "lon_microdeg",
        "place__code",
        "alleged_party__code",
        "verification",
        "location",
        "description",
    )
    for pk, at, kind, lat, lon, place, party, verification, location, description in rows:
        yield (
            f"INC-{pk}",
            _day(at),
            _time(at),
            kind,
            degrees(lat),
            degrees(lon),
            place or "",
            party or "",
            verification,
            location,
            description,
        )


INCIDENTS = Dataset(
    "incidents",
    ("incidents.report/1",),
    (
        Column("incident", "#event+id", log_field="incident"),
        Column("date", "#date"),
        Column("occurred_at", "#date+occurred", log_field="occurred_at"),
        Column("kind", "#event+type", log_field="kind"),
        Column("lat", "#geo+lat", log_field="lat"),
        Column("lon", "#geo+lon", log_field="lon"),
        Column("place", "#loc+code", log_field="place"),
        Column("alleged_party", "#org+alleged", log_field="alleged_party"),
        Column("verification", "#status+verification"),
        Column("location", "#loc+details", public=False),
        Column("description", "#description", public=False),
    ),
    _incident_rows,
    lat="lat",
    lon="lon",
)

DATASETS: dict[str, Dataset] = {
    dataset.name: dataset for dataset in (ITEMS, RECEIPTS, POSITIONS, CONVOYS, CROSSINGS, INCIDENTS)
}


# Formats: each writer turns the header and the rows into chunks of bytes.


@dataclass(frozen=True)
class Export:
    dataset: Dataset
    columns: list[Column]
    rows: Iterator[Row]


Writer = Callable[[Export], Iterator[bytes]]


def _csv(export: Export, *, hashtags: bool) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in export.columns])
    if hashtags:
        writer.writerow([column.hxl for column in export.columns])
    # The header goes out at once: a client sees the download start before the first query.
    yield ("\ufeff" + buffer.getvalue()).encode()
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(export.rows, start=1):
        writer.writerow(row)
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def write_csv(export: Export) -> Iterator[bytes]:
    return _csv(export, hashtags=False)


def write_hxl(export: Export) -> Iterator[bytes]:
    """CSV with the HXL hashtag row under the header (hxlstandard.org)."""
    return _csv(export, hashtags=True)


def write_geojson(export: Export) -> Iterator[bytes]:
    """A FeatureCollection (RFC 7946); a row without coordinates has a null geometry."""
    names = [column.name for column in export.columns]
    lat = names.index(export.dataset.lat) if export.dataset.lat in names else None
    lon = names.index(export.dataset.lon) if export.dataset.lon in names else None
    yield b'{"type":"FeatureCollection","features":['
    parts: list[str] = []
    separator = ""
    for count, row in enumerate(export.rows, start=1):
        properties = json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False)
        geometry = "null"
        if lat is not None and lon is not None and row[lat] and row[lon]:
            # Degrees as exact decimal text: valid JSON numbers, no float rounding.
            geometry = f'{{"type":"Point","coordinates":[{row[lon]},{row[lat]}]}}'
        parts.append(
            f'{separator}{{"type":"Feature","geometry":{geometry},"properties":{properties}}}'
        )
        separator = ","
        if count % CHUNK_ROWS == 0:
            yield "".join(parts).encode()
            parts = []
    yield ("".join(parts) + "]}").encode()


def write_xlsx(export: Export) -> Iterator[bytes]:
    """XLSX through xlsxwriter's constant_memory mode: each row is flushed to a temporary
    file as it is written; the finished file is then sent in chunks."""
    import xlsxwriter

    with tempfile.TemporaryFile() as handle:
        workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "in_memory": False})
        sheet = workbook.add_worksheet(export.dataset.name)
        bold = workbook.add_format({"bold": True})
        sheet.write_row(0, 0, [column.name for column in export.columns], bold)
        for number, row in enumerate(export.rows, start=1):
            sheet.write_row(number, 0, row)
        workbook.close()
        handle.seek(0)
        while chunk := handle.read(256 * 1024):
            yield chunk


@dataclass(frozen=True)
class Format:
    writer: Writer
    content_type: str
    extension: str


FORMATS: dict[str, Format] = {
    "csv": Format(write_csv, "text/csv; charset=utf-8", "csv"),
    "hxl": Format(write_hxl, "text/csv; charset=utf-8", "hxl.csv"),
    "geojson": Format(write_geojson, "application/geo+json", "geojson"),
    "xlsx": Format(
        write_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    ),
}


def export(dataset: str, fmt: str, *, public: bool) -> tuple[Format, Iterator[bytes]]:
    """The chosen format and the export's bytes, lazily. KeyError for an unknown name."""
    chosen, found = FORMATS[fmt], DATASETS[dataset]
    keep = found.selected(public)
    rows: Iterable[Row] = found.rows(public)
    pick = itemgetter(*keep)
    selected = (pick(row) for row in rows) if public else iter(rows)
    columns = [found.columns[n] for n in keep]
    return chosen, chosen.writer(Export(found, columns, selected))


def filename(dataset: str, fmt: str, *, public: bool, today: date | None = None) -> str:
    day = (today or timezone.localdate()).isoformat()
    scope = "public-" if public else ""
    return f"ceasefire-{scope}{dataset}-{day}.{FORMATS[fmt].extension}"
