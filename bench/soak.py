"""Soak of the log under concurrent writers.

    .venv/bin/python bench/soak.py [--writers 50] [--seconds 60]

Each writer is a thread with its own database connection appending `ledger.test/1` entries, one
per transaction, for the given time, into the database of DATABASE_URL (a fresh SQLite file in a
temporary data dir when unset). Then the log is checked: no error, every index written exactly
once, every stored hash there, and the exported log verifies. Prints appends/s and the p50/p99
latency of one append-and-commit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    options = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="ceasefire-soak-"))
    if "DATABASE_URL" not in os.environ:
        os.environ["CEASEFIRE_DATA_DIR"] = str(scratch / "data")
    os.environ["CEASEFIRE_LOG_DIR"] = str(scratch / "log")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceasefire.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections, transaction

    from ceasefire.ledger import commands, services
    from ceasefire.ledger.merkle import stored_hash_count
    from ceasefire.ledger.models import LogEntry, LogHash, LogHead

    call_command("migrate", verbosity=0)
    start_size = LogHead.objects.get(pk=1).size
    indexes: list[int] = []
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + options.seconds

    def write(writer: int) -> None:
        mine: list[int] = []
        times: list[float] = []
        number = 0
        try:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                with transaction.atomic():
                    entry = services.append(
                        "ledger.test/1", {"category": f"w{writer}", "quantity": number}
                    )
                times.append(time.perf_counter() - started)
                mine.append(entry.index)
                number += 1
        except Exception as exc:
            errors.append(f"writer {writer}: {exc!r}")
        finally:
            connections.close_all()
        with lock:
            indexes.extend(mine)
            latencies.extend(times)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(options.writers)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began

    size = LogHead.objects.get(pk=1).size
    stored = sorted(LogEntry.objects.filter(index__gte=start_size).values_list("index", flat=True))
    written = sorted(indexes)
    print(f"soak on {connection.vendor}: {options.writers} writers for {options.seconds:.0f} s")
    print(f"  appends                  {len(written):,} ({len(written) / elapsed:,.0f}/s)")
    if latencies:
        cuts = statistics.quantiles(latencies, n=100)
        print(
            f"  append+commit latency    p50 {cuts[49] * 1000:.1f} ms  p99 {cuts[98] * 1000:.1f} ms"
        )
    print(f"  errors                   {len(errors)}")
    for error in errors[:5]:
        print(f"    {error}")
    print(f"  duplicate indexes        {len(written) - len(set(written))}")
    print(f"  missing indexes          {len(set(range(start_size, size)) - set(stored))}")
    # A fresh log starts with its policy entry; any other entry must be a writer's.
    others = LogEntry.objects.filter(index__in=set(stored) - set(written))
    print(f"  unacknowledged entries   {others.exclude(entry_type='ledger.policy/1').count()}")
    hashes_whole = LogHash.objects.count() == stored_hash_count(size)
    print(f"  stored hashes complete   {'yes' if hashes_whole else 'NO'}")
    services.publish_checkpoint()
    commands.export(scratch / "export")
    commands.verify(str(scratch / "export"), None, None, [])


if __name__ == "__main__":
    main()
