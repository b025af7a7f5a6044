"""GUI tests never block on a modal message box: an unexpected one fails the test with its text."""

import pytest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture(autouse=True)
def no_unexpected_message_boxes(monkeypatch):
    def unexpected(kind):
        def box(parent, title, text="", *args, **kwargs):
            raise AssertionError(f"unexpected {kind} message box: {title}: {text}")
        return box

    for kind in ("warning", "critical", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, unexpected(kind))

    def conflict(parent, error, fields=(), shown=None, reapply=True):
        raise AssertionError(f"unexpected conflict dialog: {error}")

    from envdesk.ui.dialogs import conflict as conflict_module

    monkeypatch.setattr(conflict_module, "ask", conflict)
