"""Verify a whole tiled log, as served over HTTP or exported to a directory.

The verifier trusts nothing but the keys it is given: it checks the checkpoint's signatures,
rebuilds the tree from every entry, compares every hash tile byte for byte with what it rebuilt,
checks the root, and checks that the tree extends a checkpoint saved on an earlier run.
"""

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

from ceasefire.ledger import note
from ceasefire.ledger.checkpoint import SignedCheckpoint, open_checkpoint
from ceasefire.ledger.merkle import EMPTY_ROOT, HASH_SIZE, CompactRange
from ceasefire.ledger.tiles import (
    ENTRY_BUNDLE_LEVEL,
    TILE_HEIGHT,
    TILE_WIDTH,
    Tile,
    decode_entry_bundle,
)

Fetch = Callable[[str], bytes]
EntryCallback = Callable[[int, bytes], None]

_sha256 = hashlib.sha256


class VerifyError(Exception):
    """The log does not verify; `path` and `index` name the first bad resource and entry."""

    def __init__(self, message: str, *, path: str | None = None, index: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.index = index


def directory_fetch(directory: Path) -> Fetch:
    """Return a fetch function that reads the log's resources from an exported directory."""
    root = directory.resolve()

    def fetch(path: str) -> bytes:
        target = (root / path).resolve()
        if not target.is_relative_to(root):
            raise ValueError(f"{path!r} is outside the log directory")
        return target.read_bytes()

    return fetch


def verify_log(
    fetch: Fetch,
    log_verifier: note.Verifier,
    *,
    witnesses: Sequence[note.Verifier] = (),
    origin: str | None = None,
    saved_checkpoint: bytes | None = None,
    on_entry: EntryCallback | None = None,
) -> SignedCheckpoint:
    """Verify the log that `fetch` serves; return its verified checkpoint (save it for next time).

    The checkpoint must be signed by `log_verifier`, cosigned by every one of `witnesses`, and have
    the origin checkpoint.open_checkpoint expects. `saved_checkpoint`, a signed checkpoint from an
    earlier run, must be a prefix of this log. `on_entry(index, entry)` sees every entry in order,
    before its tile is checked: what it computes holds only if verify_log returns.
    Raises VerifyError naming the first resource or entry that does not verify.
    """
    signed = _open_checkpoint(
        _fetch(fetch, "checkpoint"), "checkpoint", log_verifier, witnesses, origin
    )
    size = signed.checkpoint.size
    saved_size, saved_root = -1, b""
    if saved_checkpoint is not None:
        saved = _open_checkpoint(
            saved_checkpoint, None, log_verifier, (), signed.checkpoint.origin
        ).checkpoint
        if saved.size > size:
            raise VerifyError(
                f"the log's checkpoint (size {size}) is older than the saved one "
                f"(size {saved.size}): the log rolled back",
                path="checkpoint",
            )
        saved_size, saved_root = saved.size, saved.root_hash
        if saved_size == 0 and saved_root != EMPTY_ROOT:
            raise VerifyError("the saved checkpoint of size 0 has a root that is not empty")

    tree = CompactRange()
    checker = _TileChecker(fetch)
    for bundle_index in range((size + TILE_WIDTH - 1) // TILE_WIDTH):
        first = bundle_index * TILE_WIDTH
        bundle = Tile(ENTRY_BUNDLE_LEVEL, bundle_index, min(TILE_WIDTH, size - first))
        entries = _read_bundle(fetch, bundle)
        leaf_hashes = []
        for offset, entry in enumerate(entries):
            if on_entry is not None:
                on_entry(first + offset, entry)
            stored = tree.append(_sha256(b"\x00" + entry).digest())  # leaf_hash, inlined
            leaf_hashes.append(stored[0])
            # A leaf that completes a subtree of 256**level leaves yields a hash of tile `level`.
            if len(stored) > TILE_HEIGHT:
                for level in range(1, (len(stored) - 1) // TILE_HEIGHT + 1):
                    checker.add(level, stored[TILE_HEIGHT * level])
            if tree.size == saved_size and tree.root() != saved_root:
                raise VerifyError(
                    f"the log is not consistent with the saved checkpoint of size {saved_size}: "
                    f"entries 0 to {saved_size - 1} have a different root",
                    index=saved_size - 1,
                )
        checker.check_leaf_tile(bundle, b"".join(leaf_hashes))
    checker.check_partial_tiles()
    if tree.root() != signed.checkpoint.root_hash:
        raise VerifyError(
            "the checkpoint's root hash is not the root of the log's entries", path="checkpoint"
        )
    return signed


class _TileChecker:
    """Compares the hashes the verifier rebuilds with the hash tiles, a tile at a time."""

    def __init__(self, fetch: Fetch) -> None:
        self._fetch = fetch
        # Level L's hashes since its last full tile, and that next tile's index.
        self._pending: dict[int, bytearray] = {}
        self._next_index: dict[int, int] = {}

    def check_leaf_tile(self, bundle: Tile, leaf_hashes: bytes) -> None:
        tile = Tile(0, bundle.index, bundle.width)
        served = _fetch(self._fetch, tile.path)
        if served == leaf_hashes:
            return
        _check_length(tile, served, leaf_hashes)
        first_entry = bundle.index * TILE_WIDTH
        offset = _first_different_hash(served, leaf_hashes)
        raise VerifyError(
            f"entry {first_entry + offset} in {bundle.path} does not match "
            f"its leaf hash in {tile.path}",
            path=tile.path,
            index=first_entry + offset,
        )

    def add(self, level: int, subtree_hash: bytes) -> None:
        pending = self._pending.setdefault(level, bytearray())
        pending += subtree_hash
        if len(pending) == TILE_WIDTH * HASH_SIZE:
            self._check(Tile(level, self._next_index.get(level, 0)), bytes(pending))
            self._next_index[level] = self._next_index.get(level, 0) + 1
            pending.clear()

    def check_partial_tiles(self) -> None:
        for level, pending in sorted(self._pending.items()):
            if pending:
                width = len(pending) // HASH_SIZE
                self._check(Tile(level, self._next_index.get(level, 0), width), bytes(pending))

    def _check(self, tile: Tile, rebuilt: bytes) -> None:
        served = _fetch(self._fetch, tile.path)
        if served == rebuilt:
            return
        _check_length(tile, served, rebuilt)
        offset = _first_different_hash(served, rebuilt)
        leaves_per_hash = TILE_WIDTH**tile.level
        first = (tile.index * TILE_WIDTH + offset) * leaves_per_hash
        raise VerifyError(
            f"hash {offset} of {tile.path} does not match entries {first} to "
            f"{first + leaves_per_hash - 1}",
            path=tile.path,
        )


def _check_length(tile: Tile, served: bytes, rebuilt: bytes) -> None:
    if len(served) != len(rebuilt):
        raise VerifyError(f"{tile.path} is {len(served)} bytes, not {len(rebuilt)}", path=tile.path)


def _first_different_hash(served: bytes, rebuilt: bytes) -> int:
    """Return the position of the first hash that differs between two tiles of equal length."""
    return next(
        offset
        for offset in range(len(rebuilt) // HASH_SIZE)
        if served[offset * HASH_SIZE : (offset + 1) * HASH_SIZE]
        != rebuilt[offset * HASH_SIZE : (offset + 1) * HASH_SIZE]
    )


def _fetch(fetch: Fetch, path: str) -> bytes:
    try:
        return fetch(path)
    except Exception as error:
        raise VerifyError(f"could not fetch {path}: {error}", path=path) from error


def _read_bundle(fetch: Fetch, bundle: Tile) -> list[bytes]:
    try:
        entries = decode_entry_bundle(_fetch(fetch, bundle.path))
    except ValueError as error:
        raise VerifyError(f"{bundle.path}: {error}", path=bundle.path) from error
    if len(entries) != bundle.width:
        raise VerifyError(
            f"{bundle.path} holds {len(entries)} entries, not {bundle.width}", path=bundle.path
        )
    return entries


def _open_checkpoint(
    signed_note: bytes,
    path: str | None,
    log_verifier: note.Verifier,
    witnesses: Sequence[note.Verifier],
    origin: str | None,
) -> SignedCheckpoint:
    try:
        return open_checkpoint(signed_note, log_verifier, witnesses=witnesses, origin=origin)
    except ValueError as error:
        what = path or "saved checkpoint"
        raise VerifyError(f"{what}: {error}", path=path) from error
