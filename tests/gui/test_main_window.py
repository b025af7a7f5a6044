"""The main window, as a user meets it: tabs, menus, language switch, first run, settings, backup."""

from datetime import date

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLabel

from envdesk import i18n
from envdesk import settings as decl
from envdesk.app import reference
from envdesk.app import settings as settings_app
from envdesk.ui.application import ensure_application, register_fonts
from envdesk.ui.main_window import TAB_ORDER, MainWindow


@pytest.fixture
def window(qtbot, demo_ws):
    ensure_application()
    win = MainWindow(demo_ws)
    qtbot.addWidget(win)
    win.show()
    return win


def tab_titles(win):
    return [win.tabs.tabText(i) for i in range(win.tabs.count())]


def test_five_tabs_and_the_overview_first(window):
    assert tab_titles(window) == ["Overview", "Twinning enterprises", "Complaints", "Approvals",
                                  "Responsibility matrix"]
    assert window.tabs.currentIndex() == 0
    assert "青溪县生态环境局" in window.windowTitle() or "Qingxi" in window.windowTitle()


def test_every_tab_is_a_real_register(window):
    from envdesk.ui.tabs.placeholder import PlaceholderTab

    for key in TAB_ORDER:
        tab = window.tab(key)
        assert tab.key == key and not isinstance(tab, PlaceholderTab), key
        assert not tab.findChildren(QLabel, "placeholder_body")
    responsibility = window.tab("responsibility")
    assert responsibility.plan_combo.count() >= 1 and responsibility.model.rowCount() > 0  # the demo's plans


def test_language_switch_retranslates_without_restart(window, qtbot):
    zh = next(a for a in window.act_languages.actions() if a.data() == "zh_CN")
    zh.trigger()
    assert i18n.current_language() == "zh_CN"
    assert tab_titles(window) == ["概览", "结对服务企业", "环境信访", "环评审批", "责任清单"]
    assert window.menu_file.title() == "文件(&F)"
    # Qt's own dialogs follow through QTranslator.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    # The choice is remembered for the next start.
    assert decl.local_value(decl.LANGUAGE) == "zh_CN"
    en = next(a for a in window.act_languages.actions() if a.data() == "en")
    en.trigger()
    assert tab_titles(window)[0] == "Overview"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_tab_shortcuts(window, qtbot):
    for index in range(len(TAB_ORDER)):
        assert window.act_tabs[index].shortcut().toString() == f"Ctrl+{index + 1}"
    window.act_tabs[2].trigger()
    assert window.tabs.currentIndex() == 2
    assert not window.act_quit.shortcut().isEmpty()
    assert not window.act_copy.shortcut().isEmpty()


def test_overview_shows_the_calendar_notice_and_figures(window):
    overview = window.tab("overview")
    model = overview.table.model()
    references = [model.index(r, 2).data() for r in range(model.rowCount())]
    if date.today().month >= 11:
        assert str(date.today().year + 1) in references
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:3] == ["Status", "Register", "Reference"]


def test_geometry_tab_and_columns_are_remembered(qtbot, demo_ws):
    ensure_application()
    first = MainWindow(demo_ws)
    qtbot.addWidget(first)
    first.show()
    size = (max(700, first.minimumSizeHint().width()), 560)  # within the offscreen 800x600 screen
    first.resize(*size)
    first.show_tab("approvals")
    first.tab("overview").table.setColumnWidth(3, 333)
    first.close()
    second = MainWindow(demo_ws)
    qtbot.addWidget(second)
    second.show()
    assert second.tabs.currentIndex() == TAB_ORDER.index("approvals")
    assert (second.width(), second.height()) == size
    assert second.tab("overview").table.columnWidth(3) == 333


def test_backup_from_the_menu_runs_in_the_background(window, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "menu-backup.sqlite3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.act_backup.trigger()
    assert target.exists()
    assert "Backup written" in window.statusBar().currentMessage()


def test_bundled_cjk_font_is_registered(qapp):
    families = register_fonts()
    assert any("Droid" in family for family in families)


def test_first_run_dialog_requires_a_name(qtbot, ws):
    from envdesk.ui.dialogs.first_run import FirstRunDialog

    ensure_application()
    dialog = FirstRunDialog(ws)
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "Bureau name (Chinese): is required" in dialog.findChild(type(dialog._error), "first_run_error").text()
    dialog.name_zh.setText("青溪县生态环境局")
    dialog.name_en.setText("Qingxi County Ecology and Environment Bureau")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert reference.get_bureau(ws).name_en == "Qingxi County Ecology and Environment Bureau"


def test_first_run_language_choice_switches_at_once(qtbot, ws):
    from envdesk.ui.dialogs.first_run import FirstRunDialog

    ensure_application()
    dialog = FirstRunDialog(ws)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    assert dialog.windowTitle() == "欢迎使用 EnvDesk"
    dialog.reject()


def test_settings_dialog_adds_a_department(qtbot, window, monkeypatch):
    from envdesk.ui.dialogs.record_editor import RecordForm
    from envdesk.ui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.ws, window)
    qtbot.addWidget(dialog)
    received = []
    dialog.changed.connect(received.append)
    page = dialog.page("departments")

    def fill_and_accept(form):
        form.editors["name_zh"].setText("法规科")
        form.editors["name_en"].setText("Regulations Section")
        form.accept()
        return form.result()

    monkeypatch.setattr(RecordForm, "exec", fill_and_accept)
    page.add()
    assert "法规科" in [d.name_zh for d in reference.list_departments(window.ws)]
    assert received and received[0].concerns("department")
    assert page.model.rowCount() == 11


def test_settings_form_shows_errors_and_keeps_the_dialog_open(qtbot, window, monkeypatch):
    from envdesk.ui.dialogs.record_editor import RecordForm
    from envdesk.ui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.ws, window)
    qtbot.addWidget(dialog)
    shown = {}

    def accept_empty(form):
        form.editors["name_zh"].setText("")
        form.accept()
        shown["error"] = form.error.text()
        return form.result()

    monkeypatch.setattr(RecordForm, "exec", accept_empty)
    dialog.page("towns").add()
    assert shown["error"] == "Town name (Chinese): is required"


def test_rules_page_saves_a_limit(qtbot, window):
    from envdesk.ui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.ws, window)
    qtbot.addWidget(dialog)
    rules = dialog.page("rules")
    rules.editors["approvals/promised/report_form/limit"].setValue(5)
    assert rules.save()
    assert settings_app.get_value(window.ws, "approvals/promised/report_form/limit") == 5


def test_calendar_page_imports_a_year(qtbot, window, tmp_path):
    from envdesk.ui.dialogs.settings_dialog import SettingsDialog

    schedule = tmp_path / "2027.csv"
    schedule.write_text("date,kind\n2027-01-01,rest\n", encoding="utf-8")
    dialog = SettingsDialog(window.ws, window)
    qtbot.addWidget(dialog)
    received = []
    dialog.changed.connect(window.broadcast)
    dialog.changed.connect(received.append)
    dialog.calendar.import_file(str(schedule))
    assert dialog.calendar.model.rowCount() == 3
    assert received[0].concerns("calendar")
    overview_model = window.tab("overview").table.model()
    assert "2027" not in [overview_model.index(r, 2).data() for r in range(overview_model.rowCount())]


def test_copy_puts_selected_cells_on_the_clipboard(window, qtbot):
    from envdesk.ui.main_window import copy_selection

    table = window.tab("overview").table
    if table.model().rowCount() == 0:
        pytest.skip("no overview rows today")
    table.selectRow(0)
    copy_selection(table)
    assert "\t" in QApplication.clipboard().text()


def test_staff_import_with_errors_shows_every_problem_and_writes_nothing(qtbot, window, tmp_path, monkeypatch):
    from envdesk.ui.dialogs import exchange
    from envdesk.ui.dialogs.settings_dialog import SettingsDialog

    bad = tmp_path / "staff.csv"
    bad.write_text("姓名,部门\n新人甲,办公室\n新人乙,不存在科\n,办公室\n", encoding="utf-8")
    shown = {}

    def capture(dialog):
        shown["rows"] = dialog.model.rowCount()
        target = tmp_path / "problems.xlsx"
        dialog.save(str(target))
        shown["saved"] = target.exists()
        return 0

    monkeypatch.setattr(exchange.ImportErrorsDialog, "exec", capture)
    dialog = SettingsDialog(window.ws, window)
    qtbot.addWidget(dialog)
    before = len(reference.list_staff(window.ws))
    dialog.page("staff").import_file(str(bad))
    assert shown == {"rows": 2, "saved": True}
    assert len(reference.list_staff(window.ws)) == before


def test_towns_export_then_import(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from envdesk.ui.dialogs.settings_dialog import SettingsDialog

    messages = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: messages.append(text))
    dialog = SettingsDialog(window.ws, window)
    qtbot.addWidget(dialog)
    received = []
    dialog.changed.connect(received.append)
    page = dialog.page("towns")
    target = tmp_path / "towns.xlsx"
    assert page.export_file(str(target)) == str(target)
    page.import_file(str(target))
    assert messages and "0 added, 14 updated" in messages[0]
    assert received and received[0].concerns("town")


def test_commitment_letter_from_the_menu_shows_a_preview_with_live_limits(qtbot, window):
    settings_app.set_value(window.ws, "approvals/promised/report_form/limit", 6)
    act = window.act_commitment["bilingual"]
    assert act.text() == "Bilingual (Chinese and English)…"
    dialog = window.print_commitment_letter("bilingual")
    qtbot.addWidget(dialog)
    assert dialog.document.pageCount() >= 2
    assert dialog.suggested_name.endswith(".pdf")
    import subprocess

    text = subprocess.run(["pdftotext", "-", "-"], input=dialog._pdf, capture_output=True).stdout.decode()
    assert "6 working days" in text and "Public Service Commitment Letter" in text
    dialog.close()


def test_language_switch_reaches_the_overview_and_twinning_tab(window):
    from envdesk.ui import language

    language.manager().set_language("zh_CN")
    try:
        overview = window.tab("overview")
        headers = [overview.table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
        assert headers == ["状态", "业务", "编号"]
        rows = overview.table.model().rowCount()
        titles = [overview.table.model().index(r, 3).data() for r in range(rows)]
        assert all(not title.startswith("The ") for title in titles)  # built again in Chinese
        twinning_tab = window.tab("twinning")
        assert twinning_tab.views.tabText(1) == "月度联系"
    finally:
        language.manager().set_language("en")
