"""Settings → Database: which database this workstation uses, and testing the office's PostgreSQL server."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from envdesk import settings as decl
from envdesk.app import database
from envdesk.app import settings as settings_app
from envdesk.app.changes import Changes
from envdesk.app.database import Probe
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace, url_label
from envdesk.i18n import _
from envdesk.ui.widgets import error_label, html_text
from envdesk.ui.worker import run_in_background


class DatabasePage(QWidget):
    """The database in use, the one configured for the next start, and a server's address to test and use."""

    changed = Signal(object)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("page_database")
        self.current = QLabel()
        self.current.setWordWrap(True)
        self.current.setObjectName("database_current")
        self.host = QLineEdit()
        self.host.setObjectName("database_host")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.port.setObjectName("database_port")
        self.name = QLineEdit("envdesk")
        self.name.setObjectName("database_name")
        self.user = QLineEdit()
        self.user.setObjectName("database_user")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setObjectName("database_password")
        self._options: dict = {}  # a configured server's connection options (sslmode…), kept when it is used again
        self._fill_from(settings_app.get_value(self.ws, decl.DATABASE_URL.key))
        self.server_box = QGroupBox()
        self.form = QFormLayout(self.server_box)
        self._labels = [QLabel() for _i in range(5)]
        editors = (self.host, self.port, self.name, self.user, self.password)
        for label, editor in zip(self._labels, editors, strict=True):
            label.setBuddy(editor)
            self.form.addRow(label, editor)
        self.test_button = QPushButton()
        self.test_button.setObjectName("database_test")
        self.test_button.clicked.connect(self.test)
        self.use_button = QPushButton()
        self.use_button.setObjectName("database_use")
        self.use_button.clicked.connect(self.use_server)
        self.embedded_button = QPushButton()
        self.embedded_button.setObjectName("database_embedded")
        self.embedded_button.clicked.connect(self.use_embedded)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.use_button)
        buttons.addStretch(1)
        buttons.addWidget(self.embedded_button)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setObjectName("database_result")
        self.error = error_label("database_error")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addWidget(self.server_box)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addWidget(self.error)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.last: Probe | None = None
        self.retranslate_ui()

    def _fill_from(self, url: str) -> None:
        address = database.server_address(url) if url else None
        if address is None:
            return
        self.host.setText(address.host)
        self.port.setValue(address.port)
        self.name.setText(address.database)
        self.user.setText(address.user)
        self.password.setText(address.password)
        self._options = address.options

    def retranslate_ui(self) -> None:
        configured = settings_app.get_value(self.ws, decl.DATABASE_URL.key)
        now = _("This window uses: {db}").format(db=html_text(self.ws.label))
        following = (_("From the next start: {db}").format(db=html_text(url_label(configured))) if configured
                     else _("From the next start: the embedded database of this workstation."))
        self.current.setText(f"<p>{now}</p><p>{following}</p>")
        self.server_box.setTitle(_("The office's PostgreSQL server"))
        for label, text in zip(self._labels, (_("Server"), _("Port"), _("Database name"), _("User"),
                                              _("Password")), strict=True):
            label.setText(text)
        self.host.setPlaceholderText(_("e.g. 192.168.1.10 or envdesk-server"))
        self.test_button.setText(_("Test the connection"))
        self.use_button.setText(_("Use this server from the next start"))
        self.embedded_button.setText(_("Use the embedded database"))
        self.hint.setText(_("Every workstation of the office uses the same server; the first one to open it makes "
                            "the tables. To move this workstation's records to the server first, an administrator "
                            "runs “envdesk db copy --to URL” before switching. The password is kept in this "
                            "workstation's settings file, readable by this user only."))

    def url(self) -> str:
        return database.server_url(self.host.text(), self.port.value(), self.name.text(), self.user.text(),
                                   self.password.text(), self._options)

    def test(self) -> Probe | None:
        """Connect off the GUI thread (a server that does not answer takes up to 10 s) and show what was found."""
        self.error.setText("")
        self.result.setText("")
        try:
            url = self.url()
        except AppError as error:
            self.error.setText(str(error))
            return None
        outcome = run_in_background(self, _("Connecting to {db}…").format(db=url_label(url)),
                                    lambda _progress: database.probe(url))
        if outcome.cancelled:
            return None
        if outcome.error is not None:
            self.error.setText(str(outcome.error))
            return None
        self.last = probe = outcome.value
        (self.result if probe.ok else self.error).setText(probe.message)
        return probe

    def use_server(self) -> None:
        probe = self.test()
        if probe is None or not probe.ok:
            return
        if self._configure(self.url()):
            self.result.setText(probe.message + "\n" + _("EnvDesk opens this server from its next start. Restart "
                                                         "EnvDesk to use it now."))

    def use_embedded(self) -> None:
        self.result.setText("")
        if self._configure(""):
            self.result.setText(_("EnvDesk opens the embedded database from its next start."))

    def _configure(self, url: str) -> bool:
        try:
            settings_app.save_values(self.ws, {decl.DATABASE_URL.key: url})
        except AppError as error:
            self.error.setText(str(error))
            return False
        except OSError as error:  # the settings file cannot be written (a full disk, a read-only profile)
            self.error.setText(_("The workstation's settings cannot be saved: {reason}").format(
                reason=error.strerror or error))
            return False
        self.retranslate_ui()
        self.changed.emit(Changes())
        return True
