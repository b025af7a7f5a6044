"""The main window: the register tabs, menus with standard shortcuts, the signed-in user, the status bar."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
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
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTextEdit,
)

from envdesk import __version__, i18n, paths, settings
from envdesk.app import access, audit
from envdesk.app import backup as backup_app
from envdesk.app.changes import EVERYTHING, USER, Changes
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace
from envdesk.domain.users import Permission, Role
from envdesk.i18n import _, format_date
from envdesk.ui import language, state
from envdesk.ui.dialogs.login import ChangePasswordDialog, log_out_quietly, sign_in
from envdesk.ui.table_model import fit_headers
from envdesk.ui.tabs.base import BaseTab
from envdesk.ui.tabs.overview import OverviewTab
from envdesk.ui.widgets import html_text
from envdesk.ui.worker import run_in_background

SESSION_CHECK_MS = 60_000
REFRESH_MS = 30_000
TAB_ORDER = ("overview", "twinning", "complaints", "approvals", "responsibility")


class MainWindow(QMainWindow):
    changed = Signal(object)  # envdesk.app.changes.Changes, broadcast to every tab
    # The session was found ended, with the reason; a signal, because a use case running in a worker thread
    # (a backup, an export) may be the one that finds out, and the GUI reacts on its own thread.
    signed_out = Signal(str)

    def __init__(self, ws: Workspace) -> None:
        # The tabs load what their user may see as they are made: someone must be signed in first
        # (envdesk.ui.application.sign_in_at_start); NotSignedIn otherwise.
        who = access.principal(ws)
        super().__init__()
        self.ws = ws
        self._remembered_login = who.login
        self.setObjectName("main_window")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("main_tabs")
        self.tabs.setDocumentMode(True)
        # While nobody is signed in (a session ended, a log-out) the registers are covered, so the next person
        # at the desk does not read what the last one was allowed to see.
        self._signed_out_page = QLabel()
        self._signed_out_page.setObjectName("signed_out_page")
        self._signed_out_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._signed_out_page.setWordWrap(True)
        self._signed_out_page.setStyleSheet("QLabel { color: #666666; font-size: 16pt; }")
        self._central = QStackedWidget()
        self._central.addWidget(self.tabs)
        self._central.addWidget(self._signed_out_page)
        self.setCentralWidget(self._central)
        self._tabs: dict[str, BaseTab] = {}
        self._build_tabs()
        self._audit_window = None
        self._offering_log_in = False
        self._user_label = QLabel()
        self._user_label.setObjectName("status_user")
        self._db_label = QLabel()
        self._db_label.setObjectName("status_database")
        self._today_label = QLabel()
        self.statusBar().addPermanentWidget(self._user_label)
        self.statusBar().addPermanentWidget(self._db_label)
        self.statusBar().addPermanentWidget(self._today_label)
        self._build_actions()
        self._build_menus()
        language.manager().language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        self._restore_state()
        self.tabs.currentChanged.connect(self._remember_tab)
        self.signed_out.connect(self._on_signed_out)
        self._signed_out_listener = self.signed_out.emit
        ws.signed_out_listeners.append(self._signed_out_listener)
        self._update_user()
        # A sign-in ended elsewhere (password reset, account disabled) or roles changed by an administrator show
        # within a minute even when this user does nothing: one small query, not a poll of any register.
        self._session_timer = QTimer(self)
        self._session_timer.setInterval(SESSION_CHECK_MS)
        self._session_timer.timeout.connect(self.check_session)
        self._session_timer.start()
        # What other workstations changed shows without a restart: when EnvDesk comes back to the front, and every
        # REFRESH_MS, the window compares the audit trail's newest entry (one row) and refreshes the tabs if it moved.
        self._seen_change = self._last_change()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh_if_changed)
        self._refresh_timer.start()
        QApplication.instance().applicationStateChanged.connect(self._application_state_changed)

    def _last_change(self) -> int | None:
        if self.ws.user is None:
            return None
        try:
            return audit.last_change(self.ws)
        except AppError:
            return None  # signed out, or the database is away: the next check tries again

    def refresh_if_changed(self) -> None:
        """Refresh every tab when anyone (here or on another workstation) changed something since the last look."""
        if QApplication.activeModalWidget() is not None:
            return  # not under an open editor; the next tick does it
        current = self._last_change()
        if current is not None and self._seen_change is not None and current != self._seen_change:
            self.broadcast(Changes.of(EVERYTHING))
        if current is not None:
            self._seen_change = current

    def _application_state_changed(self, state) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.refresh_if_changed()

    def check_session(self) -> None:
        """Re-check the sign-in now: an ended one covers the window and offers to log in again; changed roles
        re-apply to every tab."""
        who = self.ws.user
        if who is None or not who.session_token or QApplication.activeModalWidget() is not None:
            return
        try:
            access.check(self.ws, Permission.VIEW, fresh=True, temporary_ok=True)
        except AppError:
            return  # NotSignedIn: the signed-out listener takes it from here
        if self.ws.user is not None and self.ws.user.roles != who.roles:
            self._update_user()
            self.broadcast(Changes.of(USER))

    # --- construction ---------------------------------------------------------------------------

    def _build_tabs(self) -> None:
        for key in TAB_ORDER:
            tab = self._make_tab(key)
            self._tabs[key] = tab
            self.tabs.addTab(tab, "")
            self.changed.connect(tab.on_changes)
            tab.changed.connect(self.broadcast)

    def _rebuild_tabs(self) -> None:
        """Every tab made again for the user now signed in: what it shows, masks and offers follows that user's
        roles from scratch, and nothing the previous user loaded (an identity, a filter) survives."""
        current = self.tabs.currentIndex()
        state.save_tables(self)
        self.tabs.blockSignals(True)
        old = list(self._tabs.values())
        for tab in old:
            self.changed.disconnect(tab.on_changes)
            tab.changed.disconnect(self.broadcast)
        self.tabs.clear()
        self._tabs.clear()
        for tab in old:
            tab.hide()
            tab.deleteLater()
        self._build_tabs()
        self.tabs.setCurrentIndex(max(current, 0))
        self.tabs.blockSignals(False)
        self.retranslate_ui()
        for tab in self._tabs.values():  # the old tabs are still children until their deletion
            for view in tab.findChildren(QTableView):
                if view.objectName():
                    state.restore_table(view)
                fit_headers(view)

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
        self.act_users = self._action("action_users", None, self.open_users)
        self.act_audit = self._action("action_audit", None, self.open_audit_trail)
        self.act_change_password = self._action("action_change_password", None, self.change_password)
        self.act_switch_user = self._action("action_switch_user", None, self.switch_user)
        self.act_log_out = self._action("action_log_out", None, self.log_out)
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
        self._admin_separator = self.menu_file.addSeparator()
        self.menu_file.addActions([self.act_users, self.act_audit])
        self.menu_file.addSeparator()
        self.menu_file.addActions([self.act_change_password, self.act_switch_user, self.act_log_out])
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        # Roles changed by an administrator reach this window at the session's next check: look again each time.
        self.menu_file.aboutToShow.connect(self._update_actions)
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
        self.act_users.setText(_("&Users…"))
        self.act_audit.setText(_("Au&dit trail…"))
        self.act_change_password.setText(_("C&hange password…"))
        self.act_switch_user.setText(_("S&witch user…"))
        self.act_log_out.setText(_("L&og out"))
        self._signed_out_page.setText(_("Nobody is signed in."))
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
        self._show_user()
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
            self._update_actions()

    # --- the signed-in user ---------------------------------------------------------------------

    def _show_user(self) -> None:
        who = self.ws.user
        if who is None:
            self._user_label.setText(_("Nobody is signed in"))
            self._user_label.setToolTip("")
            return
        self._remembered_login = who.login
        roles = _(", ").join(role.label for role in Role if role in who.roles)
        self._user_label.setText(_("Signed in: {user} — {roles}").format(user=who.name, roles=roles)
                                 if roles else _("Signed in: {user}").format(user=who.name))
        self._user_label.setToolTip(self._user_label.text())

    def _update_actions(self) -> None:
        """Offer only what the signed-in user may do (each use case checks again)."""
        signed_in = self.ws.user is not None
        self.act_settings.setEnabled(access.can(self.ws, Permission.SETTINGS_EDIT))
        self.act_backup.setEnabled(access.can(self.ws, Permission.BACKUP))
        for act, permission in ((self.act_users, Permission.USERS_MANAGE), (self.act_audit, Permission.AUDIT_VIEW)):
            allowed = access.can(self.ws, permission)
            act.setEnabled(allowed)
            act.setVisible(allowed)
        self._admin_separator.setVisible(self.act_users.isVisible() or self.act_audit.isVisible())
        has_account = signed_in and self.ws.user.user_id is not None
        self.act_change_password.setEnabled(has_account)
        self.act_switch_user.setEnabled(True)
        self.act_log_out.setEnabled(signed_in)
        for act in self.act_commitment.values():
            act.setEnabled(signed_in)
        self._show_user()

    def _update_user(self) -> None:
        """Show the registers or cover them, and set the menus, for whoever is signed in now."""
        self._central.setCurrentWidget(self.tabs if self.ws.user is not None else self._signed_out_page)
        self._update_actions()

    def _user_changed(self) -> None:
        """Another person signed in: tabs made again for them, windows opened for the last one closed."""
        self._close_audit_window()
        self._rebuild_tabs()
        self._update_user()
        self.changed.emit(Changes.of(USER))

    def change_password(self) -> None:
        dialog = ChangePasswordDialog(self.ws, self)
        if dialog.exec() == ChangePasswordDialog.DialogCode.Accepted:
            self.statusBar().showMessage(_("Your password was changed."), 5000)
        dialog.deleteLater()
        self._update_user()

    def switch_user(self) -> None:
        """Another person signs in at this window; the current sign-in ends only once theirs succeeded."""
        before = self.ws.user
        if sign_in(self.ws, self, switching=True):
            self._user_changed()
        elif self.ws.user is None and before is not None:
            # The new user declined to replace a temporary password: nobody is signed in any more.
            self._back_to_log_in()

    def log_out(self) -> None:
        log_out_quietly(self.ws)
        self._back_to_log_in()

    def _back_to_log_in(self) -> None:
        """The log-in screen over a covered window; cancelling it quits EnvDesk."""
        self._close_audit_window()
        # Print previews, statistics and other windows the previous user left open must not stay on screen
        # for whoever signs in next (a preview may show a complainant's identity).
        for window in QApplication.topLevelWidgets():
            if window is not self and isinstance(window, QDialog) and window.isVisible():
                window.close()
        self._update_user()
        if sign_in(self.ws, self):
            self._user_changed()
        else:
            self.close()

    def _on_signed_out(self, reason: str) -> None:
        """A use case found the session ended (password reset, account disabled, too old). It raises
        NotSignedIn and its caller shows that message; the offer to log in again follows once it was read."""
        if not self._offering_log_in:
            self._offering_log_in = True
            QTimer.singleShot(0, lambda: self._offer_log_in_again(reason))

    def _busy(self, waited: int) -> bool:
        """Whether the failing call is still on its way to its message: a message box or a progress dialog is
        open, or a background job has not ended (envdesk.ui.worker puts a progress dialog under this window,
        hidden for its first moments; one still hidden after some seconds is only waiting to be deleted)."""
        if isinstance(QApplication.activeModalWidget(), (QMessageBox, QProgressDialog)):
            return True
        return waited < 40 and bool(self.findChildren(QProgressDialog))

    def _offer_log_in_again(self, reason: str, waited: int = 0) -> None:
        if self._busy(waited):
            QTimer.singleShot(150, lambda: self._offer_log_in_again(reason, waited + 1))
            return
        modal = QApplication.activeModalWidget()
        if self.ws.user is not None:  # signed in again meanwhile (another dialog's doing)
            self._offering_log_in = False
            return
        previous = self._remembered_login  # ws.user is None by now
        self._update_user()
        notice = _("Your session has ended ({reason}). Log in again to go on; then repeat what you were "
                   "doing.").format(reason=reason)
        # Over an editor still open, so that its work can be saved after the log-in.
        parent = modal if modal is not None else self
        try:
            if previous and sign_in(self.ws, parent, login=previous, fixed_login=True, notice=notice):
                self._update_user()
                self.changed.emit(Changes.of(USER))  # roles may have changed meanwhile
                self.statusBar().showMessage(_("Signed in again."), 5000)
                return
            if isinstance(modal, QDialog):
                modal.reject()  # the editor of a user who left is closed unsaved; the log-in screen follows
            QTimer.singleShot(0, self._back_to_log_in_when_free)
        finally:
            self._offering_log_in = False

    def _back_to_log_in_when_free(self) -> None:
        if QApplication.activeModalWidget() is not None:
            QTimer.singleShot(150, self._back_to_log_in_when_free)
            return
        if self.ws.user is None:
            self._back_to_log_in()

    def open_users(self) -> None:
        from envdesk.ui.users.users_dialog import UsersDialog

        try:
            dialog = UsersDialog(self.ws, self)
        except AppError as error:
            QMessageBox.warning(self, _("Users"), str(error))
            return
        dialog.exec()
        dialog.deleteLater()
        self._update_user()

    def open_audit_trail(self) -> None:
        from envdesk.ui.users.audit_window import AuditWindow

        if self._audit_window is not None:
            self._audit_window.raise_()
            self._audit_window.activateWindow()
            return
        try:
            self._audit_window = AuditWindow(self.ws, self)
        except AppError as error:
            QMessageBox.warning(self, _("Audit trail"), str(error))
            return
        self._audit_window.finished.connect(self._audit_window_closed)
        self._audit_window.show()

    def _audit_window_closed(self) -> None:
        if self._audit_window is not None:
            self._audit_window.deleteLater()
        self._audit_window = None

    def _close_audit_window(self) -> None:
        if self._audit_window is not None:
            self._audit_window.reject()

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

        return documents.preview(self, lambda: documents.commitment_letter(self.ws, language_code),
                                 document="commitment-letter", ws=self.ws)

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
        if self._signed_out_listener in self.ws.signed_out_listeners:
            self.ws.signed_out_listeners.remove(self._signed_out_listener)
        self._close_audit_window()
        self._session_timer.stop()
        self._refresh_timer.stop()
        try:
            QApplication.instance().applicationStateChanged.disconnect(self._application_state_changed)
        except (RuntimeError, TypeError):
            pass  # already gone
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

