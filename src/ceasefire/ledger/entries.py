"""Log entries as RFC 8785 canonical JSON, restricted to values without floating-point numbers.

Without floats, RFC 8785 is json.dumps with sorted keys, no whitespace and UTF-8 output, except that
RFC 8785 sorts keys by UTF-16 code units and Python by code points: the two disagree when a key
with a character above U+FFFF (a surrogate pair in UTF-16) meets one with U+E000..U+FFFF at the
same position. Dictionaries with such keys are sorted explicitly.
"""

import json
from typing import TypeAlias

from ceasefire.ledger.tiles import MAX_ENTRY_SIZE

# Integers beyond this lose precision in an IEEE 754 double, which is what RFC 8785 numbers are.
MAX_SAFE_INTEGER = 2**53 - 1

JSONValue: TypeAlias = (
    bool | int | str | list["JSONValue"] | tuple["JSONValue", ...] | dict[str, "JSONValue"] | None
)


def canonical_json(value: JSONValue) -> bytes:
    """Return the RFC 8785 canonical form of a float-free JSON value, as UTF-8 bytes.

    Raises TypeError for floats and other non-JSON types (including non-string keys) and
    ValueError for integers beyond +-(2**53 - 1) and strings with lone surrogates.
    """
    if _check(value):
        value = _sorted_by_utf16(value)
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    else:
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    try:
        return text.encode()
    except UnicodeEncodeError as error:
        raise ValueError(
            "a string in the entry has a lone surrogate, which is not Unicode"
        ) from error


def check_entry_size(entry: bytes) -> bytes:
    """Return the entry if it fits an entry bundle (65,535 bytes at most); else raise ValueError."""
    if len(entry) > MAX_ENTRY_SIZE:
        raise ValueError(f"entry is {len(entry)} bytes, over the limit of {MAX_ENTRY_SIZE}")
    return entry


def _check(value: JSONValue) -> bool:
    """Reject what canonical JSON without floats cannot hold; return whether a key needs UTF-16
    ordering (it has a character outside the Basic Multilingual Plane)."""
    if value is None or isinstance(value, (bool, str)):
        return False
    if isinstance(value, int):
        if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            raise ValueError(f"integer {value} is beyond +-(2**53 - 1), which JSON cannot carry")
        return False
    if isinstance(value, float):
        raise TypeError(f"floating-point number {value!r} in an entry: use an integer in units")
    if isinstance(value, (list, tuple)):
        needs_utf16 = False
        for item in value:
            needs_utf16 |= _check(item)
        return needs_utf16
    if isinstance(value, dict):
        needs_utf16 = False
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"object key {key!r} is not a string")
            needs_utf16 |= not key.isascii() and max(key) > "\uffff"
            needs_utf16 |= _check(item)
        return needs_utf16
    raise TypeError(f"{type(value).__name__} is not a JSON type")


def _sorted_by_utf16(value: JSONValue) -> JSONValue:
    """Return a copy of the value whose objects list their keys in UTF-16 code unit order."""
    if isinstance(value, dict):
        # Big-endian UTF-16 bytes compare like the sequence of code units they encode.
        return {
            key: _sorted_by_utf16(value[key])
            for key in sorted(value, key=lambda key: key.encode("utf-16-be", "surrogatepass"))
        }
    if isinstance(value, (list, tuple)):
        return [_sorted_by_utf16(item) for item in value]
    return value
