"""Backing up and restoring the embedded database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from envdesk import paths
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace
from envdesk.domain.progress import Progress
from envdesk.i18n import _
from envdesk.store import backup as store_backup
from envdesk.store import db, migrate


def default_backup_name() -> str:
    return f"envdesk-{datetime.now().strftime('%Y%m%d-%H%M%S')}.sqlite3"


def backup(ws: Workspace, target: Path, progress: Progress | None = None) -> Path:
    """A consistent, verified copy of the open database, even while other windows write to it."""
    try:
        return store_backup.backup_engine(ws.engine, Path(target), progress)
    except store_backup.BackupError as error:
        raise AppError(str(error)) from None
    except OSError as error:
        raise AppError(_("Cannot write the backup {file}: {reason}").format(file=target, reason=error)) from None


def restore(url: str, source: Path) -> Path:
    """Replace the embedded database with a backup; returns where the previous database was kept."""
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
    return kept
