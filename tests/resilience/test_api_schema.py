"""Hostile input to the whole API: schemathesis generates requests for every operation of the
OpenAPI schema as served at run time (so every app's routes are covered as they land), against the
demo data, as an admin token and anonymously. No request may make a 5xx, and every answer must
conform to the schema (body and content type of each documented status)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from ceasefire.accounts import services as accounts
from ceasefire.accounts.roles import Role
from ceasefire.demo import load_demo
from ceasefire.wsgi import application

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# Enough to reach every parameter of every operation in well under a minute for the whole API.
EXAMPLES = 8


@pytest.fixture
def _connection_kept_across_requests() -> Iterator[None]:
    """The WSGI handler closes "old" database connections when a request ends; inside the test's
    transaction that would close the very connection the test runs on (on PostgreSQL). Django's
    own test client turns this off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_connection_kept_across_requests")
def test_no_generated_request_makes_a_server_error_or_breaks_the_schema(db: None) -> None:
    admin = load_demo().users["admin"]
    _token, secret = accounts.token_create(user=admin, role=Role.ADMIN, name="schemathesis")
    identities = {"anonymous": {}, "admin": {"Authorization": f"Bearer {secret}"}}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) > 5
    failures: list[str] = []
    calls = 0

    for operation in operations:
        for identity, headers in identities.items():
            try:
                calls += exercise(operation, headers)
            except Exception as exc:  # collect every operation's failure, not only the first
                failures.append(f"{operation.label} as {identity}: {exc}")
    assert not failures, "\n\n".join(failures)
    assert calls >= 2 * len(operations)


def exercise(
    operation: schemathesis.APIOperation[Any, Any, Any, Any], headers: dict[str, str]
) -> int:
    """Send generated requests for one operation; return how many were sent."""
    sent = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: schemathesis.Case[Any]) -> None:
        # Each request in a savepoint rolled back, so that a write does not change the world of
        # the next one (a revoked token, a deleted record) in ways the schema cannot foresee.
        with transaction.atomic():
            response = case.call(headers=headers)
            sent.append(response.status_code)
            case.validate_response(response, checks=CHECKS, headers=headers)
            transaction.set_rollback(True)

    run()
    return len(sent)
