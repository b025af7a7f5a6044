"""Storage faults on the embedded database: locked by another program, read-only, a full disk. Each gets a message
naming the database and what to do; nothing is saved, nothing is made worse, and work goes on once it is cured."""

import sqlite3

import pytest
from sqlalchemy import event, text

from envdesk.app import audit, reference
from envdesk.app.access import Principal
from envdesk.app.errors import DatabaseUnavailable
from envdesk.app.workspace import Workspace
from envdesk.store import db


@pytest.fixture
def opened(sqlite_url, monkeypatch):
    monkeypatch.setattr(db, "BUSY_TIMEOUT_S", 0.2)
    with Workspace(sqlite_url, user=Principal.trusted("王芳")) as ws:
        reference.save_department(ws, None, "办公室")
        yield ws


def departments(ws) -> list[str]:
    return [d.name_zh for d in reference.list_departments(ws)]


def intact(ws) -> bool:
    with ws.engine.connect() as connection:
        return connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def refused(ws, kind: str) -> str:
    with pytest.raises(DatabaseUnavailable) as caught:
        reference.save_department(ws, None, "监测站")
    assert caught.value.fault == kind
    assert str(db.sqlite_path(ws.engine.url)) in str(caught.value)
    return str(caught.value)


def on_connect(ws, statement: str):
    def run(connection, _record):
        connection.execute(statement)

    event.listen(ws.engine, "connect", run)
    ws.engine.dispose()  # new connections from now on
    return lambda: (event.remove(ws.engine, "connect", run), ws.engine.dispose())


def test_locked_by_another_program(opened):
    other = sqlite3.connect(db.sqlite_path(opened.engine.url), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        message = refused(opened, "locked")
        assert "locked by another program" in message and "Nothing was saved" in message
    finally:
        other.execute("ROLLBACK")
        other.close()
    reference.save_department(opened, None, "监测站")
    assert departments(opened) == ["办公室", "监测站"] and intact(opened)


def test_read_only(opened):
    cure = on_connect(opened, "PRAGMA query_only = ON")
    message = refused(opened, "read_only")
    assert "read-only" in message and "you can still read" in message
    assert departments(opened) == ["办公室"]  # reading goes on
    cure()
    reference.save_department(opened, None, "监测站")
    assert departments(opened) == ["办公室", "监测站"]


def test_a_full_disk(opened):
    def no_room(connection, _record):
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(opened.engine, "connect", no_room)
    opened.engine.dispose()
    with pytest.raises(DatabaseUnavailable) as caught:
        for n in range(500):  # until the last page is used
            reference.save_department(opened, None, f"{'部门' * 45}{n}")
    assert caught.value.fault == "full" and "is full" in str(caught.value) and "backups" in str(caught.value)
    saved = departments(opened)
    event.remove(opened.engine, "connect", no_room)
    opened.engine.dispose()
    assert intact(opened) and departments(opened) == saved  # the refused save left nothing half-written
    assert audit.verify(opened).ok
    reference.save_department(opened, None, "监测站")
    assert departments(opened)[-1] == "监测站"


def test_a_fault_at_start_is_named_and_offers_no_restore(sqlite_url, monkeypatch):
    Workspace(sqlite_url).close()
    monkeypatch.setattr(db, "BUSY_TIMEOUT_S", 0.2)
    other = sqlite3.connect(db.sqlite_path(db.parse_url(sqlite_url)), isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("PRAGMA journal_mode = DELETE")  # a tool that took the whole file
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(DatabaseUnavailable) as caught:
            Workspace(sqlite_url)
        assert caught.value.fault == "locked" and "locked by another program" in str(caught.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
