from __future__ import annotations

import base64

import pytest
from django_otp.oath import TOTP

from ceasefire.accounts import services
from ceasefire.accounts.demo import demo_two_factor_keys
from ceasefire.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_enrols_an_authenticator_for_each_role_that_needs_one() -> None:
    context = load_demo()
    keys = dict(demo_two_factor_keys())
    assert set(keys) == {"admin", "protection"}
    key = base64.b32decode(keys["admin"])
    totp = TOTP(key)
    totp.time += 30  # the code of enrolment itself is spent
    services.two_factor_verify(user=context.users["admin"], code=f"{totp.token():06d}")
