import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA44PrivateKey

from ceasefire.ledger import note
from ceasefire.ledger.checkpoint import Checkpoint, CheckpointError
from ceasefire.ledger.cosignature import (
    COSIGNATURE_ED25519,
    COSIGNATURE_MLDSA44,
    Ed25519Cosigner,
    MLDSA44Cosigner,
    cosignature_timestamp,
    generate_key,
    signer_from_key,
    verifier_from_key,
)

# The checkpoint and timestamp of the examples in c2sp.org/tlog-cosignature.
SPEC_CHECKPOINT = Checkpoint(
    "example.com/behind-the-sofa",
    20852163,
    base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="),
)
SPEC_TIME = 1679315147
SPEC_COSIGNATURE_LINE = (
    "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2"
    "oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
)
WITNESS = "witness.example.com/w1"


def fixed_clock() -> int:
    return SPEC_TIME


def test_the_spec_example_cosignature_is_a_timestamp_and_an_ed25519_signature() -> None:
    signature = note.parse_signature_line(SPEC_COSIGNATURE_LINE)
    assert len(signature.signature) == 8 + 64
    assert cosignature_timestamp(signature.signature) == SPEC_TIME


def test_ed25519_cosignatures_sign_the_cosignature_v1_message() -> None:
    private_key = Ed25519PrivateKey.generate()
    cosigner = Ed25519Cosigner(WITNESS, private_key, fixed_clock)
    text = SPEC_CHECKPOINT.format()

    signature = cosigner.sign(text.encode())

    assert signature[:8] == SPEC_TIME.to_bytes(8, "big")
    # The message as the spec spells it out.
    message = (
        b"cosignature/v1\n"
        b"time 1679315147\n"
        b"example.com/behind-the-sofa\n"
        b"20852163\n"
        b"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    )
    private_key.public_key().verify(signature[8:], message)  # raises if it does not verify


def test_cosigner_key_ids_hash_the_name_the_type_and_the_public_key() -> None:
    ed25519_key = Ed25519PrivateKey.generate()
    ed25519_public = ed25519_key.public_key().public_bytes_raw()
    expected = hashlib.sha256(WITNESS.encode() + b"\n\x04" + ed25519_public).digest()[:4]
    assert Ed25519Cosigner(WITNESS, ed25519_key).key_id == int.from_bytes(expected, "big")

    mldsa_key = MLDSA44PrivateKey.generate()
    mldsa_public = mldsa_key.public_key().public_bytes_raw()
    assert len(mldsa_public) == 1312
    expected = hashlib.sha256(WITNESS.encode() + b"\n\x06" + mldsa_public).digest()[:4]
    assert MLDSA44Cosigner(WITNESS, mldsa_key).key_id == int.from_bytes(expected, "big")


def test_mldsa44_cosignatures_sign_the_binary_subtree_v1_message() -> None:
    private_key = MLDSA44PrivateKey.generate()
    cosigner = MLDSA44Cosigner(WITNESS, private_key, fixed_clock)

    signature = cosigner.sign(SPEC_CHECKPOINT.format().encode())

    assert len(signature) == 8 + 2420
    assert signature[:8] == SPEC_TIME.to_bytes(8, "big")
    message = (
        b"subtree/v1\n\x00"
        + bytes([len(WITNESS)])
        + WITNESS.encode()
        + SPEC_TIME.to_bytes(8, "big")
        + bytes([len("example.com/behind-the-sofa")])
        + b"example.com/behind-the-sofa"
        + (0).to_bytes(8, "big")
        + (20852163).to_bytes(8, "big")
        + SPEC_CHECKPOINT.root_hash
    )
    # Pure ML-DSA with an empty context.
    private_key.public_key().verify(signature[8:], message)
    private_key.public_key().verify(signature[8:], message, b"")


@pytest.mark.parametrize("signature_type", [COSIGNATURE_ED25519, COSIGNATURE_MLDSA44])
def test_cosignatures_verify_through_note_open_and_any_change_fails(signature_type: int) -> None:
    signer_key, verifier_key = generate_key(WITNESS, signature_type)
    log = note.Ed25519Signer.from_key(note.generate_key("example.com/behind-the-sofa")[0])
    witness = signer_from_key(signer_key)
    signed = note.sign(SPEC_CHECKPOINT.format(), [log, witness])

    opened = note.open(signed, [log.verifier(), verifier_from_key(verifier_key)])
    assert {s.name for s in opened.signatures} == {"example.com/behind-the-sofa", WITNESS}

    other_size = SPEC_CHECKPOINT.format().replace("20852163", "20852164")
    witness_line = signed.decode().splitlines(keepends=True)[-1]
    with pytest.raises(note.InvalidSignatureError):
        note.open((other_size + "\n" + witness_line).encode(), [verifier_from_key(verifier_key)])

    raw = bytearray(note.parse_signature_line(witness_line).signature)
    raw[7] ^= 1  # the timestamp is signed too
    changed = note.Signature(WITNESS, witness.key_id, bytes(raw))
    with pytest.raises(note.InvalidSignatureError):
        note.open(
            note.format_note(SPEC_CHECKPOINT.format(), [changed]), [verifier_from_key(verifier_key)]
        )


def test_only_ed25519_cosignatures_cover_extension_lines() -> None:
    with_extension = Checkpoint(
        SPEC_CHECKPOINT.origin, SPEC_CHECKPOINT.size, SPEC_CHECKPOINT.root_hash, ("ext one",)
    ).format()
    other_extension = with_extension.replace("ext one", "ext two")
    ed25519 = Ed25519Cosigner(WITNESS, Ed25519PrivateKey.generate())
    mldsa = MLDSA44Cosigner("witness.example.com/w2", MLDSA44PrivateKey.generate())

    ed25519_signature = ed25519.sign(with_extension.encode())
    mldsa_signature = mldsa.sign(with_extension.encode())

    assert not ed25519.verifier().verify(other_extension.encode(), ed25519_signature)
    assert mldsa.verifier().verify(other_extension.encode(), mldsa_signature)


def test_a_cosignature_is_not_a_log_signature_even_with_the_same_key_and_name() -> None:
    private_key = Ed25519PrivateKey.generate()
    cosigner = Ed25519Cosigner(WITNESS, private_key)
    log_verifier = note.Ed25519Verifier(WITNESS, private_key.public_key())
    assert cosigner.key_id != log_verifier.key_id
    signed = note.sign(SPEC_CHECKPOINT.format(), [cosigner])
    with pytest.raises(note.UnverifiedNoteError):
        note.open(signed, [log_verifier])


def test_cosigners_sign_checkpoints_only() -> None:
    for cosigner in (
        Ed25519Cosigner(WITNESS, Ed25519PrivateKey.generate()),
        MLDSA44Cosigner(WITNESS, MLDSA44PrivateKey.generate()),
    ):
        with pytest.raises(CheckpointError):
            cosigner.sign(b"not a checkpoint\n")


def test_cosigners_refuse_a_timestamp_out_of_range() -> None:
    cosigner = Ed25519Cosigner(WITNESS, Ed25519PrivateKey.generate(), clock=lambda: 2**63)
    with pytest.raises(ValueError, match="out of range"):
        cosigner.sign(SPEC_CHECKPOINT.format().encode())


@pytest.mark.parametrize("signature_type", [note.ED25519, COSIGNATURE_ED25519, COSIGNATURE_MLDSA44])
def test_key_strings_load_back_to_the_same_keys(signature_type: int) -> None:
    signer_key, verifier_key = generate_key(WITNESS, signature_type)
    signer = signer_from_key(signer_key)
    verifier = verifier_from_key(verifier_key)

    assert signer.signer_key == signer_key
    assert signer.verifier().verifier_key == verifier_key == verifier.verifier_key
    assert (signer.name, signer.key_id) == (verifier.name, verifier.key_id)
    assert note.parse_verifier_key(verifier_key).signature_type == signature_type


def test_unknown_signature_types_and_mismatched_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="unsupported signature type 0x02"):
        generate_key(WITNESS, 0x02)
    signer_key, _ = generate_key(WITNESS, COSIGNATURE_MLDSA44)
    wrong_id = signer_key.replace(signer_key.split("+")[3], "00000000")
    with pytest.raises(note.NoteError, match="does not match"):
        signer_from_key(wrong_id)
    truncated_key = note.format_verifier_key(WITNESS, COSIGNATURE_MLDSA44, b"\x00" * 100)
    with pytest.raises(note.NoteError, match="1312 bytes"):
        verifier_from_key(truncated_key)
