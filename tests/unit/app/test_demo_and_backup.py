"""Demo data is realistic and reproducible; backups are consistent and restores careful."""

import sqlite3
from pathlib import Path

import pytest

from envdesk.app import backup, demo, reference
from envdesk.app.access import Principal
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace
from envdesk.domain.progress import Cancelled, Progress

TESTER = Principal.trusted("tester")


def test_demo_is_reproducible(tmp_path):
    names = []
    for n in (1, 2):
        ws = Workspace(f"sqlite:///{tmp_path / f'demo{n}.sqlite3'}", user=TESTER)
        demo.fill(ws, "small")
        names.append([s.name for s in reference.list_staff(ws)])
        ws.close()
    assert names[0] == names[1]
    assert len(set(names[0])) == len(names[0])


def test_demo_refuses_a_database_with_data(demo_ws):
    with pytest.raises(AppError, match="already holds data"):
        demo.fill(demo_ws, "small")


def test_demo_refuses_unknown_size(ws):
    with pytest.raises(AppError, match="Unknown demo size"):
        demo.fill(ws, "huge")


def test_backup_while_another_connection_writes(demo_ws, tmp_path):
    import threading

    writer = sqlite3.connect(demo_ws.engine.url.database, check_same_thread=False)
    writer.execute("BEGIN")
    writer.execute("UPDATE town SET name_en = 'uncommitted'")
    # The copy is taken while the other transaction is open; the backup's audit entry then waits for it to end.
    threading.Timer(0.5, writer.rollback).start()
    target = backup.backup(demo_ws, tmp_path / "b.sqlite3")
    writer.close()
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT count(*) FROM staff").fetchone()[0] == reference.counts(demo_ws)["staff"]
    assert copy.execute("SELECT count(*) FROM town WHERE name_en = 'uncommitted'").fetchone()[0] == 0
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copy.close()


def test_cancelled_backup_leaves_nothing(demo_ws, tmp_path):
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        backup.backup(demo_ws, tmp_path / "c.sqlite3", progress)
    assert list(tmp_path.glob("c.sqlite3*")) == []


def test_restore_brings_back_the_backup_and_keeps_the_old_database(demo_ws, tmp_path, envdesk_home):
    newcomer, _ = reference.save_staff(demo_ws, None, "新来的人")
    saved = backup.backup(demo_ws, tmp_path / "b.sqlite3")
    staff = reference.list_staff(demo_ws)
    reference.delete_staff(demo_ws, newcomer.id)
    url = demo_ws.url
    demo_ws.close()
    kept = backup.restore(url, saved, demo_ws)
    assert kept.exists() and kept.parent == envdesk_home / "data" / "backups"
    reopened = Workspace(url, user=TESTER)
    assert len(reference.list_staff(reopened)) == len(staff)
    reopened.close()
    old = sqlite3.connect(kept)
    assert old.execute("SELECT count(*) FROM staff").fetchone()[0] == len(staff) - 1
    old.close()


@pytest.mark.parametrize("content, message", [
    (b"hello", "not an EnvDesk backup"),
    (None, "another program"),
])
def test_restore_refuses_a_file_that_is_not_an_envdesk_backup(ws, tmp_path, content, message):
    bogus = tmp_path / "bogus.sqlite3"
    if content is None:
        raw = sqlite3.connect(bogus)
        raw.execute("CREATE TABLE t (x)")
        raw.commit()
        raw.close()
    else:
        bogus.write_bytes(content)
    from envdesk.app import settings as settings_app

    settings_app.set_value(ws, "bureau/name_zh", "原有局")
    with pytest.raises(AppError, match=message):
        backup.restore(ws.url, bogus, ws)
    assert reference.get_bureau(ws).name_zh == "原有局"


def test_restore_refuses_missing_file(ws, tmp_path):
    with pytest.raises(AppError, match="No such file"):
        backup.restore(ws.url, Path(tmp_path / "missing.sqlite3"), ws)


def test_backup_of_a_server_database_is_refused_clearly(any_ws, tmp_path):
    if any_ws.dialect == "sqlite":
        pytest.skip("only for a server")
    with pytest.raises(AppError, match="pg_dump"):
        backup.backup(any_ws, tmp_path / "x.sqlite3")


def test_the_daily_backup_is_made_once_a_day_verified_and_rotated(ws, envdesk_home):
    from datetime import datetime, timedelta

    from envdesk import settings
    from envdesk.store import backup as store_backup

    reference.save_staff(ws, None, "值班员")
    first = backup.automatic_backup(ws, now=datetime(2026, 11, 20, 8, 30))
    assert first is not None and first.parent == envdesk_home / "data" / "backups"
    assert store_backup.verify(first)  # an intact EnvDesk database
    copy = sqlite3.connect(first)
    assert copy.execute("SELECT name FROM staff").fetchall() == [("值班员",)]
    copy.close()
    assert backup.automatic_backup(ws, now=datetime(2026, 11, 20, 17, 0)) is None  # once a day
    settings.set_local_value(settings.AUTO_BACKUP_KEEP, 3)
    (envdesk_home / "data" / "backups" / "auto-20261120-090000.part").write_bytes(b"cut short")
    for day in range(1, 6):
        assert backup.automatic_backup(ws, now=datetime(2026, 11, 20, 9) + timedelta(days=day)) is not None
    assert [p.name[5:13] for p in backup.automatic_backups()] == ["20261123", "20261124", "20261125"]
    assert not list((envdesk_home / "data" / "backups").glob("*.part"))
    settings.set_local_value(settings.AUTO_BACKUP, False)
    assert backup.automatic_backup(ws, now=datetime(2026, 12, 1, 9)) is None
