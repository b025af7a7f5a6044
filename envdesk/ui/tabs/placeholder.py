"""A register tab that is not built yet: says so plainly, and what it will hold."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from envdesk.app.workspace import Workspace
from envdesk.i18n import _
from envdesk.ui.tabs.base import BaseTab


class PlaceholderTab(BaseTab):
    def __init__(self, ws: Workspace, key: str, title: str, summary: str, parent: QWidget | None = None) -> None:
        self.key = key
        self.title = title
        super().__init__(ws, parent)
        self._summary = summary
        self._heading = QLabel()
        self._heading.setObjectName("placeholder_heading")
        self._heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self._body = QLabel()
        self._body.setObjectName("placeholder_body")
        self._body.setWordWrap(True)
        # A fixed width lets the label wrap Chinese text (no spaces) instead of clipping it.
        self._body.setFixedWidth(560)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for label in (self._heading, self._body):
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(label)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addStretch(2)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self._heading.setText(_(self.title))
        self._body.setText(_("This register is not available in this version of EnvDesk yet. It will hold: {summary}")
                           .format(summary=_(self._summary)))


# The registers still to come, with what each will hold (shown in its placeholder): (title, summary), both
# N_-marked. Every register of DESIGN.md is built now; a new one starts here until its tab exists.
PLANNED: dict[str, tuple[str, str]] = {}
