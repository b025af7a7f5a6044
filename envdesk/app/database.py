"""The database itself: testing a server before using it, and moving a bureau's data between databases: a
workstation's embedded SQLite file to the office's PostgreSQL server when the office gets one, and back (a
server's data to a file, for an offline copy).

The target must be empty (its schema is made, or already there, at this EnvDesk's version); nothing is
overwritten. Rows are copied table by table in the order their references need, with their ids, so the audit
trail's hash chain and every link survive. The complaints search index is rebuilt for the target's kind of
database. The copy is then verified table by table: the same number of rows and the same checksum of every
row's values, or the copy is reported as failed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import URL, Integer, Text, column, func, insert, select, table, text, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql

from envdesk.app import audit
from envdesk.app.access import open_to_all, requires
from envdesk.app.errors import AppError, ValidationError
from envdesk.app.validation import optional, required
from envdesk.app.workspace import Workspace, first_line, url_label
from envdesk.domain.complaints import bigrams
from envdesk.domain.progress import Progress
from envdesk.domain.users import Permission
from envdesk.i18n import _
from envdesk.store import db, migrate
from envdesk.store.schema import Base
from envdesk.store.users import AuditHeadRow

_BATCH = 2000
# Tables a new database already fills by itself (the audit head is made by its migration, at entry 0).
_SEEDED = {"audit_head"}
_FTS = table("complaint_fts", column("rowid", Integer), column("tokens", Text))
_SEARCH = table("complaint_search", column("complaint_id", Integer), column("tokens", postgresql.ARRAY(Text)))


@dataclass(frozen=True)
class TableCopy:
    name: str
    rows: int
    checksum: str


@dataclass(frozen=True)
class CopyReport:
    source: str
    target: str
    tables: tuple[TableCopy, ...]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


# --- testing a connection -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Probe:
    """What testing a database found: whether EnvDesk can use it, and a sentence or two saying why."""

    ok: bool
    message: str
    server: str = ""


def server_url(host: str, port: int, database: str, user: str, password: str = "",
               options: Mapping[str, str] | None = None) -> str:
    """A PostgreSQL URL from the parts an IT person hands out; each is checked, naming the field. `options`
    are the connection options a configured URL already had (e.g. sslmode=require), kept as they were."""
    host = required(host, _("Server"), 200)
    if not 0 < int(port) < 65536:
        raise ValidationError(_("Port"), _("must be between 1 and 65535"))
    return URL.create("postgresql+psycopg", username=required(user, _("User"), 100),
                      password=optional(password, _("Password"), 200) or None, host=host, port=int(port),
                      database=required(database, _("Database name"), 100),
                      query=dict(options or {})).render_as_string(hide_password=False)


@dataclass(frozen=True)
class ServerAddress:
    host: str = ""
    port: int = 5432
    database: str = "envdesk"
    user: str = ""
    password: str = ""
    options: Mapping[str, str] = field(default_factory=dict)


def server_address(url: str) -> ServerAddress | None:
    """The parts of a PostgreSQL URL, to show in a form; None for anything else."""
    try:
        parsed = db.parse_url(url)
    except db.DatabaseUrlError:
        return None
    if parsed.get_backend_name() != "postgresql":
        return None
    return ServerAddress(parsed.host or "", parsed.port or 5432, parsed.database or "", parsed.username or "",
                         parsed.password or "", dict(parsed.query))


@open_to_all
def probe(url: str) -> Probe:
    """Connect to a database without changing anything in it: the server, how long connecting took, and
    whether it is empty (EnvDesk will make its schema), EnvDesk's and up to date, from an earlier EnvDesk (it
    will be updated when opened), or unusable (a newer EnvDesk's, or not EnvDesk's). A file that does not exist
    yet is not created."""
    try:
        parsed = db.parse_url(url)
    except db.DatabaseUrlError as error:
        return Probe(False, str(error))
    path = db.sqlite_path(parsed)
    if parsed.get_backend_name() == "sqlite" and path is not None and not path.exists():
        if not path.parent.is_dir():
            return Probe(False, _("The folder for the database does not exist: {path}").format(path=path.parent))
        return Probe(True, _("There is no database at {path} yet: EnvDesk will create it there.").format(path=path))
    try:
        engine = db.make_engine(url)
    except db.DatabaseUrlError as error:
        return Probe(False, str(error))
    label = url_label(url)
    try:
        started = time.monotonic()
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                server = f"PostgreSQL {connection.execute(text('SHOW server_version')).scalar()}"
            else:
                server = f"SQLite {sqlite3.sqlite_version}"
        took = round((time.monotonic() - started) * 1000)
        try:
            revision = migrate.check_schema(engine)
        except migrate.SchemaError as error:
            return Probe(False, str(error), server)
    except sa_exc.DBAPIError as error:
        return Probe(False, _("Cannot connect to {db}: {reason}").format(db=label, reason=first_line(error)))
    finally:
        engine.dispose()
    connected = _("Connected to {server} at {db} in {ms} ms.").format(server=server, db=label, ms=took)
    if revision is None:
        state = _("The database is empty: EnvDesk makes its tables when it first opens it (or run "
                  "“envdesk db init”).")
    elif revision == migrate.HEAD:
        state = _("It holds EnvDesk's data, up to date.")
    else:
        state = _("It holds the data of an earlier EnvDesk: it is brought up to date when this EnvDesk opens it.")
    joined = connected + ("" if connected.endswith("。") else " ") + state  # no space after a Chinese full stop
    return Probe(True, joined, server)


# --- copying --------------------------------------------------------------------------------------------------

def _tables():
    return [t for t in Base.metadata.sorted_tables]


def _target_problem(target: Workspace) -> str | None:
    """Why the target cannot take the copy (it holds data), or None."""
    with target.reading() as session:
        for t in _tables():
            if t.name in _SEEDED:
                continue
            if session.scalar(select(func.count()).select_from(t)):
                return t.name
        head = session.execute(select(AuditHeadRow.seq)).scalar()
        if head:
            return AuditHeadRow.__tablename__
    return None


def _value(value) -> object:
    """A row value as both databases give it back, for the checksum."""
    if isinstance(value, datetime):
        return (value.astimezone(timezone.utc) if value.tzinfo else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return value


def _checksum(ws: Workspace, t) -> tuple[int, str]:
    """Rows and a SHA-256 over every row's values in primary-key order."""
    digest = hashlib.sha256()
    rows = 0
    order = list(t.primary_key.columns) or list(t.columns)
    with ws.reading() as session:
        result = session.execute(select(t).order_by(*order).execution_options(yield_per=_BATCH))
        for row in result:
            rows += 1
            digest.update(json.dumps([_value(v) for v in row], ensure_ascii=False, default=str).encode("utf-8"))
            digest.update(b"\n")
    return rows, digest.hexdigest()


@requires(Permission.BACKUP)
def copy_to(source: Workspace, target_url: str, progress: Progress | None = None) -> CopyReport:
    """Copy everything in `source` into the empty database at `target_url` (its schema made if need be), then
    verify it. An administrator's (the permission to back up); AppError names what stands in the way."""
    progress = progress or Progress()
    if target_url == source.url:
        raise AppError(_("The copy must go to another database than the one open."))
    target = Workspace(target_url, user=source.user)
    try:
        busy = _target_problem(target)
        if busy is not None:
            raise AppError(_("{db} already holds data (table {table}): a copy goes into an empty database only, "
                             "so nothing is overwritten.").format(db=url_label(target_url), table=busy))
        counts = {}
        with source.reading() as session:
            for t in _tables():
                counts[t.name] = session.scalar(select(func.count()).select_from(t)) or 0
        progress.start(sum(counts.values()) * 2 + 1, _("Copying"))
        _copy_rows(source, target, counts, progress)
        _rebuild_search_index(target)
        report = []
        for t in _tables():
            source_rows, source_sum = _checksum(source, t)
            target_rows, target_sum = _checksum(target, t)
            progress.step(source_rows)
            if (source_rows, source_sum) != (target_rows, target_sum):
                raise AppError(_("The copy of table {table} does not match the original ({copied} of {rows} rows, "
                                 "or different values): do not use {db}.").format(
                    table=t.name, copied=target_rows, rows=source_rows, db=url_label(target_url)))
            report.append(TableCopy(t.name, source_rows, source_sum))
        progress.step()
        copied = CopyReport(source.label, target.label, tuple(report))
    finally:
        target.close()
    audit.log(source, "export", entity="database", label=copied.target[:200], changes={"rows": [None, copied.rows]})
    return copied


def _copy_rows(source: Workspace, target: Workspace, counts: dict[str, int], progress: Progress) -> None:
    """All rows in one transaction on the target: a copy that fails half-way leaves the target empty."""
    with target.engine.begin() as out, source.reading() as session:
        for t in _tables():
            if not counts[t.name]:
                continue
            if t.name in _SEEDED:
                for row in session.execute(select(t)).mappings():
                    out.execute(update(t).where(t.c.id == row["id"]).values(**dict(row)))
                progress.step(counts[t.name])
                continue
            order = list(t.primary_key.columns) or list(t.columns)
            result = session.execute(select(t).order_by(*order).execution_options(yield_per=_BATCH))
            for chunk in result.mappings().partitions(_BATCH):
                out.execute(insert(t).execution_options(render_nulls=True), [dict(row) for row in chunk])
                progress.step(len(chunk))
        if out.dialect.name == "postgresql":
            # Rows came with their ids: the next id of each table follows the copied ones.
            for t in _tables():
                key = list(t.primary_key.columns)
                if len(key) == 1 and isinstance(key[0].type, Integer) and key[0].autoincrement in (True, "auto"):
                    out.execute(text(f"SELECT setval(pg_get_serial_sequence('{t.name}', '{key[0].name}'), "
                                     f"COALESCE((SELECT max({key[0].name}) FROM {t.name}), 0) + 1, false)"))


def _rebuild_search_index(ws: Workspace) -> None:
    """The complaints search index, made for this kind of database (an FTS5 table or a GIN-indexed array)."""
    from envdesk.store.complaints import ComplaintRow
    from envdesk.store.twinning import EnterpriseRow

    sqlite = ws.dialect == "sqlite"
    query = (select(ComplaintRow.id, ComplaintRow.content, ComplaintRow.subject, ComplaintRow.location,
                    EnterpriseRow.name_zh)
             .outerjoin(EnterpriseRow, EnterpriseRow.id == ComplaintRow.enterprise_id).order_by(ComplaintRow.id))
    with ws.engine.begin() as out:
        out.execute(text("DELETE FROM complaint_fts" if sqlite else "DELETE FROM complaint_search"))
        rows = out.execute(query).all()
        for start in range(0, len(rows), _BATCH):
            chunk = rows[start:start + _BATCH]
            values = []
            for id_, content, subject, location, enterprise in chunk:
                tokens = bigrams(" ".join((content or "", enterprise or subject or "", location or "")))
                values.append({"rowid": id_, "tokens": tokens} if sqlite else
                              {"complaint_id": id_, "tokens": sorted(set(tokens.split()))})
            out.execute(insert(_FTS if sqlite else _SEARCH), values)
