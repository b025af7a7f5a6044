"""Testing a database before using it (Settings → Database): nothing is created or changed, and each finding is
a clear sentence."""

import sqlite3

import pytest
from sqlalchemy.engine import make_url

from envdesk.app import database
from envdesk.app.errors import ValidationError
from envdesk.app.workspace import Workspace


def test_an_empty_database_then_an_up_to_date_one(db_url, tmp_path):
    if db_url.startswith("sqlite"):
        sqlite3.connect(tmp_path / "test.sqlite3").close()  # an empty file, as a new server database is empty
    empty = database.probe(db_url)
    assert empty.ok and "empty" in empty.message and "Connected to" in empty.message
    Workspace(db_url).close()
    ready = database.probe(db_url)
    assert ready.ok and "up to date" in ready.message
    assert ready.server.split()[0] in ("PostgreSQL", "SQLite")


def test_a_file_that_does_not_exist_is_not_created(tmp_path):
    target = tmp_path / "new.sqlite3"
    probe = database.probe(f"sqlite:///{target}")
    assert probe.ok and "no database" in probe.message and not target.exists()
    missing = database.probe(f"sqlite:///{tmp_path / 'nowhere' / 'x.sqlite3'}")
    assert not missing.ok and "folder" in missing.message


def test_what_envdesk_cannot_use(tmp_path):
    assert "Unsupported database" in database.probe("mysql://someone@host/db").message
    foreign = tmp_path / "other.sqlite3"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER)")
    assert "not made by EnvDesk" in database.probe(f"sqlite:///{foreign}").message
    newer = tmp_path / "newer.sqlite3"
    Workspace(f"sqlite:///{newer}").close()
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    probe = database.probe(f"sqlite:///{newer}")
    assert not probe.ok and "newer EnvDesk" in probe.message


@pytest.mark.postgres
def test_a_server_that_refuses_names_the_server_and_the_reason(pg_url):
    wrong = make_url(pg_url).set(password="not-the-password").render_as_string(hide_password=False)
    probe = database.probe(wrong)
    assert not probe.ok and "Cannot connect to" in probe.message and "not-the-password" not in probe.message
    closed = make_url(pg_url).set(port=1).render_as_string(hide_password=False)
    assert "Cannot connect to" in database.probe(closed).message


def test_a_server_url_from_its_parts_names_the_missing_field():
    url = database.server_url("192.168.1.10", 5432, "envdesk", "clerk", "p@ss:word/1")
    parsed = make_url(url)
    assert (parsed.host, parsed.port, parsed.database, parsed.username, parsed.password) == (
        "192.168.1.10", 5432, "envdesk", "clerk", "p@ss:word/1")
    with pytest.raises(ValidationError, match="Server"):
        database.server_url(" ", 5432, "envdesk", "clerk")
    with pytest.raises(ValidationError, match="User"):
        database.server_url("host", 5432, "envdesk", "")
    with pytest.raises(ValidationError, match="Port"):
        database.server_url("host", 0, "envdesk", "clerk")


def test_probing_changes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    Workspace(url).close()
    before = (tmp_path / "db.sqlite3").read_bytes()
    assert database.probe(url).ok
    assert (tmp_path / "db.sqlite3").read_bytes() == before


def test_the_command_checks_without_changing_anything(tmp_path, capsys):
    from envdesk import cli

    target = tmp_path / "office.sqlite3"
    assert cli.main(["db", "check", "--db", f"sqlite:///{target}"]) == 0
    assert "no database" in capsys.readouterr().out and not target.exists()
    assert cli.main(["db", "check", "--db", "mysql://someone@host/db"]) == 2
    assert "Unsupported database" in capsys.readouterr().err
