"""An open EnvDesk database: engine, migrated schema, and the transactions use cases run in."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event, inspect, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from envdesk import paths
from envdesk.app import audit
from envdesk.app.access import Principal
from envdesk.app.errors import ConflictError, DatabaseUnavailable
from envdesk.i18n import _
from envdesk.store import db, migrate
from envdesk.store.migrate import MigrationResult
from envdesk.store.models import Base

T = TypeVar("T")


class Workspace:
    """One database opened by the GUI or the CLI. Use cases take it as their first argument."""

    def __init__(self, url: str, *, auto_migrate: bool = True, backup_dir: Path | None = None,
                 user: Principal | None = None) -> None:
        self.url = url
        try:
            self.engine = db.make_engine(url)
            self.label = db.describe(url)
            self.migration: MigrationResult | None = None
            if auto_migrate:
                self.migration = migrate.upgrade(self.engine, backup_dir or paths.backup_dir())
            else:
                migrate.check_schema(self.engine)
            db.use_wal(self.engine)
            _keep_private(self.engine)
        except db.DatabaseUrlError as error:
            raise DatabaseUnavailable(str(error)) from None
        except migrate.SchemaError as error:
            raise DatabaseUnavailable(str(error)) from None
        except sa_exc.OperationalError as error:
            raise DatabaseUnavailable(fault_message(error, url) or
                _("Cannot open the database {db}: {reason}").format(db=url_label(url), reason=first_line(error)),
                fault(error)) from None
        except sa_exc.DatabaseError as error:
            raise DatabaseUnavailable(
                _("The database {db} cannot be used: {reason}").format(db=url_label(url), reason=first_line(error))
            ) from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        audit.install(self._sessions)
        event.listen(self._sessions, "before_flush", _note_versions)
        self.user: Principal | None = user  # who is signed in; see envdesk.app.access and envdesk.app.users
        self.session_checked_at = 0.0
        # Called with the reason when the sign-in is found ended (the GUI offers to log in again).
        self.signed_out_listeners: list[Callable[[str], None]] = []
        self.cache: dict[str, tuple[object, object]] = {}  # key -> (stamp, value); see cached()

    @property
    def dialect(self) -> str:
        """"sqlite" or "postgresql"."""
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any error; stale saves become ConflictError."""
        session = self._sessions()
        session.info["principal"] = self.user  # the audit trail names who made the change
        try:
            if self.dialect == "sqlite":
                session.connection(execution_options={db.WRITE_OPTION: True})
            yield session
            session.commit()
        except StaleDataError as error:
            session.rollback()
            stale = self._stale_record(session.info.get(_VERSIONS, []), str(error))
            raise ConflictError(
                _("Someone else changed this record after you opened it. Nothing was overwritten: "
                  "reload it and apply your change again."), **stale) from None
        except sa_exc.IntegrityError:
            # Two workstations took the same number (a case, a letter, an approval No.) at the same moment: the
            # database kept one; the other is refused, whole, and simply saved again.
            session.rollback()
            raise ConflictError(
                _("Someone else saved a record with the same number at the same moment. Nothing was saved: "
                  "try again.")) from None
        except sa_exc.OperationalError as error:
            session.rollback()
            message = fault_message(error, self.url)
            if message is None:
                raise
            raise DatabaseUnavailable(message, fault(error)) from None
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _stale_record(self, noted: list[tuple[str, int, int]], message: str) -> dict:
        """The record a refused UPDATE or DELETE was for (the ORM names its table: "UPDATE statement on table 'x'
        expected to update 1 row(s); 0 were matched"): of the records of that table the flush was changing, the
        one whose stored version is no longer the one read; with the changes made to it since."""
        found = re.search(r"table '(\w+)'", message)
        table = Base.metadata.tables.get(found.group(1)) if found else None
        if table is None or "version" not in table.c:
            return {}
        with self.reading() as session:
            for entity, record_id, read in noted:
                if entity != table.name:
                    continue
                now = session.scalar(select(table.c.version).where(table.c.id == record_id))
                if now != read:
                    return dict(entity=entity, record_id=record_id, expected=read, current=now,
                                changes=audit.changes_since(session, entity, record_id, read))
        return {}

    @contextmanager
    def reading(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def cached(self, key: str, stamp: Callable[[Session], object], load: Callable[[Session], T]) -> T:
        """A value loaded once and kept while `stamp` (a cheap query, e.g. count and last update of a table)
        is unchanged, so that a change made on another workstation is seen at the next read."""
        with self.reading() as session:
            current = stamp(session)
            entry = self.cache.get(key)
            if entry is None or entry[0] != current:
                entry = (current, load(session))
                self.cache[key] = entry
        return entry[1]

    def invalidate(self, *keys: str) -> None:
        for key in keys:
            self.cache.pop(key, None)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


_VERSIONS = "envdesk_versions_read"


def _note_versions(session: Session, _flush_context, _instances) -> None:
    """Before each flush, the versioned records about to be changed or deleted and the version each was read at:
    a refused flush has rolled back and forgotten its objects by the time the refusal is handled."""
    noted = session.info.setdefault(_VERSIONS, [])
    for obj in (*session.dirty, *session.deleted):
        state = inspect(obj)
        mapper = state.mapper
        if mapper.version_id_col is None or not isinstance(getattr(obj, "id", None), int):
            continue
        read = state.dict.get(mapper.get_property_by_column(mapper.version_id_col).key)  # the flush's WHERE
        if isinstance(read, int):
            noted.append((mapper.local_table.name, obj.id, read))


def _keep_private(engine) -> None:
    """The embedded database file (and its WAL) readable by its owner only, where the OS allows."""
    path = db.sqlite_path(engine.url)
    if path is None:
        return
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            paths.make_private(file)


def url_label(url: str) -> str:
    try:
        return db.describe(url)
    except db.DatabaseUrlError:
        return url


# What the drivers say (SQLite's result codes' texts; PostgreSQL's SQLSTATE classes) -> the kind of fault.
_FAULTS = (
    ("locked", ("database is locked", "database table is locked", "55P03", "lock timeout")),
    ("read_only", ("readonly database", "read-only", "25006")),
    ("full", ("database or disk is full", "no space left", "disk full", "53100")),
    ("io", ("disk i/o error",)),
    ("busy", ("40P01", "40001", "deadlock detected", "could not serialize")),
    ("lost", ("server closed the connection", "connection already closed", "terminating connection",
              "consuming input failed", "the connection is lost")),
)


def fault(error: Exception) -> str | None:
    """The kind of storage fault an OperationalError is: locked, read_only, full, io, busy (a deadlock or a
    serialization failure) or lost (None: another)."""
    original = getattr(error, "orig", None) or error
    text = f"{original} {getattr(original, 'sqlstate', '') or ''}".lower()
    return next((kind for kind, signs in _FAULTS if any(sign.lower() in text for sign in signs)), None)


def fault_message(error: Exception, url: str) -> str | None:
    """A storage fault in words a clerk can act on; nothing was saved, and nothing was made worse."""
    db_label = url_label(url)
    kind = fault(error)
    if kind == "locked":
        return _("The database {db} is locked by another program (another EnvDesk writing a long import, a backup "
                 "or copying tool) and stayed locked for {seconds} s. Nothing was saved: try again in a moment; "
                 "if it stays locked, close the other program.").format(db=db_label, seconds=db.BUSY_TIMEOUT_S)
    if kind == "read_only":
        return _("The database {db} is read-only: its file, folder or disk cannot be written (a write-protected "
                 "USB stick, a read-only share, or file permissions). Nothing was saved; you can still read and "
                 "print. Ask IT to make it writable.").format(db=db_label)
    if kind == "full":
        return _("The disk holding the database {db} is full. Nothing was saved and the database is intact: free "
                 "some space (for example old backups in {backups}), then try again.").format(
                     db=db_label, backups=paths.backup_dir())
    if kind == "io":
        return _("The disk holding the database {db} reported a read or write error. Nothing was saved. Copy the "
                 "backups folder {backups} somewhere safe and ask IT to check the disk.").format(
                     db=db_label, backups=paths.backup_dir())
    if kind == "busy":
        return _("Another workstation was saving the same records at the same moment. Nothing was saved: try "
                 "again.")
    if kind == "lost":
        return _("The connection to the database server {db} was lost. Nothing was saved: check the network and "
                 "try again.").format(db=db_label)
    return None


def first_line(error: Exception) -> str:
    """The first line of a database driver's message (the rest is its hints and context)."""
    original = getattr(error, "orig", None) or error
    return str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__


def open_workspace(url: str | None = None, **kwargs) -> Workspace:
    """Open (and migrate) the database the user asked for, the configured one, or the embedded one."""
    from envdesk import settings

    return Workspace(db.resolve_url(url, settings.local_value(settings.DATABASE_URL)), **kwargs)
