"""The approval clerk's path through the Approvals tab: register a project, send the one-time notification, accept,
pause for expert review and resume, decide — with both clocks shown correctly after every step — and the list's
filters, sorting and colours, refused input, the language switch, the leader's summary and printing."""

import subprocess
from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
)

from envdesk import i18n
from envdesk.app import approvals, enterprises, reference
from envdesk.app.approvals import ProjectInput
from envdesk.app.enterprises import EnterpriseInput
from envdesk.domain.approvals import ClockKind, Status
from envdesk.domain.deadlines import Urgency
from envdesk.i18n import format_date
from envdesk.ui.application import ensure_application
from envdesk.ui.dialogs.record_editor import RecordForm

D = date.fromisoformat


@pytest.fixture
def office(ws):
    reference.save_bureau(ws, "青溪县生态环境局", "Qingxi County Ecology and Environment Bureau", "青溪县")
    unit, _c = reference.save_department(ws, None, "行政审批科", "Approvals Section")
    reference.save_staff(ws, None, "李审批", unit.id, "科员")
    town, _c = reference.save_town(ws, None, "城关镇", "Chengguan Town")
    builder, _c = enterprises.save_enterprise(ws, None, EnterpriseInput(
        "青溪县宏达化工有限公司", credit_code="91350100M000100Y43", town_id=town.id, contact_person="陈经理",
        contact_phone="0591-88888888"))
    return ws, builder


def clerk(ws):
    return reference.find_staff(ws, "李审批").id


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
    else:
        assert isinstance(editor, QLineEdit)
        editor.setText(value)


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


def short(day: date) -> str:
    return format_date(day, "short")


def clock_row(tab, kind: ClockKind) -> str:
    """The row of the detail panel's clock table that shows one clock (its cells are lines of the plain text)."""
    lines = tab.detail.toPlainText().splitlines()
    start = lines.index(kind.label)
    return " | ".join(lines[start:start + 5])


def printable(tab) -> set[str]:
    return {which for which, menu in tab.print_menus.items() if menu.menuAction().isEnabled()}


def project(builder, **kwargs) -> ProjectInput:
    values = {"name": "年产5万吨饲料加工项目", "builder_id": builder.id, "document_type": "report_form"}
    values.update(kwargs)
    return ProjectInput(**values)


def test_the_clerks_path_across_national_day(qtbot, office, forms, monkeypatch):
    from envdesk.ui.approvals import dialogs
    from envdesk.ui.approvals.tab import ApprovalsTab

    ws, builder = office
    answers, errors = forms
    ensure_application()
    tab = ApprovalsTab(ws)
    qtbot.addWidget(tab)
    assert tab.model.total == 0

    # 1. Register a report form received on Monday 2026-09-21, chosen builder, EIA category from the directory.
    def register(dialog):
        dialog.name.setText("年产5万吨饲料加工项目")
        dialog._set_builder(builder)
        assert dialog.contact_person.text() == "陈经理"  # taken from the enterprise register
        _set(dialog.document_type, "report_form")
        _set(dialog.track, "normal")
        dialog.category.set_value(8)
        dialog.project_code.setText("2026-350100-13-03-000123")
        dialog.total_investment.setText("3200")
        dialog.env_investment.setText("180.5")
        dialog.key_project.setChecked(True)
        _set(dialog.handler, clerk(ws))
        _set(dialog.received_on, D("2026-09-21"))
        dialog.accept()
        assert dialog.error.text() == ""
        return dialog.result()

    monkeypatch.setattr(dialogs.RegisterDialog, "exec", register)
    tab.register()
    c = tab.current
    assert c is not None and c.status is Status.RECEIVED and c.number.startswith("SP-2026-")
    assert c.category == 8 and c.key_project and c.handler_id == clerk(ws)
    assert tab.model.total == 1 and tab.model.index(0, 1).data() == "★"
    # The one-time notification was due within 5 calendar days, rolled off the Mid-Autumn break to Sep 28. Entered
    # after that, the case shows what the law says: counted as accepted on receipt, both clocks running from then.
    missing = clock_row(tab, ClockKind.MISSING_MATERIALS)
    assert short(D("2026-09-28")) in missing and "Overdue" in missing
    assert c.deemed_accepted_on_receipt and "counts as accepted on the day it was received" in \
        tab.detail.toPlainText()
    assert [k.kind for k in c.clocks] == [ClockKind.MISSING_MATERIALS, ClockKind.STATUTORY, ClockKind.PROMISED]
    enabled = {a for a, b in tab.step_buttons.items() if b.isEnabled()}
    assert enabled == {"request_materials", "accept", "withdraw", "edit"}

    # 2. One-time notification, two items listed at once (an empty line is dropped).
    def notify(dialog):
        _set(dialog.on, D("2026-09-23"))
        dialog.add_item("环评报告表（盖章版）")
        dialog.add_item("")
        dialog.add_item("土地预审意见")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(dialogs.MissingMaterialsDialog, "exec", notify)
    tab.step("request_materials")
    c = tab.current
    assert c.status is Status.MATERIALS_REQUESTED and c.missing_items == ("环评报告表（盖章版）", "土地预审意见")
    assert "土地预审意见" in tab.detail.toPlainText()
    assert "Done on time" in clock_row(tab, ClockKind.MISSING_MATERIALS)
    assert not tab.current.deemed_accepted_on_receipt
    assert "counts as accepted" not in tab.detail.toPlainText()
    assert printable(tab) == {"missing_materials"}

    # 3. Accept on Sep 24: both clocks start. Promised 7 working days → Oct 12; statutory 30 → Nov 12.
    answers.append({"on": D("2026-09-24"), "actor_id": clerk(ws)})
    tab.step("accept")
    assert errors[-1] == ""
    c = tab.current
    assert c.status is Status.UNDER_REVIEW
    promised, statutory = clock_row(tab, ClockKind.PROMISED), clock_row(tab, ClockKind.STATUTORY)
    assert short(D("2026-10-12")) in promised and "7 working days" in promised
    assert short(D("2026-11-12")) in statutory and "30 working days" in statutory
    assert "Environmental Impact Assessment Law, art. 22" in statutory
    assert printable(tab) == {"missing_materials", "acceptance"}

    # 4. Pause for expert review from Sep 28; resume after Oct 9: both clocks move by the pause.
    answers.append({"kind": "expert_review", "start": D("2026-09-28"), "reason": "专家技术评审会"})
    tab.step("pause")
    c = tab.current
    assert c.status is Status.PAUSED and c.urgency is Urgency.PAUSED
    assert "Paused" in clock_row(tab, ClockKind.PROMISED)
    assert "专家技术评审会" in tab.detail.toPlainText()
    assert tab.step_buttons["resume"].isEnabled() and not tab.step_buttons["decide"].isEnabled()
    answers.append({"last": D("2026-10-09")})
    tab.step("resume")
    c = tab.current
    assert c.status is Status.UNDER_REVIEW and c.pauses[0].end == D("2026-10-09")
    assert short(D("2026-10-19")) in clock_row(tab, ClockKind.PROMISED)
    assert short(D("2026-11-19")) in clock_row(tab, ClockKind.STATUTORY)

    # 5. Decide on Oct 13: 3 working days used (Oct 10, a working Saturday, 12 and 13), 90% faster than statutory.
    answers.append({"outcome": "approved", "on": D("2026-10-13"), "number": "青环审〔2026〕41号"})
    tab.step("decide")
    assert errors[-1] == ""
    c = tab.current
    assert c.status is Status.APPROVED and c.document_number == "青环审〔2026〕41号"
    statutory, promised = clock_row(tab, ClockKind.STATUTORY), clock_row(tab, ClockKind.PROMISED)
    assert "3 working days" in statutory and "90.0% faster than the statutory limit" in statutory
    assert "57.1% faster than the promised limit" in promised and "Done on time" in promised
    assert not any(tab.step_buttons[a].isEnabled() for a in ("accept", "pause", "decide", "withdraw"))
    history = tab.detail.toPlainText()
    for step in ("Registered", "Missing materials requested", "Accepted", "Paused", "Resumed", "Decided"):
        assert step in history
    events = [e.action for e in approvals.get_case(ws, c.id).events]
    assert events == ["register", "request_materials", "accept", "pause", "resume", "decide"]


def test_refused_steps_show_inline_and_write_nothing(qtbot, office, forms, monkeypatch):
    from envdesk.ui.approvals import dialogs
    from envdesk.ui.approvals.tab import ApprovalsTab

    ws, builder = office
    answers, errors = forms
    case, _c = approvals.register(ws, project(builder), received_on=D("2026-09-21"))
    ensure_application()
    tab = ApprovalsTab(ws)
    qtbot.addWidget(tab)
    tab.select(case.id)

    # Acceptance before receipt: the form stays open with the field named; nothing is written.
    answers.append({"on": D("2026-09-20")})
    tab.step("accept")
    assert errors[-1].startswith("Accepted:") and "before receipt" in errors[-1]
    after = approvals.get_case(ws, case.id)
    assert (after.status, after.version, after.accepted_on) == (Status.RECEIVED, case.version, None)

    # A one-time notification with nothing listed.
    seen = []

    def notify(dialog):
        dialog.accept()
        seen.append(dialog.error.text())
        return dialog.result()

    monkeypatch.setattr(dialogs.MissingMaterialsDialog, "exec", notify)
    tab.step("request_materials")
    assert seen[-1].startswith("Missing materials:")
    assert approvals.get_case(ws, case.id).version == case.version

    # A new project with a malformed investment project code: the row is marked, no case is added.
    def register(dialog):
        dialog.name.setText("某项目")
        dialog._set_builder(builder)
        dialog.project_code.setText("2026-35")
        dialog.accept()
        seen.append((dialog.error.text(), dialog.marked.text() if dialog.marked else None))
        return dialog.result()

    monkeypatch.setattr(dialogs.RegisterDialog, "exec", register)
    tab.register()
    text, marked = seen[-1]
    assert text.startswith("Investment project code:") and marked == "Investment project code"
    assert approvals.count_cases(ws) == 1

    # An EIA category that is not in the directory is refused by the combo before anything is written.
    def bad_category(dialog):
        dialog.name.setText("某项目")
        dialog._set_builder(builder)
        dialog.category.setEditText("没有这个类别")
        dialog.accept()
        seen.append((dialog.error.text(), dialog.marked.text() if dialog.marked else None))
        return dialog.result()

    monkeypatch.setattr(dialogs.RegisterDialog, "exec", bad_category)
    tab.register()
    text, marked = seen[-1]
    assert text.startswith("EIA category:") and marked == "EIA category"
    assert approvals.count_cases(ws) == 1


def test_a_stale_form_is_refused_and_the_case_reloaded(qtbot, office, forms, monkeypatch):
    from envdesk.ui.approvals.tab import ApprovalsTab
    from envdesk.ui.dialogs import conflict
    from envdesk.ui.dialogs.conflict import Resolution

    ws, builder = office
    answers, _errors = forms
    case, _c = approvals.register(ws, project(builder), received_on=D("2026-09-21"))
    ensure_application()
    tab = ApprovalsTab(ws)
    qtbot.addWidget(tab)
    tab.select(case.id)
    # Someone else accepts it meanwhile.
    approvals.accept(ws, case.id, D("2026-09-22"), expected_version=case.version)
    shown = []
    monkeypatch.setattr(conflict, "ask", lambda parent, error, fields=(), _shown=None, _reapply=True:
                        shown.append(error) or Resolution.RELOAD)
    answers.append({"on": D("2026-09-23")})
    tab.step("accept")
    (error,) = shown
    assert "someone else" in str(error).lower()
    assert [e.changes["status"] for e in error.changes if "status" in e.changes] == [["received", "under_review"]]
    assert tab.current.status is Status.UNDER_REVIEW and tab.current.accepted_on == D("2026-09-22")


def test_edit_the_project_and_correct_a_pause(qtbot, office, forms, monkeypatch):
    from PySide6.QtCore import QUrl

    from envdesk.ui.approvals import dialogs
    from envdesk.ui.approvals.tab import ApprovalsTab

    ws, builder = office
    answers, errors = forms
    case, _c = approvals.register(ws, project(builder), received_on=D("2026-09-21"))
    case, _c = approvals.accept(ws, case.id, D("2026-09-22"))
    case, _c = approvals.pause(ws, case.id, "expert_review", D("2026-09-28"), "专家评审")
    case, _c = approvals.resume(ws, case.id, D("2026-10-09"))
    ensure_application()
    tab = ApprovalsTab(ws)
    qtbot.addWidget(tab)
    tab.select(case.id)

    def edit(dialog):
        assert dialog.name.text() == case.name and dialog.builder.id == builder.id  # the case's details loaded
        dialog.name.setText("年产8万吨饲料加工项目")
        dialog.key_project.setChecked(True)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(dialogs.RegisterDialog, "exec", edit)
    tab.step("edit")
    assert tab.current.name == "年产8万吨饲料加工项目" and tab.current.key_project
    assert tab.model.row_value(0).name == "年产8万吨饲料加工项目"

    # The pause's "Correct…" link opens its form with its dates; a shorter pause brings the promised date forward.
    promised = tab.current.clock(ClockKind.PROMISED).due
    answers.append({"end": D("2026-10-01")})
    tab.detail.anchorClicked.emit(QUrl(f"pause:{tab.current.pauses[0].id}"))
    assert errors[-1] == ""
    assert tab.current.pauses[0].end == D("2026-10-01")
    assert tab.current.clock(ClockKind.PROMISED).due < promised
    assert short(tab.current.clock(ClockKind.PROMISED).due) in clock_row(tab, ClockKind.PROMISED)


def test_filters_sorting_and_colours(qtbot, office):
    from envdesk.ui.approvals.tab import SORTABLE, URGENCY_COLOURS, ApprovalsTab

    ws, builder = office
    today = date.today()
    # Received long ago and never notified nor accepted: counted as accepted on receipt, now overdue.
    late, _c = approvals.register(ws, project(builder, name="迟办的饲料项目"), received_on=D("2026-01-05"))
    book, _c = approvals.register(ws, project(builder, name="化工园区扩建项目", document_type="report_book",
                                              track="green_channel", key_project=True), received_on=today)
    paused, _c = approvals.register(ws, project(builder, name="光伏电站项目"), received_on=D("2026-03-02"))
    paused, _c = approvals.accept(ws, paused.id, D("2026-03-02"))
    approvals.pause(ws, paused.id, "public_notice", D("2026-03-03"), "公示")
    filed, _c = approvals.register(ws, project(builder, name="汽修店项目", document_type="registration_form"),
                                   received_on=D("2026-04-01"))
    approvals.file_registration(ws, filed.id, D("2026-04-01"))
    ensure_application()
    tab = ApprovalsTab(ws)
    qtbot.addWidget(tab)
    assert tab.model.total == 4

    tab.search.setText("饲料")
    tab.refresh()
    assert tab.model.total == 1 and tab.model.row_value(0).id == late.id
    tab.search.setText("")
    _set(tab.document_type, "report_book")
    assert tab.model.total == 1 and tab.model.row_value(0).id == book.id
    _set(tab.document_type, None)
    tab.key_only.setChecked(True)
    assert [tab.model.row_value(r).id for r in range(tab.model.rowCount())] == [book.id]
    tab.key_only.setChecked(False)
    _set(tab.track, "green_channel")
    assert tab.model.total == 1
    _set(tab.track, None)
    _set(tab.status, "open")
    assert tab.model.total == 3
    _set(tab.status, "filed")
    assert tab.model.total == 1 and tab.model.row_value(0).id == filed.id
    _set(tab.status, None)
    tab.overdue.setChecked(True)
    assert [tab.model.row_value(r).id for r in range(tab.model.rowCount())] == [late.id]
    assert tab.model.data(tab.model.index(0, 0), Qt.ItemDataRole.BackgroundRole).color() == \
        URGENCY_COLOURS[Urgency.OVERDUE]
    tab.overdue.setChecked(False)

    # Sorting goes to SQL: by case number both ways, by project name.
    number_column = next(c for c, key in SORTABLE.items() if key == "number")
    tab.table.sortByColumn(number_column, Qt.SortOrder.AscendingOrder)
    numbers = [tab.model.row_value(r).number for r in range(tab.model.rowCount())]
    assert numbers == sorted(numbers)
    tab.table.sortByColumn(number_column, Qt.SortOrder.DescendingOrder)
    assert [tab.model.row_value(r).number for r in range(tab.model.rowCount())] == sorted(numbers, reverse=True)
    # The paused case is shown in the paused colour.
    row = next(r for r in range(tab.model.rowCount()) if tab.model.row_value(r).id == paused.id)
    assert tab.model.data(tab.model.index(row, 0), Qt.ItemDataRole.BackgroundRole).color() == \
        URGENCY_COLOURS[Urgency.PAUSED]


def test_switching_language_retranslates(qtbot, office):
    from envdesk.ui.approvals.tab import ApprovalsTab

    ws, builder = office
    case, _c = approvals.register(ws, project(builder), received_on=D("2026-09-21"))
    ensure_application()
    tab = ApprovalsTab(ws)
    qtbot.addWidget(tab)
    tab.select(case.id)
    assert tab.import_button.text() == "Import…"
    english = {name: button.text() for name, button in tab.step_buttons.items()}
    try:
        i18n.set_language("zh_CN")
        tab.retranslate_ui()
        assert tab.import_button.text() == "导入…"
        assert tab._labels["status"].text() == "状态"
        assert tab.model.headerData(6, Qt.Orientation.Horizontal) == "状态"
        assert tab.status.itemText(0) == i18n._("All") != "All"
        for name, button in tab.step_buttons.items():
            assert button.text() == i18n._(english[name])
        assert Status.RECEIVED.label in tab.detail.toPlainText()
    finally:
        i18n.set_language("en")
    tab.retranslate_ui()
    assert tab.import_button.text() == "Import…"


def test_summary_window_shows_the_figures(qtbot, office, tmp_path):
    from envdesk.ui.approvals.tab import ApprovalsTab

    ws, builder = office
    year = date.today().year - 1  # a whole year in the past, whatever day the test runs
    decided, _c = approvals.register(ws, project(builder), received_on=date(year, 1, 5))
    approvals.accept(ws, decided.id, date(year, 1, 5))
    approvals.decide(ws, decided.id, "approved", date(year, 1, 7), "青环审〔2026〕1号")
    approvals.register(ws, project(builder, name="在审项目", key_project=True), received_on=date(year, 1, 6))
    filed, _c = approvals.register(ws, project(builder, name="登记表项目", document_type="registration_form"),
                                   received_on=date(year, 1, 8))
    approvals.file_registration(ws, filed.id, date(year, 1, 8))
    approvals.register(ws, project(builder, name="豁免项目", document_type="registration_form", track="exempt"),
                       received_on=date(year, 1, 9))
    ensure_application()
    tab = ApprovalsTab(ws)
    qtbot.addWidget(tab)
    dialog = tab.open_summary()
    qtbot.addWidget(dialog)
    dialog.year.setValue(year)
    dialog.refresh()
    assert dialog.summary is not None and dialog.summary.total == 4

    def cell(table, row, column):
        return table.item(row, column).text()

    headers = [dialog.groups.horizontalHeaderItem(c).text() for c in range(dialog.groups.columnCount())]
    rows = [dialog.groups.verticalHeaderItem(r).text() for r in range(dialog.groups.rowCount())]
    forms = rows.index("Report forms")
    registrations = rows.index("Registration forms")
    assert cell(dialog.groups, forms, headers.index("Total")) == "2"
    assert cell(dialog.groups, forms, headers.index("Approved or filed")) == "1"
    assert cell(dialog.groups, forms, headers.index("Under review")) == "1"
    assert cell(dialog.groups, registrations, headers.index("Approved or filed")) == "1"
    assert cell(dialog.groups, registrations, headers.index("Exempt")) == "1"
    assert "of 4 projects, 2 need a report book or form: 1 approved, 1 under review" in dialog.headline.text()
    assert dialog.timings.rowCount() == 2  # report form · normal, registration form · normal
    report_form = next(r for r in range(dialog.timings.rowCount()) if cell(dialog.timings, r, 0) == "EIA report form")
    assert cell(dialog.timings, report_form, 2) == "1" and cell(dialog.timings, report_form, 3) == "2"
    assert cell(dialog.timings, report_form, 4) == "100.0%"
    assert dialog.charts.count() == 2
    # Key projects only.
    dialog.key_only.setChecked(True)
    dialog.refresh()
    assert dialog.summary.total == 1 and dialog.summary.key_only
    # A period that ends before it starts is named under the period, not a traceback.
    dialog.by_period.setChecked(True)
    dialog.start.setDate(QDate(year, 6, 1))
    dialog.end.setDate(QDate(year, 5, 1))
    dialog.refresh()
    assert "Period" in dialog.error.text()
    dialog.by_year.setChecked(True)
    dialog.key_only.setChecked(False)
    dialog.refresh()
    assert dialog.error.text() == "" and dialog.summary.total == 4
    target = tmp_path / "summary.xlsx"
    assert dialog.export_file(str(target)) == str(target) and target.exists()
    from openpyxl import load_workbook

    cells = [tuple(row) for row in load_workbook(target).active.iter_rows(values_only=True)]
    assert ("Report forms", "Approved or filed", "1") in cells

    preview = dialog.print_report("en")
    assert preview is not None
    qtbot.addWidget(preview)
    text = subprocess.run(["pdftotext", "-", "-"], input=preview._pdf, capture_output=True, check=True).stdout.decode()
    assert str(year) in text
    preview.close()
    i18n.set_language("zh_CN")
    try:
        dialog.retranslate_ui()
        assert dialog.export_button.text() == "导出…"
    finally:
        i18n.set_language("en")


def test_printing_from_the_tab(qtbot, office):
    from envdesk.ui.approvals.tab import ApprovalsTab

    ws, builder = office
    case, _c = approvals.register(ws, project(builder), received_on=D("2026-09-21"))
    case, _c = approvals.request_materials(ws, case.id, D("2026-09-22"), ["环评报告表（盖章版）"])
    case, _c = approvals.accept(ws, case.id, D("2026-09-24"))
    approvals.pause(ws, case.id, "expert_review", D("2026-09-28"), "专家评审")
    ensure_application()
    tab = ApprovalsTab(ws)
    qtbot.addWidget(tab)
    tab.select(case.id)
    assert printable(tab) == {"acceptance", "missing_materials", "pause"}
    for which in ("acceptance", "missing_materials", "pause"):
        preview = tab.print_document(which, "bilingual")
        assert preview is not None, which
        qtbot.addWidget(preview)
        text = subprocess.run(["pdftotext", "-", "-"], input=preview._pdf, capture_output=True, check=True).stdout.decode()
        assert case.number in text, which
        preview.close()
    # The Print button's menu: a notice, then a language.
    from PySide6.QtWidgets import QApplication

    from envdesk.ui.print_preview import PrintPreviewDialog

    before = {id(w) for w in QApplication.topLevelWidgets() if isinstance(w, PrintPreviewDialog)}
    next(a for a in tab.print_menus["pause"].actions() if a.data() == "zh_CN").trigger()
    opened = [w for w in QApplication.topLevelWidgets() if isinstance(w, PrintPreviewDialog) and id(w) not in before]
    assert len(opened) == 1
    qtbot.addWidget(opened[0])
    text = subprocess.run(["pdftotext", "-", "-"], input=opened[0]._pdf, capture_output=True, check=True).stdout.decode()
    assert "专家评审" in text
    tab.date_from.setDate(QDate(2026, 9, 1))
    tab.date_to.setDate(QDate(2026, 9, 30))
    assert tab.ledger_period() == (D("2026-09-01"), D("2026-09-30"))
    preview = tab.print_period_ledger("zh_CN")
    assert preview is not None
    qtbot.addWidget(preview)
    text = subprocess.run(["pdftotext", "-", "-"], input=preview._pdf, capture_output=True, check=True).stdout.decode()
    assert case.number in text
    preview.close()


def test_export_and_import_round_trip(qtbot, office, tmp_path, monkeypatch):
    from envdesk.ui.approvals.tab import ApprovalsTab

    ws, builder = office
    approvals.register(ws, project(builder), received_on=D("2026-09-21"))
    ensure_application()
    tab = ApprovalsTab(ws)
    qtbot.addWidget(tab)
    target = tmp_path / "approvals.xlsx"
    assert tab.export_file(str(target)) == str(target) and target.exists()
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a, **k: shown.append(text))
    tab.import_file(str(target))  # the same ledger again: already there, nothing added
    assert shown and approvals.count_cases(ws) == 1


def test_the_tab_opens_on_the_demo_database(qtbot, demo_ws):
    from envdesk.ui.main_window import MainWindow

    ensure_application()
    window = MainWindow(demo_ws)
    qtbot.addWidget(window)
    window.show_tab("approvals")
    tab = window.tab("approvals")
    assert type(tab).__name__ == "ApprovalsTab"
    assert tab.model.total == approvals.count_cases(demo_ws)
    if tab.model.rowCount():
        tab.table.selectRow(0)
        assert tab.current is not None and tab.current.number in tab.detail.toPlainText()
