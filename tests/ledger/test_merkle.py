import random
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymerkle import InmemoryTree

from ceasefire.ledger.merkle import (
    EMPTY_ROOT,
    CompactRange,
    MemoryHashStore,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    split_stored_hash_index,
    stored_hash_count,
    stored_hash_index,
    stored_hashes_for_append,
    tree_hash,
    verify_consistency,
    verify_inclusion,
)

ORACLE_SIZE = 2000
# Entries of varied lengths, the empty one included.
ENTRIES = [b"" if i == 0 else f"entry {i} ".encode() * (i % 7) for i in range(ORACLE_SIZE)]
LEAVES = [leaf_hash(entry) for entry in ENTRIES]

STORE = MemoryHashStore()
ROOTS = [EMPTY_ROOT]
for _leaf in LEAVES:
    STORE.append(_leaf)
    ROOTS.append(STORE.root())

# The tests share module-level stores, and the suite's autouse fixtures do not affect them.
proof_settings = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@cache
def pymerkle_tree() -> InmemoryTree:
    tree = InmemoryTree()  # default settings: SHA-256 with the RFC 9162 0x00/0x01 prefixes
    for entry in ENTRIES:
        tree.append_entry(entry)
    return tree


def reference_split(low: int, high: int) -> int:
    """low + k, k being the largest power of two smaller than high - low (RFC 9162)."""
    k = 1
    while k * 2 < high - low:
        k *= 2
    return low + k


@cache
def reference_hash(low: int, high: int) -> bytes:
    """MTH(D[low:high]) straight from the RFC 9162 definition."""
    if high - low == 1:
        return LEAVES[low]
    split = reference_split(low, high)
    return node_hash(reference_hash(low, split), reference_hash(split, high))


def reference_consistency_proof(old_size: int, low: int, high: int, complete: bool) -> list[bytes]:
    """SUBPROOF(m, D[low:high], b) straight from RFC 9162 section 2.1.4.1."""
    if old_size == high:
        return [] if complete else [reference_hash(low, high)]
    split = reference_split(low, high)
    if old_size <= split:
        inner = reference_consistency_proof(old_size, low, split, complete)
        return [*inner, reference_hash(split, high)]
    inner = reference_consistency_proof(old_size, split, high, False)
    return [*inner, reference_hash(low, split)]


def test_empty_root_is_the_hash_of_the_empty_string() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert tree_hash(0, STORE) == EMPTY_ROOT
    assert CompactRange().root() == EMPTY_ROOT


def test_leaf_and_node_hashes_use_the_rfc_9162_prefixes() -> None:
    assert leaf_hash(b"").hex() == (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )
    left, right = leaf_hash(b"a"), leaf_hash(b"b")
    assert node_hash(left, right) == pymerkle_tree().hash_pair(left, right)


def test_roots_match_pymerkle_for_every_size_up_to_2000() -> None:
    tree = pymerkle_tree()
    for size in range(1, ORACLE_SIZE + 1):
        assert ROOTS[size] == tree.get_root(size), size
        assert tree_hash(size, STORE) == ROOTS[size], size


def test_inclusion_proofs_match_pymerkle_on_a_sample() -> None:
    tree = pymerkle_tree()
    sample = random.Random(1)
    for _ in range(1500):
        size = sample.randint(1, ORACLE_SIZE)
        index = sample.randrange(size)
        proof = inclusion_proof(index, size, STORE)
        # pymerkle counts leaves from 1 and puts the leaf itself first in its path.
        assert proof == tree.prove_inclusion(index + 1, size).path[1:], (index, size)
        verify_inclusion(LEAVES[index], index, size, proof, ROOTS[size])


def test_consistency_proofs_match_rfc_9162_and_pymerkle_roots_on_a_sample() -> None:
    tree = pymerkle_tree()
    sample = random.Random(2)
    for _ in range(1500):
        new_size = sample.randint(1, ORACLE_SIZE)
        old_size = sample.randint(1, new_size)
        proof = consistency_proof(old_size, new_size, STORE)
        assert proof == reference_consistency_proof(old_size, 0, new_size, True)
        verify_consistency(
            old_size, new_size, tree.get_root(old_size), tree.get_root(new_size), proof
        )


def test_inclusion_proof_verifies_for_every_index_of_small_trees() -> None:
    for size in range(1, 70):
        for index in range(size):
            proof = inclusion_proof(index, size, STORE)
            verify_inclusion(LEAVES[index], index, size, proof, ROOTS[size])


def test_consistency_proof_verifies_for_every_pair_of_small_sizes() -> None:
    for new_size in range(1, 70):
        for old_size in range(new_size + 1):
            proof = consistency_proof(old_size, new_size, STORE)
            verify_consistency(old_size, new_size, ROOTS[old_size], ROOTS[new_size], proof)


@proof_settings
@given(data=st.data())
def test_any_changed_byte_breaks_an_inclusion_proof(data: st.DataObject) -> None:
    size = data.draw(st.integers(2, 600))
    index = data.draw(st.integers(0, size - 1))
    proof = inclusion_proof(index, size, STORE)
    verify_inclusion(LEAVES[index], index, size, proof, ROOTS[size])

    parts = [LEAVES[index], ROOTS[size], *proof]
    part = data.draw(st.integers(0, len(parts) - 1))
    position = data.draw(st.integers(0, 31))
    flip = data.draw(st.integers(1, 255))
    changed = bytearray(parts[part])
    changed[position] ^= flip
    parts[part] = bytes(changed)
    with pytest.raises(ProofError):
        verify_inclusion(parts[0], index, size, parts[2:], parts[1])


@proof_settings
@given(data=st.data())
def test_any_changed_byte_breaks_a_consistency_proof(data: st.DataObject) -> None:
    new_size = data.draw(st.integers(2, 600))
    old_size = data.draw(st.integers(1, new_size - 1))
    proof = consistency_proof(old_size, new_size, STORE)
    verify_consistency(old_size, new_size, ROOTS[old_size], ROOTS[new_size], proof)

    parts = [ROOTS[old_size], ROOTS[new_size], *proof]
    part = data.draw(st.integers(0, len(parts) - 1))
    position = data.draw(st.integers(0, 31))
    flip = data.draw(st.integers(1, 255))
    changed = bytearray(parts[part])
    changed[position] ^= flip
    parts[part] = bytes(changed)
    with pytest.raises(ProofError):
        verify_consistency(old_size, new_size, parts[0], parts[1], parts[2:])


@proof_settings
@given(data=st.data())
def test_a_proof_with_a_hash_added_or_removed_fails(data: st.DataObject) -> None:
    new_size = data.draw(st.integers(2, 600))
    old_size = data.draw(st.integers(1, new_size - 1))
    index = data.draw(st.integers(0, new_size - 1))
    inclusion = inclusion_proof(index, new_size, STORE)
    consistency = consistency_proof(old_size, new_size, STORE)
    extra = data.draw(st.binary(min_size=32, max_size=32))
    for proof in (inclusion[:-1], [*inclusion, extra]):
        with pytest.raises(ProofError):
            verify_inclusion(LEAVES[index], index, new_size, proof, ROOTS[new_size])
    for proof in (consistency[:-1], [*consistency, extra]):
        with pytest.raises(ProofError):
            verify_consistency(old_size, new_size, ROOTS[old_size], ROOTS[new_size], proof)


def test_inclusion_proof_of_the_wrong_leaf_or_index_fails() -> None:
    proof = inclusion_proof(5, 100, STORE)
    with pytest.raises(ProofError, match="does not lead to the root"):
        verify_inclusion(LEAVES[6], 5, 100, proof, ROOTS[100])
    with pytest.raises(ProofError, match="does not lead to the root"):
        verify_inclusion(LEAVES[5], 4, 100, proof, ROOTS[100])
    with pytest.raises(ProofError, match="not in a tree of size 100"):
        verify_inclusion(LEAVES[5], 100, 100, proof, ROOTS[100])


def test_consistency_from_size_zero_needs_an_empty_proof_and_the_empty_root() -> None:
    assert consistency_proof(0, 10, STORE) == []
    verify_consistency(0, 10, EMPTY_ROOT, ROOTS[10], [])
    with pytest.raises(ProofError, match="must be empty"):
        verify_consistency(0, 10, EMPTY_ROOT, ROOTS[10], [ROOTS[1]])
    with pytest.raises(ProofError, match="empty tree"):
        verify_consistency(0, 10, ROOTS[1], ROOTS[10], [])


def test_consistency_between_equal_sizes_needs_equal_roots() -> None:
    assert consistency_proof(10, 10, STORE) == []
    verify_consistency(10, 10, ROOTS[10], ROOTS[10], [])
    with pytest.raises(ProofError, match="two different roots"):
        verify_consistency(10, 10, ROOTS[10], ROOTS[9], [])


def test_consistency_backwards_or_with_short_hashes_is_refused() -> None:
    with pytest.raises(ProofError, match="smaller size"):
        verify_consistency(10, 9, ROOTS[10], ROOTS[9], [])
    with pytest.raises(ProofError, match="31 bytes"):
        verify_consistency(3, 9, ROOTS[3], ROOTS[9], [b"x" * 31])
    with pytest.raises(ValueError, match="no consistency proof"):
        consistency_proof(10, 9, STORE)
    with pytest.raises(ValueError, match="not in a tree"):
        inclusion_proof(9, 9, STORE)


def test_stored_hash_index_and_its_inverse_agree() -> None:
    for index in range(stored_hash_count(ORACLE_SIZE)):
        level, n = split_stored_hash_index(index)
        assert stored_hash_index(level, n) == index


def test_stored_hash_index_lays_hashes_out_in_append_order() -> None:
    # Leaf 0, leaf 1, their parent, leaf 2, leaf 3, parent, grandparent, leaf 4.
    layout = [(0, 0), (0, 1), (1, 0), (0, 2), (0, 3), (1, 1), (2, 0), (0, 4)]
    assert [stored_hash_index(level, n) for level, n in layout] == list(range(8))


def test_stored_hashes_for_append_match_the_compact_range() -> None:
    tree = CompactRange()
    for size, leaf in enumerate(LEAVES[:600]):
        assert stored_hashes_for_append(size, leaf, STORE) == tree.append(leaf)
        assert stored_hash_count(size + 1) == stored_hash_index(0, size + 1)


def test_memory_store_holds_exactly_the_stored_hashes() -> None:
    assert len(STORE.read_hashes(range(stored_hash_count(ORACLE_SIZE)))) == stored_hash_count(
        ORACLE_SIZE
    )
    with pytest.raises(IndexError):
        STORE.read_hashes([stored_hash_count(ORACLE_SIZE)])


def test_compact_range_loads_from_stored_hashes_and_continues() -> None:
    loaded = CompactRange.from_reader(1234, STORE)
    assert loaded.size == 1234
    assert len(loaded.hashes) == bin(1234).count("1")
    assert loaded.root() == ROOTS[1234]
    for leaf in LEAVES[1234:1300]:
        loaded.append(leaf)
    assert loaded.root() == ROOTS[1300]


def test_compact_range_refuses_the_wrong_number_of_subtrees() -> None:
    with pytest.raises(ValueError, match="3 complete subtrees"):
        CompactRange(7, [ROOTS[1]] * 2)
    with pytest.raises(ValueError, match="32 bytes"):
        CompactRange(1, [b"short"])
    with pytest.raises(ValueError, match="negative"):
        CompactRange(-1)
