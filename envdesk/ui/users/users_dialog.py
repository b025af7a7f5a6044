"""The administrator's Users dialog: accounts and their roles, passwords, lock-outs, sessions, this workstation."""

from __future__ import annotations

import secrets

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from envdesk import settings as decl
from envdesk.app import users
from envdesk.app.errors import AppError
from envdesk.app.users import UserInput, UserRecord
from envdesk.app.workspace import Workspace
from envdesk.domain.users import MIN_PASSWORD_LENGTH, Role, password_problem
from envdesk.i18n import N_, _, format_datetime
from envdesk.ui import language, state
from envdesk.ui.table_model import Column, RecordTableModel, fit_headers, yes_no
from envdesk.ui.widgets import dialog_body, error_label

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
# Letters and digits that cannot be mistaken for each other when read out or copied by hand.
_READABLE = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def suggested_password(length: int = 10) -> str:
    """A random temporary password that satisfies the password rules."""
    while True:
        candidate = "".join(secrets.choice(_READABLE) for _i in range(max(length, MIN_PASSWORD_LENGTH)))
        if password_problem(candidate) is None:
            return candidate


def _locked_text(user: UserRecord) -> str:
    if not user.locked():
        return _("No")
    assert user.locked_until is not None
    return _("until {time}").format(time=format_datetime(user.locked_until, "short"))


USER_COLUMNS: tuple[Column[UserRecord], ...] = (
    Column(N_("Log-in name"), lambda u: u.login),
    Column(N_("Name"), lambda u: u.display_name),
    Column(N_("Roles"), lambda u: u.roles_label, tooltip=lambda u: u.roles_label),
    Column(N_("Staff member"), lambda u: u.staff_name),
    Column(N_("Active"), lambda u: u.active, yes_no),
    Column(N_("Locked"), _locked_text),
    Column(N_("Must change password"), lambda u: u.must_change_password, yes_no),
    Column(N_("Last log-in"), lambda u: format_datetime(u.last_login_at, "short") if u.last_login_at else "—"),
    Column(N_("Open sessions"), lambda u: u.open_sessions, align=_RIGHT),
)


def _background(user: UserRecord) -> QColor | None:
    if not user.active:
        return QColor("#e8e8e8")
    if user.locked():
        return QColor("#fde2e1")
    return None


def password_row(editor: QLineEdit, name: str) -> tuple[QWidget, QPushButton]:
    """A password typed or suggested: the field and a "Suggest" button beside it."""
    row = QWidget()
    box = QHBoxLayout(row)
    box.setContentsMargins(0, 0, 0, 0)
    suggest = QPushButton()
    suggest.setObjectName(name)
    suggest.clicked.connect(lambda: editor.setText(suggested_password()))
    box.addWidget(editor, 1)
    box.addWidget(suggest)
    return row, suggest


class UserForm(QDialog):
    """A new account, or an account's name, roles, staff link and whether it is enabled."""

    def __init__(self, ws: Workspace, record: UserRecord | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.record = record
        self.saved: UserRecord | None = None
        self.setObjectName("user_form")
        self.login = QLineEdit(record.login if record else "")
        self.login.setObjectName("user_login")
        self.display_name = QLineEdit(record.display_name if record else "")
        self.display_name.setObjectName("user_display_name")
        self.role_boxes: dict[Role, QCheckBox] = {}
        roles_widget = QWidget()
        grid = QGridLayout(roles_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, role in enumerate(Role):
            box = QCheckBox()
            box.setObjectName(f"role_{role.value}")
            box.setChecked(bool(record) and role in record.roles)
            self.role_boxes[role] = box
            grid.addWidget(box, index // 2, index % 2)
        self.staff = QComboBox()
        self.staff.setObjectName("user_staff")
        self.staff.addItem("", None)
        for staff_id, name in users.staff_choices(ws):
            self.staff.addItem(name, staff_id)
        if record and record.staff_id is not None:
            found = self.staff.findData(record.staff_id)
            if found < 0:  # linked to someone no longer active: keep the link visible
                self.staff.addItem(record.staff_name, record.staff_id)
                found = self.staff.count() - 1
            self.staff.setCurrentIndex(found)
        self.active = QCheckBox()
        self.active.setObjectName("user_active")
        self.active.setChecked(record.active if record else True)
        self.password = QLineEdit()
        self.password.setObjectName("user_password")
        password_widget, self._suggest = password_row(self.password, "suggest_password")
        self.must_change = QCheckBox()
        self.must_change.setObjectName("user_must_change")
        self.must_change.setChecked(True)
        self._form = QFormLayout()
        self._labels: dict[str, QLabel] = {}
        rows: list[tuple[str, QWidget]] = [("login", self.login), ("name", self.display_name),
                                           ("roles", roles_widget), ("staff", self.staff), ("active", self.active)]
        if record is None:
            rows += [("password", password_widget), ("must_change", self.must_change)]
        for key, editor in rows:
            label = QLabel()
            label.setBuddy(editor)
            self._labels[key] = label
            self._form.addRow(label, editor)
        self.error = error_label("user_form_error")
        self.buttons = dialog_body(self, self._form, error=self.error)
        language.manager().language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        self.setMinimumWidth(560)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Edit user {name}").format(name=self.record.login) if self.record else _("New user"))
        texts = {"login": _("Log-in name"), "name": _("Name"), "roles": _("Roles"), "staff": _("Staff member"),
                 "active": _("Active"), "password": _("Initial password"),
                 "must_change": _("First log-in")}
        for key, label in self._labels.items():
            label.setText(texts[key])
        for role, box in self.role_boxes.items():
            box.setText(role.label)
        self.staff.setItemText(0, _("(none)"))
        self.staff.setToolTip(_("The staff member this user is: steps they record carry that name."))
        self.active.setText(_("may sign in"))
        self._suggest.setText(_("Suggest"))
        self.password.setPlaceholderText(_("at least {n} characters").format(n=MIN_PASSWORD_LENGTH))
        self.must_change.setText(_("the user must choose a new password"))
        self.display_name.setPlaceholderText(_("e.g. 张三"))

    def data(self) -> UserInput:
        return UserInput(self.login.text(), self.display_name.text(),
                         tuple(role for role, box in self.role_boxes.items() if box.isChecked()),
                         self.staff.currentData(), self.active.isChecked())

    def accept(self) -> None:
        try:
            if self.record is None:
                self.saved = users.create_user(self.ws, self.data(), self.password.text(),
                                               must_change=self.must_change.isChecked())
            else:
                self.saved = users.update_user(self.ws, self.record.id, self.data(), self.record.version)
        except AppError as error:  # ValidationError names the field; the last administrator rule; a conflict
            self.error.setText(str(error))
            field = getattr(error, "field", "")
            editor = {_("Log-in name"): self.login, _("Name"): self.display_name,
                      _("Password"): self.password, _("Staff member"): self.staff}.get(field)
            if editor is not None:
                editor.setFocus()
            return
        super().accept()

    def done(self, result: int) -> None:
        language.manager().language_changed.disconnect(self.retranslate_ui)
        super().done(result)


class ResetPasswordDialog(QDialog):
    """A temporary password the user must replace at the next log-in."""

    def __init__(self, ws: Workspace, record: UserRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.record = record
        self.setObjectName("reset_password_dialog")
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self.password = QLineEdit(suggested_password())
        self.password.setObjectName("temporary_password")
        password_widget, self._suggest = password_row(self.password, "suggest_temporary")
        self._label = QLabel()
        self._label.setBuddy(self.password)
        form = QFormLayout()
        form.addRow(self._label, password_widget)
        self.error = error_label("reset_password_error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        language.manager().language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        self.setMinimumWidth(480)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Reset password of {name}").format(name=self.record.login))
        self._intro.setText(_("Give {user} this temporary password in person. At the next log-in they must choose "
                              "their own. The account is unlocked and its open sessions end now.").format(
                                  user=self.record.display_name or self.record.login))
        self._label.setText(_("Temporary password"))
        self._suggest.setText(_("Suggest"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Reset password"))

    def accept(self) -> None:
        try:
            users.reset_password(self.ws, self.record.id, self.password.text())
        except AppError as error:
            self.error.setText(str(error))
            self.password.setFocus()
            return
        super().accept()

    def done(self, result: int) -> None:
        language.manager().language_changed.disconnect(self.retranslate_ui)
        super().done(result)


class UsersDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("users_dialog")
        self.model: RecordTableModel[UserRecord] = RecordTableModel(USER_COLUMNS, self, background=_background)
        self.view = QTableView()
        self.view.setObjectName("users_table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _index: self.edit())

        self.new_button = QPushButton()
        self.new_button.setObjectName("new_user")
        self.new_button.clicked.connect(self.new)
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("edit_user")
        self.edit_button.clicked.connect(self.edit)
        self.reset_button = QPushButton()
        self.reset_button.setObjectName("reset_password")
        self.reset_button.clicked.connect(self.reset_password)
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("unlock_user")
        self.unlock_button.clicked.connect(self.unlock)
        self.end_button = QPushButton()
        self.end_button.setObjectName("end_sessions")
        self.end_button.clicked.connect(self.end_sessions)
        side = QVBoxLayout()
        for button in (self.new_button, self.edit_button, self.reset_button, self.unlock_button, self.end_button):
            side.addWidget(button)
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.view, 1)
        top.addLayout(side)

        self.message = QLabel()
        self.message.setObjectName("users_message")
        self.message.setWordWrap(True)
        self.error = error_label("users_error")
        self.message.hide()
        self.error.hide()

        self.workstation_box = QGroupBox()
        self.workstation_box.setObjectName("workstation_box")
        self._workstation_intro = QLabel()
        self._workstation_intro.setWordWrap(True)
        self.single_user = QComboBox()
        self.single_user.setObjectName("single_user")
        self.service_user = QComboBox()
        self.service_user.setObjectName("service_user")
        self._single_label = QLabel()
        self._single_label.setBuddy(self.single_user)
        self._service_label = QLabel()
        self._service_label.setBuddy(self.service_user)
        self.apply_workstation = QPushButton()
        self.apply_workstation.setObjectName("apply_workstation")
        self.apply_workstation.clicked.connect(self.save_workstation)
        for combo in (self.single_user, self.service_user):
            combo.setMinimumWidth(220)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self._single_label, self.single_user)
        form.addRow(self._service_label, self.service_user)
        apply_row = QHBoxLayout()
        apply_row.addStretch(1)
        apply_row.addWidget(self.apply_workstation)
        box_layout = QVBoxLayout(self.workstation_box)
        box_layout.addWidget(self._workstation_intro)
        box_layout.addLayout(form)
        box_layout.addLayout(apply_row)
        self._embedded = users.passwordless_allowed(ws)
        for editor in (self.single_user, self.service_user, self.apply_workstation):
            editor.setEnabled(self._embedded)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        layout.addWidget(self.workstation_box)
        layout.addWidget(self.buttons)
        self.records: list[UserRecord] = []
        self.view.selectionModel().selectionChanged.connect(lambda *_args: self._update_buttons())
        self.reload()  # an AppError here (not an administrator) reaches the caller before the dialog shows
        language.manager().language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        self.view.resizeColumnsToContents()
        geometry = state.ui_state().value("users/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1040, 600)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Users"))
        self.new_button.setText(_("New…"))
        self.edit_button.setText(_("Edit…"))
        self.reset_button.setText(_("Reset password…"))
        self.unlock_button.setText(_("Unlock"))
        self.end_button.setText(_("End sessions"))
        self.end_button.setToolTip(_("Sign the user out on every workstation; their next step asks them to log "
                                     "in again."))
        self.workstation_box.setTitle(_("This workstation"))
        self._workstation_intro.setText(
            _("These apply on this computer only, and only with the embedded database: on a shared server everyone "
              "signs in with a password. A single-user workstation opens EnvDesk as its user without asking; the "
              "service user is who the envdesk command acts as when no --user is given. Every change is still "
              "recorded under that user's name.") if self._embedded else
            _("This database is on a shared server: everyone signs in with a password, so a single-user "
              "workstation and a command-line service user are not available."))
        self._single_label.setText(_("Single-user workstation: sign in as"))
        self._service_label.setText(_("Command-line service user"))
        self.apply_workstation.setText(_("Apply to this workstation"))
        self._fill_workstation_choices()
        self.model.retranslate()
        fit_headers(self.view)

    # --- the list -----------------------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        current = self.selected()
        wanted = select_id if select_id is not None else (current.id if current else None)
        self.records = users.list_users(self.ws)
        self.model.set_rows(self.records)
        for row, record in enumerate(self.records):
            if record.id == wanted:
                self.view.selectRow(row)
                break
        self._fill_workstation_choices()
        self._update_buttons()

    def selected(self) -> UserRecord | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.row_value(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        record = self.selected()
        self.edit_button.setEnabled(record is not None)
        self.reset_button.setEnabled(record is not None)
        self.unlock_button.setEnabled(record is not None and record.locked())
        self.end_button.setEnabled(record is not None and record.open_sessions > 0)

    def _say(self, text: str) -> None:
        self.error.clear()
        self.error.hide()
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _fail(self, error: AppError) -> None:
        self.message.clear()
        self.message.hide()
        self.error.setText(str(error))
        self.error.show()

    def _act(self, work) -> bool:
        """Run an account change; its error is shown in the dialog and the list reloaded either way."""
        try:
            work()
        except AppError as error:
            self._fail(error)
            self._reload_quietly()
            return False
        self._reload_quietly()
        return True

    def _reload_quietly(self) -> None:
        try:
            self.reload()
        except AppError as error:  # e.g. the administrator took away their own role
            self._fail(error)

    # --- actions ------------------------------------------------------------------------------------

    def new(self) -> None:
        self._open_form(None)

    def edit(self) -> None:
        record = self.selected()
        if record is not None:
            self._open_form(record)

    def _open_form(self, record: UserRecord | None) -> None:
        try:
            form = UserForm(self.ws, record, self)
        except AppError as error:
            self._fail(error)
            return
        if form.exec() == QDialog.DialogCode.Accepted and form.saved is not None:
            saved = form.saved
            self._say(_("{name} was created.").format(name=saved.login) if record is None
                      else _("{name} was saved.").format(name=saved.login))
            self._reload_quietly()
            self.reload_select(saved.id)
        form.deleteLater()

    def reload_select(self, user_id: int) -> None:
        for row, record in enumerate(self.records):
            if record.id == user_id:
                self.view.selectRow(row)

    def reset_password(self) -> None:
        record = self.selected()
        if record is None:
            return
        dialog = ResetPasswordDialog(self.ws, record, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._say(_("The password of {name} was reset; they choose a new one at the next log-in.").format(
                name=record.login))
            self._reload_quietly()
        dialog.deleteLater()

    def unlock(self) -> None:
        record = self.selected()
        if record is not None and self._act(lambda: users.unlock(self.ws, record.id)):
            self._say(_("{name} can log in again.").format(name=record.login))

    def end_sessions(self) -> None:
        record = self.selected()
        if record is None:
            return
        answer = QMessageBox.question(self, _("End sessions"), _(
            "Sign {name} out on every workstation? Work they have not saved is lost.").format(name=record.login))
        if answer != QMessageBox.StandardButton.Yes:
            return
        ended: list[int] = []
        if self._act(lambda: ended.append(users.end_sessions(self.ws, record.id))):
            self._say(_("{n} session(s) of {name} ended.").format(n=ended[0], name=record.login))

    # --- this workstation ---------------------------------------------------------------------------

    def _fill_workstation_choices(self) -> None:
        logins = [record.login for record in self.records if record.active]
        for combo, setting in ((self.single_user, decl.SINGLE_USER), (self.service_user, decl.SERVICE_USER)):
            current = str(decl.local_value(setting) or "")
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("(off)"), "")
            for login in logins:
                combo.addItem(login, login)
            if current and combo.findData(current) < 0:
                combo.addItem(current, current)  # named but gone or disabled: shown, so it can be turned off
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.blockSignals(False)

    def save_workstation(self) -> None:
        chosen: list[str] = []

        def save() -> None:
            for combo, setting in ((self.single_user, decl.SINGLE_USER), (self.service_user, decl.SERVICE_USER)):
                if str(combo.currentData() or "") != str(decl.local_value(setting) or ""):
                    users.set_workstation_user(self.ws, setting, combo.currentData() or "")
                    chosen.append(setting.key)

        if self._act(save):
            self._say(_("Saved for this workstation.") if chosen else _("Nothing to change."))

    def done(self, result: int) -> None:
        state.ui_state().setValue("users/geometry", self.saveGeometry())
        language.manager().language_changed.disconnect(self.retranslate_ui)
        super().done(result)
