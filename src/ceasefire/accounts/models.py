from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ceasefire.accounts.roles import Role


class Party(models.Model):
    """A party to the ceasefire. Liaison officers are bound to exactly one."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A mission member or party liaison. Roles are granted separately; one may hold several."""

    def role_set(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.grants.values_list("role", flat=True))
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set().intersection(roles))

    def liaison_party_id(self) -> int | None:
        """The party this user speaks for, when they hold the liaison role."""
        if Role.LIAISON not in self.role_set():
            return None
        grant = self.grants.filter(role=Role.LIAISON).first()
        return grant.party_id if grant else None


class RoleGrant(models.Model):
    """One role held by one user; a liaison grant names the party it speaks for."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="liaisons"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role"),
            models.CheckConstraint(
                condition=(Q(role=Role.LIAISON) & Q(party__isnull=False))
                | (~Q(role=Role.LIAISON) & Q(party__isnull=True)),
                name="party_only_for_liaisons",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role}"


class ApiToken(models.Model):
    """A bearer token for the API: scoped to one user and one of their roles, stored hashed,
    shown once at creation, revocable."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
