"""Start-up of the Qt application: fonts, language, the database, first run, the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from envdesk import __version__, i18n, paths
from envdesk.i18n import _
from envdesk.ui import language

FONT_FILES = ("DroidSansFallbackFull.ttf",)
_registered_families: list[str] = []


def register_fonts() -> list[str]:
    """Make the bundled CJK font known to Qt, so Chinese renders with no CJK font installed."""
    if not _registered_families:
        for name in FONT_FILES:
            try:
                path = paths.resource_path("fonts", name)
            except FileNotFoundError:
                continue
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id >= 0:
                _registered_families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return list(_registered_families)


def ensure_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName("EnvDesk")
        QCoreApplication.setApplicationName("EnvDesk")
        QCoreApplication.setApplicationVersion(__version__)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    families = register_fonts()
    if families:
        # Keep the platform's Latin face and fall back to the bundled font for Han characters.
        font = QFont(app.font())
        font.setFamilies([app.font().family(), *families])
        app.setFont(font)
    try:
        app.setWindowIcon(QIcon(str(paths.resource_path("icons", "envdesk.svg"))))
    except FileNotFoundError:
        pass
    language.manager()
    return app


def run(db_url: str | None = None, language: str | None = None) -> int:
    """Open the main window on the chosen database; returns the process exit status."""
    from envdesk.app.errors import AppError
    from envdesk.app.workspace import open_workspace
    from envdesk.ui.dialogs.first_run import FirstRunDialog
    from envdesk.ui.main_window import MainWindow

    if language:
        i18n.set_language(language)
    app = ensure_application()
    try:
        ws = open_workspace(db_url)
    except AppError as error:
        QMessageBox.critical(None, _("EnvDesk cannot open the database"), str(error))
        return 2
    from envdesk.app import reference

    if not reference.is_set_up(ws):
        dialog = FirstRunDialog(ws)
        if dialog.exec() != FirstRunDialog.DialogCode.Accepted:
            return 0
    window = MainWindow(ws)
    window.show()
    status = app.exec()
    ws.close()
    return status
