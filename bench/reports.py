"""Benchmark of the daily report and the exports at scale (issue: "fast at a million records").

    .venv/bin/python bench/reports.py [--items 1000000]
    bash scripts/with-postgres.sh .venv/bin/python bench/reports.py --items 1000000

Into the database of DATABASE_URL (else SQLite in CEASEFIRE_DATA_DIR, by default var/bench-reports,
kept between runs). Adds the few
records the generator needs when missing (or uses the demo's), then tops the registry up to
`--items` items as `ceasefire demo --scale` does (receipts, custody events and log entries,
through the registry's write paths), and prints:
  - the generation rate (items/s and log entries/s);
  - the daily report's time (the last day whose cut-off has passed; best and median of 5);
  - CSV, HXL, GeoJSON and XLSX export rates of the items (rows/s), each in its own process with
    its peak resident memory, beside a bare cursor iteration over the same rows in the same run
    (the ratio says what the writing costs on top of reading).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

FORMATS = ("csv", "hxl", "geojson", "xlsx")


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
    if "DATABASE_URL" not in os.environ:
        # Kept between runs (a million items take a while to generate), apart from the demo's.
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        os.environ.setdefault("CEASEFIRE_DATA_DIR", os.path.join(root, "var", "bench-reports"))
    import django

    django.setup()


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM). Not getrusage's ru_maxrss, which on Linux
    keeps the parent's high-water mark across fork and exec."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(what: str) -> None:
    """In a child process: stream one export (or the bare rows) to nowhere; print JSON."""
    setup()
    from ceasefire.reports import exports

    baseline = peak_mb()
    started = time.perf_counter()
    rows = size = 0
    if what == "bare":
        for _row in exports.item_stream():
            rows += 1
    else:
        for chunk in exports.export("items", what, public=False)[1]:
            size += len(chunk)
        from ceasefire.registry.models import Item

        rows = Item.objects.count()
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "rows": rows,
                "seconds": seconds,
                "bytes": size,
                "peak_mb": peak_mb(),
                "baseline_mb": baseline,
            }
        )
    )


def child(what: str) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--measure", what], check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def world() -> None:
    """The few records the generator needs (two parties, a field and a storage officer,
    collection points), made through the services when the database has none: the bench does
    not depend on the whole demo scenario loading."""
    from ceasefire.accounts import services as accounts
    from ceasefire.accounts.models import Party, User
    from ceasefire.accounts.roles import Role
    from ceasefire.places import services as places
    from ceasefire.places.models import Place

    for code in ("north", "south"):
        if not Party.objects.filter(code=code).exists():
            accounts.party_create(code=code, name=code.title())
    for username, role in (("field", Role.FIELD_OFFICER), ("storage", Role.STORAGE_OFFICER)):
        if not User.objects.filter(username=username).exists():
            accounts.user_create(
                username=username,
                password="bench-only-password",
                roles=[role],
                check_password=False,
            )
    if not Place.objects.filter(kind=Place.Kind.COLLECTION_POINT).exists():
        for number in range(8):
            places.place_create(
                code=f"bench-point-{number}",
                kind=Place.Kind.COLLECTION_POINT,
                names=[places.NameForm(language="en", name=f"Point {number}", neutral=True)],
                lat_microdeg=-49_300_000 - number * 20_000,
                lon_microdeg=69_500_000 + number * 30_000,
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument(
        "--rebuild-tallies",
        action="store_true",
        help="empty the report's receipt tallies first, to time building them from scratch",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from ceasefire.accounts.models import Party, User
    from ceasefire.registry.models import Item
    from ceasefire.reports import selectors, services
    from ceasefire.reports.config import report_clock
    from ceasefire.reports.models import ReceiptTally
    from ceasefire.reports.scale import generate

    call_command("migrate", interactive=False, verbosity=0)
    world()
    print(f"database: {connection.vendor}")
    have = Item.objects.count()
    if have < args.items:
        size_before = selectors.log_size()
        result = generate(
            args.items - have,
            officer=User.objects.get(username="field"),
            storage=User.objects.get(username="storage"),
            parties=list(Party.objects.order_by("code")),
        )
        entries = selectors.log_size() - size_before
        print(
            f"generated {result.items:,} items in {result.receipts:,} receipts, "
            f"{result.destroyed:,} destroyed, {entries:,} log entries in {result.seconds:.0f} s: "
            f"{result.items / result.seconds:,.0f} items/s, {entries / result.seconds:,.0f} "
            "log entries/s"
        )
    items = Item.objects.count()
    print(f"items: {items:,}; log entries: {selectors.log_size():,}")

    if args.rebuild_tallies:
        ReceiptTally.objects.all().delete()
    started = time.perf_counter()
    services.tally_sync()
    print(f"receipt tallies brought up to date in {time.perf_counter() - started:.2f} s")
    day = report_clock().last_closed_day(timezone.now())
    times = []
    for _run in range(5):
        started = time.perf_counter()
        figures = selectors.daily_figures(day)
        times.append(time.perf_counter() - started)
    print(
        f"daily report of {day} ({figures['weapons']['total']['surrendered']:,} items counted): "
        f"best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms "
        "(target < 500 ms)"
    )

    bare = child("bare")
    bare_rate = bare["rows"] / bare["seconds"]
    print(
        f"bare cursor over the items' rows: {bare_rate:,.0f} rows/s, peak {bare['peak_mb']:.0f} MB"
    )
    for fmt in FORMATS:
        run = child(fmt)
        rate = run["rows"] / run["seconds"]
        print(
            f"{fmt} export: {rate:,.0f} rows/s ({run['bytes'] / 1e6:,.0f} MB in "
            f"{run['seconds']:.1f} s), {bare_rate / rate:.1f}x the bare cursor's time, "
            f"peak {run['peak_mb']:.0f} MB (after setup {run['baseline_mb']:.0f} MB)"
            + ("  (target >= 100,000 rows/s, < 200 MB)" if fmt == "csv" else "")
        )


if __name__ == "__main__":
    main()
