from __future__ import annotations

import pytest

from ceasefire.accounts import services
from ceasefire.accounts.models import ApiToken, RoleGrant, User
from ceasefire.accounts.roles import Role
from ceasefire.core.errors import Conflict, NotFound, ValidationFailed
from tests import factories


@pytest.mark.django_db
class TestUserCreate:
    def test_a_person_may_hold_several_roles(self) -> None:
        user = factories.user(Role.ANALYST, Role.STORAGE_OFFICER)
        assert user.role_set() == {Role.ANALYST, Role.STORAGE_OFFICER}

    def test_a_liaison_needs_a_party(self) -> None:
        with pytest.raises(ValidationFailed, match="bound to a party"):
            factories.user(Role.LIAISON)
        assert not RoleGrant.objects.exists()

    def test_only_a_liaison_is_bound_to_a_party(self) -> None:
        with pytest.raises(ValidationFailed, match="Only a party liaison"):
            factories.user(Role.ANALYST, party=factories.party("north"))

    def test_unknown_role_is_refused(self) -> None:
        with pytest.raises(ValidationFailed, match="Unknown role: general"):
            factories.user("general")

    def test_duplicate_username_is_refused(self) -> None:
        factories.user(Role.ANALYST, username="ravi")
        with pytest.raises(Conflict, match="ravi already exists"):
            factories.user(Role.ANALYST, username="ravi")

    def test_weak_password_is_refused_and_nothing_is_written(self) -> None:
        with pytest.raises(ValidationFailed) as raised:
            services.user_create(username="weak", password="1234", roles=[Role.ANALYST])
        assert raised.value.fields.keys() == {"password"}
        assert not RoleGrant.objects.exists()

    def test_liaison_knows_their_party(self) -> None:
        north = factories.party("north")
        assert factories.user(Role.LIAISON, party=north).liaison_party_id() == north.pk


@pytest.mark.django_db
class TestTokens:
    def test_token_is_stored_hashed_and_shown_once(self) -> None:
        user = factories.user(Role.ANALYST)
        token, secret = services.token_create(user=user, role=Role.ANALYST, name="laptop")
        stored = ApiToken.objects.get(pk=token.pk)
        assert secret.startswith("cf_")
        assert secret not in (stored.digest, stored.prefix)
        assert services.token_authenticate(secret) == token

    def test_token_narrows_its_user_to_its_role(self) -> None:
        user = factories.user(Role.ANALYST, Role.ADMIN)
        _token, secret = services.token_create(user=user, role=Role.ANALYST, name="scoped")
        authenticated = services.token_authenticate(secret)
        assert authenticated is not None
        assert authenticated.user.role_set() == {Role.ANALYST}

    def test_token_cannot_carry_a_role_the_user_lacks(self) -> None:
        user = factories.user(Role.ANALYST)
        with pytest.raises(ValidationFailed):
            services.token_create(user=user, role=Role.ADMIN, name="escalate")

    def test_revoked_token_no_longer_authenticates(self) -> None:
        user = factories.user(Role.ANALYST)
        token, secret = services.token_create(user=user, role=Role.ANALYST, name="x")
        services.token_revoke(user=user, token_id=token.pk)
        assert services.token_authenticate(secret) is None

    def test_a_token_stops_working_when_its_user_loses_its_role(self) -> None:
        user = factories.user(Role.ANALYST, Role.ADMIN)
        _token, secret = services.token_create(user=user, role=Role.ADMIN, name="x")
        assert services.token_authenticate(secret) is not None
        user.grants.filter(role=Role.ADMIN).delete()
        assert services.token_authenticate(secret) is None

    def test_someone_elses_token_cannot_be_revoked(self) -> None:
        owner, other = factories.user(Role.ANALYST), factories.user(Role.ANALYST)
        token, _secret = services.token_create(user=owner, role=Role.ANALYST, name="x")
        with pytest.raises(NotFound):
            services.token_revoke(user=other, token_id=token.pk)

    def test_an_inactive_users_token_does_not_authenticate(self) -> None:
        user = factories.user(Role.ANALYST)
        _token, secret = services.token_create(user=user, role=Role.ANALYST, name="x")
        User.objects.filter(pk=user.pk).update(is_active=False)
        assert services.token_authenticate(secret) is None

    def test_a_token_reads_back_its_user_and_notes_its_use(self) -> None:
        user = factories.user(Role.ANALYST)
        token, secret = services.token_create(user=user, role=Role.ANALYST, name="x")
        found = services.token_authenticate(secret)
        assert found is not None and found.pk == token.pk
        assert (found.user, found.user.username) == (user, user.username)
        stored = ApiToken.objects.get(pk=token.pk)
        assert stored.last_used_at is not None and stored.last_used_at.tzinfo is not None

    def test_deactivating_a_user_revokes_their_tokens(self) -> None:
        admin, user = factories.user(Role.ADMIN), factories.user(Role.ANALYST)
        _token, secret = services.token_create(user=user, role=Role.ANALYST, name="x")
        services.user_deactivate(user_id=user.pk, by=admin)
        assert services.token_authenticate(secret) is None
