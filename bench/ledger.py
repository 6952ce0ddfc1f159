"""Benchmarks of the transparency log.

    .venv/bin/python bench/ledger.py --core [--size 1000000]
    .venv/bin/python bench/ledger.py --durable [--count 5000]

Each section is a function that prints its figures. `--durable` appends through
`ceasefire.ledger.services.append` into the database of DATABASE_URL (a fresh SQLite file in a
temporary data dir when unset), one entry per transaction and in batches of 1,000, beside a bare
insert-and-commit loop on the same database as the baseline.
"""

import argparse
import hashlib
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ceasefire.ledger import note
from ceasefire.ledger.checkpoint import Checkpoint
from ceasefire.ledger.entries import canonical_json
from ceasefire.ledger.merkle import (
    MemoryHashStore,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    stored_hash_index,
    tree_hash,
    verify_consistency,
    verify_inclusion,
)
from ceasefire.ledger.tiles import export_log
from ceasefire.ledger.verify import directory_fetch, verify_log

ORIGIN = "bench.ceasefire.example/log"
PROOF_SAMPLES = 2000


def make_entries(count: int) -> list[bytes]:
    """Entries shaped like registry items: about 200 bytes of canonical JSON each."""
    started = time.perf_counter()
    entries = [
        canonical_json(
            {
                "type": "registry.item/1",
                "item": index,
                "category": "small_arms",
                "status": "handed_over",
                "quantity": 1 + index % 7,
                "position": {"lat": 48_000_000 + index, "lon": 35_000_000 - index},
                "serial": {"sealed": hashlib.sha256(b"%d" % index).hexdigest()},
            }
        )
        for index in range(count)
    ]
    elapsed = time.perf_counter() - started
    average_size = sum(len(entry) for entry in entries) / count
    print(f"entries: {count:,} of {average_size:.0f} bytes on average")
    print(f"  canonical_json            {_rate(count, elapsed)}")
    return entries


def bench_core_append(entries: Sequence[bytes]) -> MemoryHashStore:
    """Leaf hashing and compact-range appends, against raw SHA-256 of the same entries."""
    sha256 = hashlib.sha256
    started = time.perf_counter()
    for entry in entries:
        sha256(entry).digest()
    raw_seconds = time.perf_counter() - started

    store = MemoryHashStore()
    append = store.append
    started = time.perf_counter()
    for entry in entries:
        append(leaf_hash(entry))
    core_seconds = time.perf_counter() - started

    print("append (leaf hash, compact range, stored hashes kept in memory)")
    print(f"  raw hashlib SHA-256       {_rate(len(entries), raw_seconds)}")
    print(f"  core append               {_rate(len(entries), core_seconds)}")
    print(f"  core / raw time           {core_seconds / raw_seconds:.2f}x")
    return store


def bench_proofs(store: MemoryHashStore) -> None:
    """Inclusion and consistency proofs from the stored hashes, and their verification."""
    size = store.size
    root = store.root()
    sample = random.Random(1)
    indexes = [sample.randrange(size) for _ in range(PROOF_SAMPLES)]
    old_sizes = [sample.randint(1, size) for _ in range(PROOF_SAMPLES)]
    old_roots = {old_size: tree_hash(old_size, store) for old_size in old_sizes}
    leaves = {index: store.read_hashes([stored_hash_index(0, index)])[0] for index in indexes}

    inclusion = _timings(indexes, lambda index: inclusion_proof(index, size, store))
    consistency = _timings(old_sizes, lambda old_size: consistency_proof(old_size, size, store))
    inclusion_checks = _timings(
        indexes,
        lambda index: verify_inclusion(
            leaves[index], index, size, inclusion_proof(index, size, store), root
        ),
    )
    consistency_checks = _timings(
        old_sizes,
        lambda old_size: verify_consistency(
            old_size, size, old_roots[old_size], root, consistency_proof(old_size, size, store)
        ),
    )
    print(f"proofs at size {size:,} ({PROOF_SAMPLES} random samples)")
    print(f"  inclusion proof           {inclusion}")
    print(f"  consistency proof         {consistency}")
    print(f"  inclusion prove+verify    {inclusion_checks}")
    print(f"  consistency prove+verify  {consistency_checks}")


def bench_verify(entries: Sequence[bytes], store: MemoryHashStore) -> None:
    """Export the log to a directory, then verify it from there as `log verify` would."""
    log = note.Ed25519Signer.from_key(note.generate_key(ORIGIN)[0])
    size = store.size
    signed = note.sign(Checkpoint(ORIGIN, size, store.root()).format(), [log])
    with tempfile.TemporaryDirectory(prefix="ceasefire-bench-") as directory:
        started = time.perf_counter()
        export_log(
            Path(directory),
            0,
            size,
            store,
            lambda start, end: entries[start:end],
            signed,
            durable=False,
        )
        export_seconds = time.perf_counter() - started

        started = time.perf_counter()
        verify_log(directory_fetch(Path(directory)), log.verifier())
        verify_seconds = time.perf_counter() - started
    print(f"exported log of {size:,} entries")
    print(f"  export to a directory     {_rate(size, export_seconds)} (no fsync)")
    print(f"  verify from the directory {_rate(size, verify_seconds)}")


def _timings(arguments: Sequence[int], operation: Callable[[int], object]) -> str:
    durations = []
    for argument in arguments:
        started = time.perf_counter()
        operation(argument)
        durations.append(time.perf_counter() - started)
    mean = statistics.fmean(durations) * 1e6
    worst = max(durations) * 1e6
    return f"mean {mean:7.1f} us, max {worst:7.1f} us"


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>12,.0f} entries/s ({seconds:.2f} s)"


def bench_durable(count: int) -> None:
    import os

    # A fresh data dir every run: its exported log must belong to this run's database, or the
    # never-fork check rightly refuses to sign (the database of DATABASE_URL is fresh too).
    os.environ["CEASEFIRE_DATA_DIR"] = tempfile.mkdtemp(prefix="ceasefire-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from ceasefire.ledger import services

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    blob = "BLOB" if vendor == "sqlite" else "BYTEA"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare")
        cursor.execute(f"CREATE TABLE bench_bare (id BIGINT PRIMARY KEY, body {blob})")
    body = b"x" * 200
    started = time.perf_counter()
    for number in range(count):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_bare VALUES (%s, %s)", [number, body])
    bare = time.perf_counter() - started
    print(f"durable appends on {vendor} ({connection.settings_dict['NAME']})")
    print(f"  bare insert+commit        {_rate(count, bare)}")

    def fields(number: int) -> dict[str, object]:
        return {"category": "assault_rifle", "quantity": number, "note": "n", "witness": "w"}

    started = time.perf_counter()
    for number in range(count):
        with transaction.atomic():
            services.append("ledger.test/1", fields(number))  # type: ignore[arg-type]
    single = time.perf_counter() - started
    print(f"  append, 1 per transaction {_rate(count, single)}  ratio to bare {bare / single:.2f}")
    batches = max(1, count * 10 // 1000)
    started = time.perf_counter()
    for batch in range(batches):
        with transaction.atomic():
            for number in range(1000):
                services.append("ledger.test/1", fields(batch * 1000 + number))  # type: ignore[arg-type]
    batched = time.perf_counter() - started
    print(f"  append, 1,000 per txn     {_rate(batches * 1000, batched)}")
    started = time.perf_counter()
    checkpoint = services.publish_checkpoint()
    print(
        f"  sign + export checkpoint of {checkpoint.size if checkpoint else 0:,} entries: "
        f"{time.perf_counter() - started:.2f} s"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmarks of the transparency log.")
    parser.add_argument(
        "--core", action="store_true", help="the pure core: appends, proofs, export and verify"
    )
    parser.add_argument("--size", type=int, default=1_000_000, help="entries in the log")
    parser.add_argument(
        "--durable", action="store_true", help="appends through the database (DATABASE_URL)"
    )
    parser.add_argument("--count", type=int, default=5000, help="durable appends to time")
    options = parser.parse_args(argv)
    if not (options.core or options.durable):
        parser.error("choose a section to run: --core, --durable")
    if options.core:
        entries = make_entries(options.size)
        store = bench_core_append(entries)
        bench_proofs(store)
        bench_verify(entries, store)
    if options.durable:
        bench_durable(options.count)


if __name__ == "__main__":
    main()
