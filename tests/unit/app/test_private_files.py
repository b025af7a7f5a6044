"""The data directory, the embedded database, attachments, signed scans and backups are owner-only (POSIX)."""

from __future__ import annotations

import os
import stat
import pytest

from envdesk import paths
from envdesk.app import backup

pytestmark = pytest.mark.skipif(os.name != "posix", reason="owner-only modes are POSIX permissions")


def private(path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def test_data_directory_and_database_are_owner_only(ws, envdesk_home):
    assert private(paths.data_dir()) and private(paths.backup_dir())
    from envdesk.store import db

    database = db.sqlite_path(ws.engine.url)
    assert private(database)


def test_backups_are_owner_only(ws, tmp_path):
    written = backup.backup(ws, tmp_path / "copy.sqlite3")
    assert private(written)


def test_complaint_attachments_are_owner_only(demo_ws, tmp_path):
    from envdesk.app import complaints

    photo = tmp_path / "site.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    case = complaints.list_complaints(demo_ws, limit=1)[0]
    updated, _changes = complaints.add_attachment(demo_ws, case.id, photo)
    stored = updated.attachments[-1].path
    assert stored.exists() and private(stored) and private(stored.parent) and private(stored.parent.parent)
