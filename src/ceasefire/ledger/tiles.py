"""C2SP tlog-tiles (https://c2sp.org/tlog-tiles): tile paths, tile contents and entry bundles."""

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ceasefire.ledger.merkle import (
    HASH_SIZE,
    HashReader,
    node_hash,
    split_stored_hash_index,
    stored_hash_index,
)

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
MAX_LEVEL = 63
ENTRY_BUNDLE_LEVEL = -1
MAX_ENTRY_SIZE = 0xFFFF

_TILE_PATH = re.compile(
    r"tile/(?P<level>entries|0|[1-9][0-9]?)/(?P<index>(?:x[0-9]{3}/){0,6}[0-9]{3})"
    r"(?:\.p/(?P<width>[1-9][0-9]{0,2}))?"
)


@dataclass(frozen=True, order=True)
class Tile:
    """A hash tile (level 0 to 63) or an entry bundle (level ENTRY_BUNDLE_LEVEL).

    `width` is how many hashes or entries it holds: TILE_WIDTH for a full tile, fewer for the
    rightmost, partial tile of a level.
    """

    level: int
    index: int
    width: int = TILE_WIDTH

    def __post_init__(self) -> None:
        if not ENTRY_BUNDLE_LEVEL <= self.level <= MAX_LEVEL:
            raise ValueError(f"tile level {self.level} is not between 0 and {MAX_LEVEL}")
        if self.index < 0:
            raise ValueError(f"tile index {self.index} is negative")
        if not 1 <= self.width <= TILE_WIDTH:
            raise ValueError(f"tile width {self.width} is not between 1 and {TILE_WIDTH}")

    @property
    def is_entry_bundle(self) -> bool:
        return self.level == ENTRY_BUNDLE_LEVEL

    @property
    def is_partial(self) -> bool:
        return self.width < TILE_WIDTH

    @property
    def path(self) -> str:
        """The path under the log prefix, e.g. `tile/1/x001/234.p/17`."""
        level = "entries" if self.is_entry_bundle else str(self.level)
        groups = [f"{self.index % 1000:03d}"]
        remaining = self.index // 1000
        while remaining:
            groups.append(f"x{remaining % 1000:03d}")
            remaining //= 1000
        partial = f".p/{self.width}" if self.is_partial else ""
        return f"tile/{level}/{'/'.join(reversed(groups))}{partial}"


def parse_tile_path(path: str) -> Tile:
    """Parse a tile or entry bundle path; raise ValueError unless it is exactly as the spec says."""
    match = _TILE_PATH.fullmatch(path)
    if match is None:
        raise ValueError(f"malformed tile path {path!r}")
    level_text = match["level"]
    level = ENTRY_BUNDLE_LEVEL if level_text == "entries" else int(level_text)
    index = int(match["index"].replace("x", "").replace("/", ""))
    width = int(match["width"]) if match["width"] else TILE_WIDTH
    try:
        tile = Tile(level, index, width)
    except ValueError as error:
        raise ValueError(f"malformed tile path {path!r}: {error}") from error
    # Rejects the other spellings of a tile, such as a leading `x000/` or `.p/256`.
    if tile.path != path:
        raise ValueError(f"malformed tile path {path!r}: the canonical form is {tile.path!r}")
    return tile


def new_tiles(old_size: int, new_size: int) -> list[Tile]:
    """Return the entry bundles and hash tiles that appear when a log grows from `old_size`.

    With old_size 0 these are all the tiles of a tree of `new_size` leaves: every full tile and,
    for each level, the rightmost partial tile if that level's count is not a multiple of 256.
    """
    if not 0 <= old_size <= new_size:
        raise ValueError(f"a log cannot grow from size {old_size} to size {new_size}")
    hash_tiles = []
    level = 0
    while new_size >> (TILE_HEIGHT * level):
        old_count = old_size >> (TILE_HEIGHT * level)
        new_count = new_size >> (TILE_HEIGHT * level)
        for index in range(old_count // TILE_WIDTH, new_count // TILE_WIDTH):
            hash_tiles.append(Tile(level, index))
        partial_width = new_count % TILE_WIDTH
        if partial_width and new_count != old_count:
            hash_tiles.append(Tile(level, new_count // TILE_WIDTH, partial_width))
        level += 1
    bundles = [
        Tile(ENTRY_BUNDLE_LEVEL, tile.index, tile.width) for tile in hash_tiles if tile.level == 0
    ]
    return bundles + hash_tiles


def tiles_for_size(size: int) -> list[Tile]:
    """Return every entry bundle and hash tile of a tree of `size` leaves."""
    return new_tiles(0, size)


def read_tile(tile: Tile, reader: HashReader) -> bytes:
    """Return the bytes of a hash tile: its hashes, read from the stored hashes."""
    if tile.is_entry_bundle:
        raise ValueError("an entry bundle holds entries, not hashes")
    first = tile.index * TILE_WIDTH
    indexes = [
        stored_hash_index(TILE_HEIGHT * tile.level, first + offset) for offset in range(tile.width)
    ]
    hashes = reader.read_hashes(indexes)
    if len(hashes) != len(indexes):
        raise ValueError(f"hash reader returned {len(hashes)} hashes for {len(indexes)} indexes")
    return b"".join(hashes)


def encode_entry_bundle(entries: Iterable[bytes]) -> bytes:
    """Return an entry bundle: each entry preceded by its length as a big-endian uint16."""
    parts = []
    for position, entry in enumerate(entries):
        if len(entry) > MAX_ENTRY_SIZE:
            raise ValueError(
                f"entry {position} of the bundle is {len(entry)} bytes, over {MAX_ENTRY_SIZE}"
            )
        parts.append(len(entry).to_bytes(2, "big"))
        parts.append(entry)
    return b"".join(parts)


def decode_entry_bundle(data: bytes) -> list[bytes]:
    """Split an entry bundle into its entries; raise ValueError if it is truncated."""
    entries: list[bytes] = []
    offset = 0
    end = len(data)
    while offset < end:
        if offset + 2 > end:
            raise ValueError(f"entry bundle ends inside the length of entry {len(entries)}")
        length = (data[offset] << 8) | data[offset + 1]
        offset += 2
        if offset + length > end:
            raise ValueError(f"entry bundle ends inside entry {len(entries)}")
        entries.append(data[offset : offset + length])
        offset += length
    return entries


def tile_width(level: int, index: int, size: int) -> int:
    """Return the width of tile `index` of hash `level` in a tree of `size` leaves (0: none)."""
    count = size >> (TILE_HEIGHT * level)
    return max(0, min(TILE_WIDTH, count - index * TILE_WIDTH))


class TileHashReader:
    """Reads stored hashes from the hash tiles of a tree of `size` leaves, as `fetch` serves them.

    It does not authenticate the tiles: check what it yields (a root, a proof) against a signed
    checkpoint. Tiles are fetched once per reader.
    """

    def __init__(self, size: int, fetch: Callable[[str], bytes]) -> None:
        self._size = size
        self._fetch = fetch
        self._tiles: dict[tuple[int, int], bytes] = {}

    def read_hashes(self, indexes: Sequence[int]) -> list[bytes]:
        return [self._read_hash(index) for index in indexes]

    def _read_hash(self, index: int) -> bytes:
        level, n = split_stored_hash_index(index)
        if (n + 1) << level > self._size:
            raise ValueError(f"stored hash {index} is not in a tree of size {self._size}")
        tile_level, level_in_tile = divmod(level, TILE_HEIGHT)
        # A hash between tile levels is the subtree hash of 2**level_in_tile adjacent tile hashes.
        first = n << level_in_tile
        tile = self._tile(tile_level, first // TILE_WIDTH)
        offset = (first % TILE_WIDTH) * HASH_SIZE
        return _subtree_hash(tile[offset : offset + (HASH_SIZE << level_in_tile)])

    def _tile(self, level: int, index: int) -> bytes:
        key = (level, index)
        if key not in self._tiles:
            tile = Tile(level, index, tile_width(level, index, self._size))
            data = self._fetch(tile.path)
            if len(data) != tile.width * HASH_SIZE:
                raise ValueError(f"{tile.path} is {len(data)} bytes, not {tile.width * HASH_SIZE}")
            self._tiles[key] = data
        return self._tiles[key]


def _subtree_hash(hashes: bytes) -> bytes:
    """Return the Merkle tree hash of a power-of-two run of concatenated hashes."""
    level = [hashes[offset : offset + HASH_SIZE] for offset in range(0, len(hashes), HASH_SIZE)]
    while len(level) > 1:
        level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def tile_files(
    old_size: int,
    new_size: int,
    reader: HashReader,
    read_entries: Callable[[int, int], Sequence[bytes]],
) -> Iterator[tuple[Tile, bytes]]:
    """Yield the contents of each tile of new_tiles(old_size, new_size).

    `read_entries(start, end)` returns the entries with indexes start to end - 1.
    """
    for tile in new_tiles(old_size, new_size):
        if tile.is_entry_bundle:
            start = tile.index * TILE_WIDTH
            entries = read_entries(start, start + tile.width)
            if len(entries) != tile.width:
                raise ValueError(f"read {len(entries)} entries for {tile.path}, not {tile.width}")
            yield tile, encode_entry_bundle(entries)
        else:
            yield tile, read_tile(tile, reader)


def export_log(
    directory: Path,
    old_size: int,
    new_size: int,
    reader: HashReader,
    read_entries: Callable[[int, int], Sequence[bytes]],
    checkpoint_note: bytes,
    *,
    durable: bool = True,
) -> None:
    """Write the tiles new since `old_size`, then the signed checkpoint, for static hosting.

    Each file is replaced atomically and the checkpoint goes last, so a server reading the
    directory never offers a checkpoint whose tiles are missing. `durable` fsyncs every file
    before the checkpoint refers to it; only scratch exports should turn it off.
    """
    written_directories: set[Path] = set()
    for tile, data in tile_files(old_size, new_size, reader, read_entries):
        path = directory / tile.path
        _write_atomically(path, data, durable=durable)
        written_directories.update(directory / parent for parent in Path(tile.path).parents)
    if durable:
        for written_directory in sorted(written_directories, reverse=True):
            _fsync_directory(written_directory)
    _write_atomically(directory / "checkpoint", checkpoint_note, durable=durable)
    if durable:
        _fsync_directory(directory)


def _write_atomically(path: Path, data: bytes, *, durable: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            # mkstemp makes the file private; a static web server must be able to read it.
            os.fchmod(file.fileno(), 0o644)
            file.write(data)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _fsync_directory(path: Path) -> None:
    """Persist the renames and new entries of a directory."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
