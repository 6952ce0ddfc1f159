"""Who may do what, written by hand, route by route: the second opinion on the access table.

`ceasefire/permissions.py` is what the server enforces; this file is what we expect it to
enforce, kept apart so that a slip in one is caught by the other (tests/test_permissions.py
checks that the server answers every member of the cast exactly as written here). A new route
fails the tests until a line here says who may use it.

Each value lists methods, a colon and who may call them; groups are separated by `;`. HEAD
follows GET. Who:
  everyone   anyone, logged in or not
  members    anyone holding at least one role
  field storage analyst protection liaison admin   the holders of that role
A key is a route name (`app:name`) or a pattern with `*` (`ledger:*`); a route's own line wins
over a pattern, and a route matching two patterns is an error.
"""

from __future__ import annotations

EXPECTATIONS: dict[str, str] = {
    # Shell
    "core:home": "GET: everyone",
    "core:health": "GET: everyone",
    "set_language": "POST: everyone",
    # Accounts: logging in is open, managing users is for admins
    "accounts:login": "GET POST: everyone",
    "accounts:logout": "POST: everyone",
    "accounts:password_change": "GET POST: members",
    "accounts:password_change_done": "GET: members",
    "accounts:password_reset_confirm": "GET POST: everyone",
    "accounts:password_reset_complete": "GET: everyone",
    "accounts:tokens": "GET POST: members",
    "accounts:token_revoke": "POST: members",
    "accounts:two_factor": "GET POST: members",
    "accounts:two_factor_enrol": "GET POST: members",
    "accounts:users": "GET: admin",
    "accounts:user_create": "GET POST: admin",
    "accounts:user_reset_link": "POST: admin",
    "accounts:user_deactivate": "POST: admin",
    "accounts:user_two_factor_reset": "POST: admin",
    "accounts:user_unlock": "POST: admin",
    # Audit trail: admins only
    "audit:*": "GET: admin",
    # Transparency log: anyone reads it; analysts publish the totals
    "ledger:*": "GET: everyone",
    "ledger:totals_publish": "POST: analyst",
    # Places
    "places:list": "GET: everyone",
    # Registry: the mission's members and the liaisons read (liaisons their own party's only);
    # field officers record handovers; field and storage officers custody and corrections;
    # liaisons co-sign
    "registry:*": "GET: field storage analyst protection liaison",
    "registry:receipt_new": "GET POST: field",
    "registry:receipt_line": "GET: field",
    "registry:import": "GET POST: field",
    "registry:import_template": "GET: field",
    "registry:custody_new": "GET POST: field storage",
    "registry:correction_new": "GET POST: field storage",
    "registry:cosign": "GET: liaison",
    "registry:keys": "GET POST: liaison",
    "registry:reference": "GET: everyone",
    # Positions, convoys, incidents: the mission's members and the liaisons read (liaisons what
    # concerns their party); field officers record; liaisons confirm withdrawals and
    # acknowledge convoys; analysts also verify incidents; admins draw the map's layers
    "positions:*": "GET: field storage analyst protection liaison",
    "positions:create": "GET POST: field",
    "positions:event_add": "GET POST: field",
    "positions:event_confirm": "POST: liaison",
    "positions:map": "GET: field storage analyst protection liaison admin",
    "positions:map_data": "GET: field storage analyst protection liaison admin",
    "positions:layers": "GET: admin",
    "positions:layer_create": "GET POST: admin",
    "positions:layer_edit": "GET POST: admin",
    "convoys:*": "GET POST: field",
    "convoys:list": "GET: field storage analyst protection liaison",
    "convoys:detail": "GET: field storage analyst protection liaison",
    "convoys:crossings": "GET: field storage analyst protection liaison",
    "convoys:notify": "POST: field",
    "convoys:acknowledge": "POST: liaison",
    "incidents:*": "GET: field storage analyst protection liaison",
    # Laydown: reconciliation for the mission, liaisons (their own party) and admins; containers
    # for the registry's readers; caches for the ground's readers, cleared ones on a public map
    "holdings:*": "GET: field storage analyst protection liaison admin",
    "stores:*": "GET: field storage analyst protection liaison",
    "stores:certificate": "GET: field storage liaison",
    "caches:list": "GET: field storage analyst protection liaison",
    "caches:public_map": "GET: everyone",
    "incidents:create": "GET POST: field",
    "incidents:verify": "GET POST: field analyst",
    "incidents:evidence_add": "GET POST: field",
    "incidents:evidence": "GET: field analyst",
    # People: pseudonymous records for field officers (their own), analysts, protection
    # officers and liaisons (their party's); field officers register; field and protection
    # officers search and record applications; only protection officers reveal, decide, erase
    "people:*": "GET: field analyst protection liaison",
    "people:register": "GET POST: field",
    "people:search": "GET POST: field protection",
    "people:amnesty_apply": "GET POST: field protection",
    "people:reveal": "GET POST: protection",
    "people:certificate": "POST: protection",
    "people:amnesty_decide": "GET POST: protection",
    "people:erase": "GET POST: protection",
    # Field collection: the OpenRosa endpoints are open to the table, the views authenticate
    # the phone themselves; officers set up their phones; analysts and protection officers
    # review the quarantine (selectors split personal submissions from the rest)
    "fieldsync:*": "GET: everyone",
    "fieldsync:submission": "GET POST: everyone",
    "fieldsync:device_submission": "GET POST: everyone",
    "fieldsync:devices": "GET POST: field",
    "fieldsync:device_revoke": "POST: field",
    "fieldsync:quarantine": "GET: analyst protection",
    "fieldsync:quarantined": "GET: analyst protection",
    "fieldsync:reprocess": "POST: analyst protection",
    "fieldsync:reject": "POST: analyst protection",
    # Reports: the dashboard, published reports and public exports are open; analysts publish;
    # the mission's members download exports with the sealed details
    "reports:*": "GET: everyone",
    "reports:draft": "GET POST: analyst",
    "reports:export": "GET: field storage analyst protection",
    # API
    "api:api-root": "GET: everyone",
    "api:openapi-json": "GET: everyone",
    "api:openapi-view": "GET: everyone",
    "api:me": "GET: members",
    "api:parties": "GET: everyone",
    "api:places": "GET: everyone",
    "api:tokens": "GET POST: members",
    "api:token": "DELETE: members",
    "api:registry_*": "GET: field storage analyst protection liaison",
    "api:registry_reference": "GET: everyone",
    "api:registry_receipts": "GET: field storage analyst protection liaison; POST: field",
    "api:registry_custody": "GET: field storage analyst protection liaison; POST: field storage",
    "api:registry_corrections": (
        "GET: field storage analyst protection liaison; POST: field storage"
    ),
    "api:registry_keys": "GET POST: liaison",
    "api:registry_signing": "GET: liaison",
    "api:registry_cosignatures": "POST: liaison",
    "api:position*": "GET: field storage analyst protection liaison; POST: field",
    "api:position": "GET: field storage analyst protection liaison",
    "api:position_event_confirm": "POST: liaison",
    "api:map_layers": "GET: field storage analyst protection liaison admin",
    "api:convoy*": "GET: field storage analyst protection liaison; POST: field",
    "api:convoy": "GET: field storage analyst protection liaison",
    "api:convoy_acknowledgement": "POST: liaison",
    "api:convoy_departure": "POST: field",
    "api:convoy_arrival": "POST: field",
    "api:convoy_losses": "POST: field",
    "api:crossings": "GET: field storage analyst protection liaison; POST: field",
    "api:incident*": "GET: field storage analyst protection liaison; POST: field",
    "api:incident": "GET: field storage analyst protection liaison",
    "api:incident_verification": "POST: field analyst",
    "api:people": "GET: field analyst protection liaison; POST: field",
    "api:people_counts": "GET: field analyst protection liaison",
    "api:person": "GET: field analyst protection liaison",
    "api:person_reveal": "POST: protection",
    "api:holdings_reconciliation": "GET: field storage analyst protection liaison admin",
    "api:holdings_declarations": "POST: liaison",
    "api:holdings_estimates": "POST: analyst admin",
    "api:stores_containers": "GET: field storage analyst protection liaison",
    "api:stores_seal": "POST: storage",
    "api:stores_seal_break": "POST: storage",
    "api:stores_moves": "POST: storage",
    "api:stores_counts": "POST: field storage",
    "api:stores_destructions": "POST: storage",
    "api:caches": "GET: field storage analyst protection liaison; POST: field",
    "api:cache_visits": "POST: field",
    "api:cache_clearance": "POST: field",
    "api:report*": "GET: everyone",
}
