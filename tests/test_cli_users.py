"""Accounts, roles, privacy and the audit trail through the `envdesk` command, on a copy of the demo database
(accounts admin, leader, complaints, approvals, liaison, office, viewer; one role each)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess

import pytest

from envdesk.cli import main

PASSWORD = "envdesk-demo"


@pytest.fixture
def demo_db(tmp_path, demo_template):
    target = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, target)
    return target


@pytest.fixture
def complainant(demo_db):
    """A complaint with a named complainant: (number, name, phone)."""
    raw = sqlite3.connect(demo_db)
    row = raw.execute("SELECT number, complainant_name, complainant_phone FROM complaint WHERE anonymous = 0 "
                      "AND complainant_name != '' AND complainant_phone != '' ORDER BY id LIMIT 1").fetchone()
    raw.close()
    return row


def as_user(monkeypatch, login, password=PASSWORD):
    monkeypatch.setenv("ENVDESK_USER", login)
    monkeypatch.setenv("ENVDESK_PASSWORD", password)


def run(capsys, db, *args):
    status = main(["--db", f"sqlite:///{db}", *args])
    out, err = capsys.readouterr()
    return status, out, err


def pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def audit_rows(db, action):
    raw = sqlite3.connect(db)
    rows = raw.execute("SELECT user_name, entity, label, detail, changes FROM audit_log WHERE action = ? "
                       "ORDER BY seq", (action,)).fetchall()
    raw.close()
    return rows


def test_a_database_with_accounts_asks_who_runs_the_command(capsys, demo_db):
    status, out, err = run(capsys, demo_db, "export", "staff", "-o", "x.csv")
    assert status == 2 and "--user" in err and err.count("\n") == 1


def test_wrong_password_and_unknown_user_get_clear_messages(capsys, demo_db, monkeypatch, tmp_path):
    as_user(monkeypatch, "viewer", "not-the-password")
    status, out, err = run(capsys, demo_db, "export", "staff", "-o", str(tmp_path / "x.csv"))
    assert status == 2 and "Wrong password" in err and "viewer" in err
    as_user(monkeypatch, "nobody")
    status, out, err = run(capsys, demo_db, "export", "staff", "-o", str(tmp_path / "x.csv"))
    assert status == 2 and "no user “nobody”" in err
    assert [row[2] for row in audit_rows(demo_db, "login_failed")] == ["viewer", "nobody"]


def test_read_only_user_exports_and_prints_without_identities(capsys, demo_db, monkeypatch, tmp_path, complainant):
    number, name, phone = complainant
    as_user(monkeypatch, "viewer")
    ledger = tmp_path / "complaints.csv"
    status, out, err = run(capsys, demo_db, "export", "complaints", "-o", str(ledger))
    assert status == 0, err
    text = ledger.read_text(encoding="utf-8-sig")
    assert number in text and name not in text and phone not in text
    status, out, err = run(capsys, demo_db, "export", "complaints", "--include-identity", "-o", str(ledger))
    assert status == 2 and "may not see complainants' identities" in err
    form = tmp_path / "form.pdf"
    status, out, err = run(capsys, demo_db, "print", "complaint-form", "--number", number, "-o", str(form))
    assert status == 0, err
    printed = pdf_text(form)
    assert number in printed and name not in printed and phone not in printed
    assert audit_rows(demo_db, "print")[-1][:3] == ("周查阅 (viewer)", "complaint", number)
    exports = audit_rows(demo_db, "export")
    assert exports[-1][1] == "complaints" and exports[-1][3] == ""  # no identities in it


def test_complaints_clerk_may_include_identities_and_it_is_audited(capsys, demo_db, monkeypatch, tmp_path,
                                                                    complainant):
    number, name, phone = complainant
    as_user(monkeypatch, "complaints")
    ledger = tmp_path / "complaints.csv"
    status, out, err = run(capsys, demo_db, "export", "complaints", "--include-identity", "-o", str(ledger))
    assert status == 0, err
    assert name in ledger.read_text(encoding="utf-8-sig")
    user, entity, label, detail, _changes = audit_rows(demo_db, "export")[-1]
    assert (user, entity, label) == ("王信访 (complaints)", "complaints", "complaints.csv")
    assert detail == "complainants' identities included"
    form = tmp_path / "form.pdf"
    assert run(capsys, demo_db, "print", "complaint-form", "--number", number, "-o", str(form))[0] == 0
    assert name in pdf_text(form)


@pytest.mark.parametrize("login, allowed", [
    ("admin", True), ("leader", False), ("complaints", False), ("approvals", False), ("liaison", False),
    ("office", False), ("viewer", False),
])
def test_only_an_administrator_changes_shared_settings_and_reference_data(capsys, demo_db, monkeypatch, tmp_path,
                                                                           login, allowed):
    as_user(monkeypatch, login)
    status, out, err = run(capsys, demo_db, "config", "set", "complaints/satisfaction_target", "0.9")
    assert (status == 0) is allowed, err
    staff = tmp_path / "staff.csv"
    staff.write_text("姓名,部门\n新来的人,办公室\n", encoding="utf-8")
    status, out, err = run(capsys, demo_db, "import", "staff", str(staff))
    assert (status == 0) is allowed, err
    if not allowed:
        assert "may not" in err and "Administrator" in err
        raw = sqlite3.connect(demo_db)
        assert raw.execute("SELECT count(*) FROM staff WHERE name = '新来的人'").fetchone()[0] == 0
        raw.close()


def test_workstation_sign_in_settings_are_an_administrators(capsys, demo_db, monkeypatch, tmp_path):
    status, out, err = run(capsys, demo_db, "config", "set", "cli/service_user", "admin")
    assert status == 2 and "administrator" in err
    as_user(monkeypatch, "viewer")
    assert run(capsys, demo_db, "users", "workstation", "--service-user", "viewer")[0] == 2
    as_user(monkeypatch, "admin")
    assert run(capsys, demo_db, "users", "workstation", "--service-user", "viewer")[0] == 0
    monkeypatch.delenv("ENVDESK_USER")
    monkeypatch.delenv("ENVDESK_PASSWORD")
    status, out, err = run(capsys, demo_db, "export", "staff", "-o", str(tmp_path / "staff.csv"))
    assert status == 0, err  # as the service user, without a password (embedded database)
    status, out, err = run(capsys, demo_db, "users", "list")
    assert status == 2 and "may not manage users" in err


def test_accounts_from_the_command_line(capsys, demo_db, monkeypatch):
    as_user(monkeypatch, "admin")
    monkeypatch.setenv("ENVDESK_NEW_PASSWORD", "first-password-1")
    status, out, err = run(capsys, demo_db, "users", "add", "Xiaoli", "--name", "小李", "--role", "complaints_clerk",
                           "--role", "leader")
    assert status == 0, err
    out = run(capsys, demo_db, "users", "list")[1]
    line = next(line for line in out.splitlines() if line.startswith("Xiaoli"))
    assert "Leader" in line and "Complaints clerk" in line and "must change password" in line
    status, out, err = run(capsys, demo_db, "users", "add", "xiaoli", "--role", "read_only")
    assert status == 2 and "already taken" in err
    status, out, err = run(capsys, demo_db, "users", "set", "admin", "--role", "leader")
    assert status == 2 and "last active administrator" in err
    as_user(monkeypatch, "xiaoli", "first-password-1")
    status, out, err = run(capsys, demo_db, "export", "staff", "-o", "-")
    assert status == 2 and "temporary password" in err  # an administrator's password is changed first
    monkeypatch.setenv("ENVDESK_NEW_PASSWORD", "second-password-2")
    assert run(capsys, demo_db, "users", "password")[0] == 0
    status, out, err = run(capsys, demo_db, "export", "staff", "-o", "-")
    assert status == 2 and "Wrong password" in err


def test_the_first_account_of_a_new_database_is_the_administrator(capsys, tmp_path, monkeypatch):
    db = tmp_path / "new.sqlite3"
    monkeypatch.setenv("ENVDESK_NEW_PASSWORD", "a-good-password")
    status, out, err = run(capsys, db, "users", "add", "boss", "--role", "leader")
    assert status == 0, err
    status, out, err = run(capsys, db, "users", "list")
    assert status == 2 and "--user" in err  # the set-up is over
    as_user(monkeypatch, "boss", "a-good-password")
    out = run(capsys, db, "users", "list")[1]
    assert out.startswith("boss") and "Administrator" in out and "Leader" in out


def test_audit_verify_passes_then_detects_an_edit_and_a_removal(capsys, demo_db, monkeypatch, tmp_path):
    as_user(monkeypatch, "admin")
    status, out, err = run(capsys, demo_db, "audit", "verify")
    assert status == 0 and "intact" in out, err
    raw = sqlite3.connect(demo_db)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        raw.execute("UPDATE audit_log SET user_name = 'someone else' WHERE seq = 5")
    raw.execute("DROP TRIGGER audit_log_no_update")  # what a tamperer has to do first
    raw.execute("DROP TRIGGER audit_log_no_delete")
    raw.execute("UPDATE audit_log SET user_name = 'someone else' WHERE seq = 5")
    raw.commit()
    status, out, err = run(capsys, demo_db, "audit", "verify")
    assert status == 3 and "entry 5 was changed" in err
    raw.execute("UPDATE audit_log SET user_name = (SELECT user_name FROM audit_log WHERE seq = 4) WHERE seq = 5")
    raw.commit()
    assert run(capsys, demo_db, "audit", "verify")[0] in (0, 3)
    raw.execute("DELETE FROM audit_log WHERE seq = 7")
    raw.commit()
    raw.close()
    status, out, err = run(capsys, demo_db, "audit", "verify")
    assert status == 3 and "entries 7 to 7 are missing" in err
    as_user(monkeypatch, "leader")
    status, out, err = run(capsys, demo_db, "audit", "verify")
    assert status == 2 and "may not view and verify the audit trail" in err


def test_audit_list_and_export(capsys, demo_db, monkeypatch, tmp_path):
    as_user(monkeypatch, "office")
    raw = sqlite3.connect(demo_db)
    plan = raw.execute("SELECT title_zh FROM plan ORDER BY id LIMIT 1").fetchone()[0]
    raw.close()
    assert run(capsys, demo_db, "print", "task-table", "--plan", plan, "-o", str(tmp_path / "t.pdf"))[0] == 0
    as_user(monkeypatch, "admin")
    status, out, err = run(capsys, demo_db, "audit", "list", "--action", "print", "--limit", "5")
    assert status == 0 and "孙办公室 (office)" in out and "task-table" in out
    target = tmp_path / "audit.csv"
    status, out, err = run(capsys, demo_db, "audit", "export", "--user-name", "office", "-o", str(target))
    assert status == 0, err
    text = target.read_text(encoding="utf-8-sig")
    assert "孙办公室 (office)" in text and "Printed" in text
