"""docs/log.md, generated from the entry type declarations, so the documentation of the log's
format cannot drift from the code (`make docs` writes it; a test compares)."""

from __future__ import annotations

from ceasefire.ledger.policy import ENTRY_TYPES

HEADER = """# Log entry types

Generated from the code by `make docs`; do not edit by hand.

Every entry is canonical JSON (RFC 8785, no floating-point numbers):
`{"type": T, "policy": N, "fields": {...public fields...}, "sealed": {field: commitment}}`, where
N is the version of the disclosure policy in force (a `ledger.policy/1` entry) and each commitment
is base64 of HMAC-SHA-256(secret, canonical JSON of the value). The disclosure below is the default;
a mission may seal or withhold more, and `ledger.policy/1` entries in the log say what it chose.
Fields marked *personal* name or describe a person: they are never public.
"""


def render() -> str:
    parts = [HEADER]
    for name, entry_type in sorted(ENTRY_TYPES.items()):
        parts.append(f"\n## `{name}`\n\n{entry_type.doc}\n")
        if entry_type.fields:
            parts.append("\n| Field | Default disclosure | Meaning |\n| --- | --- | --- |\n")
            for field in entry_type.fields:
                personal = " (*personal*)" if field.personal else ""
                parts.append(f"| `{field.name}` | {field.disclosure}{personal} | {field.doc} |\n")
    return "".join(parts)
