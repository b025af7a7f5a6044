"""The office's path through the Responsibility matrix tab: a plan and its tasks with warning cards, editing the table
in place and taking it back with undo, the matrix, weekly progress, and the letters from generation through printing
to wet signature with the scan attached — a signed letter staying as it was signed when its tasks change."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
)

from envdesk import i18n
from envdesk.app import reference, responsibility
from envdesk.app.changes import DEPARTMENT, Changes
from envdesk.app.responsibility import PhaseInput, PlanInput, TaskInput
from envdesk.domain.responsibility import Card, LetterStatus, Role, TaskStatus
from envdesk.ui.application import ensure_application
from envdesk.ui.dialogs.record_editor import ChoiceList, RecordForm
from envdesk.ui.responsibility import dialogs
from envdesk.ui.responsibility.matrix import (
    ASSISTING_MARK,
    CARD,
    CONTENT,
    DEADLINE,
    LEAD_MARK,
    PROGRESS,
    REMARKS,
    STATUS,
)

TODAY = date.today()
DEPARTMENTS = (("办公室", "General Office"), ("大气与水环境科", "Air and Water Section"),
               ("环境监测站", "Monitoring Station"), ("生态环境监察大队", "Enforcement Brigade"),
               ("宣教法制科", "Publicity and Legal Section"))
HEADS = ("江怡凤", "吕丽娜", "严涵", "江国", "毛涛红")
LEADERS = ("朱丽伟", "丁宇鹏")

# PNG and PDF files as small as a scanner could make them: the signature checks look at the first bytes.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" \
      b"\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" \
      b"trailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def office(ws):
    """A bureau with five departments, two leaders, a head of each department, and a campaign of 15 tasks."""
    reference.save_bureau(ws, "青溪县生态环境局", "Qingxi County Ecology and Environment Bureau", "青溪县")
    departments = [reference.save_department(ws, None, zh, en)[0] for zh, en in DEPARTMENTS]
    leaders = [reference.save_staff(ws, None, name, departments[0].id, "副局长", is_leader=True)[0]
               for name in LEADERS]
    heads = [reference.save_staff(ws, None, name, d.id, "科长")[0] for name, d in zip(HEADS, departments, strict=True)]
    start, end = TODAY - timedelta(days=40), TODAY + timedelta(days=80)
    older, _c = responsibility.save_plan(ws, None, PlanInput(
        "2025年度重点工作", "annual", start - timedelta(days=400), start - timedelta(days=40)))
    plan, _c = responsibility.save_plan(ws, None, PlanInput(
        "生态优先·环境惠民专项行动", "campaign", start, end, "Ecology first campaign", departments[0].id, phases=(
            PhaseInput("动员部署", start, start + timedelta(days=20), "Mobilisation"),
            PhaseInput("重点推进", start + timedelta(days=21), end - timedelta(days=20), "Key advancement"),
            PhaseInput("总结提高", end - timedelta(days=19), end, "Summary"))))
    phases = plan.phases
    tasks = []
    for n in range(15):
        lead = departments[n % 5]
        assisting = (departments[(n + 1) % 5].id,) if n % 3 == 0 else ()
        if n == 0:
            deadline, progress = TODAY - timedelta(days=3), 50         # red: overdue
        elif n == 1:
            deadline, progress = TODAY + timedelta(days=3), 90         # blue: due soon
        elif n == 2:
            deadline, progress = TODAY + timedelta(days=10), 0         # yellow: far behind the even pace
        else:
            deadline, progress = end - timedelta(days=n), 40 + n * 2
        task, _c = responsibility.save_task(ws, plan.id, None, TaskInput(
            f"任务内容第{n + 1}项：开展专项检查并建立台账", lead.id, number=str(n + 1), section="五个一批" if n < 5 else "",
            assisting_department_ids=assisting, leader_id=leaders[n % 2].id, person_ids=(heads[n % 5].id,),
            deadline=deadline, phase_id=phases[1].id if n < 10 else phases[2].id, progress=progress,
            status=TaskStatus.IN_PROGRESS.value if progress else TaskStatus.NOT_STARTED.value))
        tasks.append(task)
    return SimpleNamespace(ws=ws, plan=plan, older=older, tasks=tasks, departments=departments, leaders=leaders,
                           heads=heads)


@pytest.fixture
def tab(qtbot, office):
    from envdesk.ui.responsibility.tab import ResponsibilityTab

    ensure_application()
    widget = ResponsibilityTab(office.ws)
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    return widget


@pytest.fixture
def warnings(monkeypatch):
    """Message boxes the test expects: each warning's title and text is kept instead of shown."""
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: seen.append((title, text)))
    return seen


def _set(editor, value):
    if isinstance(editor, QComboBox):
        index = editor.findData(value)
        assert index >= 0, value
        editor.setCurrentIndex(index)
    elif isinstance(editor, QDateEdit):
        editor.setDate(QDate(value.year, value.month, value.day))
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText(value)
    elif isinstance(editor, ChoiceList):
        for i in range(editor.count()):
            item = editor.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in value
                               else Qt.CheckState.Unchecked)
    elif isinstance(editor, QLineEdit):
        editor.setText(value)
    else:
        editor.setValue(value)


@pytest.fixture
def forms(monkeypatch):
    """Each RecordForm the tab opens takes the next answers and presses OK; its error text is kept."""
    answers, errors = [], []

    def exec_(form):
        for key, value in answers.pop(0).items():
            _set(form.editors[key], value)
        form.accept()
        errors.append(form.error.text())
        return form.result()

    monkeypatch.setattr(RecordForm, "exec", exec_)
    return answers, errors


def accept_as_is(monkeypatch, cls, prepare=lambda dialog: None, seen=None):
    """Dialogs of `cls` are filled by `prepare` and OK is pressed; each dialog is kept in `seen`."""
    def exec_(dialog):
        prepare(dialog)
        dialog.accept()
        if seen is not None:
            seen.append(dialog)
        return dialog.result()

    monkeypatch.setattr(cls, "exec", exec_)


def cell(tab, row, column):
    return tab.model.index(row, column).data()


def row_of_number(tab, number: str) -> int:
    return next(r for r in range(tab.model.rowCount()) if tab.model.row_value(r).number == number)


# --- the plan and its task table ------------------------------------------------------------------

def test_the_table_shows_the_plan_its_phases_and_warning_cards(tab, office):
    plan, older = office.plan, office.older
    assert [tab.plan_combo.itemText(i) for i in range(tab.plan_combo.count())] == [plan.title_zh, older.title_zh]
    assert tab.plan.id == plan.id and tab.model.rowCount() == 15
    assert tab.count_label.text().strip() == "15 tasks"
    assert len(tab.phase_strip.chips) == 3
    assert "Key advancement" in tab.phase_strip.chips[1].text() and "bold" in tab.phase_strip.chips[1].styleSheet()
    assert "Campaign" in tab.phase_strip.findChild(type(tab.count_label), "plan_summary").text()

    first = row_of_number(tab, "1")
    assert cell(tab, first, STATUS) == "Overdue"
    assert tab.model.index(first, STATUS).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b00020"
    assert cell(tab, first, CARD) == Card.RED.label
    assert not tab.model.index(first, CARD).data(Qt.ItemDataRole.DecorationRole).isNull()
    assert cell(tab, row_of_number(tab, "2"), CARD) == Card.BLUE.label
    assert cell(tab, row_of_number(tab, "3"), CARD) == Card.YELLOW.label
    assert cell(tab, row_of_number(tab, "4"), CARD) == ""
    row = row_of_number(tab, "4")
    assert [cell(tab, row, c) for c in range(7)] == [
        "4", "五个一批", "任务内容第4项：开展专项检查并建立台账", "生态环境监察大队", "宣教法制科", "丁宇鹏", "江国"]
    assert cell(tab, row, PROGRESS) == "46 %"

    # Who has not reported this week: every department leads an open task and nobody has reported.
    assert tab.not_reported_label.text() == "Not reported this week: " + "、".join(sorted(zh for zh, _en in DEPARTMENTS))
    assert tab.unsigned_label.text() == "No letters generated yet."


def test_filters_by_phase_department_status_and_leader(tab, office):
    plan, departments, leaders = office.plan, office.departments, office.leaders
    tab.phase_filter.setCurrentIndex(tab.phase_filter.findData(plan.phases[2].id))
    assert tab.model.rowCount() == 5
    assert tab.count_label.text().strip() == "5 of 15 tasks"
    tab.phase_filter.setCurrentIndex(0)
    tab.department_filter.setCurrentIndex(tab.department_filter.findData(departments[1].id))
    # leads tasks 2, 7 and 12, and assists the office with task 1
    assert sorted(int(tab.model.row_value(r).number) for r in range(tab.model.rowCount())) == [1, 2, 7, 12]
    tab.department_filter.setCurrentIndex(0)
    tab.status_filter.setCurrentIndex(tab.status_filter.findData(TaskStatus.OVERDUE.value))
    assert [tab.model.row_value(r).number for r in range(tab.model.rowCount())] == ["1"]
    tab.status_filter.setCurrentIndex(0)
    tab.leader_filter.setCurrentIndex(tab.leader_filter.findData(leaders[1].id))
    assert tab.model.rowCount() == 7
    # The matrix and the progress page show the same tasks as the table.
    assert tab.matrix_model.columnCount() == 7 and tab.progress_tasks_model.rowCount() == 7


def test_new_plan_with_phases_then_edit_it(tab, office, monkeypatch):
    ws, departments = office.ws, office.departments
    start = TODAY - timedelta(days=5)

    def fill(dialog):
        dialog.title_zh.setText("2026年度目标责任")
        dialog.title_en.setText("Targets 2026")
        _set(dialog.kind, "annual")
        _set(dialog.start_on, start)
        _set(dialog.end_on, start + timedelta(days=300))
        _set(dialog.office, departments[0].id)
        for name, en, s, e in (("第一阶段", "First", 0, 99), ("第二阶段", "Second", 100, 300)):
            row = dialog.add_phase(name, en)
            _set(dialog.phases.cellWidget(row, 2), start + timedelta(days=s))
            _set(dialog.phases.cellWidget(row, 3), start + timedelta(days=e))

    seen = []
    accept_as_is(monkeypatch, dialogs.PlanDialog, fill, seen)
    created = tab.new_plan()
    assert created is not None and seen[0].error.text() == ""
    assert tab.plan.id == created.id and tab.plan_combo.currentText() == "2026年度目标责任"
    assert [p.name_zh for p in tab.plan.phases] == ["第一阶段", "第二阶段"]
    assert len(tab.phase_strip.chips) == 2 and tab.model.rowCount() == 0

    # A phase outside the period is refused under the form, with nothing written.
    def bad(dialog):
        _set(dialog.phases.cellWidget(1, 3), start + timedelta(days=400))

    accept_as_is(monkeypatch, dialogs.PlanDialog, bad, seen)
    assert tab.edit_plan() is None
    assert "lies outside the plan's period" in seen[1].error.text()
    assert responsibility.get_plan(ws, created.id).phases[1].end_on == start + timedelta(days=300)


def test_add_edit_and_delete_a_task_through_the_form(tab, office, forms, monkeypatch):
    plan, departments, leaders, heads = office.plan, office.departments, office.leaders, office.heads
    answers, errors = forms
    answers.append({"number": "16", "content": "开展环境应急演练", "lead_department_id": departments[2].id,
                    "assisting_department_ids": (departments[3].id,), "leader_id": leaders[0].id,
                    "person_ids": (heads[2].id,), "deadline": TODAY + timedelta(days=30), "phase_id": plan.phases[1].id})
    saved = tab.add_task()
    assert errors == [""] and saved is not None
    assert tab.model.rowCount() == 16 and tab.current_task().id == saved.id
    assert saved.assisting_departments == ("生态环境监察大队",) and saved.persons == ("严涵",)

    answers.append({"lead_department_id": None})
    assert tab.edit_task() is None
    assert errors[-1] == "Responsible department: is required"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tab.select_task(saved.id)
    assert tab.delete_task()
    assert tab.model.rowCount() == 15


# --- editing in place, with undo -----------------------------------------------------------------

def test_edit_in_place_then_undo_and_redo_restore_the_database(tab, office):
    ws, older, tasks = office.ws, office.older, office.tasks
    task = tasks[3]
    row = row_of_number(tab, "4")
    assert tab.model.flags(tab.model.index(row, REMARKS)) & Qt.ItemFlag.ItemIsEditable
    assert not tab.model.flags(tab.model.index(row, STATUS)) & Qt.ItemFlag.ItemIsEditable

    assert tab.model.setData(tab.model.index(row, REMARKS), "已督办两次")
    assert tab.model.setData(tab.model.index(row, PROGRESS), 100)
    new_deadline = TODAY + timedelta(days=5)
    assert tab.model.setData(tab.model.index(row, DEADLINE), new_deadline)
    stored = responsibility.get_task(ws, task.id)
    assert (stored.remarks, stored.progress, stored.stored_status, stored.deadline) == (
        "已督办两次", 100, TaskStatus.DONE, new_deadline)
    assert cell(tab, row, STATUS) == "Completed" and cell(tab, row, REMARKS) == "已督办两次"
    assert tab.edits.stack.count() == 3
    assert tab.undo_button.isEnabled() and "Deadline" in tab.undo_button.toolTip()

    tab.table.undo()   # the deadline
    tab.table.undo()   # the progress, and the status it brought
    stored = responsibility.get_task(ws, task.id)
    assert (stored.progress, stored.stored_status, stored.deadline) == (46, TaskStatus.IN_PROGRESS, task.deadline)
    assert cell(tab, row, PROGRESS) == "46 %" and cell(tab, row, STATUS) == "In progress"
    tab.table.undo()   # the remarks
    assert responsibility.get_task(ws, task.id).remarks == ""
    assert cell(tab, row, REMARKS) == "" and not tab.undo_button.isEnabled()

    tab.table.redo()
    tab.table.redo()
    stored = responsibility.get_task(ws, task.id)
    assert (stored.remarks, stored.progress, stored.stored_status) == ("已督办两次", 100, TaskStatus.DONE)
    assert tab.redo_button.isEnabled()

    # Another plan chosen: its edits are not undone from here.
    tab.plan_combo.setCurrentIndex(tab.plan_combo.findData(older.id))
    assert tab.edits.stack.count() == 0 and not tab.undo_button.isEnabled()


def test_undo_and_redo_from_the_edit_menu_and_keyboard(qtbot, office):
    from envdesk.ui.main_window import MainWindow

    ws, tasks = office.ws, office.tasks
    ensure_application()
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show_tab("responsibility")
    window.show()
    qtbot.waitExposed(window)
    tab = window.tab("responsibility")
    row = row_of_number(tab, "5")
    assert tab.model.setData(tab.model.index(row, CONTENT), "开展餐饮油烟专项整治")
    assert responsibility.get_task(ws, tasks[4].id).content == "开展餐饮油烟专项整治"
    window.activateWindow()
    tab.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.table)

    window.act_undo.trigger()    # Edit ▸ Undo
    assert responsibility.get_task(ws, tasks[4].id).content == tasks[4].content
    window.act_redo.trigger()    # Edit ▸ Redo
    assert responsibility.get_task(ws, tasks[4].id).content == "开展餐饮油烟专项整治"
    qtbot.keyClick(tab.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert responsibility.get_task(ws, tasks[4].id).content == tasks[4].content
    # Redo is the platform's: Ctrl+Shift+Z on a Linux desktop, Ctrl+Y on Windows (and offscreen).
    redo = window.act_redo.shortcut()
    assert redo in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
    qtbot.keyClick(tab.table, redo[0].key(), redo[0].keyboardModifiers())
    assert responsibility.get_task(ws, tasks[4].id).content == "开展餐饮油烟专项整治"


def test_a_refused_edit_says_why_and_the_cell_keeps_its_value(tab, office, warnings):
    ws, plan, tasks = office.ws, office.plan, office.tasks
    row = row_of_number(tab, "6")
    before = responsibility.get_task(ws, tasks[5].id)

    assert not tab.model.setData(tab.model.index(row, CONTENT), "   ")
    assert warnings[-1] == ("The change was not saved", "Task 6: Task: is required")
    assert cell(tab, row, CONTENT) == before.content

    assert not tab.model.setData(tab.model.index(row, DEADLINE), plan.start_on - timedelta(days=1))
    assert "Deadline: is before the plan starts" in warnings[-1][1]
    assert not tab.model.setData(tab.model.index(row, DEADLINE), "next Friday")
    assert warnings[-1][1] == "Task 6: Deadline: “next Friday” is not a date (YYYY-MM-DD)"
    assert not tab.model.setData(tab.model.index(row, PROGRESS), 150)
    assert "Progress" in warnings[-1][1] and "150" in warnings[-1][1]

    assert responsibility.get_task(ws, tasks[5].id) == before
    assert tab.edits.stack.count() == 0 and len(warnings) == 4


def test_undo_never_overwrites_what_someone_else_saved(tab, office, warnings):
    ws, plan, tasks = office.ws, office.plan, office.tasks
    row = row_of_number(tab, "7")
    assert tab.model.setData(tab.model.index(row, REMARKS), "本周完成")
    mine = responsibility.get_task(ws, tasks[6].id)
    responsibility.save_task(ws, plan.id, mine.id, mine.input(remarks="已由监察大队接手"), expected_version=mine.version)

    tab.table.undo()
    message = "Task 7 was changed by someone else after you edited it; nothing was overwritten."
    assert warnings == [("Cannot undo", message)]
    assert responsibility.get_task(ws, tasks[6].id).remarks == "已由监察大队接手"
    assert tab.edits.stack.count() == 0  # the command that can no longer apply is gone


# --- matrix and progress ---------------------------------------------------------------------------

def test_matrix_marks_lead_and_assisting_departments_and_leaders(tab, office):
    model = tab.matrix_model
    assert model.rowCount() == 5 and model.columnCount() == 15
    rows = {model.headerData(r, Qt.Orientation.Vertical): r for r in range(model.rowCount())}
    office_row, air_row = rows["办公室"], rows["大气与水环境科"]
    assert model.headerData(0, Qt.Orientation.Horizontal) == "1"
    assert "任务内容第1项" in model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert model.index(office_row, 0).data() == LEAD_MARK        # task 1: the office leads
    assert model.index(air_row, 0).data() == ASSISTING_MARK      # ... and the air section assists
    assert model.index(air_row, 1).data() == LEAD_MARK
    assert model.index(office_row, 1).data() == ""
    assert model.mark(air_row, 0) is Role.ASSISTING
    assert "leads 3, assists 1" in model.headerData(air_row, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)

    tab.by_leader.setChecked(True)
    assert model.rowCount() == 2
    names = [model.headerData(r, Qt.Orientation.Vertical) for r in range(2)]
    first = names.index("朱丽伟")
    assert [model.index(first, c).data() for c in range(4)] == [LEAD_MARK, "", LEAD_MARK, ""]


def test_a_weekly_progress_report(tab, office, forms):
    ws, tasks, heads = office.ws, office.tasks, office.heads
    answers, errors = forms
    assert not tab.report_button.isEnabled()
    tab.views.setCurrentIndex(2)
    tab.progress_tasks.selectRow(1)   # task 2, led by the air and water section
    assert tab.reports_model.rowCount() == 0 and tab.report_button.isEnabled()
    answers.append({"progress": 95, "text": "已完成清单复核，剩余2家企业待整改。", "staff_id": heads[1].id})
    tab.add_report()
    assert errors == [""]
    assert tab.reports_model.rowCount() == 1
    assert [tab.reports_model.index(0, c).data() for c in range(1, 5)] == [
        "95 %", "大气与水环境科", "吕丽娜", "已完成清单复核，剩余2家企业待整改。"]
    assert responsibility.get_task(ws, tasks[1].id).progress == 95
    assert cell(tab, row_of_number(tab, "2"), PROGRESS) == "95 %"
    assert "大气与水环境科" not in tab.not_reported_label.text() and "办公室" in tab.not_reported_label.text()

    answers.append({"text": ""})
    tab.add_report()
    assert errors[-1] == "Progress report: is required"
    assert tab.reports_model.rowCount() == 1


# --- letters ---------------------------------------------------------------------------------------

def _generate(tab, monkeypatch, prepare=lambda dialog: None):
    seen = []
    accept_as_is(monkeypatch, dialogs.GenerateLettersDialog, prepare, seen)
    tab.views.setCurrentIndex(3)
    letters = tab.letters.generate()
    return letters, seen[-1]


def _sign(tab, monkeypatch, letter_id, scan, on=TODAY):
    seen = []

    def fill(dialog):
        _set(dialog.signed_on, on)
        dialog.scan.setText(str(scan))

    accept_as_is(monkeypatch, dialogs.SignDialog, fill, seen)
    tab.letters.select({letter_id})
    saved = tab.letters.sign()
    return saved, seen[-1]


def test_letters_from_generation_to_signature(tab, office, monkeypatch, tmp_path):
    ws, plan, departments, leaders, heads = office.ws, office.plan, office.departments, office.leaders, office.heads
    letters, dialog = _generate(tab, monkeypatch)
    # Party A prefilled with the leader most often responsible, Party B with the person most often named.
    office_id = departments[0].id
    assert dialog.party_a[office_id].currentData() == leaders[0].id
    assert dialog.party_b[office_id].currentData() == heads[0].id
    assert dialog.error.text() == "" and len(letters) == 5
    page = tab.letters
    assert page.model.rowCount() == 5 and "5 letters are ready." in page.info.text()
    assert {page.model.index(r, 5).data() for r in range(5)} == {"Draft"}
    assert tab.unsigned_label.text().startswith("Not signed: Target responsibility letter: ")
    assert not page.sign_button.isEnabled()

    # Printed once the preview was really printed, not when it was only looked at.
    from envdesk.ui.print_preview import PrintPreviewDialog

    page.select({letters[0].id, letters[1].id})
    preview = page.print_letters("zh_CN", selected=True)
    assert preview is not None and preview.page_count() >= 2
    assert responsibility.get_letter(ws, letters[0].id).status is LetterStatus.DRAFT
    monkeypatch.setattr(PrintPreviewDialog, "_ask_printer", lambda self, printer: True)  # no modal dialog
    monkeypatch.setattr(PrintPreviewDialog, "print_to", lambda self, printer: True)
    preview.print_action.trigger()
    preview.close()
    assert {responsibility.get_letter(ws, i).status for i in (letters[0].id, letters[1].id)} == {LetterStatus.PRINTED}
    assert responsibility.get_letter(ws, letters[2].id).status is LetterStatus.DRAFT

    pdf, png = tmp_path / "签字扫描件.pdf", tmp_path / "scan.png"
    pdf.write_bytes(PDF)
    png.write_bytes(PNG)
    signed, sign_dialog = _sign(tab, monkeypatch, letters[0].id, pdf)
    assert sign_dialog.error.text() == "" and signed.status is LetterStatus.SIGNED and signed.signed_on == TODAY
    signed2, _d = _sign(tab, monkeypatch, letters[1].id, png)
    assert signed2.scan_file_name == "scan.png" and responsibility.verify_scan(signed2)

    others = sorted(letter.department for letter in letters[2:])
    assert tab.unsigned_label.text() == "Not signed: Target responsibility letter: " + "、".join(
        letter.department for letter in responsibility.unsigned(ws, plan.id))
    assert sorted(letter.department for letter in responsibility.unsigned(ws, plan.id)) == others
    row = next(r for r in range(page.model.rowCount()) if page.model.row_value(r).id == letters[0].id)
    assert page.model.index(row, 5).data() == "Signed" and page.model.index(row, 8).data() == "签字扫描件.pdf"

    # Open the signed copy; a scan that changed on disk is reported instead.
    opened = []
    monkeypatch.setattr("envdesk.ui.responsibility.letters.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    page.select({letters[0].id})
    assert page.scan_button.isEnabled() and page.open_scan()
    assert opened == [str(signed.scan_path)]


def test_a_signed_letter_stays_as_signed_when_its_tasks_change(tab, office, monkeypatch, tmp_path, warnings):
    ws, departments = office.ws, office.departments
    letters, _dialog = _generate(tab, monkeypatch)
    office_letter = next(letter for letter in letters if letter.department_id == departments[0].id)
    responsibility.mark_printed(ws, [office_letter.id], TODAY)
    tab.refresh()
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(PDF)
    signed, _d = _sign(tab, monkeypatch, office_letter.id, scan)
    content = signed.content

    # Task 1 is the office's: edit it in place.
    row = row_of_number(tab, "1")
    assert tab.model.setData(tab.model.index(row, CONTENT), "印发攻坚行动实施方案（修订）")
    after = responsibility.get_letter(ws, office_letter.id)
    assert after.content == content and after.status is LetterStatus.SIGNED and after.outdated
    page = tab.letters
    row = next(r for r in range(page.model.rowCount()) if page.model.row_value(r).id == office_letter.id)
    assert page.model.index(row, 10).data() == "⚠ Tasks changed since"

    # Generate makes a new revision to sign; the signed one is kept as it was.
    letters, _dialog = _generate(tab, monkeypatch)
    revised = next(letter for letter in letters if letter.department_id == departments[0].id)
    assert revised.id != office_letter.id and revised.revision == 2 and revised.status is LetterStatus.DRAFT
    assert revised.content["targets"][0]["content"] == "印发攻坚行动实施方案（修订）"
    assert responsibility.get_letter(ws, office_letter.id).content == content
    assert "1 new revision replaces a signed letter" in page.info.text()
    assert warnings == []


def test_a_scan_that_is_not_a_pdf_is_refused_and_nothing_changes(tab, office, monkeypatch, tmp_path):
    ws = office.ws
    letters, _dialog = _generate(tab, monkeypatch)
    responsibility.mark_printed(ws, [letters[0].id], TODAY)
    tab.refresh()
    fake = tmp_path / "scan.pdf"
    fake.write_text("this is a text file, renamed", encoding="utf-8")

    saved, dialog = _sign(tab, monkeypatch, letters[0].id, fake)
    assert saved is None and dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.error.text() == "Signed copy: scan.pdf is not really a PDF file"
    letter = responsibility.get_letter(ws, letters[0].id)
    assert letter.status is LetterStatus.PRINTED and letter.scan_sha256 == "" and letter.signed_on is None
    assert not responsibility.scan_dir().exists() or not any(responsibility.scan_dir().iterdir())

    saved, dialog = _sign(tab, monkeypatch, letters[0].id, "")
    assert saved is None and dialog.error.text() == "Signed copy: choose the scanned file (PDF or image)"


# --- documents, exchange, language, refresh -------------------------------------------------------

def test_export_then_import_the_task_table_into_another_plan(tab, office, monkeypatch, tmp_path):
    older = office.older
    path = tab.export_file(str(tmp_path / "tasks.xlsx"))
    assert path and (tmp_path / "tasks.xlsx").stat().st_size > 0
    tab.plan_combo.setCurrentIndex(tab.plan_combo.findData(older.id))
    assert tab.model.rowCount() == 0
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a, **k: shown.append((title, text)))
    changes = tab.import_file(str(tmp_path / "tasks.xlsx"))
    assert changes and shown[0][0] == "Imported" and "15 added" in shown[0][1]
    assert tab.model.rowCount() == 15
    assert cell(tab, row_of_number(tab, "4"), 3) == "生态环境监察大队"


def test_print_the_task_table(tab, office):
    preview = tab.print_task_table("bilingual")
    assert preview is not None and preview.page_count() >= 1
    assert preview.suggested_name.endswith(".pdf")
    preview.close()


def test_language_switch_retranslates_the_tab(tab, office):
    i18n.set_language("zh_CN")
    tab.retranslate_ui()
    assert tab._filter_labels["status"].text() == i18n._("Status") == "状态"
    assert tab.status_filter.itemText(0) == "全部"
    assert tab.export_button.text() == i18n._("Export…")
    assert tab.views.tabText(0) == i18n._("Task table")
    header = tab.model.headerData(0, Qt.Orientation.Horizontal)
    assert header == i18n._("No.") != "No."
    assert cell(tab, row_of_number(tab, "1"), STATUS) == TaskStatus.OVERDUE.label
    assert "重点推进" in tab.phase_strip.chips[1].text() and tab.phase_filter.itemText(2) == "重点推进"
    i18n.set_language("en")
    tab.retranslate_ui()
    assert tab.model.headerData(0, Qt.Orientation.Horizontal) == "No."
    assert "Key advancement" in tab.phase_strip.chips[1].text() and tab.phase_filter.itemText(2) == "Key advancement"


def test_new_departments_and_other_tabs_changes_refresh_the_tab(tab, office):
    ws, plan = office.ws, office.plan
    department, changes = reference.save_department(ws, None, "自然生态科", "Nature Section")
    tab.on_changes(changes)
    assert tab.department_filter.findData(department.id) > 0
    responsibility.save_task(ws, plan.id, None, TaskInput("开展生物多样性调查", department.id, number="16"))
    tab.on_changes(Changes.of(DEPARTMENT, "responsibility"))
    assert tab.model.rowCount() == 16 and tab.matrix_model.rowCount() == 6
