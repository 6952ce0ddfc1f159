"""RFC 9162 Merkle tree hashing, proofs and the "stored hash" layout of Go's sumdb/tlog.

Every hash of a tree is addressed by a *stored hash index*: the hashes are laid out in the order in
which an append-only log completes them (leaf 0, leaf 1, their parent, leaf 2, ...), so a log that
persists the hashes each append returns keeps about two hashes per leaf, never rewrites one, and can
answer any root or proof with O(log n) reads.
"""

import hashlib
from collections.abc import Iterable, Sequence
from typing import Protocol

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

_sha256 = hashlib.sha256


class ProofError(ValueError):
    """A Merkle proof does not prove what it was checked against."""


def leaf_hash(entry: bytes) -> bytes:
    """Return the RFC 9162 hash of a leaf: SHA-256(0x00 || entry)."""
    return _sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the RFC 9162 hash of an interior node: SHA-256(0x01 || left || right)."""
    return _sha256(b"\x01" + left + right).digest()


class HashReader(Protocol):
    """Something that returns the stored hashes at the given stored hash indexes, in order."""

    def read_hashes(self, indexes: Sequence[int]) -> list[bytes]: ...


def stored_hash_index(level: int, n: int) -> int:
    """Return the stored index of the n-th hash at `level` (level 0 holds the leaf hashes).

    A hash is stored by the append of the last leaf it covers, m: after the 2m - popcount(m) hashes
    of leaves 0 to m-1 and their complete subtrees come leaf m's hash, then one hash per level.
    """
    last_leaf = ((n + 1) << level) - 1
    return 2 * last_leaf - last_leaf.bit_count() + level


def split_stored_hash_index(index: int) -> tuple[int, int]:
    """Invert stored_hash_index: return the (level, n) of the hash stored at `index`."""
    if index < 0:
        raise ValueError(f"stored hash index {index} is negative")
    # The leaf whose append stored `index` is index // 2 or a few dozen leaves past it at most.
    leaf = index // 2
    leaf_index = stored_hash_index(0, leaf)
    while True:
        next_leaf_index = leaf_index + 1 + _trailing_ones(leaf)
        if next_leaf_index > index:
            break
        leaf += 1
        leaf_index = next_leaf_index
    level = index - leaf_index
    return level, leaf >> level


def stored_hash_count(size: int) -> int:
    """Return how many hashes a log of `size` leaves has stored."""
    if size == 0:
        return 0
    return stored_hash_index(0, size - 1) + 1 + _trailing_ones(size - 1)


def _trailing_ones(n: int) -> int:
    return ((n + 1) & -(n + 1)).bit_length() - 1


def stored_hashes_for_append(size: int, new_leaf_hash: bytes, reader: HashReader) -> list[bytes]:
    """Return the hashes to store when appending leaf number `size`.

    They go at consecutive stored indexes from stored_hash_index(0, size): the leaf hash, then the
    root of every subtree the leaf completes, reading the left siblings from `reader`.
    """
    completed = _trailing_ones(size)
    sibling_indexes = [stored_hash_index(level, (size >> level) - 1) for level in range(completed)]
    siblings = _read(reader, sibling_indexes)
    hashes = [new_leaf_hash]
    current = new_leaf_hash
    for sibling in siblings:
        current = node_hash(sibling, current)
        hashes.append(current)
    return hashes


class CompactRange:
    """The roots of the complete subtrees covering leaves [0, size), largest (leftmost) first.

    Appending costs one node hash per completed subtree, one on average, and returns the stored
    hashes of the append, so a log can keep one of these in memory and persist what it returns.
    """

    __slots__ = ("_hashes", "_size")

    def __init__(self, size: int = 0, hashes: Iterable[bytes] = ()) -> None:
        if size < 0:
            raise ValueError(f"tree size {size} is negative")
        self._size = size
        self._hashes = list(hashes)
        if len(self._hashes) != size.bit_count():
            raise ValueError(
                f"a tree of size {size} has {size.bit_count()} complete subtrees, "
                f"got {len(self._hashes)} hashes"
            )
        if any(len(h) != HASH_SIZE for h in self._hashes):
            raise ValueError(f"subtree hashes must be {HASH_SIZE} bytes")

    @classmethod
    def from_reader(cls, size: int, reader: HashReader) -> "CompactRange":
        """Load the compact range of a tree of `size` leaves from its stored hashes."""
        return cls(size, _read(reader, _subtree_indexes(0, size)))

    @property
    def size(self) -> int:
        return self._size

    @property
    def hashes(self) -> tuple[bytes, ...]:
        return tuple(self._hashes)

    def append(self, new_leaf_hash: bytes) -> list[bytes]:
        """Append a leaf by its hash; return its stored hashes (see stored_hashes_for_append)."""
        stored = [new_leaf_hash]
        current = new_leaf_hash
        stack = self._hashes
        size = self._size
        while size & 1:
            # node_hash, inlined: this loop is the cost of an append.
            current = _sha256(b"\x01" + stack.pop() + current).digest()
            stored.append(current)
            size >>= 1
        stack.append(current)
        self._size += 1
        return stored

    def root(self) -> bytes:
        """Return the Merkle tree hash of leaves [0, size)."""
        return _fold(self._hashes)


class MemoryHashStore:
    """An in-memory log of stored hashes, 32 bytes each in one buffer."""

    __slots__ = ("_buffer", "_range")

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._range = CompactRange()

    @property
    def size(self) -> int:
        return self._range.size

    def append(self, new_leaf_hash: bytes) -> None:
        """Append a leaf by its hash."""
        self._buffer += b"".join(self._range.append(new_leaf_hash))

    def root(self) -> bytes:
        return self._range.root()

    def read_hashes(self, indexes: Sequence[int]) -> list[bytes]:
        stored = len(self._buffer) // HASH_SIZE
        hashes = []
        for index in indexes:
            if not 0 <= index < stored:
                raise IndexError(f"stored hash {index} is not in a store of {stored} hashes")
            offset = index * HASH_SIZE
            hashes.append(bytes(self._buffer[offset : offset + HASH_SIZE]))
        return hashes


def tree_hash(size: int, reader: HashReader) -> bytes:
    """Return the Merkle tree hash of the first `size` leaves."""
    if size < 0:
        raise ValueError(f"tree size {size} is negative")
    return _fold(_read(reader, _subtree_indexes(0, size)))


def inclusion_proof(index: int, size: int, reader: HashReader) -> list[bytes]:
    """Return the RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")
    # Walk down from the root, keeping the sibling range at each level; the proof lists them
    # bottom-up.
    ranges = []
    low, high = 0, size
    while high - low > 1:
        split = low + _largest_power_of_two_below(high - low)
        if index < split:
            ranges.append((split, high))
            high = split
        else:
            ranges.append((low, split))
            low = split
    ranges.reverse()
    return _range_hashes(ranges, reader)


def consistency_proof(old_size: int, new_size: int, reader: HashReader) -> list[bytes]:
    """Return the RFC 9162 consistency proof from the tree of `old_size` leaves to `new_size`.

    The proof is empty when old_size is 0 or equal to new_size: there is nothing to prove.
    """
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to size {new_size}")
    if old_size in (0, new_size):
        return []
    ranges = []
    low, high = 0, new_size
    old_is_left_edge = True
    while old_size != high:
        split = low + _largest_power_of_two_below(high - low)
        if old_size <= split:
            ranges.append((split, high))
            high = split
        else:
            ranges.append((low, split))
            low = split
            old_is_left_edge = False
    # A verifier knows the old root; it needs the old tree's last subtree only when that subtree
    # is not the whole old tree.
    if not old_is_left_edge:
        ranges.append((low, high))
    ranges.reverse()
    return _range_hashes(ranges, reader)


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check an inclusion proof (RFC 9162 section 2.1.3.2); raise ProofError if it fails."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    _check_hash_sizes(proof)
    node, last = index, size - 1
    computed = leaf
    for sibling in proof:
        if last == 0:
            raise ProofError(f"inclusion proof has {len(proof)} hashes, too many for its tree")
        if node & 1 or node == last:
            computed = node_hash(sibling, computed)
            while not node & 1 and node != 0:
                node >>= 1
                last >>= 1
        else:
            computed = node_hash(computed, sibling)
        node >>= 1
        last >>= 1
    if last != 0:
        raise ProofError(f"inclusion proof has {len(proof)} hashes, too few for its tree")
    if computed != root:
        raise ProofError(f"inclusion proof of leaf {index} does not lead to the root")


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check a consistency proof (RFC 9162 section 2.1.4.2); raise ProofError if it fails.

    From size 0 the proof must be empty and the old root the empty tree's; between equal sizes it
    must be empty and the roots equal.
    """
    if not 0 <= old_size <= new_size:
        raise ProofError(f"size {old_size} cannot be consistent with smaller size {new_size}")
    _check_hash_sizes(proof)
    if old_size == 0 or old_size == new_size:
        if proof:
            raise ProofError(f"consistency proof from size {old_size} to {new_size} must be empty")
        if old_size == 0 and old_root != EMPTY_ROOT:
            raise ProofError("the root of an empty tree must be the hash of the empty string")
        if old_size == new_size and old_root != new_root:
            raise ProofError(f"two different roots for the same size {old_size}")
        return
    if not proof:
        raise ProofError(f"consistency proof from size {old_size} to {new_size} is empty")
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    node, last = old_size - 1, new_size - 1
    while node & 1:
        node >>= 1
        last >>= 1
    old_computed = new_computed = path[0]
    for sibling in path[1:]:
        if last == 0:
            raise ProofError(f"consistency proof has {len(proof)} hashes, too many")
        if node & 1 or node == last:
            old_computed = node_hash(sibling, old_computed)
            new_computed = node_hash(sibling, new_computed)
            while not node & 1 and node != 0:
                node >>= 1
                last >>= 1
        else:
            new_computed = node_hash(new_computed, sibling)
        node >>= 1
        last >>= 1
    if last != 0:
        raise ProofError(f"consistency proof has {len(proof)} hashes, too few")
    if old_computed != old_root:
        raise ProofError(f"consistency proof does not lead to the root of size {old_size}")
    if new_computed != new_root:
        raise ProofError(f"consistency proof does not lead to the root of size {new_size}")


def _check_hash_sizes(proof: Sequence[bytes]) -> None:
    for position, proof_hash in enumerate(proof):
        if len(proof_hash) != HASH_SIZE:
            raise ProofError(f"proof hash {position} is {len(proof_hash)} bytes, not {HASH_SIZE}")


def _largest_power_of_two_below(n: int) -> int:
    """Return the largest power of two strictly less than n (n >= 2): RFC 9162's k."""
    return 1 << ((n - 1).bit_length() - 1)


def _subtree_indexes(low: int, high: int) -> list[int]:
    """Return the stored indexes of the complete subtrees covering [low, high), left to right.

    `low` must be a multiple of the first (largest) subtree, as it is for every range of a proof.
    """
    indexes = []
    while low < high:
        level = (high - low).bit_length() - 1
        indexes.append(stored_hash_index(level, low >> level))
        low += 1 << level
    return indexes


def _range_hashes(ranges: Sequence[tuple[int, int]], reader: HashReader) -> list[bytes]:
    """Return the Merkle tree hash of each range, reading all their subtrees in one call."""
    per_range = [_subtree_indexes(low, high) for low, high in ranges]
    hashes = _read(reader, [index for indexes in per_range for index in indexes])
    result = []
    offset = 0
    for indexes in per_range:
        result.append(_fold(hashes[offset : offset + len(indexes)]))
        offset += len(indexes)
    return result


def _fold(subtree_hashes: Sequence[bytes]) -> bytes:
    """Combine the complete subtrees of a range, largest first, into the range's hash."""
    if not subtree_hashes:
        return EMPTY_ROOT
    combined = subtree_hashes[-1]
    for left in reversed(subtree_hashes[:-1]):
        combined = node_hash(left, combined)
    return combined


def _read(reader: HashReader, indexes: Sequence[int]) -> list[bytes]:
    hashes = reader.read_hashes(indexes)
    if len(hashes) != len(indexes):
        raise ValueError(f"hash reader returned {len(hashes)} hashes for {len(indexes)} indexes")
    return hashes
