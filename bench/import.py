"""Benchmark of `ceasefire import handovers`: a 10,000-row CSV file imported whole.

    .venv/bin/python bench/import.py [--rows 10000]

Into the database of DATABASE_URL (a fresh SQLite file in a temporary data dir when unset).
Beside it, as the baseline, the same number of bare log appends in one transaction: the
import's floor, since every row is its own log entry by design.
"""

import argparse
import csv
import io
import os
import random
import tempfile
import time
from collections.abc import Sequence

MODELS = [
    ("Kalashnikov", "AK-74"),
    ("Kalashnikov", "AKM"),
    ("Kalashnikov", "PKM"),
    ("Dragunov", "SVD"),
    ("Makarov", "PM"),
    ("Bazalt", "RPG-7"),
]


def sample_csv(rows: int, seed: int = 7) -> bytes:
    """Rows of handovers, 100 lines to a receipt, every tenth row an ammunition lot."""
    from ceasefire.registry.imports import COLUMNS

    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for number in range(rows):
        header = {
            "receipt": f"B-{number // 100}",
            "collection_point": "bench-point",
            "received_at": f"2026-11-{1 + number // 1000:02d}T09:{number // 100 % 60:02d}",
            "party": "bench",
            "unit": f"Company {number // 100}",
            "received_by": "bench",
            "witnesses": "First Witness; Second Witness",
        }
        if number % 10 == 9:
            line = {
                "kind": "lot",
                "category": "ammunition",
                "calibre": "7.62×39 mm",
                "lot_number": f"{rng.randint(1, 99)}-{rng.randint(60, 90)}",
                "quantity": str(rng.randint(10, 2000)),
                "condition": "serviceable",
            }
        else:
            make, model = rng.choice(MODELS)
            line = {
                "kind": "weapon",
                "make": make,
                "model": model,
                "serial": f"BX{number:07d}",
                "country": "SU",
                "year": str(rng.randint(1960, 1990)),
                "markings": "present",
                "condition": "serviceable",
            }
        writer.writerow(header | line)
    return out.getvalue().encode()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark of the handover import.")
    parser.add_argument("--rows", type=int, default=10_000)
    options = parser.parse_args(argv)
    if "DATABASE_URL" not in os.environ:
        os.environ["CEASEFIRE_DATA_DIR"] = tempfile.mkdtemp(prefix="ceasefire-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from ceasefire.accounts import services as accounts
    from ceasefire.accounts.roles import Role
    from ceasefire.ledger import services as ledger
    from ceasefire.places import services as places
    from ceasefire.places.models import Place
    from ceasefire.registry.imports import handovers_import

    call_command("migrate", verbosity=0)
    accounts.party_create(code="bench", name="Bench")
    user = accounts.user_create(
        username="bench", password="x", roles=[Role.FIELD_OFFICER], check_password=False
    )
    places.place_create(
        code="bench-point",
        kind=Place.Kind.COLLECTION_POINT,
        names=[places.NameForm(language="en", name="Bench point", neutral=True)],
    )
    data = sample_csv(options.rows)
    print(f"import of {options.rows:,} rows on {connection.vendor}")
    started = time.perf_counter()
    with transaction.atomic():
        for number in range(options.rows):
            ledger.append("ledger.test/1", {"category": "rifle", "quantity": number, "note": "n"})
    bare = time.perf_counter() - started
    print(f"  bare log appends, 1 txn  {options.rows / bare:>10,.0f} entries/s ({bare:.2f} s)")
    started = time.perf_counter()
    result = handovers_import(user=user, data=data)
    seconds = time.perf_counter() - started
    print(
        f"  import                   {result.rows / seconds:>10,.0f} rows/s ({seconds:.2f} s, "
        f"{len(result.receipts)} receipts)  ratio to bare appends {bare / seconds:.2f}"
    )


if __name__ == "__main__":
    main()
