"""Two phones racing with one new instance ID end with exactly one record: really concurrent on
PostgreSQL; on every database, the unique index decides which insert wins."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ceasefire.accounts.models import User
from ceasefire.convoys.models import CrossingCount
from ceasefire.fieldsync.models import Submission
from tests.fieldsync.collect import new_instance_id
from tests.fieldsync.factories import crossings_xml, phone


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database locks whole tables instead of queueing writers",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_data", [True, False], ids=["same-xml", "different-xml"])
def test_racing_phones_make_one_record_and_both_hear_the_truth(
    cast: dict[str, User], same_data: bool
) -> None:
    instance = new_instance_id()
    phones = [phone(cast["field"], name="A"), phone(cast["field"], name="B")]
    bodies = [crossings_xml(instance), crossings_xml(instance, men=12 if same_data else 30)]
    statuses: list[int] = []
    start = threading.Barrier(2)

    def send(index: int) -> None:
        try:
            start.wait()
            statuses.append(phones[index].submit(bodies[index]).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (Submission.objects.count(), CrossingCount.objects.count()) == (1, 1)
    assert sorted(statuses) == ([201, 202] if same_data else [201, 409])


@pytest.mark.django_db
@pytest.mark.parametrize("same_data", [True, False], ids=["same-xml", "different-xml"])
def test_the_loser_of_the_insert_race_merges_into_the_winner(
    cast: dict[str, User], same_data: bool
) -> None:
    instance = new_instance_id()
    winner, loser = phone(cast["field"], name="A"), phone(cast["field"], name="B")
    assert winner.submit(crossings_xml(instance)).status_code == 201
    # Nobody looks before inserting: the loser's insert collides with the winner's row.
    with CaptureQueriesContext(connection) as queries:
        response = loser.submit(crossings_xml(instance, men=12 if same_data else 30))
    assert response.status_code == (202 if same_data else 409)
    assert any(q["sql"].startswith('INSERT INTO "fieldsync_submission"') for q in queries)
    assert (Submission.objects.count(), CrossingCount.objects.count()) == (1, 1)
