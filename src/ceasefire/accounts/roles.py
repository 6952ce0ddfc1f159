"""The roles of the mission. Anonymous readers are the public; every other role is granted."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FIELD_OFFICER = "field_officer", _("Field officer")
    STORAGE_OFFICER = "storage_officer", _("Storage officer")
    ANALYST = "analyst", _("Analyst")
    PROTECTION_OFFICER = "protection_officer", _("Protection officer")
    LIAISON = "liaison", _("Party liaison")
    ADMIN = "admin", _("Administrator")


# Not a Role a user holds: the marker for routes open to everyone, logged in or not.
PUBLIC = "public"

# Roles whose holders must confirm each login with a code from an authenticator app: they manage
# accounts or see personal data.
TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.PROTECTION_OFFICER})
