"""Importing and exporting spreadsheets from the GUI: file choice, a worker with Cancel, every error shown, and
each file produced or imported recorded in the audit trail."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from envdesk import i18n
from envdesk.app import outputs
from envdesk.app.changes import Changes
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace
from envdesk.exchange import FileError, ImportFailed, Layout, import_file, write_errors, write_table
from envdesk.i18n import N_, _
from envdesk.ui.table_model import Column, RecordTableModel
from envdesk.ui.worker import run_in_background

SPREADSHEETS = N_("Spreadsheets (*.xlsx *.xlsm *.csv *.txt)")
READABLE = N_("Spreadsheets and Word tables (*.xlsx *.xlsm *.csv *.txt *.docx)")

ERROR_COLUMNS = (
    Column(N_("Row"), lambda e: "" if e.row is None else e.row),
    Column(N_("Column"), lambda e: e.column),
    Column(N_("Value"), lambda e: e.value, tooltip=lambda e: e.value),
    Column(N_("Problem"), lambda e: e.reason, tooltip=lambda e: e.reason),
)


class ImportErrorsDialog(QDialog):
    """Every problem of a rejected file, as a table the user can save and work through."""

    def __init__(self, failure: ImportFailed, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_errors_dialog")
        self.failure = failure
        self.setWindowTitle(_("Nothing was imported"))
        count = len(failure.errors)
        summary = QLabel(i18n.ngettext("{file} was not imported: {count} problem",
                                       "{file} was not imported: {count} problems", count)
                         .format(file=failure.file, count=count) + "\n" +
                         _("Correct the file and import it again; nothing has been written."))
        summary.setWordWrap(True)
        self.model = RecordTableModel(ERROR_COLUMNS, self)
        self.model.set_rows(list(failure.errors))
        table = QTableView()
        table.setObjectName("import_errors_table")
        table.setModel(self.model)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.resizeColumnsToContents()
        self.save_button = QPushButton(_("Save the list…"))
        self.save_button.setObjectName("save_errors_button")
        self.save_button.clicked.connect(self.save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(760, 420)

    def save(self, path: str | None = None) -> None:
        if not path:
            path, _filter = QFileDialog.getSaveFileName(self, _("Save the list of problems"),
                                                        f"{self.failure.file}-problems.xlsx", _(SPREADSHEETS))
        if not path:
            return
        try:
            write_errors(path, self.failure.errors, i18n.current_language())
        except FileError as error:
            QMessageBox.warning(self, _("Cannot save"), str(error))


def import_spreadsheet(parent: QWidget, layout: Layout,
                       apply: Callable[[list[tuple[int, dict[str, Any]]], bool], Any],
                       path: str | None = None, *, register: str = "", ws: Workspace | None = None) -> Changes:
    """Ask for a file, import it in the background, and show what happened. Returns what changed.

    A committed import is recorded in the audit trail as `register` (its `envdesk import` name: complaints,
    enterprises…; `ws` defaults to the parent's)."""
    ws = ws if ws is not None else getattr(parent, "ws", None)
    if not path:
        path, _filter = QFileDialog.getOpenFileName(parent, _("Import {what}").format(what=layout.title(
            i18n.current_language())), "", _(READABLE))
    if not path:
        return Changes()
    outcome = run_in_background(parent, _("Importing…"), lambda progress: import_file(path, layout, apply, progress))
    if outcome.cancelled:
        QMessageBox.information(parent, _("Import cancelled"), _("Nothing was imported."))
        return Changes()
    if isinstance(outcome.error, ImportFailed):
        ImportErrorsDialog(outcome.error, parent).exec()
        return Changes()
    if isinstance(outcome.error, FileError):
        QMessageBox.warning(parent, _("Cannot import"), str(outcome.error))
        return Changes()
    if outcome.error is not None:
        show_failure(parent, _("Cannot import"), outcome.error)
        return Changes()
    summary, result = outcome.value
    if ws is not None:
        _record(parent, lambda: outputs.imported(ws, register or layout.title("en"), path,
                                                 summary.created + summary.updated))
    lines = [_("{created} added, {updated} updated").format(created=summary.created, updated=summary.updated),
             *result.warnings]
    QMessageBox.information(parent, _("Imported"), "\n".join(lines))
    return summary.changes


def export_spreadsheet(parent: QWidget, layout: Layout, rows: Callable[[], Sequence[dict[str, Any]]],
                       path: str | None = None, *, register: str = "", identity: bool = False,
                       ws: Workspace | None = None) -> str | None:
    """Ask where, then write the rows in the background; returns the file written.

    The file written is recorded in the audit trail as `register` (its `envdesk export` name; `identity` when
    complainants' identities are in it; `ws` defaults to the parent's)."""
    ws = ws if ws is not None else getattr(parent, "ws", None)
    language = i18n.current_language()
    if not path:
        path, _filter = QFileDialog.getSaveFileName(parent, _("Export {what}").format(what=layout.title(language)),
                                                    f"{layout.title(language)}.xlsx", _(SPREADSHEETS))
    if not path:
        return None
    outcome = run_in_background(parent, _("Exporting…"),
                                lambda progress: write_table(path, layout, rows(), language=language, progress=progress))
    if outcome.cancelled:
        return None
    if outcome.error is not None:
        show_failure(parent, _("Cannot export"), outcome.error)
        return None
    if ws is not None:
        _record(parent, lambda: outputs.exported(ws, register or layout.title("en"), path, outcome.value,
                                                 identity=identity))
    return path


def _record(parent: QWidget, write: Callable[[], object]) -> None:
    """Write the audit entry of a file produced; if that fails (the session ended meanwhile), say so."""
    try:
        write()
    except AppError as error:
        show_failure(parent, _("The file was written but not recorded"), error)


def show_failure(parent: QWidget, title: str, error: BaseException) -> None:
    """A user's problem (bad file, conflict, database unavailable) in its own words; anything else logged."""
    if isinstance(error, (AppError, FileError)):
        QMessageBox.warning(parent, title, str(error))
        return
    logging.getLogger("envdesk").error("unexpected failure", exc_info=error)
    QMessageBox.critical(parent, title, _("Something went wrong: {error}\nThe details are in the log.").format(
        error=error))
