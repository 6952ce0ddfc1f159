from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pytest

from ceasefire.ledger import note
from ceasefire.ledger.checkpoint import Checkpoint
from ceasefire.ledger.cosignature import COSIGNATURE_ED25519, generate_key, signer_from_key
from ceasefire.ledger.merkle import MemoryHashStore, leaf_hash
from ceasefire.ledger.tiles import export_log, tile_files
from ceasefire.ledger.verify import VerifyError, directory_fetch, verify_log

ORIGIN = "ceasefire.example/mission"
LOG = note.Ed25519Signer.from_key(note.generate_key(ORIGIN)[0])
WITNESS = signer_from_key(generate_key("witness.example/w1", COSIGNATURE_ED25519)[0])


def entries_of(size: int) -> list[bytes]:
    return [b'{"index":%d,"type":"test.entry/1"}' % i for i in range(size)]


def signed_checkpoint(size: int, root: bytes, signers: Sequence[note.Signer] = (LOG,)) -> bytes:
    return note.sign(Checkpoint(ORIGIN, size, root).format(), signers)


@cache
def served_log(size: int) -> dict[str, bytes]:
    """The resources of a log of `size` entries, by path, cosigned by WITNESS."""
    entries = entries_of(size)
    store = MemoryHashStore()
    for entry in entries:
        store.append(leaf_hash(entry))
    files = {
        tile.path: data
        for tile, data in tile_files(0, size, store, lambda start, end: entries[start:end])
    }
    files["checkpoint"] = signed_checkpoint(size, store.root(), [LOG, WITNESS])
    return files


def verify(files: dict[str, bytes], **options: object) -> Checkpoint:
    return verify_log(files.__getitem__, LOG.verifier(), **options).checkpoint  # type: ignore[arg-type]


def changed(files: dict[str, bytes], path: str, position: int) -> dict[str, bytes]:
    """A copy of the log with one byte of one resource flipped."""
    data = bytearray(files[path])
    data[position] ^= 0x01
    return {**files, path: bytes(data)}


def test_a_log_exported_to_a_directory_verifies_and_shows_every_entry(tmp_path: Path) -> None:
    directory = tmp_path / "exported"
    entries = entries_of(1000)
    store = MemoryHashStore()
    for entry in entries:
        store.append(leaf_hash(entry))
    export_log(
        directory,
        0,
        1000,
        store,
        lambda start, end: entries[start:end],
        signed_checkpoint(1000, store.root()),
        durable=False,
    )
    seen: list[tuple[int, bytes]] = []

    verified = verify_log(
        directory_fetch(directory), LOG.verifier(), on_entry=lambda i, e: seen.append((i, e))
    )

    assert verified.checkpoint.size == 1000
    assert verified.signed_note == (directory / "checkpoint").read_bytes()
    assert seen == list(enumerate(entries))


@pytest.mark.parametrize("size", [0, 1, 255, 256, 257, 511, 512, 65_536, 70_000])
def test_logs_of_sizes_around_tile_boundaries_verify(size: int) -> None:
    assert verify(served_log(size)).size == size


def test_a_changed_entry_is_refused_naming_the_entry_and_its_tile() -> None:
    files = served_log(1000)
    bundle = files["tile/entries/001"]
    # Entry 256 + 3 starts after three entries, each with its 2-byte length.
    position = 3 * (2 + len(entries_of(1000)[256])) + 2 + 5
    with pytest.raises(VerifyError, match="entry 259 in tile/entries/001") as raised:
        verify(changed(files, "tile/entries/001", position))
    assert (raised.value.index, raised.value.path) == (259, "tile/0/001")
    assert len(bundle) == len(files["tile/entries/001"])


def test_a_changed_leaf_hash_is_refused_naming_its_tile() -> None:
    with pytest.raises(VerifyError) as raised:
        verify(changed(served_log(1000), "tile/0/003.p/232", 32 * 7 + 1))
    assert (raised.value.index, raised.value.path) == (3 * 256 + 7, "tile/0/003.p/232")


@pytest.mark.parametrize(
    ("path", "position", "message"),
    [
        ("tile/1/000", 32 * 10, "hash 10 of tile/1/000 does not match entries 2560 to 2815"),
        ("tile/1/001.p/17", 32 * 16 + 31, "hash 16 of tile/1/001.p/17"),
        ("tile/2/000.p/1", 0, "hash 0 of tile/2/000.p/1 does not match entries 0 to 65535"),
    ],
)
def test_a_changed_higher_level_tile_is_refused_naming_it(
    path: str, position: int, message: str
) -> None:
    with pytest.raises(VerifyError, match=message) as raised:
        verify(changed(served_log(70_000), path, position))
    assert raised.value.path == path


def test_a_missing_tile_is_refused_naming_it() -> None:
    files = dict(served_log(1000))
    del files["tile/1/000.p/3"]
    with pytest.raises(VerifyError, match=r"could not fetch tile/1/000\.p/3") as raised:
        verify(files)
    assert raised.value.path == "tile/1/000.p/3"


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("tile/entries/000", b"\x00\x05ab", "tile/entries/000: entry bundle ends inside entry 0"),
        ("tile/entries/003.p/232", b"\x00\x01a", "holds 1 entries, not 232"),
        ("tile/0/000", b"\x00" * 32, "tile/0/000 is 32 bytes, not 8192"),
        ("tile/1/000.p/3", b"", "tile/1/000.p/3 is 0 bytes, not 96"),
    ],
)
def test_resources_of_the_wrong_shape_are_refused(path: str, data: bytes, message: str) -> None:
    with pytest.raises(VerifyError, match=message) as raised:
        verify({**served_log(1000), path: data})
    assert raised.value.path == path


def test_a_checkpoint_not_signed_by_the_log_key_is_refused() -> None:
    other = note.Ed25519Signer.from_key(note.generate_key(ORIGIN)[0])
    files = served_log(1000)
    with pytest.raises(VerifyError, match=r"checkpoint: .*no signature from a known key"):
        verify_log(files.__getitem__, other.verifier())
    with pytest.raises(VerifyError, match="checkpoint: invalid signature") as raised:
        verify(changed(files, "checkpoint", 2))
    assert raised.value.path == "checkpoint"


def test_a_signed_checkpoint_with_the_wrong_root_is_refused() -> None:
    files = {**served_log(1000), "checkpoint": signed_checkpoint(1000, bytes(32))}
    with pytest.raises(VerifyError, match="root hash is not the root of the log's entries"):
        verify(files)


def test_required_witnesses_must_have_cosigned() -> None:
    files = served_log(300)
    assert verify(files, witnesses=[WITNESS.verifier()]).size == 300
    absent = signer_from_key(generate_key("witness.example/w2", COSIGNATURE_ED25519)[0])
    with pytest.raises(VerifyError, match=r"lacks a cosignature from witness witness\.example/w2"):
        verify(files, witnesses=[WITNESS.verifier(), absent.verifier()])


def test_a_log_that_extends_the_saved_checkpoint_verifies() -> None:
    for saved_size in (0, 1, 300, 1000):
        saved = served_log(saved_size)["checkpoint"]
        assert verify(served_log(1000), saved_checkpoint=saved).size == 1000


def test_a_rewritten_history_is_refused_against_the_saved_checkpoint() -> None:
    saved = served_log(300)["checkpoint"]
    entries = entries_of(1000)
    entries[150] = b'{"rewritten":true}'
    store = MemoryHashStore()
    for entry in entries:
        store.append(leaf_hash(entry))
    rewritten = {
        tile.path: data
        for tile, data in tile_files(0, 1000, store, lambda start, end: entries[start:end])
    }
    rewritten["checkpoint"] = signed_checkpoint(1000, store.root())
    assert verify(rewritten).size == 1000  # consistent on its own, but not with what we saw

    with pytest.raises(VerifyError, match="not consistent with the saved checkpoint of size 300"):
        verify(rewritten, saved_checkpoint=saved)


def test_a_log_older_than_the_saved_checkpoint_is_refused_as_a_rollback() -> None:
    with pytest.raises(VerifyError, match="rolled back"):
        verify(served_log(300), saved_checkpoint=served_log(1000)["checkpoint"])


def test_a_saved_checkpoint_must_be_signed_by_the_log() -> None:
    forged = signed_checkpoint(300, bytes(32), [signer_from_key(note.generate_key(ORIGIN)[0])])
    with pytest.raises(VerifyError, match="saved checkpoint: "):
        verify(served_log(1000), saved_checkpoint=forged)


def test_directory_fetch_stays_inside_the_directory(tmp_path: Path) -> None:
    (tmp_path / "exported").mkdir()
    (tmp_path / "secret").write_bytes(b"secret")
    with pytest.raises(ValueError, match="outside the log directory"):
        directory_fetch(tmp_path / "exported")("../secret")
