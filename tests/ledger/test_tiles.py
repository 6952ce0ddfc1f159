import random
import stat
from collections import Counter
from pathlib import Path

import pytest

from ceasefire.ledger.merkle import (
    MemoryHashStore,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    tree_hash,
)
from ceasefire.ledger.tiles import (
    ENTRY_BUNDLE_LEVEL,
    MAX_ENTRY_SIZE,
    Tile,
    TileHashReader,
    decode_entry_bundle,
    encode_entry_bundle,
    export_log,
    new_tiles,
    parse_tile_path,
    read_tile,
    tile_files,
    tile_width,
    tiles_for_size,
)

# Past 65,536 leaves, so that the tree has level 2 tiles.
SIZE = 70_000
ENTRIES = [f"entry {i}".encode() for i in range(SIZE)]
STORE = MemoryHashStore()
for _entry in ENTRIES:
    STORE.append(leaf_hash(_entry))


def read_entries(start: int, end: int) -> list[bytes]:
    return ENTRIES[start:end]


@pytest.mark.parametrize(
    ("tile", "path"),
    [
        # The spec's example of an index split into groups of three digits.
        (Tile(0, 1234067), "tile/0/x001/x234/067"),
        (Tile(3, 1234067, 17), "tile/3/x001/x234/067.p/17"),
        (Tile(ENTRY_BUNDLE_LEVEL, 1234067), "tile/entries/x001/x234/067"),
        (Tile(0, 0), "tile/0/000"),
        (Tile(0, 5, 1), "tile/0/005.p/1"),
        (Tile(1, 999, 255), "tile/1/999.p/255"),
        (Tile(63, 1000), "tile/63/x001/000"),
        (Tile(ENTRY_BUNDLE_LEVEL, 1_000_000, 112), "tile/entries/x001/x000/000.p/112"),
    ],
)
def test_tile_paths_follow_the_spec(tile: Tile, path: str) -> None:
    assert tile.path == path
    assert parse_tile_path(path) == tile


@pytest.mark.parametrize(
    "path",
    [
        "tile/0/1",
        "tile/0/0001",
        "tile/00/000",
        "tile/01/000",
        "tile/64/000",
        "tile/-1/000",
        "tile/data/000",
        "tile/8/0/000",  # Go sumdb paths name the tile height
        "tile/0/x000/001",  # a leading zero group
        "tile/0/001/x234",
        "tile/0/x1/000",
        "tile/0/X001/000",
        "tile/0/x001x234/067",
        "tile/0/000.p/0",
        "tile/0/000.p/256",
        "tile/0/000.p/007",
        "tile/0/000.p/",
        "tile/0/000.p",
        "tile/0/000.p/5/",
        "tile/entries/000.p/300",
        "/tile/0/000",
        "tile/0/000/",
        "tile//000",
        "tile/0/٠٠٠",  # non-ASCII digits
        "tile/0/000\n",
        "checkpoint",
    ],
)
def test_malformed_tile_paths_are_refused(path: str) -> None:
    with pytest.raises(ValueError, match="malformed tile path"):
        parse_tile_path(path)


def test_a_tree_of_70000_has_the_tiles_the_spec_lists() -> None:
    tiles = tiles_for_size(70_000)
    hash_tiles = [tile for tile in tiles if not tile.is_entry_bundle]
    # 273 full level 0 tiles and one of width 112, one full level 1 tile and one of width 17,
    # one level 2 tile of width 1.
    assert Counter((t.level, t.width) for t in hash_tiles) == {
        (0, 256): 273,
        (0, 112): 1,
        (1, 256): 1,
        (1, 17): 1,
        (2, 1): 1,
    }
    assert [t.path for t in hash_tiles if t.is_partial] == [
        "tile/0/273.p/112",
        "tile/1/001.p/17",
        "tile/2/000.p/1",
    ]
    bundles = [tile for tile in tiles if tile.is_entry_bundle]
    assert len(bundles) == 274 and bundles[-1].path == "tile/entries/273.p/112"


def test_a_tree_of_256_has_one_full_tile_and_a_level_1_tile_of_width_1() -> None:
    assert [t.path for t in tiles_for_size(256)] == [
        "tile/entries/000",
        "tile/0/000",
        "tile/1/000.p/1",
    ]
    assert tiles_for_size(0) == []


def test_only_the_rightmost_tile_of_a_level_is_partial() -> None:
    for size in [1, 255, 256, 257, 65_535, 65_536, 65_537, 70_000, 131_329]:
        per_level: dict[int, list[Tile]] = {}
        for tile in tiles_for_size(size):
            per_level.setdefault(tile.level, []).append(tile)
        for tiles in per_level.values():
            assert [t.index for t in tiles] == list(range(len(tiles)))
            assert all(not t.is_partial for t in tiles[:-1])
            assert sum(t.width for t in tiles) == (size >> (8 * max(tiles[0].level, 0)))


def test_new_tiles_are_those_of_the_new_size_that_the_old_size_lacks() -> None:
    sample = random.Random(3)
    for _ in range(300):
        new_size = sample.choice([sample.randint(0, 70_000), sample.randint(0, 600)])
        old_size = sample.randint(0, new_size)
        expected = set(tiles_for_size(new_size)) - set(tiles_for_size(old_size))
        assert set(new_tiles(old_size, new_size)) == expected
    with pytest.raises(ValueError, match="cannot grow"):
        new_tiles(10, 9)


def test_tile_width_is_full_partial_or_zero() -> None:
    assert tile_width(0, 0, 70_000) == 256
    assert tile_width(0, 273, 70_000) == 112
    assert tile_width(0, 274, 70_000) == 0
    assert tile_width(2, 0, 70_000) == 1
    assert tile_width(3, 0, 70_000) == 0


def test_hash_tiles_hold_the_subtree_hashes_of_their_level() -> None:
    level_0 = read_tile(Tile(0, 1), STORE)
    assert level_0 == b"".join(leaf_hash(entry) for entry in ENTRIES[256:512])
    level_1 = read_tile(Tile(1, 0), STORE)
    # Hash i of level 1 is the root of leaves [256 i, 256 (i + 1)).
    assert level_1[:32] == tree_hash(256, STORE)
    assert level_1[32:64] == tree_hash_of_range(256, 512)
    level_2 = read_tile(Tile(2, 0, 1), STORE)
    assert level_2 == tree_hash(65_536, STORE)
    with pytest.raises(ValueError, match="entries, not hashes"):
        read_tile(Tile(ENTRY_BUNDLE_LEVEL, 0), STORE)


def tree_hash_of_range(start: int, end: int) -> bytes:
    partial = MemoryHashStore()
    for entry in ENTRIES[start:end]:
        partial.append(leaf_hash(entry))
    return partial.root()


def test_entry_bundles_prefix_each_entry_with_its_length() -> None:
    entries = [b"", b"a", b"\x00" * 300, b"z" * MAX_ENTRY_SIZE]
    bundle = encode_entry_bundle(entries)
    assert bundle[:5] == b"\x00\x00\x00\x01a"
    assert bundle[5:7] == b"\x01\x2c"
    assert decode_entry_bundle(bundle) == entries
    assert decode_entry_bundle(b"") == []


def test_entry_bundles_refuse_oversized_and_truncated_entries() -> None:
    with pytest.raises(ValueError, match="entry 1 of the bundle is 65536 bytes"):
        encode_entry_bundle([b"", b"z" * (MAX_ENTRY_SIZE + 1)])
    with pytest.raises(ValueError, match="inside the length of entry 1"):
        decode_entry_bundle(b"\x00\x01a\x00")
    with pytest.raises(ValueError, match="inside entry 1"):
        decode_entry_bundle(b"\x00\x01a\x00\x05abc")


def served_tiles(size: int) -> dict[str, bytes]:
    return {tile.path: data for tile, data in tile_files(0, size, STORE, read_entries)}


def test_tile_files_give_the_entry_bundles_and_hash_tiles() -> None:
    files = served_tiles(600)
    assert sorted(files) == [
        "tile/0/000",
        "tile/0/001",
        "tile/0/002.p/88",
        "tile/1/000.p/2",
        "tile/entries/000",
        "tile/entries/001",
        "tile/entries/002.p/88",
    ]
    assert decode_entry_bundle(files["tile/entries/002.p/88"]) == ENTRIES[512:600]


def test_the_tile_hash_reader_gives_the_same_roots_and_proofs_as_the_stored_hashes() -> None:
    sample = random.Random(4)
    for size in [1, 255, 256, 257, 600, 65_536, SIZE]:
        files = served_tiles(size)
        reader = TileHashReader(size, files.__getitem__)
        assert tree_hash(size, reader) == tree_hash(size, STORE)
        for _ in range(20):
            index = sample.randrange(size)
            old_size = sample.randint(1, size)
            assert inclusion_proof(index, size, reader) == inclusion_proof(index, size, STORE)
            assert consistency_proof(old_size, size, reader) == consistency_proof(
                old_size, size, STORE
            )


def test_the_tile_hash_reader_fetches_each_tile_once() -> None:
    files = served_tiles(SIZE)
    fetched: list[str] = []

    def fetch(path: str) -> bytes:
        fetched.append(path)
        return files[path]

    reader = TileHashReader(SIZE, fetch)
    for index in range(0, SIZE, 997):
        inclusion_proof(index, SIZE, reader)
    assert len(fetched) == len(set(fetched))


def test_the_tile_hash_reader_refuses_hashes_outside_the_tree_and_short_tiles() -> None:
    files = served_tiles(600)
    with pytest.raises(ValueError, match="not in a tree of size 600"):
        TileHashReader(600, files.__getitem__).read_hashes([10_000])
    files["tile/0/001"] = files["tile/0/001"][:-1]
    with pytest.raises(ValueError, match="tile/0/001 is 8191 bytes"):
        inclusion_proof(300, 600, TileHashReader(600, files.__getitem__))


def test_export_writes_readable_tiles_and_the_checkpoint_last(tmp_path: Path) -> None:
    directory = tmp_path / "exported"
    export_log(directory, 0, 300, STORE, read_entries, b"checkpoint 300\n")
    export_log(directory, 300, 600, STORE, read_entries, b"checkpoint 600\n")

    written = sorted(
        str(path.relative_to(directory)) for path in directory.rglob("*") if path.is_file()
    )
    # The partial tiles of size 300 stay for whoever holds that checkpoint.
    assert written == sorted(
        [
            "checkpoint",
            *served_tiles(600),
            "tile/0/001.p/44",
            "tile/entries/001.p/44",
            "tile/1/000.p/1",
        ]
    )
    assert (directory / "checkpoint").read_bytes() == b"checkpoint 600\n"
    assert (directory / "tile/0/002.p/88").read_bytes() == served_tiles(600)["tile/0/002.p/88"]
    assert stat.S_IMODE((directory / "tile/0/000").stat().st_mode) == 0o644
