"""A database of the test's own for tests that run the real server and writers as processes and
kill them: a SQLite file in a temporary data dir, or, when DATABASE_URL names PostgreSQL, a
database created beside it and dropped afterwards."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import psycopg
import pytest


@dataclass
class Deployment:
    """The environment of a deployment on this machine, and the processes started in it."""

    env: dict[str, str]
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ceasefire.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        """Start `ceasefire ARGS` in its own process group, so that a kill reaches its children
        (gunicorn's workers) too."""
        process = subprocess.Popen(
            [sys.executable, "-m", "ceasefire.cli", *args],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def python(self, code: str) -> Any:
        """Run `code` in Django's shell in this deployment; it prints one JSON value."""
        done = self.run("manage", "shell", "-c", code)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def serve(self) -> str:
        """Start the server on a free loopback port; return its base URL once it answers."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = self.start("serve", "--no-worker", "--port", str(port), "--workers", "2")
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert server.poll() is None, "the server stopped while starting"
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2) as response:
                    if response.status == 200:
                        return base
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise AssertionError("the server did not answer within 90 s")

    def token(self, role: str) -> str:
        """A bearer token of a new user holding `role`."""
        code = (
            "import json; from ceasefire.accounts import services as s; "
            f"u = s.user_create(username='{role}-user', password='x', roles=['{role}'], "
            "check_password=False); "
            f"print(json.dumps(s.token_create(user=u, role='{role}', name='t')[1]))"
        )
        token: str = self.python(code)
        return token


def kill(process: subprocess.Popen[str]) -> None:
    """SIGKILL a process and every process of its group: no chance to clean up."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    env = {
        **os.environ,
        "CEASEFIRE_DATA_DIR": str(tmp_path / "data"),
        "CEASEFIRE_LANGUAGE": "en",
        "CEASEFIRE_LOG_LEVEL": "WARNING",
    }
    url = os.environ.get("DATABASE_URL", "")
    name = ""
    if url.startswith(("postgres://", "postgresql://")):
        parsed = urlparse(url)
        name = f"{parsed.path.lstrip('/')}_crash_{os.getpid()}"
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = parsed._replace(path=f"/{name}").geturl()
    else:
        env.pop("DATABASE_URL", None)
    deployment = Deployment(env)
    migrated = deployment.run("manage", "migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    try:
        yield deployment
    finally:
        for process in deployment.processes:
            if process.poll() is None:
                kill(process)
        if name:
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
