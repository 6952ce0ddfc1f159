"""The witness (c2sp.org/tlog-witness) over loopback HTTP: every answer of add-checkpoint."""

import http.client
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ceasefire.ledger import cosignature, merkle, note, witness, witness_server
from ceasefire.ledger.checkpoint import Checkpoint, open_checkpoint

ORIGIN = "example.org/test-log"


@dataclass
class Log:
    """A log in memory, signed by its own key: what the mission would present to a witness."""

    signer: note.Ed25519Signer
    store: merkle.MemoryHashStore

    def grow(self, count: int) -> None:
        for _ in range(count):
            self.store.append(merkle.leaf_hash(b"entry %d" % self.store.size))

    def signed(self) -> bytes:
        text = Checkpoint(self.signer.name, self.store.size, self.store.root()).format()
        return note.sign(text, [self.signer])

    def request(self, old: int, proof: list[bytes] | None = None) -> bytes:
        if proof is None:
            proof = merkle.consistency_proof(old, self.store.size, self.store) if old else []
        return witness.format_request(old, proof, self.signed())


def new_log(origin: str = ORIGIN) -> Log:
    signer_key, _verifier_key = note.generate_key(origin)
    return Log(note.Ed25519Signer.from_key(signer_key), merkle.MemoryHashStore())


@dataclass
class Running:
    state_dir: Path
    port: int
    log: Log

    def post(self, body: bytes, path: str = witness_server.PATH) -> tuple[int, str, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        connection.request("POST", path, body)
        response = connection.getresponse()
        answer = response.status, response.getheader("Content-Type") or "", response.read()
        connection.close()
        return answer

    def verifiers(self) -> list[note.Verifier]:
        state = witness.Witness.load(self.state_dir)
        return [cosigner.verifier() for cosigner in state.cosigners]


def serve(state_dir: Path) -> Iterator[int]:
    server = witness_server.make_server(witness.Witness.load(state_dir), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    log = new_log()
    witness.init(tmp_path / "w", "example.org/witness", [log.signer.verifier().verifier_key])
    for port in serve(tmp_path / "w"):
        yield Running(tmp_path / "w", port, log)


def test_a_witness_cosigns_a_growing_log_with_both_signature_types(running: Running) -> None:
    log = running.log
    log.grow(5)
    status, content_type, body = running.post(log.request(0))
    assert (status, content_type) == (200, "text/plain; charset=utf-8")
    lines = body.decode().splitlines(keepends=True)
    assert len(lines) == 2

    log.grow(7)
    status, _type, body = running.post(log.request(5))
    assert status == 200
    cosigned = log.signed() + body
    opened = open_checkpoint(cosigned, log.signer.verifier(), witnesses=running.verifiers())
    assert opened.checkpoint.size == 12
    cosigners = witness.Witness.load(running.state_dir).cosigners
    assert [type(c) for c in cosigners] == [
        cosignature.Ed25519Cosigner,
        cosignature.MLDSA44Cosigner,
    ]


def test_the_same_checkpoint_is_cosigned_again(running: Running) -> None:
    running.log.grow(3)
    assert running.post(running.log.request(0))[0] == 200
    assert running.post(running.log.request(3))[0] == 200


def test_a_stale_old_size_gets_409_with_the_current_size(running: Running) -> None:
    running.log.grow(4)
    running.post(running.log.request(0))
    running.log.grow(2)

    status, content_type, body = running.post(running.log.request(2))

    assert (status, content_type, body) == (409, "text/x.tlog.size", b"4\n")


def test_an_unknown_origin_gets_404(running: Running) -> None:
    stranger = new_log("example.org/another-log")
    stranger.grow(1)
    assert running.post(stranger.request(0))[0] == 404


def test_a_checkpoint_not_signed_by_the_log_gets_403(running: Running) -> None:
    impostor = Log(new_log().signer, running.log.store)
    running.log.grow(2)
    assert running.post(impostor.request(0))[0] == 403


def test_a_bad_signature_from_the_trusted_key_gets_403_even_beside_a_good_one(
    running: Running,
) -> None:
    running.log.grow(2)
    good = running.log.signed()
    text, _blank, signatures = good.decode().partition("\n\n")
    line = note.parse_signature_line(signatures)
    forged = note.Signature(line.name, line.key_id, bytes(64)).line
    body = witness.format_request(0, [], f"{text}\n\n{forged}{signatures}".encode())
    assert running.post(body)[0] == 403


def test_an_old_size_beyond_the_checkpoint_gets_400(running: Running) -> None:
    running.log.grow(2)
    assert running.post(running.log.request(3, []))[0] == 400


@pytest.mark.parametrize(
    "body",
    [b"", b"old 0\n", b"old 01\n\n", b"old x\n\n", b"old 0\nnot base64\n\n", b"\xff\n\n"],
)
def test_malformed_bodies_get_400(running: Running, body: bytes) -> None:
    assert running.post(body)[0] == 400


def test_more_than_63_proof_lines_get_400(running: Running) -> None:
    running.log.grow(1)
    assert running.post(running.log.request(0, [bytes(32)] * 64))[0] == 400


def test_other_paths_get_404(running: Running) -> None:
    assert running.post(b"old 0\n\n", "/elsewhere")[0] == 404


def test_a_bad_consistency_proof_gets_422_and_changes_nothing(running: Running) -> None:
    running.log.grow(4)
    running.post(running.log.request(0))
    running.log.grow(4)
    proof = merkle.consistency_proof(4, 8, running.log.store)
    proof[0] = bytes(32)

    assert running.post(running.log.request(4, proof))[0] == 422
    assert witness.Witness.load(running.state_dir).cosigned(ORIGIN) == (4, running_root(4))


def running_root(size: int) -> bytes:
    store = merkle.MemoryHashStore()
    for index in range(size):
        store.append(merkle.leaf_hash(b"entry %d" % index))
    return store.root()


def test_a_split_view_at_the_cosigned_size_gets_422(running: Running) -> None:
    running.log.grow(3)
    assert running.post(running.log.request(0))[0] == 200
    other = Log(running.log.signer, merkle.MemoryHashStore())
    for index in range(3):
        other.store.append(merkle.leaf_hash(b"other %d" % index))

    status, _type, body = running.post(other.request(3, []))

    assert status == 422
    assert b"split view" in body


def test_a_proof_sent_with_old_0_gets_422(running: Running) -> None:
    running.log.grow(2)
    assert running.post(running.log.request(0, [bytes(32)]))[0] == 422


def test_a_size_0_checkpoint_must_have_the_empty_root(running: Running) -> None:
    empty = running.log.signed()
    assert running.post(witness.format_request(0, [], empty))[0] == 200
    text = Checkpoint(ORIGIN, 0, bytes(32)).format()
    wrong = witness.format_request(0, [], note.sign(text, [running.log.signer]))
    assert running.post(wrong)[0] == 422


def test_a_restarted_witness_keeps_its_state(running: Running) -> None:
    running.log.grow(6)
    assert running.post(running.log.request(0))[0] == 200
    running.log.grow(1)
    for port in serve(running.state_dir):
        restarted = Running(running.state_dir, port, running.log)
        # It remembers size 6: a request from 0 is stale, one from 6 is cosigned.
        assert restarted.post(running.log.request(0))[:2] == (409, "text/x.tlog.size")
        assert restarted.post(running.log.request(6))[0] == 200


def test_init_keeps_existing_keys(tmp_path: Path) -> None:
    witness.init(tmp_path, "example.org/w")
    keys = [c.verifier().verifier_key for c in witness.Witness.load(tmp_path).cosigners]
    witness.init(tmp_path, "example.org/w")
    assert [c.verifier().verifier_key for c in witness.Witness.load(tmp_path).cosigners] == keys


def test_the_witness_command_creates_its_state_and_prints_its_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ceasefire import cli

    log_key = new_log().signer.verifier().verifier_key
    state = str(tmp_path / "w")
    assert (
        cli.main(["witness", "--dir", state, "init", "--name", "x.example/w", "--trust", log_key])
        == 0
    )
    capsys.readouterr()
    assert cli.main(["witness", "--dir", state, "key"]) == 0

    printed = capsys.readouterr().out.split()
    loaded = witness.Witness.load(tmp_path / "w")
    assert printed == [c.verifier().verifier_key for c in loaded.cosigners]
    assert set(witness.parse_logs((tmp_path / "w" / witness.LOGS_FILE).read_text())) == {ORIGIN}
