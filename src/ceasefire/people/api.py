"""The people registry's API. Lists and records are pseudonymous (selectors.PSEUDONYMOUS_FIELDS);
personal fields come only from the reveal endpoint, which records the reveal and its purpose.

No `from __future__ import annotations` here: ninja reads the query schema of paginated lists
from their real annotations."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from ceasefire.accounts.models import Party
from ceasefire.core.access import request_user
from ceasefire.core.errors import ValidationFailed
from ceasefire.core.pagination import LimitOffset
from ceasefire.people import selectors, services
from ceasefire.people.models import PERSONAL_FIELDS, Person, Screening
from ceasefire.registry.selectors import receipt_list

router = Router(tags=["people"])


class PersonOut(Schema):
    """The pseudonymous record: exactly selectors.PSEUDONYMOUS_FIELDS."""

    id: int
    reference: str | None
    party: str
    status: str
    screening: str
    registered_on: date
    receipts: list[str]
    amnesty: str
    in_log: bool


assert tuple(PersonOut.model_fields) == selectors.PSEUDONYMOUS_FIELDS


class PersonIn(Schema):
    name: str
    birth_date: date
    party: str  # party code
    other_names: str = ""
    origin: str = ""
    unit: str = ""
    rank: str = ""
    contact: str = ""
    screening: str = Screening.PENDING
    screening_notes: str = ""
    receipts: list[str] = []


class PurposeIn(Schema):
    purpose: str


class RevealedOut(Schema):
    id: int
    reference: str | None
    name: str
    other_names: str
    birth_date: str
    origin: str
    unit: str
    rank: str
    contact: str
    screening_notes: str


assert set(RevealedOut.model_fields) == {"id", "reference", *PERSONAL_FIELDS}


class CountsOut(Schema):
    total: int
    by_party: dict[str, int]
    by_status: dict[str, int]
    by_screening: dict[str, int]
    amnesty: dict[str, int]


class _Pseudonymous:
    """A queryset of people as the pagination sees it, each page turned into pseudonymous
    records: one function (selectors.pseudonymous) decides what leaves."""

    def __init__(self, people: QuerySet[Person]) -> None:
        self.people = people

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [selectors.pseudonymous(person) for person in self.people[page]]

    def count(self) -> int:
        return self.people.count()


@router.get("/people", response=list[PersonOut], url_name="people")
@paginate(LimitOffset)
def people(request: HttpRequest) -> Any:
    return _Pseudonymous(selectors.people_for_user(request_user(request)))


@router.post("/people", response={201: PersonOut}, url_name="people")
def register(request: HttpRequest, payload: PersonIn) -> Status[dict[str, Any]]:
    user = request_user(request)
    party = Party.objects.filter(code=payload.party).first()
    if party is None:
        raise ValidationFailed(
            _("No party with code %(code)s.") % {"code": payload.party}, field="party"
        )
    receipts = list(receipt_list(user).filter(number__in=payload.receipts))
    if len(receipts) != len(set(payload.receipts)):
        raise ValidationFailed(_("A receipt number is unknown."), field="receipts")
    data = payload.model_dump(exclude={"party", "receipts"})
    person = services.person_register(
        user=user, person=services.PersonIn(party=party, **data), receipts=receipts
    )
    return Status(201, selectors.pseudonymous(person))


@router.get("/people/counts", response=CountsOut, url_name="people_counts")
def counts(request: HttpRequest) -> dict[str, Any]:
    return selectors.counts(selectors.people_for_user(request_user(request)))


@router.get("/people/{person_id}", response=PersonOut, url_name="person")
def person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    return selectors.pseudonymous(selectors.person_for_user(request_user(request), person_id))


@router.post("/people/{person_id}/reveal", response=RevealedOut, url_name="person_reveal")
def reveal(request: HttpRequest, person_id: int, payload: PurposeIn) -> dict[str, Any]:
    user = request_user(request)
    found = selectors.person_for_user(user, person_id)
    revealed = services.person_reveal(
        user=user, person=found, purpose=payload.purpose, request=request
    )
    return {"id": found.pk, "reference": found.reference, **revealed.fields}
