"""A record's history: every audited change to it and to its child records, oldest first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from envdesk.app import audit
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace
from envdesk.i18n import N_, _, format_datetime
from envdesk.ui import language, state
from envdesk.ui.table_model import Column, RecordTableModel, fit_headers
from envdesk.ui.widgets import html_text


def record_text(entry: audit.Entry) -> str:
    """Which record an entry concerns: its kind, number and label."""
    if not entry.entity:
        return entry.label
    kind = audit.entity_label(entry.entity)
    number = f" #{entry.record_id}" if entry.record_id is not None else ""
    return f"{kind}{number}: {entry.label}" if entry.label else f"{kind}{number}"


def one_line(text: str, limit: int = 200) -> str:
    """A multi-line text on one table line ("; " between its lines), cut at `limit` characters."""
    joined = "; ".join(line for line in (text or "").splitlines() if line.strip())
    return joined if len(joined) <= limit else joined[:limit - 1] + "…"


def tooltip_text(text: str, limit: int = 1500) -> str:
    """A tooltip that fits on the screen; the detail pane shows the whole text."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def entry_details(entry: audit.Entry) -> str:
    """One entry in full, as rich text for the detail pane."""
    parts = [f"<b>{html_text(entry.action_label)}</b> — {html_text(record_text(entry))}",
             html_text(_("{time}, by {user} at {workstation}").format(
                 time=format_datetime(entry.at), user=entry.user_name or "—",
                 workstation=entry.workstation or "—"))]
    if entry.detail_text:
        parts.append(html_text(entry.detail_text))
    if entry.changes:
        parts.append(html_text(entry.describe_changes()))
    return "<p>" + "</p><p>".join(parts) + "</p>"


HISTORY_COLUMNS: tuple[Column[audit.Entry], ...] = (
    Column(N_("Time"), lambda e: format_datetime(e.at)),
    Column(N_("User"), lambda e: e.user_name),
    Column(N_("Action"), lambda e: e.action_label),
    Column(N_("Record"), record_text),
    Column(N_("Changes"), lambda e: e.describe_changes() or e.detail_text, format=one_line,
           tooltip=lambda e: tooltip_text(e.describe_changes() or e.detail_text)),
)


class HistoryDialog(QDialog):
    """The entries of one record (and of its handling steps, tasks, pauses…), the selected one in full below."""

    def __init__(self, ws: Workspace, entity: str, record_id: int, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.entity, self.record_id, self.title = entity, record_id, title
        self.setObjectName("history_dialog")
        self._heading = QLabel()
        self._heading.setWordWrap(True)
        self.model: RecordTableModel[audit.Entry] = RecordTableModel(HISTORY_COLUMNS, self)
        self.view = QTableView()
        self.view.setObjectName("history_table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.details = QTextBrowser()
        self.details.setObjectName("history_details")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 140])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._heading)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _previous: self._show_entry())
        self.entries = audit.history(ws, entity, record_id)
        self.model.set_rows(self.entries)
        self.view.resizeColumnsToContents()
        for column in range(self.model.columnCount() - 1):
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), 320))
        if self.entries:
            self.view.selectRow(len(self.entries) - 1)
        language.manager().language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        geometry = state.ui_state().value("history/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(900, 560)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("History — {title}").format(title=self.title))
        self._heading.setText(
            _("Every change to {title} and to its parts, oldest first: {n} entries.").format(
                title=self.title, n=len(self.entries)) if self.entries
            else _("No changes to {title} have been recorded.").format(title=self.title))
        self.model.retranslate()
        fit_headers(self.view)
        self._show_entry()

    def _show_entry(self) -> None:
        index = self.view.currentIndex()
        self.details.setHtml(entry_details(self.model.row_value(index.row())) if index.isValid() else "")

    def done(self, result: int) -> None:
        state.ui_state().setValue("history/geometry", self.saveGeometry())
        language.manager().language_changed.disconnect(self.retranslate_ui)
        super().done(result)


def show_history(parent: QWidget | None, ws: Workspace, entity: str, record_id: int, title: str) -> None:
    """Show the history of one record (e.g. entity "complaint", its id, its number as the title)."""
    try:
        dialog = HistoryDialog(ws, entity, record_id, title, parent)
    except AppError as error:
        QMessageBox.warning(parent, _("History"), str(error))
        return
    dialog.exec()
    dialog.deleteLater()
