"""`envdesk screenshot`: render the main window offscreen, on one tab and in one language, to a PNG."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any


def take(db_url: str | None, tab: str, language: str, output: Path, size: tuple[int, int] = (1280, 800),
         sign_in: Callable[[Any], None] | None = None) -> Path:
    """`sign_in(ws)` signs the window's user in (the command's --user); the window shows what that user may see."""
    # Must be decided before the first Qt import creates the platform plugin.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from envdesk import i18n
    from envdesk.app.errors import AppError
    from envdesk.app.workspace import open_workspace
    from envdesk.i18n import _
    from envdesk.ui.application import ensure_application
    from envdesk.ui.main_window import MainWindow

    i18n.set_language(language)
    ensure_application()
    ws = open_workspace(db_url)
    try:
        if sign_in is not None:
            sign_in(ws)
        window = MainWindow(ws)
        window.resize(*size)
        window.show_tab(tab)
        window.show()
        for _round in range(3):  # layouts settle over a few passes
            QApplication.processEvents()
        image = window.grab()
        output = Path(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(output), "PNG"):
            raise AppError(_("Cannot write {file}").format(file=output))
        window.close()
        window.deleteLater()
        QApplication.processEvents()
    finally:
        from envdesk.app import users

        users.log_out(ws)
        ws.close()
    return output
