"""Backing up and restoring the embedded database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from envdesk import paths
from envdesk import settings as decl
from envdesk.app import audit
from envdesk.app.access import Principal, check, open_to_all, requires
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace
from envdesk.domain.progress import Progress
from envdesk.domain.users import Permission
from envdesk.i18n import N_, _
from envdesk.store import backup as store_backup
from envdesk.store import db, migrate


def default_backup_name() -> str:
    return f"envdesk-{datetime.now().strftime('%Y%m%d-%H%M%S')}.sqlite3"


AUTOMATIC_PREFIX = "auto-"


def automatic_backups() -> list[Path]:
    """The automatic backups in the backups folder, oldest first."""
    return sorted(paths.backup_dir().glob(f"{AUTOMATIC_PREFIX}*.sqlite3"))


@open_to_all  # the workstation's own safety copy, kept owner-only in its data directory; nobody's request
def automatic_backup(ws: Workspace, now: datetime | None = None) -> Path | None:
    """Once a day (setting backup/daily), a verified copy of the embedded database into the backups folder; the
    oldest beyond backup/keep are removed. None when not due, switched off, or the database is a server (whose
    backups are the server's administrator's: pg_dump)."""
    if ws.dialect != "sqlite" or not decl.local_value(decl.AUTO_BACKUP):
        return None
    now = now or datetime.now()
    for stale in paths.backup_dir().glob(f"{AUTOMATIC_PREFIX}*.part"):  # a copy cut short (power loss, kill)
        stale.unlink(missing_ok=True)
    existing = automatic_backups()
    if existing and existing[-1].name >= f"{AUTOMATIC_PREFIX}{now:%Y%m%d}":
        return None
    try:
        written = store_backup.backup_engine(ws.engine, paths.backup_dir() / f"{AUTOMATIC_PREFIX}{now:%Y%m%d-%H%M%S}"
                                                                              ".sqlite3")
    except (store_backup.BackupError, OSError) as error:
        raise AppError(_("The daily backup could not be written: {reason}").format(reason=error)) from None
    keep = int(decl.local_value(decl.AUTO_BACKUP_KEEP))
    for old in automatic_backups()[:-keep]:
        old.unlink(missing_ok=True)
    audit.log(ws, "backup", label=written.name, detail=N_("daily automatic backup"))
    return written


@requires(Permission.BACKUP)
def backup(ws: Workspace, target: Path, progress: Progress | None = None) -> Path:
    """A consistent, verified copy of the open database, even while other windows write to it."""
    try:
        written = store_backup.backup_engine(ws.engine, Path(target), progress)
        audit.log(ws, "backup", label=written.name)
        return written
    except store_backup.BackupError as error:
        raise AppError(str(error)) from None
    except OSError as error:
        raise AppError(_("Cannot write the backup {file}: {reason}").format(file=target, reason=error)) from None


@open_to_all  # checked inside: an administrator of the current database, unless it cannot be opened at all
def restore(url: str, source: Path, ws: Workspace | None) -> Path:
    """Replace the embedded database with a backup; returns where the previous database was kept.

    `ws` is the current database with its user signed in, who needs the permission to restore; None only when
    the current database cannot be opened (damaged, foreign), which is when a restore is most needed. The
    restored database's audit trail records who restored it, from which file."""
    restored_by = "—"
    if ws is not None:
        restored_by = check(ws, Permission.BACKUP).name
    parsed = db.parse_url(url)
    database = db.sqlite_path(parsed)
    if database is None:
        raise AppError(_("Only the embedded database can be restored from a backup file."))
    kept = paths.backup_dir() / f"before-restore-{datetime.now().strftime('%Y%m%d-%H%M%S')}.sqlite3"

    def migrate_restored() -> None:
        engine = db.make_engine(url)
        try:
            migrate.upgrade(engine, paths.backup_dir())
        finally:
            engine.dispose()

    try:
        revision = store_backup.verify(Path(source))
        if revision not in migrate.known_revisions():
            raise AppError(_("{file} was made by a newer EnvDesk (schema {revision}); it cannot be restored here.")
                           .format(file=source, revision=revision))
        store_backup.restore_file(Path(source), database, kept, migrate_restored)
    except store_backup.BackupError as error:
        raise AppError(str(error)) from None
    with Workspace(url, user=Principal.trusted(restored_by, roles=())) as restored:
        audit.log(restored, "restore", label=Path(source).name, detail=kept.name)
    return kept
