from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from ceasefire.accounts import selectors, services
from ceasefire.accounts.models import ApiToken, Party
from ceasefire.core.access import request_user

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    roles: list[str]
    party: str | None


class PartyOut(Schema):
    code: str
    name: str


class TokenIn(Schema):
    name: str
    role: str


class TokenOut(Schema):
    id: int
    name: str
    role: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    secret: str


@router.get("/me", response=MeOut, url_name="me")
def me(request: HttpRequest) -> MeOut:
    """Who the caller is and which roles this request carries."""
    user = request_user(request)
    party_id = user.liaison_party_id()
    party = Party.objects.get(pk=party_id).code if party_id else None
    return MeOut(username=user.username, roles=sorted(user.role_set()), party=party)


@router.get("/parties", response=list[PartyOut], url_name="parties")
def parties(request: HttpRequest) -> list[Party]:
    return list(selectors.party_list())


@router.get("/tokens", response=list[TokenOut], url_name="tokens")
def token_list(request: HttpRequest) -> list[ApiToken]:
    return list(selectors.token_list(user=request_user(request)))


@router.post("/tokens", response={201: TokenCreatedOut}, url_name="tokens")
def token_create(request: HttpRequest, payload: TokenIn) -> Status[TokenCreatedOut]:
    """Create a token carrying one of the caller's roles. The secret is in this answer only."""
    token, secret = services.token_create(
        user=request_user(request), role=payload.role, name=payload.name
    )
    out = TokenOut.model_validate(token, from_attributes=True)
    return Status(201, TokenCreatedOut(**out.model_dump(), secret=secret))


@router.delete("/tokens/{token_id}", response={204: None}, url_name="token")
def token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    services.token_revoke(user=request_user(request), token_id=token_id)
    return Status(204, None)
