import json

import pytest
import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.ledger.entries import (
    MAX_SAFE_INTEGER,
    JSONValue,
    canonical_json,
    check_entry_size,
)

# Characters where UTF-16 and code point order disagree (U+E000..U+FFFF against U+10000 and up),
# and characters JSON escapes.
TRICKY_CHARACTERS = [
    "a",
    "Z",
    "é",
    "\ue000",
    "\uff5e",
    "\uffff",
    "\U00010000",
    "\U0001f600",
    "\U0010ffff",
    "\x00",
    "\x1f",
    "\x7f",
    '"',
    "\\",
    "/",
    "\u2028",
]

keys = st.text(max_size=6) | st.text(alphabet=st.sampled_from(TRICKY_CHARACTERS), max_size=4)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    | st.text()
    | st.text(alphabet=st.sampled_from(TRICKY_CHARACTERS))
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(keys, children, max_size=6),
    max_leaves=40,
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(json_values)
def test_canonical_json_equals_the_rfc8785_package_on_float_free_values(value: JSONValue) -> None:
    assert canonical_json(value) == rfc8785.dumps(value)


def test_keys_sort_by_utf16_code_units_as_in_the_rfc_8785_example() -> None:
    # RFC 8785 section 3.2.3: the emoji (UTF-16 D83D DE00) sorts before U+FB33.
    value: JSONValue = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    ordered = list(json.loads(canonical_json(value)))
    assert ordered == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    assert canonical_json(value) == rfc8785.dumps(value)


def test_utf16_ordering_applies_to_nested_objects_too() -> None:
    value: JSONValue = {"b": [{"\ue000": 1, "\U0001f600": 2}], "a": {"\uffff": 3, "\U00010000": 4}}
    assert canonical_json(value) == (
        '{"a":{"\U00010000":4,"\uffff":3},"b":[{"\U0001f600":2,"\ue000":1}]}'.encode()
    )
    # Python's own sort by code point would put U+E000 and U+FFFF first.
    assert (
        canonical_json(value)
        != json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )


def test_canonical_json_is_compact_utf8_with_minimal_escapes() -> None:
    value: JSONValue = {
        "type": "registry.item/1",
        "qty": -3,
        "name": 'Ünïcødé\n\x01"\\/',
        "ok": True,
    }
    assert canonical_json(value) == (
        '{"name":"Ünïcødé\\n\\u0001\\"\\\\/","ok":true,"qty":-3,"type":"registry.item/1"}'.encode()
    )


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (1.5, TypeError, "floating-point"),
        (float("nan"), TypeError, "floating-point"),
        ({"a": [1, {"b": 0.0}]}, TypeError, "floating-point"),
        (MAX_SAFE_INTEGER + 1, ValueError, "2\\*\\*53"),
        (-MAX_SAFE_INTEGER - 1, ValueError, "2\\*\\*53"),
        ({1: "a"}, TypeError, "not a string"),
        (b"bytes", TypeError, "bytes is not a JSON type"),
        ({"set": {1, 2}}, TypeError, "set is not a JSON type"),
        ("lone \ud800", ValueError, "lone surrogate"),
        ({"\udfff": 1}, ValueError, "lone surrogate"),
    ],
)
def test_values_canonical_json_cannot_hold_are_refused(
    value: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        canonical_json(value)  # type: ignore[arg-type]


def test_entries_longer_than_65535_bytes_are_refused() -> None:
    assert check_entry_size(b"x" * 65_535) == b"x" * 65_535
    with pytest.raises(ValueError, match="65536 bytes, over the limit of 65535"):
        check_entry_size(b"x" * 65_536)
