"""Window geometry and column widths remembered between runs, in the config directory."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QTableView, QWidget

from envdesk import paths


def ui_state() -> QSettings:
    return QSettings(str(paths.config_dir() / "window.ini"), QSettings.Format.IniFormat)


def save_tables(root: QWidget) -> None:
    state = ui_state()
    for view in root.findChildren(QTableView):
        if view.objectName():
            state.setValue(f"tables/{view.objectName()}", view.horizontalHeader().saveState())


def restore_table(view: QTableView) -> bool:
    """Restore a view's column widths and order; False when nothing was saved for it."""
    saved = ui_state().value(f"tables/{view.objectName()}")
    return bool(saved) and view.horizontalHeader().restoreState(saved)
