"""A consistent copy of the database, and putting one back. SQLite through its online backup
API (a consistent snapshot while the server keeps writing); PostgreSQL through pg_dump and psql,
whose dump is one snapshot too."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

SQLITE_FILE = "database.sqlite3"
POSTGRESQL_FILE = "database.sql"


class DatabaseToolMissing(Exception):
    """pg_dump or psql is not installed."""


def file_name() -> str:
    return SQLITE_FILE if connection.vendor == "sqlite" else POSTGRESQL_FILE


def _sqlite_connection() -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _postgresql_environment() -> dict[str, str]:
    """libpq's variables for the database Django uses: no password on a command line."""
    settings_dict = connection.settings_dict
    environment = dict(os.environ)
    for variable, key in (
        ("PGDATABASE", "NAME"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
    ):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    return environment


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DatabaseToolMissing(name)
    return path


def dump(target: Path) -> None:
    """Write a consistent copy of the whole database to `target`."""
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(target)
        try:
            _sqlite_connection().backup(copy)
        finally:
            copy.close()
        return
    subprocess.run(  # noqa: S603 (fixed arguments; the password goes in the environment)
        [_tool("pg_dump"), "--no-owner", "--no-privileges", "--file", str(target)],
        env=_postgresql_environment(),
        check=True,
        capture_output=True,
    )


def load(source: Path) -> None:
    """Replace the whole database with the copy in `source`. Nothing else may be using it."""
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(source)
        try:
            copy.backup(_sqlite_connection())
        finally:
            copy.close()
        return
    psql = _tool("psql")
    with connection.cursor() as cursor:
        # Tables added by a later version than the backup's must go too, or migrating the
        # restored database would find them in its way.
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    arguments = ["--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--single-transaction"]
    subprocess.run(  # noqa: S603 (fixed arguments)
        [psql, *arguments, "--file", str(source)],
        env=_postgresql_environment(),
        check=True,
        capture_output=True,
    )
