"""Schema migrations: a new database, an old one upgraded with a backup first, and ones we must refuse."""

import sqlite3

import pytest
from sqlalchemy import create_engine, text

from envdesk.app.access import Principal
from envdesk.app.errors import DatabaseUnavailable
from envdesk.app.workspace import Workspace
from envdesk.store import db, migrate

TESTER = Principal.trusted("tester")


def test_new_database_is_created_at_head(db_url):
    ws = Workspace(db_url, user=TESTER)
    try:
        assert migrate.current_revision(ws.engine) == migrate.head_revision()
        assert ws.migration.from_revision is None
        assert ws.migration.backup_path is None
    finally:
        ws.close()


def test_sqlite_file_is_marked_and_uses_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "x.sqlite3"
    ws = Workspace(db.sqlite_url(path), user=TESTER)
    with ws.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    ws.close()
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID
    raw.close()


def test_database_from_the_first_migration_upgrades_with_nothing_lost(tmp_path, envdesk_home):
    url = db.sqlite_url(tmp_path / "old.sqlite3")
    engine = db.make_engine(url)
    migrate.upgrade(engine, tmp_path / "unused", revision="0001")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO department (name_zh, name_en, sort_order, active, version, created_at, updated_at) "
            "VALUES ('办公室', 'Office', 1, 1, 1, '2025-01-01 00:00:00', '2025-01-01 00:00:00')"))
    engine.dispose()

    ws = Workspace(url, user=TESTER)
    try:
        assert ws.migration.from_revision == "0001"
        assert ws.migration.to_revision == migrate.head_revision()
        assert ws.migration.backup_path is not None and ws.migration.backup_path.exists()
        assert ws.migration.backup_path.parent == envdesk_home / "data" / "backups"
        from envdesk.app import reference

        assert [d.name_zh for d in reference.list_departments(ws)] == ["办公室"]
        from envdesk.app import calendar

        assert calendar.years(ws)  # the table added by a later migration is there
    finally:
        ws.close()
    # The backup is the database as it was before the upgrade.
    saved = sqlite3.connect(ws.migration.backup_path)
    assert saved.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    saved.close()


def test_database_from_a_newer_envdesk_is_refused_untouched(tmp_path):
    url = db.sqlite_url(tmp_path / "newer.sqlite3")
    Workspace(url, user=TESTER).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(DatabaseUnavailable, match="newer EnvDesk"):
        Workspace(url, user=TESTER)
    raw = sqlite3.connect(tmp_path / "newer.sqlite3")
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9999"
    raw.close()


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "foreign.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    raw.close()
    with pytest.raises(DatabaseUnavailable, match="not made by EnvDesk"):
        Workspace(db.sqlite_url(path), user=TESTER)


@pytest.mark.parametrize("url, message", [
    ("nonsense", "Not a database URL"),
    ("mysql://localhost/x", "Unsupported database"),
    ("sqlite:////no/such/folder/x.sqlite3", "folder for the database does not exist"),
    ("postgresql+psycopg://nobody:wrong@127.0.0.1:1/none", "Cannot open the database"),
])
def test_unusable_urls_give_one_clear_message(url, message):
    with pytest.raises(DatabaseUnavailable, match=message) as info:
        Workspace(url, user=TESTER)
    assert "\n" not in str(info.value)


def test_corrupt_file_gives_a_clear_message(tmp_path):
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseUnavailable, match="cannot be used|Cannot open"):
        Workspace(db.sqlite_url(path), user=TESTER)


def test_head_constant_matches_the_migration_scripts():
    """HEAD lets a current database open without importing Alembic; it must name the real head."""
    assert migrate.HEAD == migrate.head_revision()


def test_models_and_migrations_agree(tmp_path):
    """A model changed without a migration (or the reverse) would make new and upgraded databases differ."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from envdesk.store.schema import Base, include_name

    ws = Workspace(db.sqlite_url(tmp_path / "drift.sqlite3"), user=TESTER)
    try:
        with ws.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
            diff = compare_metadata(context, Base.metadata)
    finally:
        ws.close()
    assert diff == []


def test_a_refused_file_is_left_byte_for_byte_as_it_was(tmp_path):
    path = tmp_path / "foreign.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseUnavailable):
        Workspace(db.sqlite_url(path), user=TESTER)
    assert path.read_bytes() == before
    assert not (tmp_path / "foreign.sqlite3-wal").exists()


def test_a_server_database_is_dumped_before_it_is_upgraded(pg_url, tmp_path):
    """PostgreSQL too: an upgrade starts with a backup (pg_dump), or does not start."""
    import shutil

    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    engine = db.make_engine(pg_url)
    migrate.upgrade(engine, tmp_path, revision="0001")
    result = migrate.upgrade(engine, tmp_path)
    engine.dispose()
    assert result.backup_path is not None and result.backup_path.suffix == ".sql"
    assert "CREATE TABLE public.department" in result.backup_path.read_text(encoding="utf-8")
