"""Signing in: the log-in dialog (start-up, log in again, switch user) and the change-password dialog."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from envdesk import i18n, settings
from envdesk.app import users
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace
from envdesk.domain.users import MIN_PASSWORD_LENGTH
from envdesk.i18n import _
from envdesk.ui import language
from envdesk.ui.widgets import dialog_body, error_label


def notice_label(name: str) -> QLabel:
    """A framed note above a form: why the dialog is shown (a session that ended, a temporary password)."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet("QLabel { background: #fff4ce; border: 1px solid #e0c060; padding: 6px; }")
    return label


def language_combo() -> QComboBox:
    """The interface languages, each in its own name; choosing one switches at once and is remembered."""
    combo = QComboBox()
    combo.setObjectName("language_choice")
    for code in i18n.LANGUAGES:
        combo.addItem(i18n.language_name(code), code)
    combo.setCurrentIndex(i18n.LANGUAGES.index(i18n.current_language()))

    def chosen() -> None:
        code = combo.currentData()
        language.manager().set_language(code)
        settings.set_local_value(settings.LANGUAGE, code)

    combo.currentIndexChanged.connect(chosen)
    return combo


class LoginDialog(QDialog):
    """User name and password. At start-up and after a log-out any user may sign in; "log in again" after a
    session ended keeps the user name (`fixed_login`); "switch user" ends the current sign-in only once the
    new one succeeded, so a typo does not leave the window with nobody signed in."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, login: str = "", fixed_login: bool = False,
                 notice: str = "", switching: bool = False) -> None:
        super().__init__(parent)
        self.ws = ws
        self._switching = switching
        self._fixed = fixed_login
        self.setObjectName("login_dialog")
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self._notice = notice_label("login_notice")
        self._notice.setText(notice)
        self._notice.setVisible(bool(notice))
        self.user_name = QLineEdit(login)
        self.user_name.setObjectName("login_user")
        self.user_name.setReadOnly(fixed_login)
        self.password = QLineEdit()
        self.password.setObjectName("login_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.language = language_combo()
        self._form = QFormLayout()
        self._labels = [QLabel() for _row in range(3)]
        for label, editor in zip(self._labels, (self.user_name, self.password, self.language), strict=True):
            label.setBuddy(editor)
            self._form.addRow(label, editor)
        self.error = error_label("login_error")
        self.buttons = dialog_body(self, self._intro, self._notice, self._form, error=self.error)
        self.buttons.setObjectName("login_buttons")
        language.manager().language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        (self.password if login else self.user_name).setFocus()
        self.setMinimumWidth(460)

    def retranslate_ui(self) -> None:
        from envdesk.app import reference

        bureau = reference.get_bureau(self.ws).name(i18n.current_language())
        self.setWindowTitle(_("Switch user") if self._switching else _("Log in to EnvDesk"))
        where = bureau or _("EnvDesk")
        intro = _("Log in again as {user}.").format(user=self.user_name.text()) if self._fixed \
            else _("Sign in to {where} with your user name and password.").format(where=where)
        self._intro.setText(intro + "\n" + _("Database: {db}").format(db=self.ws.label))
        for label, text in zip(self._labels, (_("User name"), _("Password"), _("Language")), strict=True):
            label.setText(text)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Log in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def accept(self) -> None:
        previous = self.ws.user
        try:
            users.log_in(self.ws, self.user_name.text(), self.password.text())
        except AppError as error:  # NotSignedIn (wrong password, locked, unknown user), ValidationError…
            self.error.setText(str(error))
            self.password.clear()
            (self.password if self.user_name.text().strip() else self.user_name).setFocus()
            return
        if self._switching and previous is not None and previous.session_token:
            signed_in = self.ws.user
            self.ws.user = previous  # the log-out entry names the user who leaves
            try:
                users.log_out(self.ws)
            except AppError:
                pass  # that session ended already (or the database hiccuped); the new sign-in stands
            self.ws.user = signed_in
        super().accept()

    def done(self, result: int) -> None:
        language.manager().language_changed.disconnect(self.retranslate_ui)
        super().done(result)


class ChangePasswordDialog(QDialog):
    """The signed-in user's own password: current, new, repeated. `forced` after a temporary password."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None, forced: bool = False) -> None:
        super().__init__(parent)
        self.ws = ws
        self._forced = forced
        self.setObjectName("change_password_dialog")
        self._notice = notice_label("change_password_notice")
        self._notice.setVisible(forced)
        self._rules = QLabel()
        self._rules.setWordWrap(True)
        self.current = QLineEdit()
        self.current.setObjectName("current_password")
        self.new = QLineEdit()
        self.new.setObjectName("new_password")
        self.repeat = QLineEdit()
        self.repeat.setObjectName("repeat_password")
        self._form = QFormLayout()
        self._labels = [QLabel() for _row in range(3)]
        for label, editor in zip(self._labels, (self.current, self.new, self.repeat), strict=True):
            editor.setEchoMode(QLineEdit.EchoMode.Password)
            label.setBuddy(editor)
            self._form.addRow(label, editor)
        self.error = error_label("change_password_error")
        self.buttons = dialog_body(self, self._notice, self._rules, self._form, error=self.error)
        language.manager().language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        self.current.setFocus()
        self.setMinimumWidth(460)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Change password"))
        who = self.ws.user.name if self.ws.user else ""
        self._notice.setText(_("{user}, you signed in with a temporary password. Choose your own password now; "
                               "nobody else, not even an administrator, will know it.").format(user=who))
        self._rules.setText(_("A password has at least {n} characters, at least 4 different ones, and is not your "
                              "user name.").format(n=MIN_PASSWORD_LENGTH))
        texts = (_("Current password"), _("New password"), _("Repeat new password"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Change password"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            _("Log out") if self._forced else _("Cancel"))

    def accept(self) -> None:
        if self.new.text() != self.repeat.text():
            self.error.setText(_("{field}: does not match the new password").format(field=_("Repeat new password")))
            self.repeat.clear()
            self.repeat.setFocus()
            return
        try:
            users.change_password(self.ws, self.current.text(), self.new.text())
        except AppError as error:
            self.error.setText(str(error))
            field = getattr(error, "field", "")
            if field == _("Current password"):
                self.current.clear()
                self.current.setFocus()
            else:
                self.new.setFocus()
            return
        super().accept()

    def done(self, result: int) -> None:
        language.manager().language_changed.disconnect(self.retranslate_ui)
        super().done(result)


def ensure_own_password(ws: Workspace, parent: QWidget | None = None) -> bool:
    """After a log-in with a temporary password, the user chooses their own before anything else; declining
    signs them out again. True when someone is signed in with their own password."""
    if ws.user is None:
        return False
    if not ws.user.must_change_password:
        return True
    dialog = ChangePasswordDialog(ws, parent, forced=True)
    changed = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    if not changed:
        log_out_quietly(ws)
    return changed


def log_out_quietly(ws: Workspace) -> None:
    """Sign out; if the database cannot record it, the workstation forgets the user all the same."""
    try:
        users.log_out(ws)
    except AppError:
        pass
    ws.user = None


def sign_in(ws: Workspace, parent: QWidget | None = None, *, login: str = "", fixed_login: bool = False,
            notice: str = "", switching: bool = False) -> bool:
    """Ask for a user name and password (and a new password if the one used was temporary). True once someone
    is signed in; False when the user cancelled."""
    dialog = LoginDialog(ws, parent, login=login, fixed_login=fixed_login, notice=notice, switching=switching)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return accepted and ensure_own_password(ws, parent)
