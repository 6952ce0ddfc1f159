"""The report's sentences, generated from its figures in the reader's language: the list names
only the kinds of weapons actually surrendered, each with its own plural form (ngettext)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _firearms(count: str, n: int) -> str:
    return ngettext("%(count)s firearm", "%(count)s firearms", n) % {"count": count}


def _grenades(count: str, n: int) -> str:
    return ngettext("%(count)s grenade", "%(count)s grenades", n) % {"count": count}


def _grenade_launchers(count: str, n: int) -> str:
    return ngettext("%(count)s grenade launcher", "%(count)s grenade launchers", n) % {
        "count": count
    }


def _anti_tank_guns(count: str, n: int) -> str:
    return ngettext(
        "%(count)s anti-tank gun or recoilless rifle",
        "%(count)s anti-tank guns and recoilless rifles",
        n,
    ) % {"count": count}


def _atgms(count: str, n: int) -> str:
    return ngettext(
        "%(count)s anti-tank guided missile", "%(count)s anti-tank guided missiles", n
    ) % {"count": count}


def _manpads(count: str, n: int) -> str:
    return ngettext("%(count)s MANPADS", "%(count)s MANPADS", n) % {"count": count}


def _mortars(count: str, n: int) -> str:
    return ngettext("%(count)s mortar", "%(count)s mortars", n) % {"count": count}


def _ammunition(count: str, n: int) -> str:
    return ngettext("%(count)s lot of ammunition", "%(count)s lots of ammunition", n) % {
        "count": count
    }


def _explosives(count: str, n: int) -> str:
    return ngettext("%(count)s lot of explosives", "%(count)s lots of explosives", n) % {
        "count": count
    }


def _other(count: str, n: int) -> str:
    return ngettext("%(count)s other item", "%(count)s other items", n) % {"count": count}


Phrase = Callable[[str, int], str]

# The sentence's groups, in the order it names them, and the registry categories in each.
GROUPS: list[tuple[Phrase, frozenset[str]]] = [
    (
        _firearms,
        frozenset(
            {
                "pistol",
                "rifle",
                "submachine_gun",
                "assault_rifle",
                "light_machine_gun",
                "heavy_machine_gun",
            }
        ),
    ),
    (_grenades, frozenset({"hand_grenade"})),
    (_grenade_launchers, frozenset({"grenade_launcher"})),
    (_mortars, frozenset({"mortar"})),
    (_anti_tank_guns, frozenset({"anti_tank_gun"})),
    (_atgms, frozenset({"atgm"})),
    (_manpads, frozenset({"manpads"})),
    (_ammunition, frozenset({"ammunition"})),
    (_explosives, frozenset({"explosive"})),
]


def enumeration(parts: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`, in the reader's language."""
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(list)s and %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}


def surrendered_sentence(day: date, weapons: dict[str, Any]) -> str:
    """ "As of <date>, 1,234 firearms, 56 grenades and 3 mortars have been surrendered.\""""
    by_category = {c: counts["surrendered"] for c, counts in weapons["by_category"].items()}
    known = frozenset().union(*(categories for _phrase, categories in GROUPS))
    groups = [*GROUPS, (_other, frozenset(set(by_category) - known))]
    parts = []
    for phrase, categories in groups:
        count = sum(by_category.get(category, 0) for category in categories)
        if count > 0:
            parts.append(phrase(formats.number_format(count, force_grouping=True), count))
    when = formats.date_format(day, "DATE_FORMAT")
    total = sum(by_category.values())
    if not parts:
        return _("As of %(date)s, no weapons or ammunition have been surrendered.") % {"date": when}
    return ngettext(
        "As of %(date)s, %(items)s has been surrendered.",
        "As of %(date)s, %(items)s have been surrendered.",
        total,
    ) % {"date": when, "items": enumeration(parts)}
