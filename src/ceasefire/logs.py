"""What the logs may show: never a secret that travels in a URL path.

Two routes carry one. A phone's access key is in every address ODK Collect calls
(`/fieldsync/t/<key>/...`, see urls.py) and stays valid until revoked; a password-reset link
carries its token (`/accounts/reset/<user>/<token>/`). Django logs the path of every answer of
4xx or 5xx, and gunicorn's access log every request line, so both pass through `hide_secrets`:
a phone's key keeps its first ten characters (the prefix the phones page shows, enough to tell
which phone it was), a reset token none.
"""

from __future__ import annotations

import logging
import re
from typing import Any

_PHONE_KEY = re.compile(r"(/fieldsync/t/[A-Za-z0-9_-]{0,10})[A-Za-z0-9_-]*")
_RESET_TOKEN = re.compile(r"(/accounts/reset/[^/\s]+/)[^/\s?]+")


def hide_secrets(text: str) -> str:
    if "/t/" not in text and "/reset/" not in text:
        return text
    return _RESET_TOKEN.sub(r"\1…", _PHONE_KEY.sub(r"\1…", text))


class HideSecrets(logging.Filter):
    """A handler's filter: rewrites a record whose message shows a secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = hide_secrets(message)
        if hidden != message:
            record.msg, record.args = hidden, None
        return True


def gunicorn_logger() -> type:
    """gunicorn's logger class, with every access-log field passed through `hide_secrets`."""
    from gunicorn import glogging

    class Logger(glogging.Logger):  # type: ignore[misc]
        def atoms(self, *args: Any) -> dict[str, Any]:
            return {
                name: hide_secrets(value) if isinstance(value, str) else value
                for name, value in super().atoms(*args).items()
            }

    return Logger
