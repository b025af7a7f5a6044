"""Small widgets every dialog uses the same way."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def error_label(name: str = "form_error") -> QLabel:
    """Where a form says, in red, which field is wrong and why (instead of a message box that hides the form)."""
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    return label
