import base64
import hashlib

import pytest

from ceasefire.ledger import note
from ceasefire.ledger.note import (
    Ed25519Signer,
    Ed25519Verifier,
    InvalidSignatureError,
    NoteError,
    Signature,
    UnverifiedNoteError,
)

# The example of c2sp.org/signed-note, section "Verifier keys".
SPEC_VERIFIER_KEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = (
    "This is an example message.\n"
    "\n"
    "— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRK"
    "uwHjG1Yu72IneyaQM=\n"
).encode()

# The key pair and signed text of golang.org/x/mod/sumdb/note's tests, which fix the signer key
# format and Ed25519's determinism.
GO_SIGNER_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_SIGNATURE_LINE = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZ"
    "b6KE6RyyBwJnAM=\n"
)

TEXT = "ceasefire.example/mission\n12\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"


def new_signer(name: str = "ceasefire.example/mission") -> Ed25519Signer:
    return Ed25519Signer.from_key(note.generate_key(name)[0])


def test_the_signed_note_spec_example_verifies() -> None:
    verifier = Ed25519Verifier.from_key(SPEC_VERIFIER_KEY)
    assert verifier.name == "example.com/foo"
    assert verifier.key_id == 0x530D903A
    assert verifier.verifier_key == SPEC_VERIFIER_KEY

    opened = note.open(SPEC_NOTE, [verifier])

    assert opened.text == "This is an example message.\n"
    assert [(s.name, s.key_id) for s in opened.signatures] == [("example.com/foo", 0x530D903A)]
    assert opened.unknown_signatures == ()


def test_the_spec_example_with_one_changed_byte_of_text_is_refused() -> None:
    tampered = SPEC_NOTE.replace(b"example message", b"examplE message")
    with pytest.raises(InvalidSignatureError, match=r"example.com/foo\+530d903a"):
        note.open(tampered, [Ed25519Verifier.from_key(SPEC_VERIFIER_KEY)])


def test_key_id_is_the_hash_of_name_newline_type_and_public_key() -> None:
    public_key = base64.b64decode("AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")
    expected = hashlib.sha256(b"example.com/foo\n" + public_key).digest()[:4]
    assert note.key_id("example.com/foo", public_key) == int.from_bytes(expected, "big")


def test_signing_reproduces_go_notes_signature_and_key_strings() -> None:
    signer = Ed25519Signer.from_key(GO_SIGNER_KEY)

    assert signer.signer_key == GO_SIGNER_KEY
    assert signer.verifier().verifier_key == GO_VERIFIER_KEY
    assert note.sign(GO_TEXT, [signer]) == (GO_TEXT + "\n" + GO_SIGNATURE_LINE).encode()


def test_generated_keys_sign_and_verify() -> None:
    signer_key, verifier_key = note.generate_key("ceasefire.example/mission")
    assert signer_key.startswith("PRIVATE+KEY+ceasefire.example/mission+")
    signed = note.sign(TEXT, [Ed25519Signer.from_key(signer_key)])

    opened = note.open(signed, [Ed25519Verifier.from_key(verifier_key)])

    assert opened.text == TEXT
    assert signed.decode().endswith("\n") and "\n\n— ceasefire.example/mission " in signed.decode()


def test_signatures_from_unknown_keys_are_returned_unverified_once() -> None:
    log, witness = new_signer(), new_signer("witness.example/w1")
    signed = note.sign(TEXT, [log, witness])
    # Ed25519 is deterministic: signing again repeats the same line.
    repeated = signed + note.make_signature(TEXT, witness).line.encode()

    opened = note.open(repeated, [log.verifier()])

    assert [s.name for s in opened.signatures] == ["ceasefire.example/mission"]
    assert [s.name for s in opened.unknown_signatures] == ["witness.example/w1"]


def test_a_key_with_the_same_name_but_another_id_is_unknown_not_invalid() -> None:
    log = new_signer()
    impostor = new_signer()  # same name, different key, so a different key ID
    opened = note.open(note.sign(TEXT, [log, impostor]), [log.verifier()])
    assert [s.key_id for s in opened.unknown_signatures] == [impostor.key_id]


def test_a_note_signed_only_by_unknown_keys_is_refused() -> None:
    with pytest.raises(UnverifiedNoteError):
        note.open(note.sign(TEXT, [new_signer()]), [new_signer().verifier()])


def test_a_failing_signature_from_a_known_key_refuses_the_note_even_if_another_verifies() -> None:
    log, witness = new_signer(), new_signer("witness.example/w1")
    good = note.make_signature(TEXT, log)
    forged = Signature(witness.name, witness.key_id, bytes(64))
    signed = note.format_note(TEXT, [good, forged])
    with pytest.raises(InvalidSignatureError) as raised:
        note.open(signed, [log.verifier(), witness.verifier()])
    assert raised.value.name == "witness.example/w1"


def test_two_verifiers_for_the_same_name_and_key_id_are_ambiguous() -> None:
    log = new_signer()
    with pytest.raises(NoteError, match="ambiguous key"):
        note.open(note.sign(TEXT, [log]), [log.verifier(), log.verifier()])


def test_more_than_100_signatures_are_refused() -> None:
    log = new_signer()
    line = note.make_signature(TEXT, log).line
    note.open((TEXT + "\n" + line * 100).encode(), [log.verifier()])
    with pytest.raises(NoteError, match="more than 100"):
        note.open((TEXT + "\n" + line * 101).encode(), [log.verifier()])


@pytest.mark.parametrize(
    ("signed", "message"),
    [
        (GO_TEXT.encode(), "no blank line"),
        ((GO_TEXT + "\n" + GO_SIGNATURE_LINE[:-1]).encode(), "end with a newline"),
        (b"\x01" + (GO_TEXT + "\n" + GO_SIGNATURE_LINE).encode(), "control character"),
        (b"\xff" + (GO_TEXT + "\n" + GO_SIGNATURE_LINE).encode(), "UTF-8"),
        ((GO_TEXT + "\n" + GO_SIGNATURE_LINE.replace("Peter", "Bad ")).encode(), "malformed"),
        ((GO_TEXT + "\n" + GO_SIGNATURE_LINE + "Unexpected line.\n").encode(), "em dash"),
        ((GO_TEXT + "\n" + GO_SIGNATURE_LINE.replace("— ", "- ")).encode(), "em dash"),
        ((GO_TEXT + "\n— PeterNeumann AAAA\n").encode(), "too short"),
        ((GO_TEXT + "\n— PeterNeumann not*base64\n").encode(), "base64"),
    ],
)
def test_malformed_notes_are_refused(signed: bytes, message: str) -> None:
    with pytest.raises(NoteError, match=message):
        note.open(signed, [Ed25519Verifier.from_key(GO_VERIFIER_KEY)])


def test_the_text_is_separated_from_the_signatures_by_the_last_blank_line() -> None:
    log = new_signer()
    text = "first paragraph\n\nsecond paragraph\n"
    assert note.open(note.sign(text, [log]), [log.verifier()]).text == text


@pytest.mark.parametrize(
    "text", ["no final newline", "tab\tinside\n", "lone \ud800 surrogate\n", "carriage\r\n"]
)
def test_sign_refuses_text_a_note_cannot_carry(text: str) -> None:
    with pytest.raises(NoteError):
        note.sign(text, [new_signer()])


def test_sign_needs_at_least_one_signer() -> None:
    with pytest.raises(NoteError, match="at least one signature"):
        note.sign(TEXT, [])


@pytest.mark.parametrize("name", ["", "a b", "a+b", "a\u00a0b", "tab\tname", "a\u2003b"])
def test_key_names_without_content_spaces_or_plus_signs_are_refused(name: str) -> None:
    assert not note.is_valid_key_name(name)
    with pytest.raises(NoteError, match="invalid key name"):
        note.generate_key(name)


@pytest.mark.parametrize(
    "verifier_key",
    [
        # Wrong key length, with the key ID recomputed for it.
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        # Unknown algorithm 0x65, with the key ID recomputed for it.
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        # Key ID that does not match.
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        # Upper-case hex, missing parts, bad base64.
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
    ],
)
def test_malformed_verifier_keys_are_refused(verifier_key: str) -> None:
    with pytest.raises(NoteError):
        Ed25519Verifier.from_key(verifier_key)


def test_a_signer_key_whose_id_does_not_match_is_refused() -> None:
    with pytest.raises(NoteError, match="does not match"):
        Ed25519Signer.from_key(GO_SIGNER_KEY.replace("c74f20a3", "c74f20a4"))
    with pytest.raises(NoteError, match="PRIVATE"):
        Ed25519Signer.from_key(GO_SIGNER_KEY.removeprefix("PRIVATE+KEY+"))


def test_key_fingerprint_is_the_unpadded_base64url_sha256_of_the_verifier_key() -> None:
    digest = hashlib.sha256(SPEC_VERIFIER_KEY.encode()).digest()
    fingerprint = note.key_fingerprint(SPEC_VERIFIER_KEY)
    assert fingerprint == base64.urlsafe_b64encode(digest).decode().rstrip("=")
    assert len(fingerprint) == 43 and "=" not in fingerprint


def test_a_parsed_signature_line_formats_back_to_itself() -> None:
    signature = note.parse_signature_line(GO_SIGNATURE_LINE)
    assert (signature.name, signature.key_id) == ("PeterNeumann", 0xC74F20A3)
    assert signature.line == GO_SIGNATURE_LINE
