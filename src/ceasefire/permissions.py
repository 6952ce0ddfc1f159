"""Who may call which route: the one table. Keys are URL names (`namespace:name`), values map
HTTP methods to the roles allowed (HEAD follows GET). A route missing here is refused for
everyone, and tests/test_permissions.py fails until it is added, so no route escapes review.

Object-level scoping (a liaison sees only their own party's records) is done by selectors.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ceasefire.accounts.roles import PUBLIC, Role

Rule = dict[str, frozenset[str]]

EVERYONE = frozenset({PUBLIC})
ANY_ROLE = frozenset(Role.values)
ADMIN = frozenset({Role.ADMIN})


def read(roles: frozenset[str]) -> Rule:
    return {"GET": roles}


def form(roles: frozenset[str]) -> Rule:
    """A page that shows a form (GET) and takes it (POST)."""
    return {"GET": roles, "POST": roles}


# The weapons and ammunition registry. Liaisons read only their own party's records (selectors).
REGISTRY_READERS = frozenset(
    {Role.FIELD_OFFICER, Role.STORAGE_OFFICER, Role.ANALYST, Role.PROTECTION_OFFICER, Role.LIAISON}
)
RECORDERS = frozenset({Role.FIELD_OFFICER})
CUSTODIANS = frozenset({Role.FIELD_OFFICER, Role.STORAGE_OFFICER})
LIAISONS = frozenset({Role.LIAISON})
# Positions, convoys, incidents: the mission's members and the liaisons read (liaisons what
# concerns their party); field officers record; analysts also verify incidents.
GROUND_READERS = REGISTRY_READERS
MAP_READERS = GROUND_READERS | ADMIN
FIELD = frozenset({Role.FIELD_OFFICER})
VERIFIERS = frozenset({Role.FIELD_OFFICER, Role.ANALYST})

# The people registry: analysts and protection officers see every record (pseudonymous), a
# liaison their own party's, a field officer those they registered (selectors); only protection
# officers reveal personal data, decide amnesty applications and erase.
PEOPLE_READERS = frozenset(
    {Role.FIELD_OFFICER, Role.ANALYST, Role.PROTECTION_OFFICER, Role.LIAISON}
)
PROTECTION = frozenset({Role.PROTECTION_OFFICER})
PEOPLE_FINDERS = FIELD | PROTECTION

# Exports with the records' sealed details (never personal data) for the mission's members;
# liaisons and everyone else download the public exports. Analysts publish the daily report.
EXPORTERS = frozenset(
    {Role.FIELD_OFFICER, Role.STORAGE_OFFICER, Role.ANALYST, Role.PROTECTION_OFFICER}
)
ANALYSTS = frozenset({Role.ANALYST})

# Analysts review quarantined field submissions, protection officers the personal ones
# (selectors split them).
QUARANTINE_REVIEWERS = frozenset({Role.ANALYST, Role.PROTECTION_OFFICER})

ROUTE_ROLES: dict[str, Rule] = {
    # Shell
    "core:home": read(EVERYONE),
    "core:health": read(EVERYONE),
    "set_language": {"POST": EVERYONE},
    # Accounts
    "accounts:login": form(EVERYONE),
    "accounts:logout": {"POST": EVERYONE},
    "accounts:password_change": form(ANY_ROLE),
    "accounts:password_change_done": read(ANY_ROLE),
    "accounts:password_reset_confirm": form(EVERYONE),
    "accounts:password_reset_complete": read(EVERYONE),
    "accounts:tokens": form(ANY_ROLE),
    "accounts:token_revoke": {"POST": ANY_ROLE},
    "accounts:users": read(ADMIN),
    "accounts:user_create": form(ADMIN),
    "accounts:user_reset_link": {"POST": ADMIN},
    "accounts:user_deactivate": {"POST": ADMIN},
    "accounts:user_two_factor_reset": {"POST": ADMIN},
    "accounts:user_unlock": {"POST": ADMIN},
    "accounts:two_factor": form(ANY_ROLE),
    "accounts:two_factor_enrol": form(ANY_ROLE),
    # Audit trail
    "audit:events": read(ADMIN),
    "audit:export": read(ADMIN),
    # Transparency log: public, read-only
    "ledger:checkpoint": read(EVERYONE),
    "ledger:tile": read(EVERYONE),
    "ledger:key": read(EVERYONE),
    "ledger:proof": read(EVERYONE),
    "ledger:entry": read(EVERYONE),
    "ledger:totals": read(EVERYONE),
    "ledger:totals_publish": {"POST": frozenset({Role.ANALYST})},
    # Places
    "places:list": read(EVERYONE),
    # Registry
    "registry:items": read(REGISTRY_READERS),
    "registry:item": read(REGISTRY_READERS),
    "registry:receipts": read(REGISTRY_READERS),
    "registry:receipt": read(REGISTRY_READERS),
    "registry:receipt_pdf": read(REGISTRY_READERS),
    "registry:receipt_new": form(RECORDERS),
    "registry:receipt_line": read(RECORDERS),
    "registry:custody_new": form(CUSTODIANS),
    "registry:correction_new": form(CUSTODIANS),
    "registry:cosign": read(LIAISONS),
    "registry:keys": form(LIAISONS),
    "registry:import": form(RECORDERS),
    "registry:import_template": read(RECORDERS),
    "registry:reference": read(EVERYONE),
    # Positions and the map
    "positions:list": read(GROUND_READERS),
    "positions:detail": read(GROUND_READERS),
    "positions:create": form(FIELD),
    "positions:event_add": form(FIELD),
    "positions:event_confirm": {"POST": LIAISONS},
    "positions:map": read(MAP_READERS),
    "positions:map_data": read(MAP_READERS),
    "positions:layers": read(ADMIN),
    "positions:layer_create": form(ADMIN),
    "positions:layer_edit": form(ADMIN),
    # Convoys and corridor crossings
    "convoys:list": read(GROUND_READERS),
    "convoys:detail": read(GROUND_READERS),
    "convoys:create": form(FIELD),
    "convoys:notify": {"POST": FIELD},
    "convoys:acknowledge": {"POST": LIAISONS},
    "convoys:depart": form(FIELD),
    "convoys:event_add": form(FIELD),
    "convoys:arrive": form(FIELD),
    "convoys:loss_add": form(FIELD),
    "convoys:crossings": read(GROUND_READERS),
    "convoys:crossing_create": form(FIELD),
    # Incidents
    "incidents:list": read(GROUND_READERS),
    "incidents:detail": read(GROUND_READERS),
    "incidents:create": form(FIELD),
    "incidents:verify": form(VERIFIERS),
    "incidents:evidence_add": form(FIELD),
    "incidents:evidence": read(VERIFIERS),
    # People: demobilization and amnesty
    "people:list": read(PEOPLE_READERS),
    "people:register": form(FIELD),
    "people:search": form(PEOPLE_FINDERS),
    "people:detail": read(PEOPLE_READERS),
    "people:reveal": form(PROTECTION),
    "people:certificate": {"POST": PROTECTION},
    "people:amnesty_apply": form(PEOPLE_FINDERS),
    "people:amnesty_decide": form(PROTECTION),
    "people:erase": form(PROTECTION),
    # Declared holdings, containers and seals, arms caches. Estimates in the reconciliation
    # show only to analysts and admins (selectors); a liaison sees their own party's.
    "holdings:reconciliation": read(REGISTRY_READERS | ADMIN),
    "holdings:export": read(REGISTRY_READERS | ADMIN),
    "stores:containers": read(REGISTRY_READERS),
    "stores:container": read(REGISTRY_READERS),
    # A certificate names its witnesses: for custodians and the liaisons (their party's).
    "stores:certificate": read(CUSTODIANS | LIAISONS),
    "caches:list": read(GROUND_READERS),
    "caches:public_map": read(EVERYONE),
    # Field collection. The OpenRosa endpoints are public to the access table because ODK
    # Collect carries no session: each view authenticates the phone itself (its device token in
    # the path, or an officer's password over HTTPS) and answers 401 as OpenRosa expects. GET
    # covers HEAD, which Collect sends before submitting.
    **{
        f"fieldsync:{prefix}{name}": {"GET": EVERYONE, "POST": EVERYONE}
        if name == "submission"
        else read(EVERYONE)
        for prefix in ("", "device_")
        for name in ("form_list", "form", "manifest", "media", "submission")
    },
    "fieldsync:devices": form(frozenset({Role.FIELD_OFFICER})),
    "fieldsync:device_revoke": {"POST": frozenset({Role.FIELD_OFFICER})},
    "fieldsync:quarantine": read(QUARANTINE_REVIEWERS),
    "fieldsync:quarantined": read(QUARANTINE_REVIEWERS),
    "fieldsync:reprocess": {"POST": QUARANTINE_REVIEWERS},
    "fieldsync:reject": {"POST": QUARANTINE_REVIEWERS},
    # Reports, the public dashboard and exports
    "reports:dashboard": read(EVERYONE),
    "reports:list": read(EVERYONE),
    "reports:report": read(EVERYONE),
    "reports:report_pdf": read(EVERYONE),
    "reports:public_export": read(EVERYONE),
    "reports:draft": form(ANALYSTS),
    "reports:export": read(EXPORTERS),
    # API
    "api:api-root": read(EVERYONE),
    "api:openapi-json": read(EVERYONE),
    "api:openapi-view": read(EVERYONE),
    "api:me": read(ANY_ROLE),
    "api:parties": read(EVERYONE),
    "api:places": read(EVERYONE),
    "api:tokens": {"GET": ANY_ROLE, "POST": ANY_ROLE},
    "api:token": {"DELETE": ANY_ROLE},
    "api:registry_reference": read(EVERYONE),
    "api:registry_receipts": {"GET": REGISTRY_READERS, "POST": RECORDERS},
    "api:registry_receipt": read(REGISTRY_READERS),
    "api:registry_items": read(REGISTRY_READERS),
    "api:registry_lots": read(REGISTRY_READERS),
    "api:registry_item": read(REGISTRY_READERS),
    "api:registry_custody": {"GET": REGISTRY_READERS, "POST": CUSTODIANS},
    "api:registry_corrections": {"GET": REGISTRY_READERS, "POST": CUSTODIANS},
    "api:registry_keys": {"GET": LIAISONS, "POST": LIAISONS},
    "api:registry_signing": read(LIAISONS),
    "api:registry_cosignatures": {"POST": LIAISONS},
    "api:positions": {"GET": GROUND_READERS, "POST": FIELD},
    "api:position": read(GROUND_READERS),
    "api:position_events": {"GET": GROUND_READERS, "POST": FIELD},
    "api:position_event_confirm": {"POST": LIAISONS},
    "api:map_layers": read(MAP_READERS),
    "api:convoys": {"GET": GROUND_READERS, "POST": FIELD},
    "api:convoy": read(GROUND_READERS),
    "api:convoy_notifications": {"GET": GROUND_READERS, "POST": FIELD},
    "api:convoy_acknowledgement": {"POST": LIAISONS},
    "api:convoy_movements": {"GET": GROUND_READERS, "POST": FIELD},
    "api:convoy_departure": {"POST": FIELD},
    "api:convoy_arrival": {"POST": FIELD},
    "api:convoy_losses": {"POST": FIELD},
    "api:crossings": {"GET": GROUND_READERS, "POST": FIELD},
    "api:incidents": {"GET": GROUND_READERS, "POST": FIELD},
    "api:incident": read(GROUND_READERS),
    "api:incident_verification": {"POST": VERIFIERS},
    "api:incident_evidence": {"GET": GROUND_READERS, "POST": FIELD},
    "api:people": {"GET": PEOPLE_READERS, "POST": FIELD},
    "api:people_counts": read(PEOPLE_READERS),
    "api:person": read(PEOPLE_READERS),
    "api:person_reveal": {"POST": PROTECTION},
    "api:holdings_reconciliation": read(REGISTRY_READERS | ADMIN),
    "api:holdings_declarations": {"POST": LIAISONS},
    "api:holdings_estimates": {"POST": frozenset({Role.ANALYST, Role.ADMIN})},
    "api:stores_containers": read(REGISTRY_READERS),
    "api:stores_seal": {"POST": frozenset({Role.STORAGE_OFFICER})},
    "api:stores_seal_break": {"POST": frozenset({Role.STORAGE_OFFICER})},
    "api:stores_moves": {"POST": frozenset({Role.STORAGE_OFFICER})},
    "api:stores_counts": {"POST": CUSTODIANS},
    "api:stores_destructions": {"POST": frozenset({Role.STORAGE_OFFICER})},
    "api:caches": {"GET": GROUND_READERS, "POST": FIELD},
    "api:cache_visits": {"POST": FIELD},
    "api:cache_clearance": {"POST": FIELD},
    "api:reports": read(EVERYONE),
    "api:report": read(EVERYONE),
    "api:reports_export": read(EVERYONE),
}

# The main menu, in order. An entry shows only to users whose roles may open its route.
NAVIGATION: list[tuple[str, Promise]] = [
    ("core:home", _("Home")),
    ("reports:dashboard", _("Public dashboard")),
    ("places:list", _("Places")),
    ("registry:receipts", _("Handovers")),
    ("registry:items", _("Weapons and ammunition")),
    ("positions:list", _("Positions")),
    ("convoys:list", _("Convoys")),
    ("incidents:list", _("Incidents")),
    ("people:list", _("People")),
    ("holdings:reconciliation", _("Declared holdings")),
    ("stores:containers", _("Containers")),
    ("caches:list", _("Arms caches")),
    ("positions:map", _("Map")),
    ("reports:draft", _("Daily report")),
    ("fieldsync:devices", _("Phones")),
    ("fieldsync:quarantine", _("Quarantine")),
    ("accounts:users", _("Users")),
    ("accounts:tokens", _("API tokens")),
    ("audit:events", _("Audit trail")),
]
