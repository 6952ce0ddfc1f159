"""Django's SQLite backend, with writers queued instead of left to SQLite's busy handler.

SQLite lets one writer in at a time. A writer that finds the database locked sleeps in steps
that grow to 100 ms (the busy handler behind Python's sqlite3 `timeout`): with four phones
sending at once, some waited a tenth of a second for a lock held four milliseconds. Here a
transaction queues before it begins (BEGIN IMMEDIATE) and leaves the queue once it has committed
or rolled back. Within a process, threads wait on a lock in the kernel; across processes (the
server's workers, the task worker), the one thread each process puts forward takes an exclusive
lock on a file beside the database, trying again every millisecond or so. (Every waiting thread
polling the file instead would wake so often that it slowed the writer holding it.) The wait is
bounded by the connection's `timeout`, as SQLite's own was, and ends in the same "database is
locked" error. Statements outside a transaction are not queued.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import time
from typing import Any

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

# Rows sampled per index when gathering statistics: enough to tell a rare value from a common
# one, cheap at any size.
ANALYSIS_LIMIT = 1000
FIRST_RETRY = 0.0002
LONGEST_RETRY = 0.002

# One lock per database file for the threads of this process.
_thread_queues: dict[str, threading.Lock] = {}
_thread_queues_lock = threading.Lock()


def _thread_queue(path: str) -> threading.Lock:
    with _thread_queues_lock:
        return _thread_queues.setdefault(path, threading.Lock())


def analyze(connection: Any) -> None:
    """Gather the query planner's statistics now, after a bulk load (`ceasefire demo`)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")


class DatabaseWrapper(base.DatabaseWrapper):
    _queue_file: int | None = None
    # The threads' lock this connection holds while in a transaction, else None.
    _held: threading.Lock | None = None

    def _start_transaction_under_autocommit(self) -> None:
        self._join_queue()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private: not in the stubs
        except BaseException:
            self._leave_queue()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]  # private: not in the stubs
        finally:
            self._leave_queue()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]  # private: not in the stubs
        finally:
            self._leave_queue()

    def _close(self) -> None:
        if self.connection is not None and not self.is_in_memory_db():
            # The query planner needs table statistics once tables are large (without them it
            # walked a million items for a count of twenty thousand); SQLite gathers them for
            # the tables this connection queried that lack them or have grown many times over.
            # Connections are kept a minute, so this runs about that often, in milliseconds.
            with contextlib.suppress(sqlite3.Error):
                self.connection.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
                self.connection.execute("PRAGMA optimize")
        try:
            super()._close()  # type: ignore[misc]  # private: not in the stubs
        finally:
            self._leave_queue()
            if self._queue_file is not None:
                os.close(self._queue_file)
                self._queue_file = None

    def _join_queue(self) -> None:
        if self.is_in_memory_db() or self._held is not None:
            return
        path = f"{self.settings_dict['NAME']}.writers"
        if self._queue_file is None:
            self._queue_file = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        options: dict[str, Any] = self.settings_dict.get("OPTIONS", {})
        deadline = time.monotonic() + float(options.get("timeout", 5))
        threads = _thread_queue(path)
        if not threads.acquire(timeout=max(deadline - time.monotonic(), 0)):
            raise OperationalError("database is locked")
        retry = FIRST_RETRY
        while True:
            try:
                fcntl.flock(self._queue_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    threads.release()
                    raise OperationalError("database is locked") from None
                time.sleep(retry)
                retry = min(retry * 2, LONGEST_RETRY)
        self._held = threads

    def _leave_queue(self) -> None:
        if self._held is not None and self._queue_file is not None:
            fcntl.flock(self._queue_file, fcntl.LOCK_UN)
            self._held.release()
        self._held = None
