from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ceasefire.cli import build_parser


def test_every_verb_of_the_foundation_is_offered() -> None:
    verbs = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert isinstance(verbs, dict)
    assert {"serve", "worker", "demo", "createuser", "manage"} <= set(verbs)


def run(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ceasefire.cli", *args],
        # English whatever the locale of the machine running the tests.
        env={**os.environ, "CEASEFIRE_DATA_DIR": str(data_dir), "CEASEFIRE_LANGUAGE": "en", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="uses its own SQLite file")
def test_demo_loads_and_createuser_adds_a_user(tmp_path: Path) -> None:
    demo = run(["demo", "--no-serve"], tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "liaison-north" in demo.stdout
    again = run(["demo", "--no-serve"], tmp_path)
    assert "already loaded" in again.stdout
    created = run(
        ["createuser", "newfield", "--role", "field_officer"],
        tmp_path,
        CEASEFIRE_NEW_PASSWORD="a long enough pass phrase",
    )
    assert created.returncode == 0, created.stderr
    refused = run(["createuser", "x", "--role", "liaison", "--party", "nowhere"], tmp_path)
    assert refused.returncode == 2
    assert "No party with code nowhere" in refused.stderr
