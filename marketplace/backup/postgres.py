"""PostgreSQL: ``pg_dump -Fc`` from an exported snapshot, ``pg_restore`` into an empty database.

The connection settings reach the tools through libpq's environment variables (the password
in PGPASSWORD), never on their command line, where any local user could read them.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess  # nosec B404
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from marketplace.backup.snapshot import Measure, measure

#: URL query parameters handed to libpq under its own environment names
LIBPQ_QUERY = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "application_name": "PGAPPNAME",
}


class ToolFailed(Exception):
    """pg_dump or pg_restore exited with an error."""


def find_tool(name: str) -> str:
    """The newest ``pg_dump``/``pg_restore`` on PATH or under /usr/lib/postgresql/*/bin."""
    candidates = set(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    on_path = shutil.which(name)
    if on_path:
        candidates.add(os.path.realpath(on_path))
    versions = {path: _version(path) for path in candidates}
    found = [path for path, version in versions.items() if version]
    if not found:
        raise ToolFailed(f"{name} was not found: install the PostgreSQL client tools.")
    return max(found, key=lambda path: versions[path])


def _version(path: str) -> tuple[int, ...]:
    try:
        # an argument list, never a shell
        out = subprocess.run(  # noqa: S603  # nosec B603
            [path, "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    match = re.search(r"(\d+)(?:\.(\d+))?", out)
    return tuple(int(part) for part in match.groups() if part) if match else ()


def libpq_environment(url: str) -> dict[str, str]:
    """The process environment plus PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE and friends."""
    parsed = sa.engine.make_url(url)
    given: dict[str, str | None] = {
        "PGHOST": parsed.host,
        "PGPORT": str(parsed.port) if parsed.port else None,
        "PGUSER": parsed.username,
        "PGPASSWORD": parsed.password,
        "PGDATABASE": parsed.database,
    }
    for parameter, variable in LIBPQ_QUERY.items():
        value = parsed.query.get(parameter)
        if value:
            given[variable] = value if isinstance(value, str) else value[0]
    env = {k: v for k, v in os.environ.items() if k not in given}  # the URL decides these
    env.update({k: v for k, v in given.items() if v})
    return env


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url, poolclass=NullPool)


def dump(url: str, target: Path) -> Measure:
    """Dump the database into ``target`` and measure it, both from one snapshot."""
    engine = _engine(url).execution_options(isolation_level="REPEATABLE READ")
    command = [find_tool("pg_dump"), "--format=custom", f"--file={target}"]
    try:
        with engine.connect() as conn, conn.begin():
            snapshot = conn.scalar(sa.text("SELECT pg_export_snapshot()"))
            conn.execute(sa.text("SET LOCAL statement_timeout = 0"))
            conn.execute(sa.text("SET LOCAL idle_in_transaction_session_timeout = 0"))
            measured = measure(conn)
            # pg_dump reads the snapshot this transaction exported, so it must stay open
            _run([*command, f"--snapshot={snapshot}"], url)
    finally:
        engine.dispose()
    return measured


def is_empty(url: str) -> bool:
    """Whether the database holds no table, view, sequence or function of its own."""
    query = sa.text(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"
    )
    engine = _engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(query) == 0
    finally:
        engine.dispose()


def restore(dump_file: Path, url: str) -> None:
    """Restore into the (empty) database in one transaction: all of it or nothing."""
    database = sa.engine.make_url(url).database
    command = [find_tool("pg_restore"), "--single-transaction", "--exit-on-error"]
    _run(command + ["--no-owner", f"--dbname={database}", str(dump_file)], url)


def measure_database(url: str) -> Measure:
    engine = _engine(url)
    try:
        with engine.connect() as conn, conn.begin():
            conn.execute(sa.text("SET LOCAL statement_timeout = 0"))
            return measure(conn)
    finally:
        engine.dispose()


def _run(command: list[str], url: str) -> None:
    # an argument list, never a shell; the password travels in the environment
    result = subprocess.run(  # noqa: S603  # nosec B603
        command, env=libpq_environment(url), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        tool = Path(command[0]).name
        raise ToolFailed(f"{tool} exited with {result.returncode}: {result.stderr.strip()}")
