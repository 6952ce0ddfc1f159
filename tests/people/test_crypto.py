from __future__ import annotations

import base64
import os
import stat
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ceasefire.people import crypto


def test_a_field_decrypts_only_with_its_key_record_and_field() -> None:
    key = crypto.new_data_key()
    blob = crypto.encrypt(key, b"Anahit", record="people.person:1", field="name")
    assert b"Anahit" not in blob
    assert crypto.decrypt(key, blob, record="people.person:1", field="name") == b"Anahit"
    for record, field in [("people.person:2", "name"), ("people.person:1", "origin")]:
        with pytest.raises(crypto.CryptoError):
            crypto.decrypt(key, blob, record=record, field=field)
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(crypto.new_data_key(), blob, record="people.person:1", field="name")


def test_the_key_file_is_created_once_readable_only_by_its_owner() -> None:
    first = crypto.keyring()
    path = Path(settings.KEY_DIR) / "people-kek"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert crypto.keyring() == first


def test_a_wrapped_data_key_names_its_kek_and_unwraps_only_for_its_record() -> None:
    key = crypto.new_data_key()
    wrapped, kek = crypto.wrap(key, record="people.person:7")
    assert kek == crypto.keyring().current_id
    assert crypto.unwrap(wrapped, kek, record="people.person:7") == key
    with pytest.raises(crypto.CryptoError):
        crypto.unwrap(wrapped, kek, record="people.person:8")


def test_a_data_key_under_a_kek_no_longer_held_names_the_missing_key() -> None:
    with pytest.raises(crypto.KeyMissing, match="0123456789abcdef"):
        crypto.unwrap(b"\x01" + bytes(40), "0123456789abcdef", record="people.person:1")


def test_keks_from_the_environment_are_used_and_no_key_file_is_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    new, old = os.urandom(32), os.urandom(32)
    encoded = ", ".join(base64.b64encode(key).decode() for key in (new, old))
    monkeypatch.setenv("CEASEFIRE_PEOPLE_KEK", encoded)
    ring = crypto.keyring()
    assert ring.current == new and ring.get(crypto.kek_id(old)) == old
    assert not (Path(settings.KEY_DIR) / "people-kek").exists()


def test_a_malformed_kek_is_refused_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEASEFIRE_PEOPLE_KEK", "not-a-key")
    with pytest.raises(ImproperlyConfigured, match="32 random bytes in base64"):
        crypto.keyring()


def test_the_blind_index_ignores_case_accents_spacing_and_word_order() -> None:
    born = date(1991, 4, 2)
    same = {
        crypto.blind_index(name, born)
        for name in ("Ivanov, Ivan", "ivan  IVANOV", "Ívan Ivanov", "Ivan-Ivanov")
    }
    assert len(same) == 1
    assert crypto.blind_index("Ivan Ivanov", date(1991, 4, 3)) not in same
    assert crypto.blind_index("Ivan Petrov", born) not in same
    assert len(same.pop()) == 64


def test_the_blind_index_depends_on_a_key_not_only_on_the_name() -> None:
    before = crypto.blind_index("Ivan Ivanov", date(1991, 4, 2))
    crypto.keyring_prepend_new()
    assert crypto.blind_index("Ivan Ivanov", date(1991, 4, 2)) != before
