"""Checks on the entries of a downloaded log, beyond the Merkle tree: what `log verify` adds to
verify.verify_log. Pure Python.

Every entry must be canonical JSON of a known shape; its public and sealed fields must be what the
disclosure policy in force allowed; openings must open what they claim; and every published
totals entry must equal the totals recomputed from the entries before it.
"""

from __future__ import annotations

import json
from typing import Any

from ceasefire.ledger import sealing
from ceasefire.ledger.entries import canonical_json
from ceasefire.ledger.totals import Totals
from ceasefire.ledger.verify import VerifyError

POLICY = "ledger.policy/1"
OPENING = "ledger.opening/1"
PUBLISHED = "reports.published/1"


class EntryAuditor:
    def __init__(self) -> None:
        self.totals = Totals()
        self.rules: dict[int, dict[str, dict[str, str]]] = {}
        self.openings: list[sealing.Opening] = []
        self.published_totals_checked = 0
        self.entries = 0

    def __call__(self, index: int, raw: bytes) -> None:
        self.entries += 1
        try:
            entry = json.loads(raw)
        except ValueError:
            raise VerifyError(f"entry {index} is not JSON", index=index) from None
        if not isinstance(entry, dict) or not isinstance(entry.get("type"), str):
            raise VerifyError(f"entry {index} has no type", index=index)
        if canonical_json(entry) != raw:
            raise VerifyError(f"entry {index} is not in canonical JSON form", index=index)
        entry_type = entry["type"]
        if entry_type == POLICY:
            self.rules[int(entry["version"])] = entry["rules"]
            return
        if entry_type == OPENING:
            self.openings.append(sealing.Opening.from_json({**entry, "index": entry.get("entry")}))
            return
        self._check_policy(index, entry)
        if entry_type == PUBLISHED and entry["fields"].get("kind") == "totals":
            self._check_published_totals(index, entry["fields"])
        self.totals.add(index, entry)

    def _check_policy(self, index: int, entry: dict[str, Any]) -> None:
        rules = self.rules.get(entry.get("policy", -1))
        if rules is None:
            raise VerifyError(f"entry {index} names no policy the log published", index=index)
        type_rules = rules.get(entry["type"])
        if type_rules is None:
            raise VerifyError(
                f"entry {index} has type {entry['type']}, which its policy does not know",
                index=index,
            )
        for name in entry.get("fields", {}):
            if type_rules.get(name) != "public":
                raise VerifyError(
                    f"entry {index} shows field {name!r}, which its policy does not make public",
                    index=index,
                )
        for name in entry.get("sealed", {}):
            # A public field may be sealed for a while (delayed disclosure), never shown when
            # withheld.
            if type_rules.get(name) not in {"sealed", "public"}:
                raise VerifyError(
                    f"entry {index} seals field {name!r}, which its policy withholds", index=index
                )

    def _check_published_totals(self, index: int, fields: dict[str, Any]) -> None:
        if fields.get("size") != index:
            raise VerifyError(
                f"published totals in entry {index} claim to be computed at size "
                f"{fields.get('size')}, not at their own index",
                index=index,
            )
        recomputed = self.totals.figures()
        if fields.get("figures") != recomputed:
            raise VerifyError(
                f"the totals published in entry {index} are not the totals of the entries "
                f"before it: published {json.dumps(fields.get('figures'))}, "
                f"recomputed {json.dumps(recomputed)}",
                index=index,
            )
        self.published_totals_checked += 1

    def check_openings(self, read_entry: Any) -> None:
        """Check every opening against its entry; `read_entry(index)` returns the entry bytes."""
        for opening in self.openings:
            try:
                sealing.check_opening(opening, read_entry(opening.index))
            except sealing.OpeningError as exc:
                raise VerifyError(str(exc), index=opening.index) from None
