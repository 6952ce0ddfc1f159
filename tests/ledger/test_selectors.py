"""Figures kept until the log moves (ledger.selectors.kept_while_log_unchanged)."""

from __future__ import annotations

import pytest
from django.db import transaction

from ceasefire.ledger import selectors, services

pytestmark = pytest.mark.django_db


def test_a_kept_figure_is_computed_again_only_once_the_log_moves() -> None:
    computed: list[int] = []

    def compute() -> list[int]:
        computed.append(len(computed))
        return list(computed)

    first = selectors.kept_while_log_unchanged(("test.figure",), compute)
    assert selectors.kept_while_log_unchanged(("test.figure",), compute) is first
    assert selectors.kept_while_log_unchanged(("test.figure", "other"), compute) is not first
    with transaction.atomic():
        services.append("ledger.test/1", {"category": "rifle"})
    after = selectors.kept_while_log_unchanged(("test.figure",), compute)
    assert after is not first and len(computed) == 3


def test_the_log_head_changes_with_every_entry() -> None:
    before = selectors.log_head()
    with transaction.atomic():
        services.append("ledger.test/1", {"category": "rifle"})
    after = selectors.log_head()
    assert after[0] > before[0] and after[1] != before[1]
