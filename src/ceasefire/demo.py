"""The demo scenario: a fictional mission with one user per role and two parties.

Deterministic (seeded), so every `ceasefire demo` builds the same world. All place, unit and
person names are invented. Later modules add their records through `SCENARIO_STEPS`, each a
function taking the random generator and the context built so far, always through services.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ceasefire.accounts import services as accounts
from ceasefire.accounts.demo import demo_two_factor
from ceasefire.accounts.models import Party, User
from ceasefire.accounts.roles import Role
from ceasefire.caches.demo import demo_caches
from ceasefire.convoys.demo import demo_convoys
from ceasefire.fieldsync.demo import demo_fieldsync
from ceasefire.holdings.demo import demo_holdings
from ceasefire.incidents.demo import demo_incidents
from ceasefire.people.demo import demo_people
from ceasefire.places.demo import demo_places
from ceasefire.places.models import Place
from ceasefire.positions.demo import demo_positions
from ceasefire.registry.demo import demo_registry
from ceasefire.reports.demo import demo_reports
from ceasefire.stores.demo import demo_stores

DEMO_SEED = 20261125
DEMO_PASSWORD = "ceasefire-demo"  # noqa: S105 - printed for the demo on purpose


@dataclass
class DemoContext:
    rng: random.Random
    parties: dict[str, Party] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


# (username, full name, roles, party code or None)
DEMO_USERS: list[tuple[str, str, list[str], str | None]] = [
    ("admin", "Ada Moreno", [Role.ADMIN], None),
    ("field", "Tomas Iveri", [Role.FIELD_OFFICER], None),
    ("storage", "Lena Okafor", [Role.STORAGE_OFFICER], None),
    ("analyst", "Ravi Danner", [Role.ANALYST], None),
    ("protection", "Mira Solvang", [Role.PROTECTION_OFFICER], None),
    ("liaison-north", "Aram Velt", [Role.LIAISON], "north"),
    ("liaison-south", "Sabir Koren", [Role.LIAISON], "south"),
]

DEMO_PARTIES = [
    ("north", "Northern Highlands Forces"),
    ("south", "Southern Valley Forces"),
]

ScenarioStep = Callable[[DemoContext], None]
# demo_people links people to the demo receipts: keep it after the registry's step.
SCENARIO_STEPS: list[ScenarioStep] = [
    demo_two_factor,
    demo_places,
    demo_people,
    demo_registry,
    # The laydown after the registry: containers and caches hold its items, declarations
    # reconcile with them.
    demo_stores,
    demo_caches,
    demo_holdings,
    demo_positions,
    demo_convoys,
    demo_incidents,
    demo_fieldsync,
    # Last: the reports count what every other step recorded.
    demo_reports,
]


def demo_loaded() -> bool:
    return Party.objects.filter(code=DEMO_PARTIES[0][0]).exists()


@transaction.atomic
def load_demo(*, seed: int = DEMO_SEED) -> DemoContext:
    """Build the demo world. Refuses to run twice on the same database."""
    context = DemoContext(rng=random.Random(seed))  # noqa: S311 - reproducible fiction, not crypto
    for code, name in DEMO_PARTIES:
        context.parties[code] = accounts.party_create(code=code, name=name)
    for username, full_name, roles, party_code in DEMO_USERS:
        context.users[username] = accounts.user_create(
            username=username,
            password=DEMO_PASSWORD,
            roles=list(roles),
            party=context.parties[party_code] if party_code else None,
            full_name=full_name,
            check_password=False,
        )
    for step in SCENARIO_STEPS:
        step(context)
    return context
