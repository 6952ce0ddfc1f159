from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import hxl
import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from ceasefire.accounts.models import User
from ceasefire.cli import main
from ceasefire.ledger import policy
from ceasefire.reports import exports
from tests.convoys.factories import on_the_road
from tests.incidents.factories import incident
from tests.positions.factories import position, vacate
from tests.reports.factories import handover

pytestmark = pytest.mark.django_db

# What libhxl checks in every HXL export: coordinates are numbers on Earth, dates are dates,
# counts are numbers.
HXL_SCHEMA = [
    ["#valid_tag", "#valid_datatype", "#valid_value+min", "#valid_value+max"],
    ["#geo+lat", "number", "-90", "90"],
    ["#geo+lon", "number", "-180", "180"],
    ["#date", "date", "", ""],
    ["#affected", "number", "0", ""],
    ["#item+num", "number", "1", ""],
]


@pytest.fixture
def records(cast: dict[str, User]) -> None:
    handover(cast["field"], timezone.now() - timedelta(days=1))
    vacate(position(code="hill-sealed"))
    position(code="hill-held")
    incident()
    on_the_road()


def body(dataset: str, fmt: str, *, public: bool) -> bytes:
    return b"".join(exports.export(dataset, fmt, public=public)[1])


@pytest.mark.usefixtures("records")
@pytest.mark.parametrize("dataset", sorted(exports.DATASETS))
def test_hxl_exports_pass_libhxl_validation(dataset: str) -> None:
    for public in (True, False):
        errors: list[object] = []
        schema = hxl.schema(HXL_SCHEMA, callback=errors.append)
        source = hxl.data(io.BytesIO(body(dataset, "hxl", public=public)))

        assert schema.validate(source), [(e.message, e.value) for e in errors]  # type: ignore[attr-defined]
        assert all(column.tag for column in source.columns)


@pytest.mark.usefixtures("records")
def test_hxl_exports_carry_the_standard_hashtags() -> None:
    tags = {
        column.display_tag
        for column in hxl.data(io.BytesIO(body("crossings", "hxl", public=True))).columns
    }
    item_tags = {
        column.display_tag
        for column in hxl.data(io.BytesIO(body("items", "hxl", public=True))).columns
    }

    assert {"#date", "#geo+lat", "#geo+lon", "#affected+children"} <= tags
    assert {"#item+type", "#date", "#geo+lat"} <= item_tags


@pytest.mark.usefixtures("records")
@pytest.mark.parametrize("dataset", sorted(exports.DATASETS))
def test_public_exports_hold_no_personal_or_sealed_field(dataset: str) -> None:
    found = exports.DATASETS[dataset]
    personal = {
        name for entry_type in policy.ENTRY_TYPES.values() for name in entry_type.personal_fields()
    }
    header = next(csv.reader(io.StringIO(body(dataset, "csv", public=True).decode("utf-8-sig"))))

    assert header == [column.name for column in found.columns if column.public]
    for column in found.columns:
        if column.public and column.log_field is None:
            # A column derived from public records (a place's coordinates) names no person.
            assert column.name not in personal
        elif column.public:
            disclosures = {
                policy.ENTRY_TYPES[name].field_map[column.log_field].disclosure
                for name in found.entry_types
                if column.log_field in policy.ENTRY_TYPES[name].field_map
            }
            assert disclosures == {policy.Disclosure.PUBLIC}, column.name


@pytest.mark.usefixtures("records")
def test_public_exports_leave_out_what_the_log_still_seals() -> None:
    positions = body("positions", "csv", public=True).decode()
    convoys = body("convoys", "csv", public=True).decode()

    assert "hill-held" in positions
    assert "hill-sealed" not in positions
    assert "hill-sealed" in body("positions", "csv", public=False).decode()
    assert len(convoys.strip().splitlines()) == 1  # only the header: the convoy is on the road


@pytest.mark.usefixtures("records")
def test_the_mission_export_adds_sealed_details_but_no_person(cast: dict[str, User]) -> None:
    text = body("items", "csv", public=False).decode()

    assert "Kalashnikov" in text
    assert "Orla Pettersen" not in text and "Rurik Senn" not in text


def test_an_export_streams_its_first_rows_before_it_ends(cast: dict[str, User]) -> None:
    for _receipt in range(3):
        handover(cast["field"], timezone.now() - timedelta(days=1), rifles=40, grenades=0)
    chunks = exports.export("items", "csv", public=True)[1]

    exports.CHUNK_ROWS, saved = 10, exports.CHUNK_ROWS
    try:
        first = next(chunks) + next(chunks)
        rows_so_far = first.decode("utf-8-sig").strip().splitlines()
        rest = b"".join(chunks)
    finally:
        exports.CHUNK_ROWS = saved

    assert rows_so_far[0].startswith("mission_id,")
    assert 1 < len(rows_so_far) < 1 + 3 * 41
    assert len(rest.decode().strip().splitlines()) + len(rows_so_far) == 1 + 3 * 41


@pytest.mark.usefixtures("records")
def test_geojson_and_xlsx_exports_are_well_formed() -> None:
    collection = json.loads(body("incidents", "geojson", public=True))
    workbook = openpyxl.load_workbook(
        io.BytesIO(body("items", "xlsx", public=True)), read_only=True
    )
    rows = list(workbook.active.iter_rows(values_only=True))

    assert collection["type"] == "FeatureCollection"
    point = collection["features"][0]["geometry"]
    assert point["type"] == "Point" and point["coordinates"] == [69.745, -49.371]
    assert rows[0][:2] == ("mission_id", "receipt") and len(rows) == 5


@pytest.mark.usefixtures("records")
def test_web_and_api_exports_stream_to_whom_the_table_allows(
    client_as: Callable[[str], Client],
) -> None:
    mission = client_as("analyst").get("/reports/export/items.csv")
    public = client_as("public").get("/public/export/items.hxl")
    api = client_as("public").get("/api/exports/incidents", {"format": "geojson"})

    assert mission.streaming and b"Kalashnikov" in b"".join(mission.streaming_content)  # type: ignore[attr-defined]
    assert public.streaming and b"#item+type" in b"".join(public.streaming_content)  # type: ignore[attr-defined]
    assert api["Content-Type"] == "application/geo+json"
    assert client_as("liaison_north").get("/reports/export/items.csv").status_code == 403
    assert client_as("public").get("/public/export/nothing.csv").status_code == 404


@pytest.mark.usefixtures("records")
def test_the_export_command_writes_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "items.geojson"

    assert (
        main(["export", "items", "--format", "geojson", "--output", str(output), "--public"]) == 0
    )
    assert main(["export", "weapons", "--output", str(output)]) == 2

    assert json.loads(output.read_bytes())["features"]
    assert "choose one of" in capsys.readouterr().err


def test_adding_a_format_is_one_entry(cast: dict[str, User]) -> None:
    exports.FORMATS["tsv"] = exports.Format(
        lambda export: iter([b"\t".join(c.name.encode() for c in export.columns)]),
        "text/tab-separated-values",
        "tsv",
    )
    try:
        assert body("crossings", "tsv", public=True).startswith(b"day\tcheckpoint")
    finally:
        del exports.FORMATS["tsv"]
