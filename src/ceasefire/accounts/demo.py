"""Two-factor login in the demo.

Admins and protection officers must give a code from an authenticator app after their password.
The demo enrols one for each, with a key drawn from the demo's seeded generator and printed by
`ceasefire demo`: the same entry in an authenticator app (or `oathtool --totp -b KEY`) then
serves every run of the demo, which a key made at first login on each fresh database would not.
The enrolment page can still be seen: an admin removes a user's authenticator (Users), or any
other role enrols one of their own choice.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceasefire.accounts import services
from ceasefire.accounts.selectors import two_factor_required

if TYPE_CHECKING:
    from ceasefire.demo import DemoContext


def demo_two_factor(context: DemoContext) -> None:
    for user in context.users.values():
        if two_factor_required(user):
            key = f"{context.rng.getrandbits(160):040x}"
            code = f"{TOTP(bytes.fromhex(key)).token():06d}"
            services.totp_enrol(user=user, key=key, code=code)


def demo_two_factor_keys() -> list[tuple[str, str]]:
    """(username, base32 key) of each demo user's authenticator, for `ceasefire demo` to print."""
    devices = TOTPDevice.objects.filter(confirmed=True).select_related("user")
    return sorted(
        (device.user.username, base64.b32encode(device.bin_key).decode()) for device in devices
    )
