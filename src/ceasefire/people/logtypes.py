"""The people registry's log entry types. Registrations and amnesty decisions enter the log only
as commitments (every field sealed and personal, so the ledger keeps their secrets but never their
values), appended in daily batches in random order. The person holds the openings of their
registration on their certificate; an erasure destroys the mission's copy of the secrets.
"""

from __future__ import annotations

from ceasefire.ledger.policy import Disclosure, EntryType, Field, register

SEALED = Disclosure.SEALED

REGISTRATION = register(
    EntryType(
        "people.registration/1",
        "A person registered for demobilization. Only commitments: the person's certificate "
        "carries the openings, so they can prove the registration; nothing here names them or "
        "links them to a handover (entries are appended in daily batches, in random order).",
        (
            Field("reference", "The certificate's reference.", SEALED, personal=True),
            Field("name", "The name as registered.", SEALED, personal=True),
            Field("birth_date", "The date of birth, ISO 8601.", SEALED, personal=True),
            Field("registered_on", "The day of registration, ISO 8601.", SEALED, personal=True),
        ),
    )
)

AMNESTY = register(
    EntryType(
        "people.amnesty/1",
        "A decision on an amnesty application. Only commitments, appended in daily batches in "
        "random order like registrations.",
        (
            Field("reference", "The certificate's reference.", SEALED, personal=True),
            Field("decision", "`granted` or `refused`.", SEALED, personal=True),
            Field("decided_on", "The day of the decision, ISO 8601.", SEALED, personal=True),
            Field("decided_by", "The protection officer who decided.", SEALED, personal=True),
        ),
    )
)

ERASURE = register(
    EntryType(
        "people.erasure/1",
        "The personal data of registry record `person` was erased on `date`: its data key and "
        "the secrets of the commitments in `entries` were destroyed. A restore from an older "
        "backup re-applies it.",
        (
            Field("person", "The record's number in the people registry."),
            Field("entries", "The log indexes whose commitment secrets were destroyed."),
            Field("date", "The day of the erasure, ISO 8601."),
            Field("reason", "Why (never a name: it is kept to be disclosed if asked).", SEALED),
        ),
    )
)
