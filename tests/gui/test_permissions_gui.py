"""Each role meets the tabs as it may use them: a reader changes nothing, a complaints clerk registers complaints
but decides no approval, a leader sees identities (on demand, audited); a reader's details, printed forms and
exports are masked; every print and export is recorded once; a refused use case is a message, not a traceback."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QMessageBox

from envdesk.app import approvals, audit, complaints, outputs, reference, responsibility
from envdesk.app.access import Principal
from envdesk.app.changes import USER, Changes
from envdesk.app.complaints import ComplaintInput
from envdesk.domain.responsibility import LetterStatus
from envdesk.domain.users import Role
from envdesk.ui.application import ensure_application

NAME, PHONE, ADDRESS = "欧阳振华", "13912345678", "城关镇幸福路八号"


def as_role(ws, *roles: Role) -> None:
    ws.user = Principal.trusted(roles[0].value, roles)


def everyone(ws) -> None:
    ws.user = Principal.trusted("tester")


@pytest.fixture
def complaint(demo_ws):
    """A complaint received an hour ago (the newest, first in the list) from a named complainant."""
    staff = reference.list_staff(demo_ws, include_inactive=False)[0].id
    created, _changes = complaints.register(demo_ws, ComplaintInput(
        "12369", datetime.now(timezone.utc) - timedelta(hours=1), staff, "夜间工地噪声扰民，凌晨还在打桩",
        ("construction_noise",), complainant_name=NAME, complainant_phone=PHONE, complainant_address=ADDRESS,
        subject="某工地"))
    return created


def _case(ws, wanted) -> approvals.Case:
    for summary in approvals.list_cases(ws, approvals.ApprovalFilter(), 0, 1000, "received", False):
        case = approvals.get_case(ws, summary.id)
        if wanted(case):
            return case
    raise AssertionError("no such case in the demo database")


def _tab(qtbot, cls, ws):
    ensure_application()
    tab = cls(ws)
    qtbot.addWidget(tab)
    return tab


def _complaints_tab(qtbot, ws, complaint):
    from envdesk.ui.complaints.tab import ComplaintsTab

    tab = _tab(qtbot, ComplaintsTab, ws)
    tab.select(complaint.id)
    assert tab.current is not None and tab.current.id == complaint.id
    return tab


def _approvals_tab(qtbot, ws, case):
    from envdesk.ui.approvals.tab import ApprovalsTab

    tab = _tab(qtbot, ApprovalsTab, ws)
    tab.search.setText(case.number)
    tab.refresh()
    tab.select(case.id)
    assert tab.current is not None and tab.current.id == case.id
    return tab


def _pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def _recorded(ws, action: str, entity: str | None = None) -> list[audit.Entry]:
    who = ws.user
    everyone(ws)  # the global trail is for administrators
    try:
        found = audit.entries(ws, audit.AuditFilter(action=action, entity=entity or ""), 0, 100)
    finally:
        ws.user = who
    return found


# --- a reader -------------------------------------------------------------------------------------

def test_a_reader_changes_nothing_in_the_complaints_tab(qtbot, demo_ws, complaint):
    as_role(demo_ws, Role.READ_ONLY)
    tab = _complaints_tab(qtbot, demo_ws, complaint)
    changing = [tab.register_button, tab.import_button, *tab.step_buttons.values(), tab.flags_button,
                tab.attach_button]
    assert [w.objectName() for w in changing if w.isEnabled()] == []
    assert "Complaints clerk" in tab.register_button.toolTip()
    assert "Leader" in tab.step_buttons["extend"].toolTip()
    assert not tab.identity_action.isVisible() and not tab.identity_button.isEnabled()
    assert not tab.export_with_identity.isVisible() and tab.export_button.menu() is None
    for widget in (tab.print_form, tab.print_ledger, tab.export_button, tab.history_button,
                   tab.statistics_button):
        assert widget.isEnabled(), widget.objectName()


def test_a_reader_changes_nothing_in_the_approvals_tab(qtbot, demo_ws):
    case = _case(demo_ws, lambda c: c.pauses)
    as_role(demo_ws, Role.READ_ONLY)
    tab = _approvals_tab(qtbot, demo_ws, case)
    changing = [tab.register_button, tab.import_button, *tab.step_buttons.values()]
    assert [w.objectName() for w in changing if w.isEnabled()] == []
    assert "Approval clerk" in tab.register_button.toolTip()
    assert "pause:" not in tab.detail.toHtml()  # no "Correct…" link on a pause
    assert tab.print_case.isEnabled() and tab.history_button.isEnabled()


def test_a_reader_changes_nothing_in_the_twinning_tab(qtbot, demo_ws):
    from envdesk.ui.twinning.enterprises import EnterprisesDialog
    from envdesk.ui.twinning.tab import TwinningTab

    as_role(demo_ws, Role.READ_ONLY)
    tab = _tab(qtbot, TwinningTab, demo_ws)
    tab.pair_table.selectRow(0)
    assert tab.selected_pair() is not None
    tab.detail_tabs.setCurrentIndex(2)
    if tab.items.rowCount():
        tab.item_table.selectRow(0)
        assert tab.item_history_button.isEnabled()
    changing = [tab.pair_button, tab.import_button, tab.contact_button, tab.check_button, tab.item_button,
                tab.edit_pair_button, tab.end_pair_button, tab.raise_contact_button, tab.raise_finding_button,
                *tab.item_buttons.values()]
    assert [w.objectName() for w in changing if w.isEnabled()] == []
    assert "Liaison officer" in tab.pair_button.toolTip()
    for widget in (tab.enterprises_button, tab.print_list_button, tab.export_button, tab.account_button,
                   tab.pair_history_button):
        assert widget.isEnabled(), widget.objectName()

    dialog = EnterprisesDialog(demo_ws, tab)
    qtbot.addWidget(dialog)
    browser = dialog.browser
    browser.table.selectRow(0)
    assert not browser.add_button.isEnabled() and not browser.edit_button.isEnabled()
    assert not browser.import_button.isEnabled()
    assert browser.export_button.isEnabled() and browser.history_button.isEnabled()
    browser.edit()  # a double-click of a reader opens no form (an unexpected dialog would block here)


def test_a_reader_changes_nothing_in_the_responsibility_tab(qtbot, demo_ws):
    from envdesk.ui.responsibility.matrix import EDITABLE
    from envdesk.ui.responsibility.tab import ResponsibilityTab

    as_role(demo_ws, Role.READ_ONLY)
    tab = _tab(qtbot, ResponsibilityTab, demo_ws)
    assert tab.plan is not None and tab.model.rowCount()
    tab.table.selectRow(0)
    tab.progress_tasks.selectRow(0)
    changing = [tab.new_plan_button, tab.edit_plan_button, tab.add_button, tab.edit_button, tab.delete_button,
                tab.import_button, tab.undo_button, tab.redo_button, tab.report_button]
    assert [w.objectName() for w in changing if w.isEnabled()] == []
    assert "Office" in tab.add_button.toolTip()
    # The task table is read-only: no cell is editable, and a write through the model is refused.
    assert tab.table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    column = next(iter(EDITABLE))
    index = tab.model.index(0, column)
    assert not tab.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    before = tab.model.row_value(0)
    assert tab.model.setData(index, "changed by a reader") is False
    assert responsibility.get_task(demo_ws, before.id).version == before.version
    for widget in (tab.print_table, tab.export_button, tab.task_history_button, tab.plan_history_button):
        assert widget.isEnabled(), widget.objectName()

    letters = tab.letters
    plan = next(p for p in responsibility.list_plans(demo_ws)
                if any(x.status is LetterStatus.PRINTED for x in responsibility.list_letters(demo_ws, p.id)))
    tab.plan_combo.setCurrentIndex(tab.plan_combo.findData(plan.id))
    printed = next(x for x in letters.letters() if x.status is LetterStatus.PRINTED)
    letters.select({printed.id})
    assert not letters.generate_button.isEnabled() and not letters.sign_button.isEnabled()
    assert "Office" in letters.sign_button.toolTip()
    assert letters.print_selected.isEnabled() and letters.history_button.isEnabled()


def test_a_reader_prints_letters_without_marking_them_printed(qtbot, demo_ws, monkeypatch, tmp_path):
    from envdesk.ui.responsibility.tab import ResponsibilityTab

    plan = next(p for p in responsibility.list_plans(demo_ws)
                if any(x.status is LetterStatus.DRAFT for x in responsibility.list_letters(demo_ws, p.id)))
    as_role(demo_ws, Role.READ_ONLY)
    tab = _tab(qtbot, ResponsibilityTab, demo_ws)
    tab.plan_combo.setCurrentIndex(tab.plan_combo.findData(plan.id))
    draft = next(x for x in tab.letters.letters() if x.status is LetterStatus.DRAFT)
    tab.letters.select({draft.id})
    preview = tab.letters.print_letters("zh_CN", selected=True)
    qtbot.addWidget(preview)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(tmp_path / "copy.pdf"), "")))
    preview.save_action.trigger()
    assert responsibility.get_letter(demo_ws, draft.id).status is LetterStatus.DRAFT  # a copy, not the print
    entry, = _recorded(demo_ws, "print", "letter")
    assert entry.record_id == draft.id and entry.user_name == "read_only"


def test_a_reader_sees_the_settings_but_changes_none_of_the_shared_ones(qtbot, demo_ws):
    from envdesk.ui.dialogs.settings_dialog import SettingsDialog

    as_role(demo_ws, Role.READ_ONLY)
    ensure_application()
    dialog = SettingsDialog(demo_ws)
    qtbot.addWidget(dialog)
    for name in ("departments", "staff", "towns"):
        page = dialog.page(name)
        assert not page.add_button.isEnabled() and not page.edit_button.isEnabled()
        assert not page.delete_button.isEnabled() and not page.import_button.isEnabled()
        assert page.export_button.isEnabled()
        assert "Administrator" in page.add_button.toolTip()
    for form in (dialog.bureau, dialog.rules):
        assert not form.save_button.isEnabled()
        assert not any(editor.isEnabled() for editor in form.editors.values())
    assert not dialog.calendar.import_button.isEnabled()
    assert dialog.workstation.save_button.isEnabled()  # the language of this workstation is anyone's
    assert not dialog.workstation.editors["auth/single_user"].isEnabled()


# --- a complaints clerk and a leader ----------------------------------------------------------------

def test_a_complaints_clerk_registers_complaints_but_decides_no_approval(qtbot, demo_ws, complaint, monkeypatch):
    from envdesk.ui.complaints import dialogs

    case = _case(demo_ws, lambda c: "decide" in c.next_actions())
    as_role(demo_ws, Role.COMPLAINTS_CLERK)
    tab = _complaints_tab(qtbot, demo_ws, complaint)
    assert tab.register_button.isEnabled() and tab.import_button.isEnabled()
    allowed = set(tab.current.next_actions)
    assert allowed and all(tab.step_buttons[a].isEnabled() for a in allowed if a != "extend")
    assert tab.flags_button.isEnabled() and tab.attach_button.isEnabled()
    assert tab.identity_action.isVisible()

    def register(dialog):
        dialog.phone.setText(PHONE)
        dialog.refresh_suggestions()  # the same phone brings the earlier complaint up as a possible repeat
        assert dialog.suggestions.count() >= 1
        dialog.content.setPlainText("又在夜间打桩")
        dialog.subject.setText("某工地")
        dialog.pollution.item(0).setCheckState(Qt.CheckState.Checked)
        dialog.accept()
        assert dialog.error.text() == ""
        return dialog.result()

    monkeypatch.setattr(dialogs.RegisterDialog, "exec", register)
    tab.register()
    assert tab.current is not None and tab.current.id != complaint.id

    approvals_tab = _approvals_tab(qtbot, demo_ws, case)
    assert not approvals_tab.step_buttons["decide"].isEnabled()
    assert "Approval clerk" in approvals_tab.step_buttons["decide"].toolTip()
    assert not approvals_tab.register_button.isEnabled()


def test_a_leader_sees_the_identity_on_demand_and_decides_no_approval(qtbot, demo_ws, complaint):
    case = _case(demo_ws, lambda c: "decide" in c.next_actions())
    as_role(demo_ws, Role.LEADER)
    tab = _complaints_tab(qtbot, demo_ws, complaint)
    assert tab.identity_action.isVisible() and tab.identity_button.isEnabled()
    assert tab.export_with_identity.isVisible() and tab.export_button.menu() is tab.export_menu
    assert NAME not in tab.detail.toPlainText()  # masked until asked for
    tab.identity_button.setChecked(True)
    assert NAME in tab.detail.toPlainText() and PHONE in tab.detail.toPlainText()
    looks = [e for e in audit.history(demo_ws, "complaint", complaint.id) if e.action == "view_identity"]
    assert len(looks) == 1 and looks[0].user_name == "leader"
    tab.identity_button.setChecked(False)
    assert NAME not in tab.detail.toPlainText()
    assert not tab.register_button.isEnabled() and not tab.step_buttons["decide"].isEnabled()

    approvals_tab = _approvals_tab(qtbot, demo_ws, case)
    assert not approvals_tab.step_buttons["decide"].isEnabled()


def test_an_approval_clerk_decides(qtbot, demo_ws):
    case = _case(demo_ws, lambda c: "decide" in c.next_actions())
    as_role(demo_ws, Role.APPROVAL_CLERK)
    tab = _approvals_tab(qtbot, demo_ws, case)
    assert tab.step_buttons["decide"].isEnabled() and tab.register_button.isEnabled()
    assert tab.step_buttons["decide"].toolTip() == ""


# --- what a reader can take away is masked, and recorded ------------------------------------------

def test_a_readers_detail_and_printed_form_are_masked(qtbot, demo_ws, complaint, monkeypatch, tmp_path):
    as_role(demo_ws, Role.READ_ONLY)
    tab = _complaints_tab(qtbot, demo_ws, complaint)
    shown = tab.detail.toPlainText()
    assert NAME not in shown and PHONE not in shown and ADDRESS not in shown
    assert "masked" in shown

    preview = tab.print_document("form", "zh_CN")
    qtbot.addWidget(preview)
    text = _pdf_text(preview._pdf)
    assert complaint.number in text
    assert NAME not in text and PHONE not in text and PHONE[-4:] in text
    assert _recorded(demo_ws, "print") == []  # looking is not printing
    target = tmp_path / "form.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    preview.save_action.trigger()
    assert target.read_bytes() == preview._pdf
    entry, = _recorded(demo_ws, "print")
    assert (entry.entity, entry.record_id, entry.label) == ("complaint", complaint.id, complaint.number)
    assert entry.changes["document"][1] == "complaint-form" and entry.changes["file"][1] == "form.pdf"
    assert entry.detail == ""  # no identity on it

    # Whoever may see the identity prints the form with it, and the trail says so.
    as_role(demo_ws, Role.COMPLAINTS_CLERK)
    tab.on_changes(Changes.of(USER))
    tab.select(complaint.id)
    preview = tab.print_document("form", "zh_CN")
    qtbot.addWidget(preview)
    assert NAME in _pdf_text(preview._pdf)
    monkeypatch.setattr(preview, "_ask_printer", lambda printer: True)  # stands in for the printer dialog
    monkeypatch.setattr(preview, "print_to", lambda printer: True)
    preview.print_action.trigger()
    printed = _recorded(demo_ws, "print")
    assert len(printed) == 2 and printed[0].detail == outputs.IDENTITY_INCLUDED


def test_exports_include_identities_only_when_asked_by_who_may(qtbot, demo_ws, complaint, tmp_path):
    as_role(demo_ws, Role.READ_ONLY)
    tab = _complaints_tab(qtbot, demo_ws, complaint)
    masked = tmp_path / "masked.csv"
    assert tab.export_file(str(masked)) == str(masked)
    text = masked.read_text(encoding="utf-8-sig")
    assert complaint.number in text and NAME not in text and PHONE not in text
    entry, = _recorded(demo_ws, "export")
    assert entry.entity == "complaints" and entry.detail == "" and entry.label == "masked.csv"
    rows = list(csv.reader(text.splitlines()))
    assert entry.changes["rows"][1] == len(rows) - 1

    as_role(demo_ws, Role.COMPLAINTS_CLERK)
    tab.on_changes(Changes.of(USER))
    full = tmp_path / "full.csv"
    tab.export_file(str(full), include_identity=True)
    assert NAME in full.read_text(encoding="utf-8-sig")
    newest = _recorded(demo_ws, "export")[0]
    assert newest.label == "full.csv" and newest.detail == outputs.IDENTITY_INCLUDED


# --- a change of user, and refusals -------------------------------------------------------------

def test_another_user_gets_the_actions_of_their_roles(qtbot, demo_ws, complaint):
    as_role(demo_ws, Role.LEADER)
    tab = _complaints_tab(qtbot, demo_ws, complaint)
    tab.identity_button.setChecked(True)
    assert NAME in tab.detail.toPlainText()
    as_role(demo_ws, Role.READ_ONLY)
    tab.on_changes(Changes.of(USER))  # what the main window broadcasts after a switch of user
    tab.select(complaint.id)
    assert not tab.identity_action.isVisible() and NAME not in tab.detail.toPlainText()
    assert not tab.register_button.isEnabled()
    as_role(demo_ws, Role.COMPLAINTS_CLERK)
    tab.on_changes(Changes.of(USER))
    tab.select(complaint.id)
    assert tab.register_button.isEnabled() and tab.identity_action.isVisible()
    assert tab.register_button.toolTip() == ""


def test_the_task_table_becomes_editable_for_the_office(qtbot, demo_ws):
    from envdesk.ui.responsibility.matrix import EDITABLE
    from envdesk.ui.responsibility.tab import ResponsibilityTab

    as_role(demo_ws, Role.READ_ONLY)
    tab = _tab(qtbot, ResponsibilityTab, demo_ws)
    index = tab.model.index(0, next(iter(EDITABLE)))
    assert not tab.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    as_role(demo_ws, Role.OFFICE)
    tab.on_changes(Changes.of(USER))
    index = tab.model.index(0, next(iter(EDITABLE)))
    assert tab.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert tab.table.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
    assert tab.new_plan_button.isEnabled()


def test_a_refused_use_case_is_a_message(qtbot, demo_ws, complaint, monkeypatch, tmp_path):
    as_role(demo_ws, Role.COMPLAINTS_CLERK)
    tab = _complaints_tab(qtbot, demo_ws, complaint)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append((title, text)))
    # An administrator took the role away meanwhile; the button is still there until the window hears of it.
    as_role(demo_ws, Role.READ_ONLY)
    scan = tmp_path / "photo.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    tab.attach(str(scan))
    assert len(warnings) == 1 and "may not register and handle complaints" in warnings[0][1]
    # Nobody signed in any more: printing (rendered in a worker thread) says so too.
    demo_ws.user = None
    assert tab.print_document("form", "en") is None
    assert warnings[-1][1].startswith("Nobody is signed in")


def test_every_register_record_opens_its_history(qtbot, demo_ws, complaint, monkeypatch):
    from envdesk.ui.responsibility.tab import ResponsibilityTab
    from envdesk.ui.twinning.enterprises import EnterprisesDialog
    from envdesk.ui.twinning.tab import TwinningTab
    from envdesk.ui.users import history

    shown = []
    monkeypatch.setattr(history, "show_history", lambda parent, ws, entity, record_id, title:
                        shown.append((entity, record_id, title)))
    case = _case(demo_ws, lambda c: True)
    as_role(demo_ws, Role.READ_ONLY)  # a history is there for every reader

    _complaints_tab(qtbot, demo_ws, complaint).history_button.click()
    assert shown[-1] == ("complaint", complaint.id, f"Complaint {complaint.number}")
    _approvals_tab(qtbot, demo_ws, case).history_button.click()
    assert shown[-1][:2] == ("approval", case.id) and case.number in shown[-1][2]

    twinning_tab = _tab(qtbot, TwinningTab, demo_ws)
    twinning_tab.pair_table.selectRow(0)
    pair = twinning_tab.selected_pair()
    twinning_tab.pair_history_button.click()
    assert shown[-1][:2] == ("twinning_pair", pair.id) and pair.enterprise.name_zh in shown[-1][2]
    for row in range(twinning_tab.pairs.rowCount()):
        twinning_tab.pair_table.selectRow(row)
        if twinning_tab.items.rowCount():
            break
    twinning_tab.item_table.selectRow(0)
    item = twinning_tab.selected_item()
    twinning_tab.item_history_button.click()
    assert shown[-1] == ("service_item", item.id, f"Service item {item.number}")
    dialog = EnterprisesDialog(demo_ws, twinning_tab)
    qtbot.addWidget(dialog)
    dialog.browser.table.selectRow(0)
    enterprise = dialog.browser.selected()
    dialog.browser.history_button.click()
    assert shown[-1] == ("enterprise", enterprise.id, enterprise.name_zh)

    tab = _tab(qtbot, ResponsibilityTab, demo_ws)
    tab.plan_history_button.click()
    assert shown[-1] == ("plan", tab.plan.id, tab.plan.title_zh)
    tab.table.selectRow(0)
    task = tab.current_task()
    tab.task_history_button.click()
    assert shown[-1][:2] == ("task", task.id)
    tab.letters.table.selectRow(0)
    letter = tab.letters.selected()[0]
    tab.letters.history_button.click()
    assert shown[-1] == ("letter", letter.id, f"Letter {letter.number}")
