from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.ledger import docs
from ceasefire.ledger.policy import (
    ENTRY_TYPES,
    Disclosure,
    EntryType,
    Field,
    PolicyError,
    build_rules,
)

ROOT = Path(__file__).resolve().parents[2]


def test_docs_list_every_entry_type_as_the_code_declares_it() -> None:
    assert (ROOT / "docs" / "log.md").read_text(encoding="utf-8") == docs.render(), (
        "docs/log.md is out of date: run `make docs`"
    )


def test_a_personal_field_cannot_be_declared_public() -> None:
    with pytest.raises(PolicyError, match="cannot be public"):
        Field("officer", "who", Disclosure.PUBLIC, personal=True)


def test_a_mission_cannot_make_a_personal_field_public() -> None:
    with pytest.raises(PolicyError, match="cannot be public"):
        build_rules({"ledger.test/1": {"witness": "public"}})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"no.such/1": {}}, "unknown entry type"),
        ({"ledger.test/1": {"colour": "public"}}, "unknown field"),
        ({"ledger.test/1": {"note": "secret"}}, "is not public, sealed or withheld"),
    ],
)
def test_bad_policy_overrides_are_refused(
    overrides: dict[str, dict[str, str]], message: str
) -> None:
    with pytest.raises(PolicyError, match=message):
        build_rules(overrides)


def test_no_personal_field_is_public_under_the_configured_policy() -> None:
    rules = build_rules()
    personal = {
        (name, field.name)
        for name, entry_type in ENTRY_TYPES.items()
        for field in entry_type.fields
        if field.personal
    }
    assert personal, "the declared entry types name no personal field at all"
    for type_name, field_name in personal:
        assert rules[type_name][field_name] is not Disclosure.PUBLIC


def test_structural_types_are_not_shaped_by_the_policy() -> None:
    rules = build_rules(types={"x.y/1": EntryType("x.y/1", "doc", structural=True)})
    assert rules == {}
