"""The SQLite backend's writer queue (ceasefire.core.sqlite)."""

from __future__ import annotations

import fcntl
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper as DatabaseWrapper
from django.db.utils import ConnectionHandler, OperationalError


@pytest.fixture
def connections(tmp_path: Path, django_db_blocker: Any) -> Iterator[ConnectionHandler]:
    """Two connections of their own to a database file (the test database is in memory)."""
    django_db_blocker.unblock()
    handler = ConnectionHandler(
        {
            alias: {
                "ENGINE": "ceasefire.core.sqlite",
                "NAME": tmp_path / "queue.sqlite3",
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 2},
            }
            for alias in ("default", "second")
        }
    )
    with handler["default"].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("CREATE TABLE counter (n INTEGER)")
    yield handler
    handler.close_all()
    django_db_blocker.restore()


def begin(connection: DatabaseWrapper) -> None:
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def end(connection: DatabaseWrapper, *, commit: bool = True) -> None:
    connection.commit() if commit else connection.rollback()
    connection.set_autocommit(True)


def holding(connections: ConnectionHandler, seconds: float) -> threading.Thread:
    """A thread (with a connection of its own) that writes and holds its transaction open for
    `seconds`; returned once its transaction has begun."""
    started = threading.Event()

    def hold() -> None:
        connection = connections["default"]
        begin(connection)
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO counter VALUES (1)")
        started.set()
        time.sleep(seconds)
        end(connection)
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert started.wait(timeout=10)
    return thread


def test_a_second_writer_waits_its_turn_and_then_writes(connections: ConnectionHandler) -> None:
    holder = holding(connections, 0.3)
    second = connections["second"]
    waited = time.perf_counter()
    begin(second)
    waited = time.perf_counter() - waited
    with second.cursor() as cursor:
        cursor.execute("INSERT INTO counter VALUES (2)")
    end(second)
    holder.join()
    assert 0.15 < waited < 1.5
    with second.cursor() as cursor:
        cursor.execute("SELECT n FROM counter ORDER BY n")
        assert cursor.fetchall() == [(1,), (2,)]


def test_a_writer_gives_up_after_the_timeout_as_sqlite_would(
    connections: ConnectionHandler,
) -> None:
    connections["second"].settings_dict["OPTIONS"]["timeout"] = 0.1
    holder = holding(connections, 0.5)
    with pytest.raises(OperationalError, match="locked"):
        begin(connections["second"])
    holder.join()
    # The queue is free again once the holder committed, and after the failed attempt.
    begin(connections["second"])
    end(connections["second"])


def test_a_rollback_and_a_closed_connection_leave_the_queue(
    connections: ConnectionHandler,
) -> None:
    first, second = connections["default"], connections["second"]
    begin(first)
    end(first, commit=False)
    begin(second)
    end(second)
    begin(first)
    first.close()
    begin(second)
    end(second)


def test_a_transaction_holds_the_writers_lock_until_it_ends(
    connections: ConnectionHandler, tmp_path: Path
) -> None:
    def lock_is_free() -> bool:
        with (tmp_path / "queue.sqlite3.writers").open("a") as other:
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            fcntl.flock(other, fcntl.LOCK_UN)
            return True

    connection = connections["default"]
    begin(connection)
    assert not lock_is_free()
    end(connection)
    assert lock_is_free()
    with connection.cursor() as cursor:  # a statement outside a transaction is not queued
        cursor.execute("INSERT INTO counter VALUES (3)")
    assert lock_is_free()


def test_closing_a_connection_gathers_the_planners_statistics(
    connections: ConnectionHandler, tmp_path: Path
) -> None:
    connection = connections["default"]
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX counter_n ON counter (n)")
        cursor.executemany("INSERT INTO counter VALUES (%s)", [(n % 7,) for n in range(2000)])
        cursor.execute("SELECT count(*) FROM counter WHERE n = 3")
    connection.close()
    with sqlite3.connect(tmp_path / "queue.sqlite3") as reader:
        assert reader.execute("SELECT tbl, idx FROM sqlite_stat1").fetchall() == [
            ("counter", "counter_n")
        ]
