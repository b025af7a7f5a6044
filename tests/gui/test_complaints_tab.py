"""The complaints clerk's path: register a phone complaint, link it as a repeat, accept, assign, log handling,
extend once with a leader's approval, reply, follow up, close, and print each document."""

import subprocess
from datetime import date, datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLineEdit, QPlainTextEdit, QSpinBox

from envdesk.app import complaints, reference
from envdesk.app.complaints import ComplaintInput
from envdesk.domain.complaints import Status
from envdesk.ui.application import ensure_application
from envdesk.ui.dialogs.record_editor import ChoiceList, RecordForm


@pytest.fixture
def office(ws):
    reference.save_bureau(ws, "青溪县生态环境局", "Qingxi County Ecology and Environment Bureau", "青溪县")
    office, _ = reference.save_department(ws, None, "信访办", "Complaints Office")
    brigade, _ = reference.save_department(ws, None, "生态环境监察大队", "Law Enforcement Brigade")
    reference.save_staff(ws, None, "李强", office.id, "局长", is_leader=True)
    reference.save_staff(ws, None, "王伟", office.id, "科员")
    reference.save_staff(ws, None, "周敏", brigade.id, "队长")
    reference.save_town(ws, None, "城关镇", "Chengguan Town")
    return ws


def staff_id(ws, name):
    return reference.find_staff(ws, name).id


def _set(editor, value):
    if isinstance(editor, QComboBox):
        index = editor.findData(value)
        assert index >= 0, value
        editor.setCurrentIndex(index)
    elif isinstance(editor, QDateEdit):
        editor.setDate(QDate(value.year, value.month, value.day))
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText(value)
    elif isinstance(editor, QCheckBox):
        editor.setChecked(value)
    elif isinstance(editor, QSpinBox):
        editor.setValue(value)
    elif isinstance(editor, ChoiceList):
        for row in range(editor.count()):
            item = editor.item(row)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in value
                               else Qt.CheckState.Unchecked)
    else:
        assert isinstance(editor, QLineEdit)
        editor.setText(value)


@pytest.fixture
def forms(monkeypatch):
    answers, errors = [], []

    def exec_(form):
        for key, value in answers.pop(0).items():
            _set(form.editors[key], value)
        form.accept()
        errors.append(form.error.text())
        return form.result()

    monkeypatch.setattr(RecordForm, "exec", exec_)
    return answers, errors


def test_the_clerks_path(qtbot, office, forms, monkeypatch):
    from envdesk.ui.complaints import dialogs
    from envdesk.ui.complaints.tab import ComplaintsTab

    ws = office
    answers, errors = forms
    today = date.today()
    # An earlier complaint by the same caller about the same noise.
    earlier, _ = complaints.register(ws, ComplaintInput(
        "12369", datetime.now(timezone.utc) - timedelta(days=20), staff_id(ws, "王伟"), "工地夜间施工噪声扰民",
        ("construction_noise",), complainant_name="张伟", complainant_phone="13812345678", subject="某工地"))
    ensure_application()
    tab = ComplaintsTab(ws)
    qtbot.addWidget(tab)

    # 1. Register a phone complaint; the same phone brings the earlier one up as a possible repeat.
    def register(dialog):
        _set(dialog.channel, "phone")
        dialog.received.setDateTime(QDateTime.currentDateTime().addSecs(-3600))
        _set(dialog.receiver, staff_id(ws, "王伟"))
        dialog.name.setText("张伟")
        dialog.phone.setText("138 1234 5678")
        dialog.subject.setText("某工地")
        dialog.location.setText("城关镇解放路工地")
        dialog.content.setPlainText("工地晚上十点后还在施工，噪声很大")
        _set(dialog.pollution, ("construction_noise",))
        dialog.refresh_suggestions()
        assert dialog.suggestions.count() == 1 and earlier.number in dialog.suggestions.item(0).text()
        dialog.suggestions.item(0).setCheckState(Qt.CheckState.Checked)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(dialogs.RegisterDialog, "exec", register)
    tab.register()
    c = tab.current
    assert c is not None and c.status is Status.REGISTERED and c.repeats == (earlier.number,)
    # The list shows the identity masked; the detail asks for it explicitly.
    assert tab.model.row_value(0).complainant.display() == "张* 138****5678"
    assert "138****5678" in tab.detail.toPlainText()
    tab.identity_button.setChecked(True)
    assert "13812345678" in tab.detail.toPlainText()
    assert [clock.key for clock in tab.current.clocks] == ["acceptance"]

    # 2. Accept, assign to the brigade, log a site inspection.
    brigade = next(d.id for d in reference.list_departments(ws) if d.name_zh == "生态环境监察大队")
    answers.append({"decision": "accept", "decided_on": today, "actor_id": staff_id(ws, "王伟")})
    tab.step("decide")
    answers.append({"department_id": brigade, "person_id": staff_id(ws, "周敏"), "assigned_on": today})
    tab.step("assign")
    answers.append({"kind": "site_inspection", "handled_on": today, "staff_id": staff_id(ws, "周敏"),
                    "note": "现场检查，责令停止夜间施工"})
    tab.step("handle")
    assert tab.current.status is Status.ASSIGNED and len(tab.current.handlings) == 1
    handling_due = next(k.due for k in tab.current.clocks if k.key == "handling")

    # 3. Extend once with a leader's approval; a second extension is refused with a clear message.
    answers.append({"days": 30, "approved_by": staff_id(ws, "李强"), "approved_on": today, "reason": "需要监测"})
    tab.step("extend")
    assert next(k.due for k in tab.current.clocks if k.key == "handling") > handling_due
    answers.append({"days": 5, "approved_by": staff_id(ws, "李强"), "approved_on": today, "reason": "again"})
    tab.step("extend")
    assert "already extended once" in errors[-1]

    # 4. Reply, follow up (satisfied), close.
    answers.append({"replied_on": today, "text": "经查属实，已责令施工单位停止夜间施工。"})
    tab.step("reply")
    answers.append({"on": today, "method": "phone", "satisfaction": "satisfied", "notes": "满意"})
    tab.step("follow_up")
    answers.append({"closed_on": today})
    tab.step("close")
    assert tab.current.status is Status.CLOSED
    events = [e.action for e in complaints.get_complaint(ws, tab.current.id).events]
    assert events == ["register", "decide", "assign", "handle", "extend", "reply", "follow_up", "close"]

    # 5. Print each document in each language.
    for which in ("form", "notice", "reply"):
        for language in ("zh_CN", "en", "bilingual"):
            preview = tab.print_document(which, language)
            assert preview is not None, (which, language)
            qtbot.addWidget(preview)
            text = subprocess.run(["pdftotext", "-", "-"], input=preview._pdf, capture_output=True).stdout.decode()
            assert tab.current.number in text
            preview.close()


def test_search_filters_and_overdue_colouring(qtbot, office):
    from envdesk.ui.complaints.tab import URGENCY_COLOURS, ComplaintsTab

    ws = office
    old = datetime.now(timezone.utc) - timedelta(days=40)
    for content in ("餐馆油烟扰民", "夜间偷排废水", "广场舞噪声"):
        complaints.register(ws, ComplaintInput("12345", old, staff_id(ws, "王伟"), content, ("other",),
                                               anonymous=True, subject="某处"))
    ensure_application()
    tab = ComplaintsTab(ws)
    qtbot.addWidget(tab)
    assert tab.model.total == 3
    tab.search.setText("油烟")
    tab.refresh()
    assert tab.model.total == 1 and tab.model.row_value(0).content == "餐馆油烟扰民"
    tab.search.setText("偷排废水")
    tab.refresh()
    assert tab.model.total == 1
    tab.search.clear()
    tab.overdue.setChecked(True)
    assert tab.model.total == 3  # 40 days without an acceptance decision
    index = tab.model.index(0, 0)
    assert tab.model.data(index, Qt.ItemDataRole.BackgroundRole).color() == URGENCY_COLOURS[
        complaints.Urgency.OVERDUE]
    assert tab.model.row_value(0).complainant.display() == "Anonymous"


def test_statistics_dialog_counts_and_exports(qtbot, office, tmp_path):
    from envdesk.ui.complaints.tab import ComplaintsTab

    ws = office
    when = datetime.now(timezone.utc) - timedelta(days=3)
    for content, kind in (("餐馆油烟扰民", "cooking_fumes"), ("工地噪声", "construction_noise"),
                          ("夜间噪声", "social_noise")):
        complaints.register(ws, ComplaintInput("12369", when, staff_id(ws, "王伟"), content, (kind,),
                                               anonymous=True, subject="某处"))
    ensure_application()
    tab = ComplaintsTab(ws)
    qtbot.addWidget(tab)
    dialog = tab.open_statistics()
    qtbot.addWidget(dialog)
    assert "3 complaints received" in dialog.rates.text()
    items = {(dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text()): dialog.table.item(r, 2).text()
             for r in range(dialog.table.rowCount())}
    assert items[("Pollution type", "Noise")] == "2" and items[("Pollution type", "Air")] == "1"
    assert dialog.charts.count() == 2
    target = tmp_path / "stats.xlsx"
    assert dialog.export_file(str(target)) == str(target) and target.exists()


def test_statistics_print_preview(qtbot, office):
    from envdesk.ui.complaints.statistics import StatisticsDialog

    ensure_application()
    dialog = StatisticsDialog(office)
    qtbot.addWidget(dialog)
    preview = dialog.print_report("bilingual")
    qtbot.addWidget(preview)
    text = subprocess.run(["pdftotext", "-", "-"], input=preview._pdf, capture_output=True).stdout.decode()
    assert "信访统计报表" in text and "Complaint Statistics Report" in text
