from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.scoping import assert_party_scoped

pytestmark = pytest.mark.django_db


def test_a_route_open_to_both_liaisons_is_caught_as_unscoped(
    client_as: Callable[[str], Client],
) -> None:
    with pytest.raises(AssertionError, match="must be a 404"):
        assert_party_scoped(client_as, "/api/me")


def test_a_route_the_owner_cannot_reach_is_caught(client_as: Callable[[str], Client]) -> None:
    with pytest.raises(AssertionError, match="the owner must reach it"):
        assert_party_scoped(client_as, "/accounts/users/")
