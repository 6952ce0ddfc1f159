"""Readers over the stored log, for the pure core's proof and tile functions."""

from __future__ import annotations

from collections.abc import Sequence

from ceasefire.ledger.merkle import HASH_SIZE, CompactRange
from ceasefire.ledger.models import LogEntry, LogHash, LogHead


class DatabaseHashReader:
    def read_hashes(self, indexes: Sequence[int]) -> list[bytes]:
        found = dict(LogHash.objects.filter(index__in=list(indexes)).values_list("index", "hash"))
        missing = [i for i in indexes if i not in found]
        if missing:
            raise LookupError(f"stored hashes {missing[:5]} are missing")
        return [bytes(found[i]) for i in indexes]


def read_entries(start: int, end: int) -> list[bytes]:
    rows = LogEntry.objects.filter(index__gte=start, index__lt=end).order_by("index")
    return [bytes(body) for body in rows.values_list("body", flat=True)]


def compact_range(head: LogHead) -> CompactRange:
    packed = bytes(head.compact_range)
    hashes = [packed[i : i + HASH_SIZE] for i in range(0, len(packed), HASH_SIZE)]
    return CompactRange(head.size, hashes)
