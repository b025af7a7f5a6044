"""First run: which bureau this database belongs to, the interface language, and the first administrator."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from envdesk.app import reference, users
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace
from envdesk.domain.users import MIN_PASSWORD_LENGTH
from envdesk.i18n import _
from envdesk.ui import language
from envdesk.ui.dialogs.login import language_combo
from envdesk.ui.widgets import error_label


class FirstRunDialog(QDialog):
    """`account`: also create the administrator account (a database without users, nobody signed in);
    `bureau`: ask for the bureau (not set up yet). Both default to what the database still lacks."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None, *, account: bool | None = None,
                 bureau: bool | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.asks_account = (ws.user is None and not users.has_users(ws)) if account is None else account
        self.asks_bureau = (not reference.is_set_up(ws)) if bureau is None else bureau
        self.account_created = False
        self.setObjectName("first_run_dialog")
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self.language = language_combo()

        self.name_zh = QLineEdit()
        self.name_zh.setObjectName("bureau_name_zh")
        self.name_en = QLineEdit()
        self.name_en.setObjectName("bureau_name_en")
        self.county = QLineEdit()
        self.county.setObjectName("bureau_county")
        self._bureau_box = QGroupBox()
        self._bureau_box.setObjectName("bureau_box")
        self._bureau_intro = QLabel()
        self._bureau_intro.setWordWrap(True)
        bureau_form = QFormLayout()
        self._bureau_labels = [QLabel() for _field in range(3)]
        for label, editor in zip(self._bureau_labels, (self.name_zh, self.name_en, self.county), strict=True):
            label.setBuddy(editor)
            bureau_form.addRow(label, editor)
        bureau_layout = QVBoxLayout(self._bureau_box)
        bureau_layout.addWidget(self._bureau_intro)
        bureau_layout.addLayout(bureau_form)
        self._bureau_box.setVisible(self.asks_bureau)

        self.login = QLineEdit("admin")
        self.login.setObjectName("admin_login")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("admin_display_name")
        self.password = QLineEdit()
        self.password.setObjectName("admin_password")
        self.repeat = QLineEdit()
        self.repeat.setObjectName("admin_password_repeat")
        for editor in (self.password, self.repeat):
            editor.setEchoMode(QLineEdit.EchoMode.Password)
        self._account_box = QGroupBox()
        self._account_box.setObjectName("account_box")
        self._account_intro = QLabel()
        self._account_intro.setWordWrap(True)
        account_form = QFormLayout()
        self._account_labels = [QLabel() for _field in range(4)]
        account_editors = (self.login, self.display_name, self.password, self.repeat)
        for label, editor in zip(self._account_labels, account_editors, strict=True):
            label.setBuddy(editor)
            account_form.addRow(label, editor)
        account_layout = QVBoxLayout(self._account_box)
        account_layout.addWidget(self._account_intro)
        account_layout.addLayout(account_form)
        self._account_box.setVisible(self.asks_account)

        self._language_label = QLabel()
        self._language_label.setBuddy(self.language)
        top = QFormLayout()
        top.addRow(self._language_label, self.language)
        self._error = error_label("first_run_error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addLayout(top)
        layout.addWidget(self._bureau_box)
        layout.addWidget(self._account_box)
        layout.addWidget(self._error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        language.manager().language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        (self.name_zh if self.asks_bureau else self.login).setFocus()
        self.resize(560, self.sizeHint().height())

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Welcome to EnvDesk"))
        if self.asks_bureau and self.asks_account:
            intro = _("This database is new. Tell EnvDesk which bureau it belongs to, and create the administrator "
                      "account you will sign in with.")
        elif self.asks_account:
            intro = _("This database has no user accounts yet. Create the administrator account you will sign "
                      "in with.")
        else:
            intro = _("This database is new. Which bureau does it belong to?")
        self._intro.setText(intro)
        self._language_label.setText(_("Language"))
        self._bureau_box.setTitle(_("Bureau"))
        self._bureau_intro.setText(_("The name is printed on every form and letter; you can change it later in "
                                     "Settings."))
        for label, text in zip(self._bureau_labels, (_("Bureau name (Chinese)"), _("Bureau name (English)"),
                                                     _("County")), strict=True):
            label.setText(text)
        self.name_zh.setPlaceholderText(_("e.g. 青溪县生态环境局"))
        self.name_en.setPlaceholderText(_("optional, for bilingual documents"))
        self._account_box.setTitle(_("Administrator account"))
        self._account_intro.setText(
            _("The administrator manages user accounts, settings and backups; other staff get their own accounts "
              "from it. The password needs at least {n} characters.").format(n=MIN_PASSWORD_LENGTH)
            if not self.account_created else
            _("The administrator account “{name}” was created and is signed in.").format(name=self.login.text()))
        for label, text in zip(self._account_labels, (_("Log-in name"), _("Name"), _("Password"),
                                                      _("Repeat password")), strict=True):
            label.setText(text)
        self.display_name.setPlaceholderText(_("e.g. 张三 (shown in the audit trail)"))

    def accept(self) -> None:
        self._error.clear()
        if self.asks_account and not self.account_created and not self._create_account():
            return
        if self.asks_bureau:
            try:
                reference.save_bureau(self.ws, self.name_zh.text(), self.name_en.text(), self.county.text())
            except AppError as error:
                self._error.setText(str(error))
                self.name_zh.setFocus()
                return
        super().accept()

    def _create_account(self) -> bool:
        if self.password.text() != self.repeat.text():
            self._error.setText(_("{field}: does not match the password").format(field=_("Repeat password")))
            self.repeat.clear()
            self.repeat.setFocus()
            return False
        data = users.UserInput(self.login.text(), self.display_name.text())
        try:
            users.create_first_administrator(self.ws, data, self.password.text())
        except AppError as error:
            self._error.setText(str(error))
            field = getattr(error, "field", "")
            editor = {_("Log-in name"): self.login, _("Name"): self.display_name}.get(field, self.password)
            editor.setFocus()
            return False
        # Created and signed in: a bureau name still missing must not create it twice.
        self.account_created = True
        for editor in (self.login, self.display_name, self.password, self.repeat):
            editor.setEnabled(False)
        self.retranslate_ui()
        return True

    def done(self, result: int) -> None:
        language.manager().language_changed.disconnect(self.retranslate_ui)
        super().done(result)
