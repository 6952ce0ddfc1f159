"""Demo field collection: the field officer's phone, today's crossing counts sent from it, and
two submissions waiting in quarantine for an analyst (counts that do not add up, a position
code that does not exist), all through the same service ODK Collect's submissions go through."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.utils import timezone

from ceasefire.fieldsync import services
from ceasefire.positions.demo import CORRIDOR, day_at

if TYPE_CHECKING:
    from ceasefire.demo import DemoContext

DEMO_COLLECT_ID = "collect:DemoPhoneTomas01"


def _xml(context: DemoContext, form_id: str, body: str) -> bytes:
    instance = uuid.UUID(int=context.rng.getrandbits(128), version=4)
    return (
        f'<?xml version="1.0" ?><data xmlns:orx="http://openrosa.org/xforms" id="{form_id}" '
        f'version="2026011501">{body}<meta><instanceID>uuid:{instance}</instanceID></meta></data>'
    ).encode()


def _crossings(context: DemoContext, code: str, direction: str, *, disabled: int) -> bytes:
    rng = context.rng
    return _xml(
        context,
        "corridor_crossings",
        f"<checkpoint>{code}</checkpoint><day>{timezone.localdate().isoformat()}</day>"
        f"<direction>{direction}</direction><men>{rng.randint(40, 80)}</men>"
        f"<women>{rng.randint(50, 90)}</women><children>{rng.randint(30, 70)}</children>"
        f"<elderly>{rng.randint(5, 15)}</elderly><disabled>{disabled}</disabled>"
        f"<vehicles>{rng.randint(5, 20)}</vehicles>",
    )


def demo_fieldsync(context: DemoContext) -> None:
    officer = context.users["field"]
    device, _token = services.device_create(user=officer, name="Grey Nokia, corridor team")
    visit = day_at(0, 10, 15).isoformat()
    submissions = [
        _crossings(context, CORRIDOR[0], "inbound", disabled=3),
        _crossings(context, CORRIDOR[1], "outbound", disabled=2),
        # Quarantined: more persons with disabilities than people.
        _crossings(context, CORRIDOR[2], "inbound", disabled=900),
        # Quarantined: a position code mistyped on the phone.
        _xml(
            context,
            "position_visit",
            f"<position>NHF-99</position><kind>visit</kind><occurred_at>{visit}</occurred_at>"
            "<finding>remains_vacated</finding><notes>Gate closed, no one seen.</notes>",
        ),
    ]
    for xml in submissions:
        services.submission_receive(
            user=officer, xml=xml, uploads=[], device=device, collect_id=DEMO_COLLECT_ID
        )
