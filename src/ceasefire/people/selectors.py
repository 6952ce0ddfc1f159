"""Reads on the people registry, scoped to the user, and its output by explicit field lists: what
leaves for analysts, liaisons and field officers is the pseudonymous record, never a personal
field (those leave only through services.person_reveal, which records the reveal)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ceasefire.accounts.models import User
from ceasefire.accounts.roles import Role
from ceasefire.core.errors import NotFound
from ceasefire.people.models import AmnestyApplication, AmnestyDecision, Person

# Who sees which records: every record, or a liaison's own party's, or the records a field
# officer registered. Nobody else sees any.
ALL_RECORDS = (Role.ANALYST, Role.PROTECTION_OFFICER)

# The pseudonymous record: what every role that sees a record may see.
PSEUDONYMOUS_FIELDS = (
    "id",
    "reference",
    "party",
    "status",
    "screening",
    "registered_on",
    "receipts",
    "amnesty",
    "in_log",
)


def people_for_user(user: User) -> QuerySet[Person]:
    # The latest application's outcome, in the same query: a page of fifty needs no query each.
    latest = AmnestyApplication.objects.filter(person=OuterRef("pk")).order_by("-applied_on", "-pk")
    people = (
        Person.objects.select_related("party")
        .prefetch_related("receipts")
        .annotate(
            amnesty_applied=Exists(latest),
            amnesty_outcome=Subquery(latest.values("decision__outcome")[:1]),
        )
    )
    if user.has_role(*ALL_RECORDS):
        return people
    party_id = user.liaison_party_id()
    if party_id is not None:
        return people.filter(party_id=party_id)
    if user.has_role(Role.FIELD_OFFICER):
        return people.filter(registered_by=user)
    return people.none()


def person_for_user(user: User, pk: int) -> Person:
    person = people_for_user(user).filter(pk=pk).first()
    if person is None:
        raise NotFound(_("There is no such person in the registry."))
    return person


def amnesty_status(person: Person) -> str:
    """`none`, `applied`, or the latest decision's outcome."""
    if hasattr(person, "amnesty_applied"):  # read with the list (people_for_user)
        if not person.amnesty_applied:
            return "none"
        outcome: str | None = getattr(person, "amnesty_outcome", None)
        return outcome or "applied"
    latest = person.applications.order_by("-applied_on", "-pk").select_related("decision").first()
    if latest is None:
        return "none"
    decision: AmnestyDecision | None = getattr(latest, "decision", None)
    return decision.outcome if decision is not None else "applied"


AMNESTY_LABELS = {
    "none": _lazy("No application"),
    "applied": _lazy("Applied, awaiting decision"),
    "granted": _lazy("Granted"),
    "refused": _lazy("Refused"),
}


def amnesty_label(person: Person) -> str:
    return str(AMNESTY_LABELS[amnesty_status(person)])


def pseudonymous(person: Person) -> dict[str, Any]:
    """The record as analysts, liaisons and field officers see it: PSEUDONYMOUS_FIELDS only."""
    values: dict[str, Any] = {
        "id": person.pk,
        "reference": person.reference,
        "party": person.party.code,
        "status": person.status,
        "screening": person.screening,
        "registered_on": person.registered_on,
        "receipts": [receipt.number for receipt in person.receipts.all()],
        "amnesty": amnesty_status(person),
        "in_log": person.entry_id is not None,
    }
    assert tuple(values) == PSEUDONYMOUS_FIELDS
    return values


def applications(person: Person) -> QuerySet[AmnestyApplication]:
    return person.applications.select_related("decision", "recorded_by", "decision__decided_by")


def counts(people: QuerySet[Person]) -> dict[str, Any]:
    """Counts for analysts and liaisons: by party, status, screening outcome and amnesty."""
    rows = people.order_by().values("party__code", "status", "screening")
    by: dict[str, Counter[str]] = {"party": Counter(), "status": Counter(), "screening": Counter()}
    total = 0
    for row in rows.annotate(n=Count("pk")):
        total += row["n"]
        by["party"][row["party__code"]] += row["n"]
        by["status"][row["status"]] += row["n"]
        by["screening"][row["screening"]] += row["n"]
    applied = AmnestyApplication.objects.filter(person__in=people.order_by().values("pk"))
    outcomes = Counter(
        dict(
            applied.exclude(decision=None)
            .order_by()
            .values("decision__outcome")
            .annotate(n=Count("pk"))
            .values_list("decision__outcome", "n")
        )
    )
    return {
        "total": total,
        "by_party": dict(sorted(by["party"].items())),
        "by_status": dict(sorted(by["status"].items())),
        "by_screening": dict(sorted(by["screening"].items())),
        "amnesty": {
            "applications": applied.count(),
            "undecided": applied.filter(decision=None).count(),
            **{outcome: outcomes[outcome] for outcome in AmnestyDecision.Outcome.values},
        },
    }
