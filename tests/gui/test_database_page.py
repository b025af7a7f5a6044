"""Settings → Database: test the office's server off the GUI thread, switch to it (or back) from the next start."""

import pytest
from sqlalchemy.engine import make_url

from envdesk import settings as decl
from envdesk.ui.dialogs.database_page import DatabasePage


@pytest.fixture
def page(qtbot, ws):
    page = DatabasePage(ws)
    qtbot.addWidget(page)
    return page


def fill(page, host="127.0.0.1", port=5432, name="envdesk", user="clerk", password=""):
    page.host.setText(host)
    page.port.setValue(port)
    page.name.setText(name)
    page.user.setText(user)
    page.password.setText(password)


def test_a_missing_field_is_named_and_a_closed_port_is_reported(page):
    fill(page, host="")
    assert page.test() is None and page.error.text() == "Server: is required"
    fill(page, port=1)
    probe = page.test()
    assert probe is not None and not probe.ok
    assert page.error.text().startswith("Cannot connect to postgresql+psycopg://clerk@127.0.0.1:1/envdesk")
    page.use_server()  # refused: nothing configured
    assert decl.local_value(decl.DATABASE_URL) == ""
    assert "the embedded database" in page.current.text()


@pytest.mark.postgres
def test_a_working_server_is_tested_and_used_from_the_next_start(page, pg_url):
    parsed = make_url(pg_url)
    fill(page, parsed.host, parsed.port or 5432, parsed.database, parsed.username, parsed.password or "")
    probe = page.test()
    assert probe.ok and "Connected to PostgreSQL" in page.result.text()
    page.use_server()
    assert make_url(decl.local_value(decl.DATABASE_URL)).database == parsed.database
    assert "next start" in page.result.text() and parsed.database in page.current.text()
    reopened = DatabasePage(page.ws)  # the configured server fills the form again
    assert (reopened.host.text(), reopened.user.text()) == (parsed.host, parsed.username)
    page.use_embedded()
    assert decl.local_value(decl.DATABASE_URL) == ""
