"""A form whose record someone else saved first: the conflict dialog shows what they changed; Re-apply keeps both
changes, Reload shows the record as saved now, Back keeps the input."""

import pytest
from PySide6.QtWidgets import QDialog, QLineEdit

from envdesk.app import reference
from envdesk.app.access import Principal
from envdesk.app.changes import EVERYTHING
from envdesk.app.conflicts import FieldChange
from envdesk.app.errors import ConflictError
from envdesk.app.workspace import Workspace
from envdesk.ui.dialogs import conflict
from envdesk.ui.dialogs.conflict import ConflictDialog, Resolution
from envdesk.ui.dialogs.record_editor import Field, RecordForm

FIELDS = (Field("name_zh", "Name (Chinese)"), Field("name_en", "Name (English)"), Field("active", "Active", "bool"))


@pytest.fixture
def two(sqlite_url):
    with Workspace(sqlite_url, user=Principal.trusted("王芳")) as wang, \
            Workspace(sqlite_url, user=Principal.trusted("李明")) as li:
        yield wang, li


def _values(department) -> dict:
    return {"name_zh": department.name_zh, "name_en": department.name_en, "active": department.active}


def department_form(qtbot, wang, li):
    """王芳 opens 办公室 at version 1; 李明 then saves an English name."""
    opened, _c = reference.save_department(wang, None, "办公室")
    reference.save_department(li, opened.id, "办公室", "General Office", expected_version=1)
    form = RecordForm("Edit department", FIELDS, _values(opened),
                      lambda v: reference.save_department(wang, opened.id, v["name_zh"], v["name_en"],
                                                          active=v["active"], expected_version=opened.version)[1],
                      current=lambda: _values(reference.list_departments(wang)[0]))
    qtbot.addWidget(form)
    form.editors["name_zh"].setText("综合办公室")
    return form


def asked(monkeypatch, resolution) -> list:
    calls, offered = [], []
    asked.offered = offered

    def ask(parent, error, fields=(), shown=None, reapply=True):
        calls.append((error, [(label, change, shown(change.key, change.theirs)) for label, change in fields]))
        offered.append(reapply)
        return resolution.pop(0) if isinstance(resolution, list) else resolution

    monkeypatch.setattr(conflict, "ask", ask)
    return calls


def test_re_apply_keeps_the_other_users_field_and_this_users_field(qtbot, two, monkeypatch):
    wang, li = two
    form = department_form(qtbot, wang, li)
    calls = asked(monkeypatch, Resolution.REAPPLY)
    form.accept()
    assert form.result() == QDialog.DialogCode.Accepted
    ((error, fields),) = calls
    assert [e.user_name for e in error.changes] == ["李明"]
    assert [(label, c.opened, c.theirs, c.mine, shown) for label, c, shown in fields] == [
        ("Name (English)", "", "General Office", "", "General Office")]
    (stored,) = reference.list_departments(li)
    assert (stored.name_zh, stored.name_en, stored.version) == ("综合办公室", "General Office", 3)


def test_reload_shows_the_saved_record_and_the_next_save_goes_over_it(qtbot, two, monkeypatch):
    wang, li = two
    form = department_form(qtbot, wang, li)
    asked(monkeypatch, Resolution.RELOAD)
    form.accept()
    assert form.result() != QDialog.DialogCode.Accepted  # still open
    assert form.findChild(QLineEdit, "field_name_en").text() == "General Office"
    assert form.editors["name_zh"].text() == "办公室"  # the clerk's typing dropped, as chosen
    assert "Reloaded" in form.error.text()
    form.editors["name_zh"].setText("综合办公室")
    form.accept()
    assert form.result() == QDialog.DialogCode.Accepted
    assert reference.list_departments(li)[0].name_zh == "综合办公室"


def test_back_keeps_the_input_and_saves_nothing(qtbot, two, monkeypatch):
    wang, li = two
    form = department_form(qtbot, wang, li)
    asked(monkeypatch, Resolution.BACK)
    form.accept()
    assert form.result() != QDialog.DialogCode.Accepted
    assert form.editors["name_zh"].text() == "综合办公室"
    assert reference.list_departments(li)[0].name_zh == "办公室"


def test_a_step_form_reloads_by_closing_and_asking_every_view_to_re_read(qtbot, two, monkeypatch):
    wang, li = two
    opened, _c = reference.save_department(wang, None, "监测站")
    reference.save_department(li, opened.id, "监测站", "Station", expected_version=1)
    form = RecordForm("Step", (Field("note", "Note"),), {},
                      lambda v: reference.save_department(wang, opened.id, "监测站", v["note"], expected_version=1)[1])
    qtbot.addWidget(form)
    calls = asked(monkeypatch, Resolution.RELOAD)
    form.accept()
    assert calls[0][1] == []  # no field comparison for a step
    assert form.result() == QDialog.DialogCode.Accepted and form.changes.concerns(EVERYTHING)


def test_the_dialog_lists_the_changes_and_the_fields(qtbot, two):
    wang, li = two
    opened, _c = reference.save_department(wang, None, "办公室")
    reference.save_department(li, opened.id, "办公室", "General Office", expected_version=1)
    with pytest.raises(ConflictError) as caught:
        reference.save_department(wang, opened.id, "综合办公室", "Office", expected_version=1)
    fields = [("Name (English)", FieldChange("name_en", "", "General Office", "Office"))]
    dialog = ConflictDialog(caught.value, fields)
    qtbot.addWidget(dialog)
    assert dialog.changes.rowCount() == 1 and "李明" in dialog.changes.data(dialog.changes.index(0, 1))
    assert dialog.fields_view.rowCount() == 1 and fields[0][1].clash
    assert [dialog.fields_view.item(0, c).text() for c in range(4)] == [
        "Name (English)", "—", "General Office", "Office"]
    dialog.reapply_button.click()
    assert dialog.resolution is Resolution.REAPPLY
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_form_of_the_records_fields_that_cannot_merge_offers_no_re_apply(qtbot, two, monkeypatch):
    wang, li = two
    opened, _c = reference.save_department(wang, None, "办公室")
    reference.save_department(li, opened.id, "办公室", "General Office", expected_version=1)
    form = RecordForm("Edit department", FIELDS, _values(opened),
                      lambda v: reference.save_department(wang, opened.id, v["name_zh"], v["name_en"],
                                                          expected_version=1)[1], reapply=False)
    qtbot.addWidget(form)
    asked(monkeypatch, Resolution.BACK)
    form.accept()
    assert asked.offered == [False]
    dialog = ConflictDialog(ConflictError("changed"), reapply=False)
    qtbot.addWidget(dialog)
    assert dialog.reapply_button.isHidden()


def test_a_re_apply_that_fails_asks_again_at_the_next_ok(qtbot, two, monkeypatch):
    """A re-applied save refused for another reason (here the database was locked) leaves the form showing the
    merge; the next OK is checked against the version the form was opened at and asks again, never overwrites."""
    from envdesk.app.errors import DatabaseUnavailable

    wang, li = two
    form = department_form(qtbot, wang, li)
    real = form._save
    attempts = []

    def locked_once(values):
        attempts.append(values)
        if len(attempts) == 2:
            raise DatabaseUnavailable("The database is locked by another program.", "locked")
        return real(values)

    form._save = locked_once
    asked(monkeypatch, [Resolution.REAPPLY, Resolution.BACK])
    form.accept()
    assert "locked" in form.error.text() and form.result() != QDialog.DialogCode.Accepted
    assert form.editors["name_en"].text() == "General Office"  # the form shows the merge it tried to save
    reference.save_department(li, reference.list_departments(li)[0].id, "办公室", "Office", expected_version=2)
    form.accept()  # the third user's change is not overwritten: asked again
    assert len(asked.offered) == 2
    assert reference.list_departments(li)[0].name_en == "Office"
