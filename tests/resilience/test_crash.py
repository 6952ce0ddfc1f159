"""Crashes and concurrent writers, with the real server and writer processes on the database of
DATABASE_URL (a database of the test's own, tests/resilience/conftest.py).

Two kinds of writer append to the log at once: importers (`ceasefire manage exercise_log`, which
prints each index once committed) and analysts publishing totals through the server's HTTP API
(acknowledged by the redirect to the new entry). A write counts as acknowledged only once its
writer has said so; it must then survive anything."""

from __future__ import annotations

import http.client
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from tests.resilience.conftest import Deployment, kill

CHECK_LOG = """
import json
from ceasefire.ledger.merkle import stored_hash_count
from ceasefire.ledger.models import LogEntry, LogHash, LogHead
size = LogHead.objects.get(pk=1).size
rows = LogEntry.objects.order_by("index").values_list("index", "entry_type", "body")
print(json.dumps({
    "size": size,
    "hashes": LogHash.objects.count(),
    "expected_hashes": stored_hash_count(size),
    "entries": [[i, t, json.loads(bytes(b)).get("fields", {})] for i, t, b in rows],
}))
"""


@dataclass
class Importer:
    """An exercise_log process and the (number, index) pairs it acknowledged."""

    name: str
    acknowledged: list[tuple[int, int]] = field(default_factory=list)
    process: subprocess.Popen[str] | None = None
    thread: threading.Thread | None = None

    def start(self, deployment: Deployment, count: int) -> None:
        process = deployment.start(
            "manage", "exercise_log", "--count", str(count), "--writer", self.name
        )
        self.process = process

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                number, index = line.split()
                self.acknowledged.append((int(number), int(index)))

        self.thread = threading.Thread(target=read, daemon=True)
        self.thread.start()

    def finish(self) -> None:
        assert self.thread is not None
        self.thread.join(timeout=60)


@dataclass
class Publisher:
    """Threads publishing totals over HTTP as an analyst, until told to stop."""

    base: str
    token: str
    acknowledged: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def publish(self) -> int:
        address = urlparse(self.base)
        connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
        try:
            connection.request(
                "POST", "/public/totals/publish", headers={"Authorization": f"Bearer {self.token}"}
            )
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        assert response.status == 302, response.status
        return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])

    def start(self, clients: int, each: int) -> None:
        def loop() -> None:
            for _ in range(each):
                if self.stop.is_set():
                    return
                try:
                    self.acknowledged.append(self.publish())
                except (OSError, AssertionError, http.client.HTTPException) as exc:
                    self.errors.append(repr(exc))

        self.threads = [threading.Thread(target=loop, daemon=True) for _ in range(clients)]
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        for thread in self.threads:
            thread.join(timeout=60)


def check_log(deployment: Deployment, tmp_path: Path) -> dict[int, tuple[str, dict[str, object]]]:
    """The log is whole (every entry and stored hash of its size, nothing else) and verifies;
    returns its entries by index."""
    state = deployment.python(CHECK_LOG)
    indexes = [index for index, _type, _fields in state["entries"]]
    assert indexes == list(range(state["size"])), "missing, duplicate or extra log indexes"
    assert state["hashes"] == state["expected_hashes"], "stored hashes half-written"
    signed = deployment.run("log", "checkpoint")
    assert signed.returncode == 0, signed.stderr
    exported = deployment.run("log", "export", str(tmp_path / "export"))
    assert exported.returncode == 0, exported.stderr
    verified = deployment.run("log", "verify", str(tmp_path / "export"))
    assert verified.returncode == 0, verified.stderr
    assert f"Log verified: {state['size']} entries" in verified.stdout
    return {index: (entry_type, fields) for index, entry_type, fields in state["entries"]}


def wait_until(condition: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not condition():  # type: ignore[operator]
        time.sleep(0.05)


def test_every_acknowledged_write_survives_a_sigkill_of_the_server_and_an_import(
    deployment: Deployment, tmp_path: Path
) -> None:
    token = deployment.token("analyst")
    base = deployment.serve()
    importer = Importer("import")
    importer.start(deployment, 100_000)
    wait_until(lambda: importer.acknowledged, 60)
    publisher = Publisher(base, token)
    publisher.start(clients=2, each=1000)
    wait_until(lambda: len(importer.acknowledged) >= 60 and len(publisher.acknowledged) >= 5, 60)

    for process in deployment.processes:  # mid-burst: both are still writing
        assert process.poll() is None
        kill(process)
    publisher.stop.set()
    publisher.finish()
    importer.finish()
    assert len(importer.acknowledged) >= 60 and len(publisher.acknowledged) >= 5

    # The server starts again on the same database and takes writes.
    restarted = Publisher(deployment.serve(), token)
    after_restart = restarted.publish()
    for process in deployment.processes:
        kill(process)

    entries = check_log(deployment, tmp_path)
    for number, index in importer.acknowledged:
        assert entries[index] == ("ledger.test/1", {"category": "import", "quantity": number})
    for index in [*publisher.acknowledged, after_restart]:
        assert entries[index][0] == "reports.published/1"
        assert entries[index][1]["size"] == index


def test_concurrent_writers_get_every_index_once_and_no_error(
    deployment: Deployment, tmp_path: Path
) -> None:
    token = deployment.token("analyst")
    base = deployment.serve()
    importers = [Importer(f"import{number}") for number in range(3)]
    for importer in importers:
        importer.start(deployment, 60)
    publisher = Publisher(base, token)
    publisher.start(clients=4, each=5)

    publisher.finish()
    for importer in importers:
        assert importer.process is not None
        assert importer.process.wait(timeout=120) == 0
        importer.finish()
    kill(deployment.processes[0])  # the server

    assert publisher.errors == []
    assert [len(importer.acknowledged) for importer in importers] == [60, 60, 60]
    assert len(publisher.acknowledged) == 20
    entries = check_log(deployment, tmp_path)
    written = [index for importer in importers for _n, index in importer.acknowledged]
    written += publisher.acknowledged
    assert sorted(written) == list(range(1, len(entries)))  # 0 is the policy
    assert entries[0][0] == "ledger.policy/1"
