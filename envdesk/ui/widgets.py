"""Small widgets every dialog uses the same way."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLayout, QMenu, QToolButton, QVBoxLayout, QWidget

from envdesk import i18n
from envdesk.i18n import _


def error_label(name: str = "form_error") -> QLabel:
    """Where a form says, in red, which field is wrong and why (instead of a message box that hides the form)."""
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    return label


def print_button(name: str, slot: Callable[[str], object]) -> QToolButton:
    """A button whose menu prints a document in Chinese, English or both: `slot(language)`."""
    button = QToolButton()
    button.setObjectName(name)
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(button)
    for code in i18n.DOCUMENT_LANGUAGES:
        action = menu.addAction("")
        action.setData(code)
        action.triggered.connect(lambda checked=False, c=code: slot(c))
    button.setMenu(menu)
    retranslate_print_button(button, button.text())
    return button


def retranslate_print_button(button: QToolButton, text: str) -> None:
    button.setText(text)
    for action in button.menu().actions():
        action.setText(_(i18n.DOCUMENT_LANGUAGE_LABELS[action.data()]))


def html_text(value: object) -> str:
    """User text placed in a rich-text label: shown as typed (<b> and & included), line breaks kept."""
    return html.escape(str(value)).replace("\n", "<br>")


def dialog_body(dialog: QDialog, *parts: QWidget | QLayout, error: QLabel) -> QDialogButtonBox:
    """The body of a small editing dialog: `parts` (widgets or layouts) from the top, the error line, a stretch,
    then OK and Cancel wired to accept and reject; returns the button box."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    layout.addWidget(error)
    layout.addStretch(1)
    layout.addWidget(buttons)
    return buttons
