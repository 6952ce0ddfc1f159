from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from ceasefire.accounts.roles import Role
from ceasefire.core.access import may_access, user_roles
from ceasefire.permissions import NAVIGATION


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu a user sees: every entry whose route their roles may open. The access table
    decides; there is no second list of who sees what."""
    user = getattr(request, "user", None)
    items = [
        {"url": reverse(route), "label": label, "route": route}
        for route, label in NAVIGATION
        if may_access(user, route)
    ]
    return {
        "nav_items": items,
        # Labels, in the reader's language; the codes are for machines.
        "user_roles": [Role(code).label for code in sorted(user_roles(user))],
        "mission_name": settings.MISSION_NAME,
    }
