"""The holdings API: liaisons declare, analysts estimate, readers reconcile."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from ceasefire.accounts.models import Party
from ceasefire.core.access import request_user
from ceasefire.core.pagination import LimitOffset, Rows
from ceasefire.holdings import selectors, services
from ceasefire.holdings.models import Declaration, Estimate
from ceasefire.places.models import Place
from ceasefire.positions.api import by_code

router = Router(tags=["holdings"])


class RowOut(Schema):
    party: str
    unit: str
    category: str
    declared: int
    estimated: int | None
    surrendered: int
    outstanding: int
    undeclared: int
    undeclared_items: list[str]
    not_surrendered: list[str]


class DeclarationIn(Schema):
    unit: str
    category: str
    quantity: int
    location: str | None = None
    serials: list[str] = []
    note: str = ""


class DeclarationOut(Schema):
    holding: int
    version: int
    quantity: int
    declared_at: datetime
    log_index: int

    @staticmethod
    def resolve_holding(obj: Declaration) -> int:
        return obj.holding_id

    @staticmethod
    def resolve_log_index(obj: Declaration) -> int:
        return obj.entry_id


class EstimateIn(Schema):
    party: str
    unit: str
    category: str
    quantity: int
    source: str


class EstimateOut(Schema):
    id: int
    quantity: int
    estimated_at: datetime
    log_index: int

    @staticmethod
    def resolve_log_index(obj: Estimate) -> int:
        return obj.entry_id


@router.get("/holdings/reconciliation", response=list[RowOut], url_name="holdings_reconciliation")
@paginate(LimitOffset)
def reconciliation(request: HttpRequest) -> Any:
    """Declared, estimated (analysts and admins only), surrendered and outstanding per party,
    unit and category; a liaison gets their own party's rows."""
    return Rows(selectors.reconciliation_for_user(request_user(request)))


@router.post(
    "/holdings/declarations", response={201: DeclarationOut}, url_name="holdings_declarations"
)
def declaration_make(request: HttpRequest, payload: DeclarationIn) -> Status[Declaration]:
    """Declare (or amend: a new version) a unit's holdings of one category, for your party."""
    return Status(
        201,
        services.declaration_make(
            user=request_user(request),
            unit=payload.unit,
            category=payload.category,
            quantity=payload.quantity,
            location=by_code(Place, payload.location) if payload.location else None,
            serials=payload.serials,
            note=payload.note,
        ),
    )


@router.post("/holdings/estimates", response={201: EstimateOut}, url_name="holdings_estimates")
def estimate_record(request: HttpRequest, payload: EstimateIn) -> Status[Estimate]:
    return Status(
        201,
        services.estimate_record(
            user=request_user(request),
            party=by_code(Party, payload.party),
            unit=payload.unit,
            category=payload.category,
            quantity=payload.quantity,
            source=payload.source,
        ),
    )
