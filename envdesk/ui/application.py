"""Start-up of the Qt application: fonts, language, the database, first run, the main window."""

from __future__ import annotations

import gc
import logging
import sys
import threading
from datetime import datetime

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


def sign_in_at_start(ws) -> bool:
    """Whoever uses this workstation signs in before the main window opens; False when they cancelled.

    A database without accounts creates its administrator in the first-run dialog (with the bureau, if that
    is missing too); a single-user workstation signs its user in without a password (embedded database
    only); everyone else logs in. A temporary password is replaced before anything else, and a bureau still
    missing is asked for once someone who may set it up is signed in.
    """
    from envdesk import settings
    from envdesk.app import access, reference, users
    from envdesk.app.errors import AppError
    from envdesk.domain.users import Permission
    from envdesk.i18n import N_
    from envdesk.ui.dialogs.first_run import FirstRunDialog
    from envdesk.ui.dialogs.login import ensure_own_password, sign_in

    if not users.has_users(ws):
        dialog = FirstRunDialog(ws, account=True, bureau=not reference.is_set_up(ws))
        accepted = dialog.exec() == FirstRunDialog.DialogCode.Accepted
        dialog.deleteLater()
        return accepted and ws.user is not None
    notice = ""
    if str(settings.local_value(settings.SINGLE_USER) or "").strip():
        try:
            users.log_in_configured(ws, settings.SINGLE_USER, N_("single-user workstation"))
        except AppError as error:
            # The named account was removed or disabled, or this is a shared server (users.passwordless_allowed):
            # the log-in dialog says so and asks for a password.
            notice = str(error)
    if ws.user is not None:
        if not ensure_own_password(ws):
            return False
    elif not sign_in(ws, notice=notice):
        return False
    if not reference.is_set_up(ws) and access.can(ws, Permission.REFERENCE_EDIT):
        dialog = FirstRunDialog(ws, account=False, bureau=True)
        accepted = dialog.exec() == FirstRunDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            users.log_out(ws)
            return False
    return True


def _offer_restore(db_url: str | None, error: Exception):
    """The database cannot be opened (damaged, truncated, not EnvDesk's…): say why, and when it is the embedded
    database and an automatic backup exists, offer to restore the latest one (the damaged file is kept aside).
    Returns the workspace on the restored database, or None."""
    from envdesk import settings
    from envdesk.app import backup
    from envdesk.app.errors import AppError
    from envdesk.app.workspace import open_workspace
    from envdesk.store import db

    url = db.resolve_url(db_url, settings.local_value(settings.DATABASE_URL))
    title = _("EnvDesk cannot open the database")
    latest = backup.automatic_backups()[-1:] if db.sqlite_path(db.parse_url(url)) is not None else []
    if not latest or getattr(error, "fault", None):  # locked, read-only, a full disk: a backup would not help
        QMessageBox.critical(None, title, str(error))
        return None
    made = datetime.fromtimestamp(latest[0].stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    answer = QMessageBox.question(
        None, title, _("{error}\n\nRestore the latest automatic backup, made {when}? The work of the day since then "
                       "is not in it. The damaged file is kept in the backups folder.").format(error=error, when=made),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        kept = backup.restore(url, latest[0], None)  # the damaged database cannot say who may restore it
        ws = open_workspace(db_url)
    except AppError as failure:
        QMessageBox.critical(None, title, str(failure))
        return None
    QMessageBox.information(None, _("EnvDesk"), _("Restored from {file}. The damaged database was kept as {kept}.")
                            .format(file=latest[0].name, kept=kept))
    return ws


def _daily_backup(ws) -> threading.Thread:
    """The day's automatic backup (envdesk.app.backup.automatic_backup), in the background while staff work."""
    from envdesk.app import backup
    from envdesk.app.errors import AppError

    def work() -> None:
        try:
            backup.automatic_backup(ws)
        except AppError as error:
            logging.getLogger("envdesk").warning("%s", error)
        except Exception:  # never in the user's way; the log has it
            logging.getLogger("envdesk").exception("daily backup failed")

    thread = threading.Thread(target=work, name="envdesk-daily-backup", daemon=True)
    thread.start()
    return thread


def run(db_url: str | None = None, language: str | None = None) -> int:
    """Open the main window on the chosen database once someone signed in; returns the process exit status."""
    from envdesk.app import users
    from envdesk.app.errors import AppError
    from envdesk.app.workspace import open_workspace
    from envdesk.ui.main_window import MainWindow

    if language:
        i18n.set_language(language)
    app = ensure_application()
    try:
        ws = open_workspace(db_url)
    except AppError as error:
        ws = _offer_restore(db_url, error)
        if ws is None:
            return 2
    try:
        if not sign_in_at_start(ws):
            return 0
        window = MainWindow(ws)
        window.show()
        # What start-up made (modules, Qt wrappers, caches) lives as long as the window: out of the garbage
        # collector's sight, so that a full collection during an import or export walks only that work's objects
        # and the window does not stall while the worker holds the interpreter.
        gc.freeze()
        daily = _daily_backup(ws)
        status = app.exec()
        daily.join()  # a copy under way is finished, not left half-written
        if ws.user is not None:
            try:
                users.log_out(ws)
            except AppError:
                pass  # the session ends by age on the server all the same
        return status
    except AppError as error:  # the database went away during sign-in
        QMessageBox.critical(None, _("EnvDesk"), str(error))
        return 2
    finally:
        ws.close()
