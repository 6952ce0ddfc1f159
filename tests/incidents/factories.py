from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ceasefire.accounts.models import Party
from ceasefire.incidents import services
from ceasefire.incidents.models import Incident
from tests.positions.factories import officer

JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def incident(alleged_party: Party | None = None, *, hours_ago: float = 5) -> Incident:
    return services.incident_report(
        occurred_at=timezone.now() - timedelta(hours=hours_ago),
        kind="small_arms_fire",
        description="Bursts of automatic fire heard from the ridge.",
        source="Shepherd at the ford",
        lat_microdeg=-49_371_000,
        lon_microdeg=69_745_000,
        alleged_party=alleged_party,
        by=officer(),
    )
