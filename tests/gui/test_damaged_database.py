"""A database file that cannot be opened: a clear message, and the latest automatic backup offered; the damaged
file is never made worse and is kept."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtWidgets import QMessageBox

from envdesk.app import backup, reference
from envdesk.app.access import Principal
from envdesk.app.workspace import Workspace
from envdesk.ui import application


@pytest.fixture
def damaged(tmp_path, envdesk_home):
    """A database with a department and its daily backup, then cut in half (a disk error, a copy cut short)."""
    path = tmp_path / "office.sqlite3"
    ws = Workspace(f"sqlite:///{path}", user=Principal.trusted("setup"))
    reference.save_department(ws, None, "办公室")
    backup.automatic_backup(ws, now=datetime(2026, 11, 24, 9))
    ws.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\x00" * 400 + data[len(data) // 2:])
    return path


@pytest.fixture
def boxes(monkeypatch):
    shown = {"critical": [], "question": [], "information": []}

    def record(kind, answer=None):
        def show(parent, title, text, *args, **kwargs):
            shown[kind].append(text)
            return answer
        return show

    monkeypatch.setattr(QMessageBox, "critical", record("critical"))
    monkeypatch.setattr(QMessageBox, "information", record("information"))
    monkeypatch.setattr(application, "sign_in_at_start", lambda ws: False)  # stop once the database opened
    return shown, record


def test_the_latest_automatic_backup_is_offered_and_restored(qtbot, damaged, boxes, monkeypatch, envdesk_home):
    shown, record = boxes
    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.Yes))
    assert application.run(f"sqlite:///{damaged}") == 0
    assert "cannot be used" in shown["question"][0] or "Cannot open" in shown["question"][0]
    assert "Restore the latest automatic backup, made 20" in shown["question"][0]
    assert shown["information"] and not shown["critical"]
    ws = Workspace(f"sqlite:///{damaged}", user=Principal.trusted("checker"))
    assert [d.name_zh for d in reference.list_departments(ws)] == ["办公室"]
    ws.close()
    assert list((envdesk_home / "data" / "backups").glob("before-restore-*.sqlite3"))  # the damaged file, kept


def test_declining_leaves_the_damaged_file_as_it_was(qtbot, damaged, boxes, monkeypatch):
    shown, record = boxes
    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.No))
    before = damaged.read_bytes()
    assert application.run(f"sqlite:///{damaged}") == 2
    assert damaged.read_bytes() == before


def test_without_a_backup_the_message_is_all(qtbot, damaged, boxes, monkeypatch, envdesk_home):
    shown, record = boxes
    for copy in backup.automatic_backups():
        copy.unlink()
    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.Yes))
    before = damaged.read_bytes()
    assert application.run(f"sqlite:///{damaged}") == 2
    assert shown["critical"] and not shown["question"] and damaged.read_bytes() == before


def test_a_locked_read_only_or_full_database_is_named_and_no_backup_is_offered(qtbot, damaged, boxes):
    """Restoring a backup cures a damaged file, not a lock, a write-protected disk or a full one."""
    from envdesk.app.errors import DatabaseUnavailable

    shown, _record = boxes
    error = DatabaseUnavailable("The database office.sqlite3 is locked by another program.", "locked")
    assert application._offer_restore(f"sqlite:///{damaged}", error) is None
    assert shown["critical"] == [str(error)] and not shown["question"]
