from __future__ import annotations

import pytest

from ceasefire.demo import load_demo
from ceasefire.fieldsync.demo import DEMO_COLLECT_ID
from ceasefire.fieldsync.models import Device, Status, Submission

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_phone_and_submissions_both_recorded_and_in_quarantine() -> None:
    context = load_demo()
    assert Device.objects.get().user == context.users["field"]
    statuses = sorted(Submission.objects.values_list("status", flat=True))
    assert statuses == [Status.ACCEPTED] * 2 + [Status.QUARANTINED] * 2
    assert set(Submission.objects.values_list("collect_id", flat=True)) == {DEMO_COLLECT_ID}
    assert all(s.record for s in Submission.objects.filter(status=Status.ACCEPTED))
