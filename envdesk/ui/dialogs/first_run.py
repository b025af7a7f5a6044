"""First run: which bureau this database belongs to, and the interface language."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from envdesk import i18n, settings
from envdesk.app import reference
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace
from envdesk.i18n import _
from envdesk.ui import language
from envdesk.ui.widgets import error_label


class FirstRunDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("first_run_dialog")
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self.language = QComboBox()
        for code in i18n.LANGUAGES:
            self.language.addItem(i18n.language_name(code), code)
        self.language.setCurrentIndex(i18n.LANGUAGES.index(i18n.current_language()))
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.name_zh = QLineEdit()
        self.name_zh.setObjectName("bureau_name_zh")
        self.name_en = QLineEdit()
        self.name_en.setObjectName("bureau_name_en")
        self.county = QLineEdit()
        self.county.setObjectName("bureau_county")
        self._error = error_label("first_run_error")
        self._form = QFormLayout()
        self._labels = [QLabel() for _field in range(4)]
        for label, editor in zip(self._labels, (self.language, self.name_zh, self.name_en, self.county)):
            label.setBuddy(editor)
            self._form.addRow(label, editor)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addLayout(self._form)
        layout.addWidget(self._error)
        layout.addWidget(self.buttons)
        language.manager().language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        self.resize(520, self.sizeHint().height())

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Welcome to EnvDesk"))
        self._intro.setText(_("This database is new. Which bureau does it belong to? The name is printed on "
                              "every form and letter; you can change it later in Settings."))
        for label, text in zip(self._labels, (_("Language"), _("Bureau name (Chinese)"),
                                              _("Bureau name (English)"), _("County"))):
            label.setText(text)
        self.name_zh.setPlaceholderText(_("e.g. 青溪县生态环境局"))
        self.name_en.setPlaceholderText(_("optional, for bilingual documents"))

    def _language_chosen(self) -> None:
        code = self.language.currentData()
        language.manager().set_language(code)
        settings.set_local_value(settings.LANGUAGE, code)

    def accept(self) -> None:
        try:
            reference.save_bureau(self.ws, self.name_zh.text(), self.name_en.text(), self.county.text())
        except AppError as error:
            self._error.setText(str(error))
            self.name_zh.setFocus()
            return
        super().accept()

    def done(self, result: int) -> None:
        language.manager().language_changed.disconnect(self.retranslate_ui)
        super().done(result)
