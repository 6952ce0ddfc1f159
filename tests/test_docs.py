"""Docs are part of the product: every setting the code reads is documented."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV_READ = re.compile(r'env_[a-z]+\(\s*"([A-Z][A-Z0-9_]+)"')


def variables_read_by_the_code() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "ceasefire").rglob("*.py"):
        found.update(ENV_READ.findall(path.read_text(encoding="utf-8")))
    return found


def test_code_reads_settings_through_the_helpers() -> None:
    essentials = {"DATABASE_URL", "CEASEFIRE_DATA_DIR", "CEASEFIRE_KEY_DIR"}
    assert essentials <= variables_read_by_the_code()


def test_every_environment_variable_is_documented() -> None:
    documented = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = {name for name in variables_read_by_the_code() if f"`{name}`" not in documented}
    assert missing == set()
