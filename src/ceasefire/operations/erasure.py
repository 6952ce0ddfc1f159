"""Erasure hooks. An app whose records can be erased (people/) logs each erasure as an entry and
registers a hook for that entry type here, in its AppConfig.ready(). A restore from an older
backup calls the hook for every such entry logged after the backup was taken, so an erasure is
never undone by a restore."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The hook receives the entry's index and its parsed body ({"type", "policy", "fields",
# "sealed"}) and erases in the restored database what the entry says was erased.
ErasureHook = Callable[[int, dict[str, Any]], None]

HOOKS: dict[str, ErasureHook] = {}


def register(entry_type: str, hook: ErasureHook) -> None:
    if HOOKS.get(entry_type, hook) is not hook:
        raise ValueError(f"an erasure hook for {entry_type} is registered already")
    HOOKS[entry_type] = hook
