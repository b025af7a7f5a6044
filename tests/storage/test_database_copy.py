"""Moving a bureau's data to another database (`envdesk db copy`): everything, verified, into an empty target only."""

from __future__ import annotations

import pytest

from envdesk.app import audit, complaints, database, reference, users
from envdesk.app.access import Principal
from envdesk.app.complaints import ComplaintFilter
from envdesk.app.errors import AppError, PermissionDenied
from envdesk.app.workspace import Workspace
from envdesk.cli import main
from envdesk.domain.users import Role


def _fingerprint(ws: Workspace) -> dict[str, tuple[int, str]]:
    return {t.name: database._checksum(ws, t) for t in database._tables()}


def _copied(url: str) -> Workspace:
    return Workspace(url, user=Principal.trusted("checker"))


@pytest.fixture
def target_url(tmp_path):
    return f"sqlite:///{tmp_path / 'copy.sqlite3'}"


def test_everything_is_copied_verified_and_usable(demo_ws, target_url):
    report = database.copy_to(demo_ws, target_url)
    assert report.rows > 10_000 and {t.name for t in report.tables} >= {"complaint", "approval", "audit_log"}
    copy = _copied(target_url)
    try:
        original, copied = _fingerprint(demo_ws), _fingerprint(copy)
        # Only the trail differs: the copy itself is its original's newest entry.
        assert {name for name in original if original[name] != copied[name]} == {"audit_log", "audit_head"}
        assert copied["audit_log"][0] == original["audit_log"][0] - 1
        assert audit.verify(copy).ok
        # The search index is made for the copy: the same complaints are found.
        for word in ("噪声", "油烟"):
            f = ComplaintFilter(text=word)
            assert complaints.count_complaints(copy, f) == complaints.count_complaints(demo_ws, f) > 0
        # The accounts came along, and new records get new ids.
        assert users.log_in(copy, "viewer", "envdesk-demo").login == "viewer"
        copy.user = Principal.trusted("checker")
        added, _changes = reference.save_department(copy, None, "新设科室")
        assert added.id > max(d.id for d in reference.list_departments(demo_ws))
    finally:
        copy.close()
    # The copy is in the original's trail.
    assert any(e.action == "export" and e.entity == "database" for e in audit.entries(demo_ws, limit=5))


def test_a_target_holding_data_is_refused_untouched(demo_ws, target_url):
    other = _copied(target_url)
    reference.save_department(other, None, "已有科室")
    before = _fingerprint(other)
    with pytest.raises(AppError, match="already holds data"):
        database.copy_to(demo_ws, target_url)
    assert _fingerprint(other) == before
    other.close()


def test_only_an_administrator_copies(demo_ws, target_url):
    demo_ws.user = Principal.trusted("viewer", [Role.READ_ONLY])
    with pytest.raises(PermissionDenied):
        database.copy_to(demo_ws, target_url)


@pytest.mark.postgres
def test_to_the_server_and_back(demo_ws, pg_url, tmp_path):
    """A workstation's data to the office server, then the server's back to a file: nothing changes on the way."""
    database.copy_to(demo_ws, pg_url)
    server = _copied(pg_url)
    try:
        assert audit.verify(server).ok
        f = ComplaintFilter(text="噪声")
        assert complaints.count_complaints(server, f) == complaints.count_complaints(demo_ws, f) > 0
        reference.save_department(server, None, "服务器上新设")  # the server's sequences follow the copied ids
        back_url = f"sqlite:///{tmp_path / 'back.sqlite3'}"
        database.copy_to(server, back_url)
        back = _copied(back_url)
        original, returned = _fingerprint(demo_ws), _fingerprint(back)
        for name in ("complaint", "approval", "letter", "task", "enterprise", "app_user", "setting"):
            assert returned[name] == original[name], name
        assert returned["department"][0] == original["department"][0] + 1
        assert audit.verify(back).ok
        back.close()
    finally:
        server.close()


def test_the_command(capsys, demo_template, tmp_path, monkeypatch):
    import shutil

    source = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, source)
    monkeypatch.setenv("ENVDESK_USER", "admin")
    monkeypatch.setenv("ENVDESK_PASSWORD", "envdesk-demo")
    target = f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    assert main(["--db", f"sqlite:///{source}", "db", "copy", "--to", target]) == 0
    assert "verified" in capsys.readouterr().out
    assert main(["--db", f"sqlite:///{source}", "db", "copy", "--to", target]) == 2
    assert "already holds data" in capsys.readouterr().err
    monkeypatch.delenv("ENVDESK_USER")
    fresh = tmp_path / "fresh.sqlite3"
    assert main(["--db", f"sqlite:///{fresh}", "db", "init"]) == 0
    assert "schema" in capsys.readouterr().out and fresh.exists()
