"""Consistent copies of the embedded SQLite database (online backup API) and their restoration."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from envdesk import paths
from envdesk.domain.progress import Cancelled, Progress
from envdesk.i18n import _
from envdesk.store.db import APPLICATION_ID, parse_url, sqlite_path

_PAGES_PER_STEP = 256


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why in one line."""


def database_file(engine: Engine) -> Path:
    url = engine.url if engine.url else parse_url(str(engine.url))
    path = sqlite_path(url)
    if path is None:
        raise BackupError(_("Backups are made of the embedded database; back up a server database with pg_dump."))
    return path


def _copy(source: sqlite3.Connection, target_path: Path, progress: Progress | None) -> None:
    """sqlite3's online backup: a consistent snapshot even while other connections write."""
    target = sqlite3.connect(target_path)
    try:
        def report(status: int, remaining: int, total: int) -> None:
            if progress is not None:
                if progress.total != total:
                    progress.start(total, _("Copying the database"))
                progress.step(progress.total - remaining - progress.done)

        source.backup(target, pages=_PAGES_PER_STEP, progress=report)
        # A backup is a single self-contained file, never a WAL database with side files.
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()


def verify(path: Path) -> str:
    """The schema revision of an intact EnvDesk database file; BackupError for anything else."""
    if not path.is_file():
        raise BackupError(_("No such file: {path}").format(path=path))
    with path.open("rb") as f:
        header = f.read(16)
    if header != b"SQLite format 3\x00":
        raise BackupError(_("{path} is not an EnvDesk backup (not a database file).").format(path=path))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        has_schema = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()[0]
        if app_id != APPLICATION_ID or not has_schema:
            raise BackupError(_("{path} is not an EnvDesk backup (a database of another program).").format(path=path))
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(_("{path} is damaged: {detail}").format(path=path, detail=result))
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(_("{path} cannot be read: {detail}").format(path=path, detail=exc)) from None
    finally:
        conn.close()


def backup_file(source_path: Path, target: Path, progress: Progress | None = None) -> Path:
    """Copy the database at `source_path` to `target`, verified; a partial copy never stays behind."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    source = sqlite3.connect(source_path)
    try:
        _copy(source, tmp, progress)
        verify(tmp)
        paths.make_private(tmp)  # a backup holds everything the database holds
        os.replace(tmp, target)
    except (Cancelled, BackupError, sqlite3.Error, OSError):
        tmp.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    return target


def backup_engine(engine: Engine, target: Path, progress: Progress | None = None) -> Path:
    return backup_file(database_file(engine), target, progress)


def restore_file(backup_path: Path, database_path: Path, keep_old_as: Path,
                 migrate: Callable[[], object] | None = None) -> None:
    """Replace the database's content with a verified backup; the old database is kept at `keep_old_as`."""
    verify(Path(backup_path))
    if database_path.exists():
        try:
            backup_file(database_path, keep_old_as)
        except (BackupError, sqlite3.Error, OSError):
            # Too damaged to copy as a database: kept byte for byte (with its journal), and a new file made.
            for suffix in ("", "-wal", "-shm"):
                part = database_path.with_name(database_path.name + suffix)
                if part.exists():
                    os.replace(part, keep_old_as.with_name(keep_old_as.name + suffix))
    source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    target = sqlite3.connect(database_path)
    try:
        source.backup(target)
        target.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        target.commit()
    finally:
        source.close()
        target.close()
    if migrate is not None:
        migrate()


def dump_server(engine: Engine, target: Path) -> Path:
    """A plain-SQL dump of a PostgreSQL database with pg_dump (the PostgreSQL client tools must be installed)."""
    import shutil
    import subprocess

    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError(_("The server database must be backed up before it is upgraded, and pg_dump (the "
                            "PostgreSQL client tools) is not installed on this workstation. Install it, or back "
                            "the database up on the server and upgrade from a workstation that has it."))
    url = engine.url.set(drivername="postgresql")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    env = {"PGPASSWORD": url.password or ""}
    command = [pg_dump, "--no-owner", "--file", str(tmp), "--host", url.host or "localhost",
               "--port", str(url.port or 5432), "--username", url.username or "", url.database or ""]
    import os

    result = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True)
    if result.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise BackupError(_("pg_dump could not back up the server database: {reason}").format(
            reason=(result.stderr.strip().splitlines() or ["?"])[-1]))
    paths.make_private(tmp)
    os.replace(tmp, target)
    return target
