from __future__ import annotations

import pytest
from django.test import RequestFactory

from ceasefire.accounts.models import Party, User
from ceasefire.audit.models import AuditEvent
from ceasefire.audit.services import record_reveal
from ceasefire.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


class TestRecordReveal:
    def test_it_records_who_saw_which_fields_of_what_from_where_and_why(
        self, cast: dict[str, User]
    ) -> None:
        request = RequestFactory().get(
            "/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="FieldTablet/1.0"
        )
        party = Party.objects.get(code="north")
        record_reveal(
            user=cast["protection"],
            obj=party,
            purpose="Amnesty decision 14",
            fields=["name", "birth_date"],
            request=request,
        )
        event = AuditEvent.objects.get()
        assert event.action == AuditEvent.Action.REVEAL
        assert event.user == cast["protection"]
        assert (event.object_type, event.object_id) == ("accounts.party", str(party.pk))
        assert event.fields == ["birth_date", "name"]
        assert event.purpose == "Amnesty decision 14"
        assert (event.ip, event.user_agent) == ("10.1.2.3", "FieldTablet/1.0")

    def test_a_reveal_without_a_purpose_is_refused_and_nothing_is_recorded(
        self, cast: dict[str, User]
    ) -> None:
        with pytest.raises(ValidationFailed) as refused:
            record_reveal(
                user=cast["protection"], obj=Party.objects.get(code="north"), purpose="  "
            )
        assert "purpose" in refused.value.fields
        assert not AuditEvent.objects.exists()

    def test_the_values_of_fields_are_never_kept(self, cast: dict[str, User]) -> None:
        record_reveal(
            user=cast["protection"],
            obj=cast["field"],
            purpose="check",
            fields=["first_name"],
        )
        row = AuditEvent.objects.values().get()
        assert cast["field"].username not in str(row.values())
