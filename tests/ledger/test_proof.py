import pytest

from ceasefire.ledger import note
from ceasefire.ledger.checkpoint import Checkpoint, CheckpointError
from ceasefire.ledger.merkle import MemoryHashStore, ProofError, inclusion_proof, leaf_hash
from ceasefire.ledger.proof import TlogProof, TlogProofError, parse_proof, verify_proof

# The example of c2sp.org/tlog-proof; its signatures are elided, so only its layout is checked.
SPEC_PROOF = b"""c2sp.org/tlog-proof@v1
extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ
index 73894
gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=
B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=
EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=
RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=
AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=

example.com/fancylog
109482
sFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=

\xe2\x80\x94 example.com/fancylog hI2DJw[...]1roloI=
\xe2\x80\x94 witness1.example mJirIklj[...]qY9v2B/5bg==
"""

ORIGIN = "ceasefire.example/mission"
ENTRIES = [f"entry {i}".encode() for i in range(100)]


def test_the_spec_example_parses_and_formats_back_byte_for_byte() -> None:
    proof = parse_proof(SPEC_PROOF)
    assert proof.index == 73894
    assert proof.extra is not None and proof.extra.startswith(b"age-v1.2.1-darwin-arm64.tar.gz")
    assert len(proof.hashes) == 5
    assert proof.checkpoint_note.startswith(b"example.com/fancylog\n109482\n")
    assert proof.format() == SPEC_PROOF


def make_log() -> tuple[note.Ed25519Signer, note.Ed25519Signer, bytes, MemoryHashStore]:
    log = note.Ed25519Signer.from_key(note.generate_key(ORIGIN)[0])
    witness = note.Ed25519Signer.from_key(note.generate_key("witness.example/w1")[0])
    store = MemoryHashStore()
    for entry in ENTRIES:
        store.append(leaf_hash(entry))
    text = Checkpoint(ORIGIN, store.size, store.root()).format()
    return log, witness, note.sign(text, [log, witness]), store


def test_a_proof_of_an_entry_verifies_against_the_signed_checkpoint() -> None:
    log, witness, signed, store = make_log()
    proof = TlogProof(42, tuple(inclusion_proof(42, 100, store)), signed)
    text = proof.format()
    assert text.startswith(b"c2sp.org/tlog-proof@v1\nindex 42\n")
    assert text.endswith(b"\n\n" + signed)

    parsed = parse_proof(text)
    assert parsed == proof
    verified = verify_proof(parsed, log.verifier(), entry=ENTRIES[42])
    assert verified.checkpoint.size == 100
    verify_proof(
        parsed, log.verifier(), leaf_hash=leaf_hash(ENTRIES[42]), witnesses=[witness.verifier()]
    )


def test_a_proof_refuses_another_entry_index_or_checkpoint() -> None:
    log, _, signed, store = make_log()
    proof = TlogProof(42, tuple(inclusion_proof(42, 100, store)), signed)
    with pytest.raises(ProofError):
        verify_proof(proof, log.verifier(), entry=ENTRIES[43])
    with pytest.raises(ProofError):
        verify_proof(TlogProof(43, proof.hashes, signed), log.verifier(), entry=ENTRIES[42])
    tampered = signed.replace(b"\n100\n", b"\n101\n")
    with pytest.raises(note.InvalidSignatureError):
        verify_proof(TlogProof(42, proof.hashes, tampered), log.verifier(), entry=ENTRIES[42])
    other_log = note.Ed25519Signer.from_key(note.generate_key(ORIGIN)[0])
    with pytest.raises(note.UnverifiedNoteError):
        verify_proof(proof, other_log.verifier(), entry=ENTRIES[42])


def test_a_proof_needs_every_required_witness() -> None:
    log, _, signed, store = make_log()
    absent = note.Ed25519Signer.from_key(note.generate_key("witness.example/w2")[0])
    proof = TlogProof(0, tuple(inclusion_proof(0, 100, store)), signed)
    with pytest.raises(CheckpointError, match=r"witness\.example/w2"):
        verify_proof(proof, log.verifier(), entry=ENTRIES[0], witnesses=[absent.verifier()])


def test_verify_needs_exactly_one_of_the_entry_and_its_leaf_hash() -> None:
    log, _, signed, store = make_log()
    proof = TlogProof(0, tuple(inclusion_proof(0, 100, store)), signed)
    with pytest.raises(ValueError, match="either the entry or its leaf hash"):
        verify_proof(proof, log.verifier())
    with pytest.raises(ValueError, match="either the entry or its leaf hash"):
        verify_proof(proof, log.verifier(), entry=ENTRIES[0], leaf_hash=leaf_hash(ENTRIES[0]))


HASH = "gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ="


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"c2sp.org/tlog-proof@v1\nindex 1\n" + HASH.encode() + b"\n", "no blank line"),
        (b"c2sp.org/tlog-proof@v2\nindex 1\n\ncheckpoint", "does not start with"),
        (b"c2sp.org/tlog-proof@v1\n\ncheckpoint", "no index line"),
        (b"c2sp.org/tlog-proof@v1\n" + HASH.encode() + b"\n\ncheckpoint", "no index line"),
        (b"c2sp.org/tlog-proof@v1\nindex 01\n\ncheckpoint", "not a decimal"),
        (b"c2sp.org/tlog-proof@v1\nindex -1\n\ncheckpoint", "not a decimal"),
        (b"c2sp.org/tlog-proof@v1\nindex 1\nextra AAAA\n\ncheckpoint", "not base64"),
        (b"c2sp.org/tlog-proof@v1\nextra A\nindex 1\n\ncheckpoint", "extra data"),
        (b"c2sp.org/tlog-proof@v1\nindex 1\nAAAA\n\ncheckpoint", "32 bytes"),
        ("c2sp.org/tlog-proof@v1\nindex 1\né\n\ncheckpoint".encode(), "ASCII"),
    ],
)
def test_malformed_proofs_are_refused(text: bytes, message: str) -> None:
    with pytest.raises(TlogProofError, match=message):
        parse_proof(text)
