"""Writes on declared holdings. A liaison declares for their own party; an amendment is a new
version of the holding (the earlier one stays); analysts record independent estimates. Each
write appends its log entry in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ceasefire.accounts.models import Party, User
from ceasefire.accounts.roles import Role
from ceasefire.core.errors import PermissionDenied, ValidationFailed
from ceasefire.core.services import iso_utc, save_valid
from ceasefire.holdings import logtypes
from ceasefire.holdings.models import Declaration, Estimate, Holding
from ceasefire.ledger import services as ledger
from ceasefire.ledger.entries import JSONValue
from ceasefire.places.models import Place
from ceasefire.registry.models import Category
from ceasefire.registry.services import serial_key, text_key

# A declaration's serials go into one log entry: this keeps it well under 65,535 bytes.
MAX_SERIALS = 1000
ESTIMATORS = (Role.ANALYST, Role.ADMIN)


def _check_line(unit: str, category: str, quantity: int) -> None:
    if not unit.strip():
        raise ValidationFailed(_("Name the unit."), field="unit")
    if category not in Category.values:
        raise ValidationFailed(
            _("Unknown category %(value)s.") % {"value": category}, field="category"
        )
    if quantity < 0:
        raise ValidationFailed(_("A quantity cannot be negative."), field="quantity")


def _clean_serials(serials: Sequence[str], quantity: int) -> list[str]:
    cleaned = [" ".join(s.split()) for s in serials if s.strip()]
    if len(cleaned) > MAX_SERIALS:
        raise ValidationFailed(
            _("Too many serial numbers in one declaration (the limit is %(count)s).")
            % {"count": MAX_SERIALS},
            field="serials",
        )
    if len({serial_key(s) for s in cleaned}) != len(cleaned):
        raise ValidationFailed(_("A serial number is listed twice."), field="serials")
    if len(cleaned) > quantity:
        raise ValidationFailed(
            _("More serial numbers (%(serials)s) than the quantity declared (%(quantity)s).")
            % {"serials": len(cleaned), "quantity": quantity},
            field="serials",
        )
    return cleaned


@transaction.atomic
def declaration_make(
    *,
    user: User,
    unit: str,
    category: str,
    quantity: int,
    location: Place | None = None,
    serials: Sequence[str] = (),
    note: str = "",
) -> Declaration:
    """Declare (or amend) a unit's holdings of one category at one location, for the liaison's
    own party. Declaring the same holding again records a new version."""
    party_id = user.liaison_party_id()
    if party_id is None:
        raise PermissionDenied(_("Only a party's liaison declares its holdings."))
    party = Party.objects.get(pk=party_id)
    unit = " ".join(unit.split())
    _check_line(unit, category, quantity)
    cleaned = _clean_serials(serials, quantity)
    holding, _created = Holding.objects.get_or_create(
        party=party,
        unit_key=text_key(unit),
        location=location,
        category=category,
        defaults={"unit": unit},
    )
    Holding.objects.select_for_update().filter(pk=holding.pk).first()  # one version at a time
    previous = holding.versions.order_by("-version").first()
    version = (previous.version + 1) if previous else 1
    now = timezone.now()
    fields: dict[str, JSONValue] = {
        "holding": holding.pk,
        "version": version,
        "supersedes": previous.entry_id if previous else None,
        "party": party.code,
        "category": category,
        "quantity": quantity,
        "unit": unit,
        "location": location.code if location else None,
        "serials": list[JSONValue](cleaned),
        "declared_at": iso_utc(now),
        "declared_by": user.get_username(),
    }
    return save_valid(
        Declaration(
            holding=holding,
            version=version,
            quantity=quantity,
            serials=cleaned,
            note=note.strip(),
            declared_by=user,
            declared_at=now,
            entry=ledger.append(logtypes.DECLARATION.name, fields),
        )
    )


@transaction.atomic
def estimate_record(
    *, user: User, party: Party, unit: str, category: str, quantity: int, source: str
) -> Estimate:
    """Record an independent estimate of a party's holdings (analysts and admins)."""
    if not user.has_role(*ESTIMATORS):
        raise PermissionDenied(_("Only analysts record estimates of holdings."))
    unit = " ".join(unit.split())
    _check_line(unit, category, quantity)
    source = " ".join(source.split())
    if not source:
        raise ValidationFailed(_("Say whose estimate this is."), field="source")
    now = timezone.now()
    return save_valid(
        Estimate(
            party=party,
            unit=unit,
            unit_key=text_key(unit),
            category=category,
            quantity=quantity,
            source=source,
            estimated_at=now,
            recorded_by=user,
            entry=ledger.append(
                logtypes.ESTIMATE.name,
                {
                    "party": party.code,
                    "category": category,
                    "unit": unit,
                    "quantity": quantity,
                    "estimated_at": iso_utc(now),
                    "source": source,
                },
            ),
        )
    )
