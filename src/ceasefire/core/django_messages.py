"""Django's own messages that our pages can show and that Django's Armenian catalogue leaves
untranslated, or, for month names inside dates, gives in the wrong case. Marking them here puts
them into core's catalogue, which Django consults before its own (docs/i18n.md).
tests/test_i18n.py checks that each is still one of Django's messages."""

from __future__ import annotations

from django.utils.translation import gettext_noop, pgettext_lazy

# Validators of usernames (users), codes (parties, places) and every text field.
VALIDATOR_MESSAGES = (
    gettext_noop(
        "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ "
        "characters."
    ),
    gettext_noop("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    gettext_noop("Null characters are not allowed."),
)

# The month as written inside a date (Django's "E"): "25 հոկտեմբերի", genitive in Armenian.
MONTHS_IN_DATES = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
