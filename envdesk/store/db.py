"""Engines for the embedded SQLite file and a shared PostgreSQL server, set up the same way everywhere."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from envdesk import paths
from envdesk.i18n import _

# PRAGMA application_id marks a SQLite file as EnvDesk's ("EnvD"), so restore can refuse strangers.
APPLICATION_ID = 0x456E7644


class DatabaseUrlError(Exception):
    """A database URL that cannot be used; the message says why, in one line."""


def resolve_url(explicit: str | None = None, configured: str | None = None) -> str:
    """--db, then ENVDESK_DB, then the workstation's setting, then the embedded SQLite file."""
    for candidate in (explicit, os.environ.get("ENVDESK_DB"), configured):
        if candidate:
            return candidate
    return sqlite_url(paths.default_database_path())


def sqlite_url(path: Path) -> str:
    return URL.create("sqlite", database=str(path)).render_as_string(hide_password=False)


def parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUrlError(_("Not a database URL: {url}").format(url=url)) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseUrlError(
            _("Unsupported database {backend!r} in {url}: use sqlite:///FILE or postgresql+psycopg://…").format(
                backend=parsed.get_backend_name(), url=url))
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() not in ("psycopg", "psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for an in-memory database or a server."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).expanduser()


CONNECT_TIMEOUT_S = 10
# How long a SQLite write waits for another workstation's (or program's) write to finish before giving up.
BUSY_TIMEOUT_S = 15


def make_engine(url: str) -> Engine:
    parsed = parse_url(url)
    path = sqlite_path(parsed)
    if parsed.get_backend_name() == "sqlite":
        if path is not None and not path.parent.exists():
            raise DatabaseUrlError(_("The folder for the database does not exist: {path}").format(path=path.parent))
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # A server that does not answer (a wrong address, a switched-off machine) is reported after 10 s instead of
    # the operating system's TCP time-out of a minute or more; a URL's own connect_timeout wins.
    connect_args = {} if "connect_timeout" in parsed.query else {"connect_timeout": CONNECT_TIMEOUT_S}
    try:
        return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    except NoSuchModuleError as exc:  # pragma: no cover - psycopg is a dependency
        raise DatabaseUrlError(str(exc)) from None


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record) -> None:
    # Python's sqlite3 opens transactions lazily on DML only; let SQLAlchemy drive them instead,
    # so that DDL in migrations is transactional and SAVEPOINTs work.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def use_wal(engine: Engine) -> None:
    """Write-ahead logging, so readers never wait for a writer. The mode is kept in the file itself, so it
    is switched on only once the file is known to be EnvDesk's: a refused file stays exactly as it was."""
    if engine.dialect.name != "sqlite" or sqlite_path(engine.url) is None:
        return
    raw = engine.raw_connection()  # outside any transaction: SQLite refuses the switch inside one
    try:
        if raw.driver_connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            raw.driver_connection.execute("PRAGMA journal_mode = WAL")
    finally:
        raw.close()


def _sqlite_begin(conn) -> None:
    # A unit of work that will write takes the write lock at once (BEGIN IMMEDIATE), so a second workstation
    # waits for it (busy_timeout) instead of failing when its snapshot turns out stale at its first write.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")


# The execution option `Workspace.transaction` opens its connection with.
WRITE_OPTION = "envdesk_writes"


def describe(url: str) -> str:
    """The URL as shown to users: a SQLite file's path, or a server URL without the password."""
    parsed = parse_url(url)
    path = sqlite_path(parsed)
    if parsed.get_backend_name() == "sqlite":
        return str(path) if path else _("in-memory database")
    return parsed.render_as_string(hide_password=True)
