"""Shared fixtures: an isolated EnvDesk home per test, workspaces on SQLite and (when available) PostgreSQL."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from envdesk import i18n  # noqa: E402

PG_URL = os.environ.get("ENVDESK_TEST_PG_URL")


def _tester():
    """Every role, not backed by an account: tests of the registers act as it (envdesk.app.access)."""
    from envdesk.app.access import Principal

    return Principal.trusted("tester")


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """scrypt at its production cost takes a third of a second per hash; tests of accounts use a low cost
    (the parameters travel in each hash; tests/unit/app/test_users.py checks the production ones)."""
    from envdesk.app import users

    monkeypatch.setattr(users, "SCRYPT_N", 2 ** 10)


@pytest.fixture(autouse=True)
def envdesk_home(tmp_path_factory, monkeypatch):
    """Each test gets its own data, config and log directories, and speaks English unless it says otherwise."""
    home = tmp_path_factory.mktemp("envdesk-home")
    monkeypatch.setenv("ENVDESK_HOME", str(home))
    monkeypatch.delenv("ENVDESK_DB", raising=False)
    from envdesk import settings

    settings.set_local_value(settings.LANGUAGE, "en")  # the CLI reads it; tests assert English messages
    i18n.set_language("en")
    yield home
    i18n.set_language("en")


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def _worker_pg_url():
    """ENVDESK_TEST_PG_URL, or under pytest-xdist a database of this worker's own beside it (made if need be),
    so that workers running PostgreSQL tests at the same time never reset each other's schema."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not PG_URL or not worker:
        return PG_URL
    from sqlalchemy import create_engine, make_url, text

    parsed = make_url(PG_URL)
    name = f"{parsed.database}_{worker}"
    engine = create_engine(parsed, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).scalar():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def pg_url(_worker_pg_url):
    if not _worker_pg_url:
        pytest.skip("ENVDESK_TEST_PG_URL is not set (CI sets it)")
    _reset_postgres(_worker_pg_url)
    return _worker_pg_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """Both first-class databases: every storage test runs on each."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def ws(sqlite_url):
    from envdesk.app.workspace import Workspace

    workspace = Workspace(sqlite_url, user=_tester())
    yield workspace
    workspace.close()


@pytest.fixture
def any_ws(db_url):
    from envdesk.app.workspace import Workspace

    workspace = Workspace(db_url, user=_tester())
    yield workspace
    workspace.close()


@pytest.fixture
def cli_user(ws, monkeypatch):
    """An account on the `ws` database that `envdesk` commands run as (ENVDESK_USER / ENVDESK_PASSWORD):
    `cli_user(Role.OFFICE, …)`, every role when none is named."""
    from envdesk.app import users
    from envdesk.domain.users import Role

    def make(*roles, login: str = "clerk", password: str = "clerk-password-1") -> str:
        users.create_user(ws, users.UserInput(login, roles=tuple(roles) or tuple(Role)), password, must_change=False)
        monkeypatch.setenv("ENVDESK_USER", login)
        monkeypatch.setenv("ENVDESK_PASSWORD", password)
        return login

    return make


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The small demo database, filled once per run (it takes seconds); each test gets its own copy."""
    from envdesk.app import demo
    from envdesk.app.workspace import Workspace

    home = tmp_path_factory.mktemp("demo-home")
    previous = os.environ.get("ENVDESK_HOME")
    os.environ["ENVDESK_HOME"] = str(home)
    try:
        path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
        workspace = Workspace(f"sqlite:///{path}", user=_tester())
        demo.fill(workspace, "small")
        workspace.close()  # the last connection checkpoints the WAL into the file
    finally:
        if previous is None:
            os.environ.pop("ENVDESK_HOME", None)
        else:
            os.environ["ENVDESK_HOME"] = previous
    return path


@pytest.fixture
def demo_ws(tmp_path, demo_template):
    import shutil

    from envdesk.app.workspace import Workspace

    target = tmp_path / "test.sqlite3"
    shutil.copyfile(demo_template, target)
    workspace = Workspace(f"sqlite:///{target}", user=_tester())
    yield workspace
    workspace.close()
