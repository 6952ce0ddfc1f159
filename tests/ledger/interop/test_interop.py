"""Checks a log written by our pure Python core with Go's golang.org/x/mod/sumdb/{note,tlog}.

Needs the Go toolchain and the x/mod source in GOPATH layout, as Debian's golang-go and
golang-golang-x-mod-dev packages install them; the program builds in GOPATH mode, offline.
"""

import base64
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.mldsa import MLDSA44PrivateKey

from ceasefire.ledger import note
from ceasefire.ledger.checkpoint import Checkpoint
from ceasefire.ledger.cosignature import Ed25519Cosigner, MLDSA44Cosigner
from ceasefire.ledger.entries import canonical_json
from ceasefire.ledger.merkle import (
    MemoryHashStore,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    tree_hash,
)
from ceasefire.ledger.proof import TlogProof
from ceasefire.ledger.tiles import export_log

GOPATH = Path("/usr/share/gocode")
PROGRAM = Path(__file__).parent / "main.go"
ORIGIN = "ceasefire.example/mission"
SIZE = 1000  # full and partial tiles at levels 0 and 1
PROVEN_INDEX = 777
OLD_SIZE = 300


@pytest.fixture(scope="module")
def interop_binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    go = shutil.which("go")
    if go is None:
        pytest.skip("the Go toolchain is not installed (Debian package golang-go)")
    if not (GOPATH / "src/golang.org/x/mod/sumdb/tlog").is_dir():
        pytest.skip(f"golang.org/x/mod is not in {GOPATH} (Debian package golang-golang-x-mod-dev)")
    build_dir = tmp_path_factory.mktemp("go")
    binary = build_dir / "interop"
    environment = {
        **os.environ,
        "GO111MODULE": "off",
        "GOPATH": str(GOPATH),
        "GOCACHE": str(build_dir / "cache"),
        "GOFLAGS": "",
    }
    subprocess.run(
        [go, "build", "-o", str(binary), str(PROGRAM)],
        check=True,
        env=environment,
        cwd=PROGRAM.parent,
        timeout=300,
    )
    return binary


@pytest.fixture
def exported_log(tmp_path: Path) -> tuple[Path, str]:
    """A directory with the log of SIZE entries exported to `exported`, an inclusion proof and a
    consistency proof; and the log's verifier key."""
    work = tmp_path / "interop"
    log_key, verifier_key = note.generate_key(ORIGIN)
    # Go's note must ignore the cosignatures, whose key types it does not know.
    signers: list[note.Signer] = [
        note.Ed25519Signer.from_key(log_key),
        Ed25519Cosigner("witness.example/w1", Ed25519PrivateKey.generate()),
        MLDSA44Cosigner("witness.example/w2", MLDSA44PrivateKey.generate()),
    ]
    entries = [
        canonical_json({"type": "test.entry/1", "index": i, "text": "é" * (i % 50)})
        for i in range(SIZE)
    ]
    store = MemoryHashStore()
    for entry in entries:
        store.append(leaf_hash(entry))
    signed = note.sign(Checkpoint(ORIGIN, SIZE, store.root()).format(), signers)
    export_log(work / "exported", 0, SIZE, store, lambda start, end: entries[start:end], signed)

    proof = TlogProof(PROVEN_INDEX, tuple(inclusion_proof(PROVEN_INDEX, SIZE, store)), signed)
    (work / "entry.tlog-proof").write_bytes(proof.format())
    # The old size, the old root, then the proof hashes, one a line.
    old_root_and_proof = [tree_hash(OLD_SIZE, store), *consistency_proof(OLD_SIZE, SIZE, store)]
    lines = [str(OLD_SIZE), *(base64.b64encode(h).decode() for h in old_root_and_proof)]
    (work / "consistency").write_text("\n".join(lines) + "\n")
    return work, verifier_key


def run_interop(
    binary: Path, directory: Path, verifier_key: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(binary),
            "-dir",
            str(directory / "exported"),
            "-vkey",
            verifier_key,
            "-proof",
            str(directory / "entry.tlog-proof"),
            "-consistency",
            str(directory / "consistency"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_gos_sumdb_packages_verify_our_exported_log(
    interop_binary: Path, exported_log: tuple[Path, str]
) -> None:
    directory, verifier_key = exported_log
    result = run_interop(interop_binary, directory, verifier_key)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"ok: {ORIGIN} size {SIZE} ")
    # Levels 0 and 1: three full level 0 tiles, one partial of each level.
    assert ", 5 hash tiles, inclusion of entry 777, consistency from size 300" in result.stdout


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("tile/entries/001", "is not the checkpoint's root"),
        ("tile/0/003.p/232", "tile/0/003.p/232 differs from tlog's tile tile/8/0/003.p/232"),
        ("tile/1/000.p/3", "tile/1/000.p/3 differs from tlog's tile tile/8/1/000.p/3"),
        ("checkpoint", "checkpoint: invalid signature for key ceasefire.example/mission"),
    ],
)
def test_go_refuses_a_tampered_copy(
    interop_binary: Path, exported_log: tuple[Path, str], path: str, message: str
) -> None:
    directory, verifier_key = exported_log
    tampered = directory / "exported" / path
    data = bytearray(tampered.read_bytes())
    data[5] ^= 0x01
    tampered.write_bytes(bytes(data))

    result = run_interop(interop_binary, directory, verifier_key)

    assert result.returncode == 1
    assert message in result.stderr
