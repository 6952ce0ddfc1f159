import base64

import pytest

from ceasefire.ledger import note
from ceasefire.ledger.checkpoint import (
    Checkpoint,
    CheckpointError,
    open_checkpoint,
    parse_checkpoint,
)
from ceasefire.ledger.merkle import EMPTY_ROOT

# The example of c2sp.org/tlog-checkpoint.
SPEC_TEXT = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
ORIGIN = "ceasefire.example/mission"


def test_the_spec_example_parses_and_formats_back() -> None:
    checkpoint = parse_checkpoint(SPEC_TEXT)
    assert checkpoint.origin == "example.com/behind-the-sofa"
    assert checkpoint.size == 20852163
    assert checkpoint.root_hash == base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    assert checkpoint.extensions == ()
    assert checkpoint.format() == SPEC_TEXT


def test_extension_lines_round_trip() -> None:
    text = SPEC_TEXT + "extension one\nextension two\n"
    checkpoint = parse_checkpoint(text)
    assert checkpoint.extensions == ("extension one", "extension two")
    assert checkpoint.format() == text


def test_an_empty_tree_has_size_zero() -> None:
    text = Checkpoint(ORIGIN, 0, EMPTY_ROOT).format()
    assert text == f"{ORIGIN}\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
    assert parse_checkpoint(text).size == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (SPEC_TEXT.removesuffix("\n"), "end with a newline"),
        ("example.com/log\n5\n", "origin, a size and a root"),
        ("\n5\n" + SPEC_TEXT.split("\n")[2] + "\n", "origin line is empty"),
        (SPEC_TEXT.replace("20852163", "020852163"), "no leading zeroes"),
        (SPEC_TEXT.replace("20852163", "+20852163"), "decimal"),
        (SPEC_TEXT.replace("20852163", "2085 2163"), "decimal"),
        (SPEC_TEXT.replace("20852163", "٣"), "decimal"),  # a non-ASCII digit
        (SPEC_TEXT.replace("20852163", "9223372036854775808"), "out of range"),
        (SPEC_TEXT.replace("20852163", "1" * 5000), "decimal"),
        (SPEC_TEXT.replace("q2I=", "q2I"), "not base64"),
        (SPEC_TEXT.replace("q2I=", "q2I=\n"), "empty extension line"),
        (SPEC_TEXT.replace("CsUY", "CsU"), "not base64"),
        ("example.com/log\n5\nAAAA\n", "3 bytes, not 32"),
        (SPEC_TEXT + "\n", "empty extension line"),
    ],
)
def test_malformed_checkpoints_are_refused(text: str, message: str) -> None:
    with pytest.raises(CheckpointError, match=message):
        parse_checkpoint(text)


def test_checkpoints_that_cannot_be_formatted_are_refused() -> None:
    with pytest.raises(CheckpointError, match="origin"):
        Checkpoint("", 1, EMPTY_ROOT)
    with pytest.raises(CheckpointError, match="origin"):
        Checkpoint("two\nlines", 1, EMPTY_ROOT)
    with pytest.raises(CheckpointError, match="out of range"):
        Checkpoint(ORIGIN, -1, EMPTY_ROOT)
    with pytest.raises(CheckpointError, match="32 bytes"):
        Checkpoint(ORIGIN, 1, b"short")
    with pytest.raises(CheckpointError, match="extension"):
        Checkpoint(ORIGIN, 1, EMPTY_ROOT, ("",))


def signer(name: str) -> note.Ed25519Signer:
    return note.Ed25519Signer.from_key(note.generate_key(name)[0])


def test_open_checkpoint_checks_the_log_signature_and_every_witness() -> None:
    log, witness, other = signer(ORIGIN), signer("witness.example/w1"), signer("w.example/w2")
    text = Checkpoint(ORIGIN, 0, EMPTY_ROOT).format()

    signed = note.sign(text, [log, witness])
    opened = open_checkpoint(signed, log.verifier(), witnesses=[witness.verifier()])
    assert opened.checkpoint.size == 0
    assert opened.signed_note == signed

    with pytest.raises(CheckpointError, match=r"lacks a cosignature from witness w\.example/w2"):
        open_checkpoint(signed, log.verifier(), witnesses=[other.verifier()])


def test_a_checkpoint_signed_only_by_a_witness_is_not_the_logs() -> None:
    log, witness = signer(ORIGIN), signer("witness.example/w1")
    signed = note.sign(Checkpoint(ORIGIN, 0, EMPTY_ROOT).format(), [witness])
    with pytest.raises(note.UnverifiedNoteError, match="not signed by the log key"):
        open_checkpoint(signed, log.verifier(), witnesses=[witness.verifier()])


def test_the_origin_must_be_the_log_key_name_or_the_one_given() -> None:
    log = signer(ORIGIN)
    signed = note.sign(Checkpoint("another.example/log", 0, EMPTY_ROOT).format(), [log])
    with pytest.raises(CheckpointError, match=r"not the expected 'ceasefire\.example/mission'"):
        open_checkpoint(signed, log.verifier())
    assert open_checkpoint(signed, log.verifier(), origin="another.example/log").checkpoint
