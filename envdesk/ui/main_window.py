"""The main window: the register tabs, menus with standard shortcuts, the status bar."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QTextEdit,
)

from envdesk import __version__, i18n, paths, settings
from envdesk.app import backup as backup_app
from envdesk.app.changes import Changes
from envdesk.app.workspace import Workspace
from envdesk.i18n import _, format_date
from envdesk.ui import language, state
from envdesk.ui.table_model import fit_headers
from envdesk.ui.tabs.base import BaseTab
from envdesk.ui.tabs.overview import OverviewTab
from envdesk.ui.worker import run_in_background
from envdesk.ui.widgets import html_text

TAB_ORDER = ("overview", "twinning", "complaints", "approvals", "responsibility")


class MainWindow(QMainWindow):
    changed = Signal(object)  # envdesk.app.changes.Changes, broadcast to every tab

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws
        self.setObjectName("main_window")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("main_tabs")
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self._tabs: dict[str, BaseTab] = {}
        for key in TAB_ORDER:
            tab = self._make_tab(key)
            self._tabs[key] = tab
            self.tabs.addTab(tab, "")
            self.changed.connect(tab.on_changes)
            tab.changed.connect(self.broadcast)
        self._db_label = QLabel()
        self._db_label.setObjectName("status_database")
        self._today_label = QLabel()
        self.statusBar().addPermanentWidget(self._db_label)
        self.statusBar().addPermanentWidget(self._today_label)
        self._build_actions()
        self._build_menus()
        language.manager().language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        self._restore_state()
        self.tabs.currentChanged.connect(self._remember_tab)

    # --- construction ---------------------------------------------------------------------------

    def _make_tab(self, key: str) -> BaseTab:
        if key == "overview":
            return OverviewTab(self.ws)
        if key == "twinning":
            from envdesk.ui.twinning.tab import TwinningTab

            return TwinningTab(self.ws)
        if key == "complaints":
            from envdesk.ui.complaints.tab import ComplaintsTab

            return ComplaintsTab(self.ws)
        if key == "approvals":
            from envdesk.ui.approvals.tab import ApprovalsTab

            return ApprovalsTab(self.ws)
        if key == "responsibility":
            from envdesk.ui.responsibility.tab import ResponsibilityTab

            return ResponsibilityTab(self.ws)
        raise ValueError(f"unknown tab {key!r}")

    def _action(self, name: str, shortcut=None, slot=None, checkable: bool = False) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if slot is not None:
            action.triggered.connect(slot)
        action.setCheckable(checkable)
        return action

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.act_settings = self._action("action_settings", keys.Preferences, self.open_settings)
        if self.act_settings.shortcut().isEmpty():
            self.act_settings.setShortcut(QKeySequence("Ctrl+,"))
        self.act_backup = self._action("action_backup", None, self.back_up)
        self.act_commitment = {
            code: self._action(f"action_commitment_{code}", None,
                               lambda checked=False, c=code: self.print_commitment_letter(c))
            for code in i18n.DOCUMENT_LANGUAGE_LABELS}
        self.act_quit = self._action("action_quit", keys.Quit, self.close)
        if self.act_quit.shortcut().isEmpty():
            self.act_quit.setShortcut(QKeySequence("Ctrl+Q"))
        self.act_undo = self._action("action_undo", keys.Undo, lambda: self._edit("undo"))
        self.act_redo = self._action("action_redo", keys.Redo, lambda: self._edit("redo"))
        # Every platform's bindings: Ctrl+Y and Ctrl+Shift+Z both redo, wherever staff learnt them.
        self.act_undo.setShortcuts(QKeySequence.keyBindings(keys.Undo))
        self.act_redo.setShortcuts(list(dict.fromkeys([*QKeySequence.keyBindings(keys.Redo),
                                                        QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])))
        self.act_cut = self._action("action_cut", keys.Cut, lambda: self._edit("cut"))
        self.act_copy = self._action("action_copy", keys.Copy, self.copy)
        self.act_paste = self._action("action_paste", keys.Paste, lambda: self._edit("paste"))
        self.act_select_all = self._action("action_select_all", keys.SelectAll, lambda: self._edit("selectAll"))
        self.act_refresh = self._action("action_refresh", keys.Refresh, self.refresh_all)
        if self.act_refresh.shortcut().isEmpty():
            self.act_refresh.setShortcut(QKeySequence("F5"))
        self.act_tabs = []
        for index, key in enumerate(TAB_ORDER):
            act = self._action(f"action_tab_{key}", f"Ctrl+{index + 1}",
                               lambda checked=False, i=index: self.tabs.setCurrentIndex(i))
            self.act_tabs.append(act)
        self.act_languages = QActionGroup(self)
        self.act_languages.setExclusive(True)
        for code in i18n.LANGUAGES:
            act = self._action(f"action_language_{code}", None, lambda checked=False, c=code: self.set_language(c),
                               checkable=True)
            act.setText(i18n.language_name(code))  # a language's own name never changes with the UI
            act.setData(code)
            self.act_languages.addAction(act)
        self.act_about = self._action("action_about", keys.HelpContents, self.about)
        self.act_about_qt = self._action("action_about_qt", None, QApplication.aboutQt)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menu_file = bar.addMenu("")
        self.menu_print = self.menu_file.addMenu("")
        self.menu_print.addActions(list(self.act_commitment.values()))
        self.menu_file.addSeparator()
        self.menu_file.addActions([self.act_settings, self.act_backup])
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        self.menu_edit = bar.addMenu("")
        self.menu_edit.addActions([self.act_undo, self.act_redo])
        self.menu_edit.addSeparator()
        self.menu_edit.addActions([self.act_cut, self.act_copy, self.act_paste, self.act_select_all])
        self.menu_view = bar.addMenu("")
        self.menu_view.addActions(self.act_tabs)
        self.menu_view.addSeparator()
        self.menu_view.addAction(self.act_refresh)
        self.menu_language = bar.addMenu("")
        self.menu_language.addActions(self.act_languages.actions())
        self.menu_help = bar.addMenu("")
        self.menu_help.addActions([self.act_about, self.act_about_qt])

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self._window_title())
        for index, key in enumerate(TAB_ORDER):
            self.tabs.setTabText(index, _(self._tabs[key].title))
            self.act_tabs[index].setText(_(self._tabs[key].title))
            self._tabs[key].retranslate_ui()
        self.menu_file.setTitle(_("&File"))
        self.menu_edit.setTitle(_("&Edit"))
        self.menu_view.setTitle(_("&View"))
        self.menu_language.setTitle(_("&Language"))
        self.menu_help.setTitle(_("&Help"))
        self.act_settings.setText(_("&Settings…"))
        self.act_backup.setText(_("&Back up the database…"))
        self.menu_print.setTitle(_("&Public commitment letter"))
        for code, act in self.act_commitment.items():
            act.setText(_(i18n.DOCUMENT_LANGUAGE_LABELS[code]) + "…")
        self.act_quit.setText(_("&Quit"))
        self.act_undo.setText(_("&Undo"))
        self.act_redo.setText(_("&Redo"))
        self.act_cut.setText(_("Cu&t"))
        self.act_copy.setText(_("&Copy"))
        self.act_paste.setText(_("&Paste"))
        self.act_select_all.setText(_("Select &All"))
        self.act_refresh.setText(_("&Refresh"))
        self.act_about.setText(_("&About EnvDesk"))
        self.act_about_qt.setText(_("About &Qt"))
        for act in self.act_languages.actions():
            act.setChecked(act.data() == i18n.current_language())
        self._db_label.setText(_("Database: {db}").format(db=self.ws.label))
        self._today_label.setText(format_date(date.today(), "full"))

    def _window_title(self) -> str:
        from envdesk.app import reference

        bureau = reference.get_bureau(self.ws).name(i18n.current_language())
        return _("EnvDesk — {bureau}").format(bureau=bureau) if bureau else _("EnvDesk")

    # --- behaviour ------------------------------------------------------------------------------

    def tab(self, key: str) -> BaseTab:
        return self._tabs[key]

    def show_tab(self, key: str) -> None:
        self.tabs.setCurrentIndex(TAB_ORDER.index(key))

    def broadcast(self, changes: Changes) -> None:
        """Tell every tab what a use case changed; each refreshes only if it cares."""
        if changes:
            self.changed.emit(changes)
            self.setWindowTitle(self._window_title())

    def refresh_all(self) -> None:
        for tab in self._tabs.values():
            tab.refresh()
        self.statusBar().showMessage(_("Refreshed"), 3000)

    def set_language(self, code: str) -> None:
        language.manager().set_language(code)
        settings.set_local_value(settings.LANGUAGE, code)

    def open_settings(self) -> None:
        from envdesk.ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ws, self)
        dialog.changed.connect(self.broadcast)
        dialog.exec()

    def back_up(self) -> None:
        suggested = str(paths.backup_dir() / backup_app.default_backup_name())
        target, _filter = QFileDialog.getSaveFileName(self, _("Back up the database"), suggested,
                                                      _("EnvDesk backup (*.sqlite3)"))
        if not target:
            return
        outcome = run_in_background(self, _("Backing up the database…"),
                                    lambda progress: backup_app.backup(self.ws, target, progress))
        if outcome.cancelled:
            self.statusBar().showMessage(_("Backup cancelled; nothing was written."), 5000)
        elif outcome.error is not None:
            QMessageBox.warning(self, _("Backup failed"), str(outcome.error))
        else:
            self.statusBar().showMessage(_("Backup written to {file}").format(file=outcome.value), 8000)

    def print_commitment_letter(self, language_code: str):
        """Preview the bureau's public commitment letter with the limits in force, to print or save."""
        from envdesk.ui import (
            documents,  # ReportLab and QtPdf load on first print, not at start-up
        )

        return documents.preview(self, lambda: documents.commitment_letter(self.ws, language_code))

    def about(self) -> None:
        QMessageBox.about(
            self, _("About EnvDesk"),
            _("<h3>EnvDesk {version}</h3><p>The workbench of a county Ecology &amp; Environment Bureau: "
              "twinning enterprises, complaints, approvals and the responsibility matrix.</p>"
              "<p>Database: {db}</p>").format(version=__version__, db=html_text(self.ws.label)))

    def copy(self) -> None:
        widget = QApplication.focusWidget()
        if isinstance(widget, QAbstractItemView):
            copy_selection(widget)
        else:
            self._edit("copy")

    def _edit(self, method: str) -> None:
        widget = QApplication.focusWidget()
        if isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit)) or hasattr(widget, method):
            getattr(widget, method)()

    # --- state ----------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        saved = state.ui_state()
        geometry = saved.value("main/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        tab = saved.value("main/tab")
        if tab in TAB_ORDER:
            self.show_tab(tab)
        for view in self.findChildren(QTableView):
            if view.objectName():
                state.restore_table(view)
            fit_headers(view)

    def _remember_tab(self, index: int) -> None:
        state.ui_state().setValue("main/tab", TAB_ORDER[index])

    def closeEvent(self, event: QCloseEvent) -> None:
        saved = state.ui_state()
        saved.setValue("main/geometry", self.saveGeometry())
        state.save_tables(self)
        language.manager().language_changed.disconnect(self.retranslate_ui)
        super().closeEvent(event)


def copy_selection(view: QAbstractItemView) -> None:
    """Selected cells as tab-separated text, so they paste into Excel as a table."""
    indexes = sorted(view.selectedIndexes(), key=lambda i: (i.row(), i.column()))
    if not indexes:
        return
    rows: dict[int, list[str]] = {}
    for index in indexes:
        rows.setdefault(index.row(), []).append(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
    QGuiApplication.clipboard().setText("\n".join("\t".join(cells) for cells in rows.values()))

