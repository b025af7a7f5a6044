"""Optimistic locking: a save based on a stale read is refused, on SQLite and PostgreSQL."""

import pytest

from envdesk.app import reference
from envdesk.app.errors import ConflictError
from envdesk.store.models import DepartmentRow


def test_every_save_bumps_the_version(any_ws):
    department, _ = reference.save_department(any_ws, None, "办公室")
    assert department.version == 1
    again, _ = reference.save_department(any_ws, department.id, "办公室", "Office",
                                         expected_version=department.version)
    assert again.version == 2


def test_save_over_a_newer_change_is_refused_and_nothing_is_lost(any_ws):
    department, _ = reference.save_department(any_ws, None, "办公室")
    # Two clerks open version 1; the first saves.
    reference.save_department(any_ws, department.id, "办公室", "General Office", expected_version=1)
    with pytest.raises(ConflictError, match="changed by someone else"):
        reference.save_department(any_ws, department.id, "综合办公室", "", expected_version=1)
    (stored,) = reference.list_departments(any_ws)
    assert (stored.name_zh, stored.name_en, stored.version) == ("办公室", "General Office", 2)


def test_a_stale_copy_is_refused_by_the_database_layer(any_ws):
    """Below the use cases, too: a record read before someone else's save cannot be written back."""
    department, _ = reference.save_department(any_ws, None, "监测站")
    with any_ws.reading() as session:
        stale = session.get(DepartmentRow, department.id)
        session.expunge(stale)  # detached, still at version 1
    reference.save_department(any_ws, department.id, "监测站", "Monitoring Station", expected_version=1)
    with pytest.raises(ConflictError):
        with any_ws.transaction() as session:
            session.merge(stale).name_en = "Stale"
    (stored,) = reference.list_departments(any_ws)
    assert stored.name_en == "Monitoring Station"


def test_timestamps_are_utc(any_ws):
    department, _ = reference.save_department(any_ws, None, "固废科")
    with any_ws.reading() as session:
        row = session.get(DepartmentRow, department.id)
        assert row.created_at.tzinfo is not None
        assert row.updated_at >= row.created_at


@pytest.mark.postgres
def test_a_save_overtaken_between_read_and_write_names_the_record(pg_url):
    """On a server, another workstation can commit between a transaction's read and its write: the write is
    refused, and the refusal names the record, the versions and what the other save changed."""
    from envdesk.app.access import Principal
    from envdesk.app.workspace import Workspace

    with Workspace(pg_url, user=Principal.trusted("王芳")) as wang, \
            Workspace(pg_url, user=Principal.trusted("李明")) as li:
        department, _ = reference.save_department(wang, None, "监测站")
        with pytest.raises(ConflictError) as refused:
            with wang.transaction() as session:
                row = session.get(DepartmentRow, department.id)  # read at version 1
                reference.save_department(li, department.id, "监测站", "Monitoring Station", expected_version=1)
                row.name_en = "Station"
        error = refused.value
        assert (error.entity, error.record_id, error.expected, error.current) == ("department", department.id, 1, 2)
        assert [(e.user_name, e.changes["name_en"]) for e in error.changes] == [("李明", ["", "Monitoring Station"])]
