"""Bring a database to the schema this EnvDesk expects, backing it up first when it already holds data.

Alembic is imported only when a migration is due: a database already at HEAD opens without it,
which keeps it off the start-up path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from envdesk.i18n import _
from envdesk.store import backup
from envdesk.store.db import APPLICATION_ID

# The newest revision under migrations/versions; a test keeps it equal to Alembic's head.
HEAD = "0008"

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Two workstations starting together against one server must not both migrate.
_PG_LOCK_KEY = 0x456E7644


class SchemaError(Exception):
    """The database cannot be used by this EnvDesk: newer, foreign, or damaged. One-line message."""


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup_path: Path | None


def _config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database, or None for a database without EnvDesk's schema."""
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError):
            return None


def check_schema(engine: Engine) -> str | None:
    """The database's revision; SchemaError if it is from a newer EnvDesk or not EnvDesk's at all."""
    revision = current_revision(engine)
    if revision == HEAD:
        return revision
    if revision is None:
        tables = set(inspect(engine).get_table_names())
        if tables - {"alembic_version"}:
            raise SchemaError(_("This database was not made by EnvDesk (it has tables but no EnvDesk schema)."))
        return None
    if revision not in known_revisions():
        raise SchemaError(
            _("This database was made by a newer EnvDesk (schema {revision}); install the newer EnvDesk to open it.")
            .format(revision=revision))
    return revision


def upgrade(engine: Engine, backup_dir: Path, revision: str = "head") -> MigrationResult:
    """Migrate to `revision` (head by default). An existing SQLite database is backed up first."""
    start = check_schema(engine)
    target = HEAD if revision == "head" else revision
    if start == target:
        return MigrationResult(start, target, None)
    from alembic import command

    saved = None
    if start is not None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        name = f"before-upgrade-{start}-to-{target}-{stamp}"
        try:
            if engine.dialect.name == "sqlite":
                saved = backup.backup_engine(engine, backup_dir / f"{name}.sqlite3")
            else:
                saved = backup.dump_server(engine, backup_dir / f"{name}.sql")
        except backup.BackupError as error:
            raise SchemaError(str(error)) from None
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        cfg = _config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    return MigrationResult(start, target, saved)
