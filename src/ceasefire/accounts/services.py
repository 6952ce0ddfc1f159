"""Writes on accounts: users, role grants, API tokens."""

from __future__ import annotations

import functools
import hashlib
import secrets

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceasefire.accounts.models import ApiToken, Party, RoleGrant, User
from ceasefire.accounts.roles import Role
from ceasefire.core import rows
from ceasefire.core.errors import Conflict, NotFound, ValidationFailed

TOKEN_PREFIX = "cf_"  # noqa: S105 - a marker, not a secret


def party_create(*, code: str, name: str) -> Party:
    party = Party(code=code, name=name)
    try:
        party.full_clean()
    except DjangoValidationError as exc:
        raise ValidationFailed.from_django(exc) from None
    party.save()
    return party


def _check_roles(roles: list[str], party: Party | None) -> None:
    unknown = sorted(set(roles) - set(Role.values))
    if unknown:
        raise ValidationFailed(
            _("Unknown role: %(roles)s.") % {"roles": ", ".join(unknown)}, field="roles"
        )
    if Role.LIAISON in roles and party is None:
        raise ValidationFailed(_("A party liaison must be bound to a party."), field="party")
    if Role.LIAISON not in roles and party is not None:
        raise ValidationFailed(_("Only a party liaison is bound to a party."), field="party")


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    roles: list[str],
    party: Party | None = None,
    full_name: str = "",
    email: str = "",
    check_password: bool = True,
) -> User:
    """Create a user holding `roles`. The password is checked against the validators unless the
    caller (the demo) deliberately skips that."""
    _check_roles(roles, party)
    if User.objects.filter(username=username).exists():
        raise Conflict(_("A user named %(name)s already exists.") % {"name": username})
    first, _sep, last = full_name.partition(" ")
    user = User(username=username, email=email, first_name=first, last_name=last)
    if check_password:
        try:
            validate_password(password, user)
        except DjangoValidationError as exc:
            raise ValidationFailed(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    try:
        user.full_clean()
    except DjangoValidationError as exc:
        raise ValidationFailed.from_django(exc) from None
    user.save()
    for role in roles:
        RoleGrant.objects.create(
            user=user, role=role, party=party if role == Role.LIAISON else None
        )
    return user


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user: User, role: str, name: str) -> tuple[ApiToken, str]:
    """Create an API token; returns it with the raw secret, which is shown once and never stored."""
    if not user.has_role(role):
        raise ValidationFailed(_("A token can only carry a role its user holds."), field="role")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, role=role, name=name or _("API token"), prefix=raw[:10], digest=_digest(raw)
    )
    return token, raw


def token_revoke(*, user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound(_("No such active token."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


@functools.cache
def _token_query() -> tuple[str, rows.Columns[ApiToken], rows.Columns[User]]:
    token, user = rows.Columns(ApiToken, "t"), rows.Columns(User, "u")
    grants = connection.ops.quote_name(RoleGrant._meta.db_table)
    sql = (
        f"SELECT {token.sql}, {user.sql} FROM {token.table} t "  # noqa: S608 - names only
        f"JOIN {user.table} u ON u.id = t.user_id "
        "WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active = %s "
        f"AND EXISTS (SELECT 1 FROM {grants} g WHERE g.user_id = u.id AND g.role = t.role)"
    )
    return sql, token, user


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token matching `raw`, or None. Its user's roles are narrowed to its role."""
    # This runs on every API request, so it is one query, the user still holding the token's
    # role checked in it, in plain SQL: the ORM took longer to compile it than to run it.
    sql, token_columns, user_columns = _token_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [_digest(raw), True])
        row = cursor.fetchone()
    if row is None:
        return None
    token = token_columns.load(row)
    token.user = user_columns.load(row[len(token_columns) :])
    now = timezone.now()
    # Recording use at most once a minute keeps a busy client from writing on every read.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.user._role_cache = frozenset({token.role})
    return token


def user_deactivate(*, user_id: int, by: User) -> User:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("No such user."))
    if user.pk == by.pk:
        raise ValidationFailed(_("You cannot deactivate your own account."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return user


def user_reset_link(*, user_id: int) -> str:
    """A one-time link (path) that lets the user choose a new password. The admin hands it over
    on a channel they trust; the mission may have no email."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise NotFound(_("No such active user."))
    return reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def totp_enrol(*, user: User, key: str, code: str) -> TOTPDevice:
    """Bind an authenticator app to `user`: `key` is the hex secret shown to them (kept in their
    session until now), `code` the app's current code, which proves the app holds it. Replaces
    any device the user had before."""
    device = TOTPDevice(user=user, key=key, name=_("Authenticator app"), confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not code.strip().isdigit() or not totp.verify(int(code), device.tolerance):
        raise ValidationFailed(
            _("That code does not match. Check the time on your phone and type the newest code."),
            field="code",
        )
    # The code just used cannot be used again to log in.
    device.last_t = totp.t()
    with transaction.atomic():
        for old in devices_for_user(user, confirmed=None):
            old.delete()
        device.save()
    return device


def two_factor_verify(*, user: User, code: str) -> Device:
    """The user's device that accepts `code`. Devices slow down guessing by themselves: after
    each wrong code the next try must wait longer."""
    device: Device | None = match_token(user, code.strip())
    if device is None:
        raise ValidationFailed(
            _("That code is not valid. Type the newest code your authenticator app shows."),
            field="code",
        )
    return device


def two_factor_reset(*, user_id: int) -> User:
    """Remove a user's authenticator (a lost phone): they enrol a new one at their next login."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("No such user."))
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=None):
            device.delete()
    return user


def user_unlock(*, user_id: int) -> User:
    """Lift a login lockout of this user, from every address."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("No such user."))
    axes_reset(username=user.username)
    return user
