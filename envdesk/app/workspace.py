"""An open EnvDesk database: engine, migrated schema, and the transactions use cases run in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

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
            raise DatabaseUnavailable(
                _("Cannot open the database {db}: {reason}").format(db=url_label(url), reason=_first_line(error))
            ) from None
        except sa_exc.DatabaseError as error:
            raise DatabaseUnavailable(
                _("The database {db} cannot be used: {reason}").format(db=url_label(url), reason=_first_line(error))
            ) from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        audit.install(self._sessions)
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
        except StaleDataError:
            session.rollback()
            raise ConflictError(
                _("Someone else changed this record after you opened it. Nothing was overwritten: "
                  "reload it and apply your change again.")) from None
        except sa_exc.IntegrityError:
            # Two workstations took the same number (a case, a letter, an approval No.) at the same moment: the
            # database kept one; the other is refused, whole, and simply saved again.
            session.rollback()
            raise ConflictError(
                _("Someone else saved a record with the same number at the same moment. Nothing was saved: "
                  "try again.")) from None
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

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


def _first_line(error: Exception) -> str:
    original = getattr(error, "orig", None) or error
    return str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__


def open_workspace(url: str | None = None, **kwargs) -> Workspace:
    """Open (and migrate) the database the user asked for, the configured one, or the embedded one."""
    from envdesk import settings

    return Workspace(db.resolve_url(url, settings.local_value(settings.DATABASE_URL)), **kwargs)
