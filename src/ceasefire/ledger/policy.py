"""Entry types and the disclosure policy. Pure Python, shared by the server and `log verify`.

Every entry type declares its fields once, with a default disclosure and whether the field names
or describes a person. A mission may override the defaults per type and field (public, sealed,
withheld), except that a personal field can never be public. The policy in force is itself an
entry of the log (`ledger.policy/1`), so a verifier knows which fields each entry may show.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ceasefire.ledger.entries import JSONValue, canonical_json


class Disclosure(StrEnum):
    PUBLIC = "public"  # in clear in the log
    SEALED = "sealed"  # as a commitment; the opening is kept privately, revealable later
    WITHHELD = "withheld"  # not in the log at all


class PolicyError(ValueError):
    """A policy names an unknown type or field, or would make a personal field public."""


@dataclass(frozen=True)
class Field:
    name: str
    doc: str
    disclosure: Disclosure = Disclosure.PUBLIC
    personal: bool = False

    def __post_init__(self) -> None:
        if self.personal and self.disclosure is Disclosure.PUBLIC:
            raise PolicyError(f"field {self.name} names a person and cannot be public")


@dataclass(frozen=True)
class EntryType:
    """One kind of log entry, `app.name/version`. Its docstring-like `doc` feeds docs/log.md."""

    name: str
    doc: str
    fields: tuple[Field, ...] = ()
    # Entries the policy does not shape: their whole body is public by construction
    # (the policy itself, openings of sealed fields).
    structural: bool = False
    field_map: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "field_map", {f.name: f for f in self.fields})

    def personal_fields(self) -> list[str]:
        return [f.name for f in self.fields if f.personal]


ENTRY_TYPES: dict[str, EntryType] = {}


def register(entry_type: EntryType) -> EntryType:
    if entry_type.name in ENTRY_TYPES and ENTRY_TYPES[entry_type.name] != entry_type:
        raise PolicyError(f"entry type {entry_type.name} is declared twice")
    ENTRY_TYPES[entry_type.name] = entry_type
    return entry_type


Rules = dict[str, dict[str, Disclosure]]


def build_rules(
    overrides: Mapping[str, Mapping[str, str]] | None = None,
    types: Mapping[str, EntryType] | None = None,
) -> Rules:
    """The rules for every declared type: the declared defaults with the mission's overrides."""
    types = ENTRY_TYPES if types is None else types
    rules: Rules = {
        name: {f.name: f.disclosure for f in entry_type.fields}
        for name, entry_type in sorted(types.items())
        if not entry_type.structural
    }
    for type_name, field_rules in (overrides or {}).items():
        if type_name not in rules:
            raise PolicyError(f"the policy names an unknown entry type {type_name!r}")
        for field_name, value in field_rules.items():
            declared = types[type_name].field_map.get(field_name)
            if declared is None:
                raise PolicyError(f"the policy names an unknown field {type_name}.{field_name}")
            try:
                disclosure = Disclosure(value)
            except ValueError:
                raise PolicyError(
                    f"{type_name}.{field_name}: {value!r} is not public, sealed or withheld"
                ) from None
            if declared.personal and disclosure is Disclosure.PUBLIC:
                raise PolicyError(f"{type_name}.{field_name} names a person and cannot be public")
            rules[type_name][field_name] = disclosure
    return rules


def rules_digest(rules: Rules) -> str:
    return hashlib.sha256(canonical_json(rules_json(rules))).hexdigest()


def rules_json(rules: Rules) -> JSONValue:
    return {t: {f: str(d) for f, d in fields.items()} for t, fields in rules.items()}
