"""The public totals, computed from log entries alone. Pure Python: the server publishes what
this computes, and `ceasefire log verify` runs the same code over the downloaded log and compares.

Totals count items by public category: how many were surrendered (recorded and not voided) and
how many destroyed. A category that the policy seals is counted as `undisclosed`. Entry types
contribute through `HANDLERS`; modules that write countable entries register theirs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

UNDISCLOSED = "undisclosed"

Entry = dict[str, Any]


class Totals:
    def __init__(self) -> None:
        self.category_of: dict[int, str] = {}  # counted item (entry index) -> its category
        self.destroyed: set[int] = set()

    def add(self, index: int, entry: Entry) -> None:
        handler = HANDLERS.get(entry.get("type", ""))
        if handler is not None:
            handler(self, index, entry)

    # Operations handlers use
    def count_item(self, index: int, entry: Entry) -> None:
        self.category_of[index] = public_field(entry, "category") or UNDISCLOSED

    def recategorise(self, index: int, category: str) -> None:
        if index in self.category_of:
            self.category_of[index] = category

    def void(self, index: int) -> None:
        self.category_of.pop(index, None)
        self.destroyed.discard(index)

    def destroy(self, index: int) -> None:
        if index in self.category_of:
            self.destroyed.add(index)

    def figures(self) -> dict[str, Any]:
        surrendered = Counter(self.category_of.values())
        destroyed = Counter(self.category_of[index] for index in self.destroyed)
        return {
            "by_category": {
                category: {"surrendered": surrendered[category], "destroyed": destroyed[category]}
                for category in sorted(surrendered)
            },
            "total": {"surrendered": sum(surrendered.values()), "destroyed": len(self.destroyed)},
        }


def public_field(entry: Entry, name: str) -> Any:
    fields = entry.get("fields")
    return fields.get(name) if isinstance(fields, dict) else None


Handler = Callable[[Totals, int, Entry], None]

HANDLERS: dict[str, Handler] = {
    "ledger.test/1": lambda totals, index, entry: totals.count_item(index, entry),
}
