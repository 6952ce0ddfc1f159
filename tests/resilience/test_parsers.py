"""Property tests of the log's parsers on hostile input: tile paths, entry bundles, checkpoints,
signed notes, portable proofs and openings. Whatever the bytes, a parser answers with a value
or its own ValueError, never another exception; and what it parses, it formats back the same.
(The CSV import, OpenRosa XML, witness request, export filter and correction payload parsers
belong to their own apps, whose owners cover them.)"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.ledger import note, proof, sealing, tiles
from ceasefire.ledger.checkpoint import Checkpoint, CheckpointError, parse_checkpoint

ORIGIN = "example.org/log"
SIGNER_KEY, VERIFIER_KEY = note.generate_key(ORIGIN)
SIGNER = note.Ed25519Signer.from_key(SIGNER_KEY)
VERIFIER = note.Ed25519Verifier.from_key(VERIFIER_KEY)

FAST = settings(max_examples=300, deadline=None)
path_text = st.text(alphabet="tile/entris0123456789x.p", max_size=40)


@FAST
@given(st.one_of(path_text, st.text(max_size=40)))
def test_a_tile_path_parses_only_in_its_one_canonical_form(path: str) -> None:
    try:
        tile = tiles.parse_tile_path(path)
    except ValueError:
        return
    assert tile.path == path


@FAST
@given(
    st.integers(min_value=-1, max_value=63),
    st.integers(min_value=0, max_value=10**15),
    st.integers(min_value=1, max_value=256),
)
def test_every_tile_path_parses_back_to_its_tile(level: int, index: int, width: int) -> None:
    tile = tiles.Tile(level, index, width)
    assert tiles.parse_tile_path(tile.path) == tile


@FAST
@given(st.binary(max_size=600))
def test_an_entry_bundle_decodes_or_is_refused(data: bytes) -> None:
    try:
        entries = tiles.decode_entry_bundle(data)
    except ValueError:
        return
    assert tiles.encode_entry_bundle(entries) == data


@FAST
@given(st.lists(st.binary(max_size=300), max_size=20))
def test_entry_bundles_round_trip(entries: list[bytes]) -> None:
    assert tiles.decode_entry_bundle(tiles.encode_entry_bundle(entries)) == entries


@FAST
@given(st.text(max_size=200))
def test_a_checkpoint_parses_or_is_refused_and_formats_back(text: str) -> None:
    try:
        checkpoint = parse_checkpoint(text)
    except CheckpointError:
        return
    assert checkpoint.format() == text


@FAST
@given(st.integers(min_value=0, max_value=2**63 - 1), st.binary(min_size=32, max_size=32))
def test_a_signed_note_survives_no_change_of_a_byte(size: int, root: bytes) -> None:
    signed = note.sign(Checkpoint(ORIGIN, size, root).format(), [SIGNER])
    assert note.open(signed, [VERIFIER]).text == Checkpoint(ORIGIN, size, root).format()


@FAST
@given(st.binary(max_size=400))
def test_a_signed_note_opens_or_is_refused(data: bytes) -> None:
    try:
        note.open(data, [VERIFIER])
    except note.NoteError:
        return
    raise AssertionError("random bytes carried a valid signature")


@FAST
@given(st.binary(max_size=600))
def test_a_proof_parses_or_is_refused(data: bytes) -> None:
    try:
        parsed = proof.parse_proof(data)
    except proof.TlogProofError:
        return
    assert parsed.checkpoint_note == data.partition(b"\n\n")[2]


@FAST
@given(
    st.integers(min_value=0, max_value=10**12),
    st.lists(st.binary(min_size=32, max_size=32), max_size=8),
    st.binary(max_size=100),
)
def test_proofs_round_trip(index: int, hashes: list[bytes], checkpoint_note: bytes) -> None:
    made = proof.TlogProof(index, tuple(hashes), checkpoint_note)
    assert proof.parse_proof(made.format()) == made


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)


@FAST
@given(st.dictionaries(st.sampled_from(["index", "field", "value", "secret"]), json_values))
def test_an_opening_parses_or_is_refused(data: dict[str, object]) -> None:
    try:
        opening = sealing.Opening.from_json(data)
    except sealing.OpeningError:
        return
    assert sealing.Opening.from_json(opening.as_json()) == opening


@FAST
@given(json_values, st.text(max_size=20), st.binary(max_size=200))
def test_an_opening_never_opens_an_entry_it_was_not_made_for(
    value: object, field: str, entry: bytes
) -> None:
    opening = sealing.Opening(0, field, value, sealing.new_secret())  # type: ignore[arg-type]
    try:
        sealing.check_opening(opening, entry)
    except sealing.OpeningError:
        return
    raise AssertionError("an opening matched an entry it was not made for")


def test_an_opening_opens_the_commitment_it_was_made_for() -> None:
    secret = sealing.new_secret()
    entry = json.dumps({"sealed": {"note": sealing.commitment(secret, "x")}}).encode()
    sealing.check_opening(sealing.Opening(0, "note", "x", secret), entry)
