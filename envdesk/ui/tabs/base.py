"""What every tab of the main window is: a title, live re-translation, and refresh on relevant changes."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from envdesk.app.changes import Changes
from envdesk.app.workspace import Workspace


class BaseTab(QWidget):
    key = ""          # the name used by `envdesk screenshot --tab` and in saved state
    title = ""        # N_-marked, translated when shown
    concerns: tuple[str, ...] = ()  # kinds of change (envdesk.app.changes) that make this tab refresh
    changed = Signal(object)  # Changes this tab made, for the main window to broadcast to the others

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName(f"tab_{self.key}")

    def retranslate_ui(self) -> None:
        """Set every visible text again; called at construction and after each language switch."""

    def refresh(self) -> None:
        """Reload what the tab shows from the database."""

    def on_changes(self, changes: Changes) -> None:
        if changes.concerns(*self.concerns):
            self.refresh()
