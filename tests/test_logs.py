"""No secret from a URL path reaches the logs: not through Django's request log, not through
gunicorn's access log (ceasefire/logs.py)."""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config

from ceasefire.logs import HideSecrets, gunicorn_logger, hide_secrets

KEY = "cfd_AbCdEf123_-XyZ0987654321abcdEF"


def test_a_phones_key_keeps_only_the_prefix_the_phones_page_shows() -> None:
    line = f"POST /fieldsync/t/{KEY}/submission?deviceID=collect:ABC HTTP/1.1"
    assert hide_secrets(line) == (
        "POST /fieldsync/t/cfd_AbCdEf…/submission?deviceID=collect:ABC HTTP/1.1"
    )


def test_a_reset_token_is_hidden_whole() -> None:
    assert hide_secrets("GET /en/accounts/reset/MQ/cv3k2-4f0e1a2b3c/ 200") == (
        "GET /en/accounts/reset/MQ/…/ 200"
    )


def test_other_paths_are_left_as_they_are() -> None:
    for text in ("/fieldsync/formList", "/registry/items/?q=t/", "/api/registry/items"):
        assert hide_secrets(text) == text


def test_a_record_showing_a_key_is_rewritten_before_any_handler_writes_it() -> None:
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Conflict: %s",
        (f"/fieldsync/t/{KEY}/x",),
        None,
    )
    assert HideSecrets().filter(record)
    assert record.getMessage() == "Conflict: /fieldsync/t/cfd_AbCdEf…/x"
    assert KEY not in record.getMessage()


def test_the_configured_log_handler_hides_keys() -> None:
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, HideSecrets) for f in h.filters)
    ]
    assert handlers, "the console handler of settings.LOGGING has lost its filter"


def test_gunicorns_access_log_hides_keys() -> None:
    logger = gunicorn_logger()(Config())
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/fieldsync/t/{KEY}/submission",
        "PATH_INFO": f"/fieldsync/t/{KEY}/submission",
        "QUERY_STRING": "deviceID=collect:ABC",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
    }
    response = SimpleNamespace(status="201 Created", sent=120, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=3))
    assert atoms["r"] == "POST /fieldsync/t/cfd_AbCdEf…/submission HTTP/1.1"
    assert atoms["U"] == "/fieldsync/t/cfd_AbCdEf…/submission"
    assert KEY not in repr(atoms)
    assert (atoms["s"], atoms["h"]) == ("201", "10.0.0.7")
