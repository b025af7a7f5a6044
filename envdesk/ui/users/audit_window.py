"""The global audit trail for administrators: filtered in SQL, paged, newest first; verified and exported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from envdesk import i18n
from envdesk.app import audit, outputs
from envdesk.app.audit import AuditFilter, Entry
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace
from envdesk.exchange import write_table
from envdesk.exchange.audit import AUDIT
from envdesk.i18n import N_, _, format_datetime
from envdesk.ui import language, state
from envdesk.ui.dialogs.record_editor import date_editor, date_value
from envdesk.ui.table_model import Column, PagedTableModel, fit_headers
from envdesk.ui.users.history import entry_details, one_line, show_history, tooltip_text
from envdesk.ui.worker import run_in_background

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_PAGE = 200
EXPORT_FILTER = N_("Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)")


def _record(entry: Entry) -> str:
    if not entry.entity:
        return ""
    return f"{audit.entity_label(entry.entity)} {entry.record_id}" if entry.record_id is not None \
        else audit.entity_label(entry.entity)


AUDIT_COLUMNS: tuple[Column[Entry], ...] = (
    Column(N_("No."), lambda e: e.seq, align=_RIGHT),
    Column(N_("Time"), lambda e: format_datetime(e.at)),
    Column(N_("User"), lambda e: e.user_name),
    Column(N_("Workstation"), lambda e: e.workstation),
    Column(N_("Action"), lambda e: e.action_label),
    Column(N_("Record"), _record),
    Column(N_("Label"), lambda e: e.label, tooltip=lambda e: tooltip_text(e.label)),
    Column(N_("Changes"), lambda e: e.describe_changes(), format=one_line,
           tooltip=lambda e: tooltip_text(e.describe_changes())),
    Column(N_("Detail"), lambda e: e.detail_text, format=one_line, tooltip=lambda e: tooltip_text(e.detail_text)),
)


class AuditWindow(QDialog):
    """A window of its own (not modal): the administrator can keep it open beside the registers."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("audit_window")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.text = QLineEdit()
        self.text.setObjectName("audit_text")
        self.text.setClearButtonEnabled(True)
        self.user = QLineEdit()
        self.user.setObjectName("audit_user")
        self.user.setClearButtonEnabled(True)
        self.action = QComboBox()
        self.action.setObjectName("audit_action")
        self.entity = QComboBox()
        self.entity.setObjectName("audit_entity")
        self.since = date_editor(None, optional=True)
        self.since.setObjectName("audit_since")
        self.until = date_editor(None, optional=True)
        self.until.setObjectName("audit_until")
        self.clear_button = QPushButton()
        self.clear_button.setObjectName("audit_clear")
        self.clear_button.clicked.connect(self.clear_filters)
        self._filter_labels = [QLabel() for _i in range(6)]
        filters = QGridLayout()
        placed = ((self.text, 0, 0), (self.user, 0, 2), (self.action, 0, 4),
                  (self.entity, 1, 0), (self.since, 1, 2), (self.until, 1, 4))
        for label, (editor, row, column) in zip(self._filter_labels, placed, strict=True):
            label.setBuddy(editor)
            filters.addWidget(label, row, column)
            filters.addWidget(editor, row, column + 1)
        filters.addWidget(self.clear_button, 1, 6)
        for column in (1, 3, 5):
            filters.setColumnStretch(column, 1)

        self.model: PagedTableModel[Entry] = PagedTableModel(AUDIT_COLUMNS, self, page_size=_PAGE)
        self.view = QTableView()
        self.view.setObjectName("audit_table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(self.show_record_history)
        self.details = QTextBrowser()
        self.details.setObjectName("audit_details")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)

        self.count_label = QLabel()
        self.count_label.setObjectName("audit_count")
        self.verify_result = QLabel()
        self.verify_result.setObjectName("audit_verify_result")
        self.verify_result.setWordWrap(True)
        self.verify_result.hide()
        self.verify_button = QPushButton()
        self.verify_button.setObjectName("audit_verify")
        self.verify_button.clicked.connect(self.verify)
        self.export_button = QPushButton()
        self.export_button.setObjectName("audit_export")
        self.export_button.clicked.connect(lambda: self.export())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.verify_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.verify_result)
        layout.addWidget(self.buttons)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.refresh)
        self._fill_choices()  # AUDIT_VIEW is checked here: a refusal reaches the caller before the window shows
        self.text.textChanged.connect(lambda _text: self._debounce.start())
        self.user.textChanged.connect(lambda _text: self._debounce.start())
        for editor in (self.text, self.user):
            editor.returnPressed.connect(self.refresh)
        for combo in (self.action, self.entity):
            combo.currentIndexChanged.connect(lambda _index: self.refresh())
        for editor in (self.since, self.until):
            editor.dateChanged.connect(lambda _date: self._debounce.start())
        self.view.selectionModel().currentRowChanged.connect(lambda current, _previous: self._show_entry())
        self.model.rowsInserted.connect(lambda *_args: self._show_count())
        language.manager().language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        self.refresh()
        self.view.resizeColumnsToContents()
        for column, widest in ((5, 200), (6, 220), (7, 320)):
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), widest))
        geometry = state.ui_state().value("audit/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 720)
        state.restore_table(self.view)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Audit trail"))
        for label, text in zip(self._filter_labels, (_("Search"), _("User"), _("Action"), _("Record kind"),
                                                     _("From"), _("To")), strict=True):
            label.setText(text)
        self.text.setPlaceholderText(_("record, user or detail"))
        self.user.setPlaceholderText(_("any user"))
        self.clear_button.setText(_("Clear filters"))
        self.verify_button.setText(_("Verify the trail"))
        self.verify_button.setToolTip(_("Recompute every entry's hash and check that none was changed, inserted or "
                                        "removed outside EnvDesk."))
        self.export_button.setText(_("Export…"))
        self._translate_choices()
        self.model.retranslate()
        fit_headers(self.view)
        self._show_count()
        self._show_entry()

    # --- filters ------------------------------------------------------------------------------------

    def _fill_choices(self) -> None:
        self.action.blockSignals(True)
        self.action.addItem("", "")
        for key in audit.ACTIONS:
            self.action.addItem("", key)
        self.action.blockSignals(False)
        self.entity.blockSignals(True)
        self.entity.addItem("", "")
        for name in audit.entity_names(self.ws):
            self.entity.addItem("", name)
        self.entity.blockSignals(False)

    def _translate_choices(self) -> None:
        self.action.setItemText(0, _("All actions"))
        for index in range(1, self.action.count()):
            self.action.setItemText(index, _(audit.ACTIONS[self.action.itemData(index)]))
        self.entity.setItemText(0, _("All records"))
        for index in range(1, self.entity.count()):
            self.entity.setItemText(index, audit.entity_label(self.entity.itemData(index)))

    def current_filter(self) -> AuditFilter:
        return AuditFilter(text=self.text.text(), user=self.user.text(), action=self.action.currentData() or "",
                           entity=self.entity.currentData() or "", since=date_value(self.since),
                           until=date_value(self.until))

    def clear_filters(self) -> None:
        for widget in (self.text, self.user, self.action, self.entity, self.since, self.until):
            widget.blockSignals(True)
        self.text.clear()
        self.user.clear()
        self.action.setCurrentIndex(0)
        self.entity.setCurrentIndex(0)
        self.since.setDate(self.since.minimumDate())
        self.until.setDate(self.until.minimumDate())
        for widget in (self.text, self.user, self.action, self.entity, self.since, self.until):
            widget.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """The first page of the entries that match, newest first; more load as the view scrolls."""
        self._debounce.stop()
        f = self.current_filter()
        try:
            self.model.set_query(lambda offset, limit: audit.entries(self.ws, f, offset, limit),
                                 lambda: audit.count(self.ws, f))
        except AppError as error:
            self.model.set_query(lambda offset, limit: [], lambda: 0)
            self.count_label.setText(str(error))
            return
        if self.model.rowCount():
            self.view.selectRow(0)
        self._show_count()
        self._show_entry()

    def _show_count(self) -> None:
        total = self.model.total
        shown = self.model.rowCount()
        self.count_label.setText(
            i18n.ngettext("{n} entry", "{n} entries", total).format(n=total) if shown >= total else
            _("{shown} of {n} entries shown; scroll for more").format(shown=shown, n=total))

    def _show_entry(self) -> None:
        index = self.view.currentIndex()
        self.details.setHtml(entry_details(self.model.row_value(index.row())) if index.isValid() else "")

    def show_record_history(self, index) -> None:
        entry = self.model.row_value(index.row())
        entity, record_id = (entry.owner_entity, entry.owner_id) if entry.owner_id is not None else \
            (entry.entity, entry.record_id)
        if entity and record_id is not None:
            show_history(self, self.ws, entity, record_id, f"{audit.entity_label(entity)} {record_id}")

    # --- verify and export --------------------------------------------------------------------------

    def _report(self, text: str, color: str = "") -> None:
        self.verify_result.setStyleSheet(f"color: {color};" if color else "")
        self.verify_result.setText(text)
        self.verify_result.setVisible(bool(text))

    def verify(self) -> None:
        outcome = run_in_background(self, _("Verifying the audit trail…"), lambda _progress: audit.verify(self.ws))
        if outcome.cancelled:
            return
        if outcome.error is not None:
            text = str(outcome.error) if isinstance(outcome.error, AppError) else \
                _("The trail could not be read: {error}").format(error=outcome.error)
            self._report(text, "#b00020")
            QMessageBox.warning(self, _("Verify the trail"), text)
            return
        result: audit.Verification = outcome.value
        if result.ok:
            text = i18n.ngettext("The audit trail is intact: {n} entry checked.",
                                 "The audit trail is intact: {n} entries checked.", result.entries).format(
                n=result.entries)
            self._report(text, "#1b5e20")
            QMessageBox.information(self, _("Verify the trail"), text)
            return
        text = _("The audit trail was altered outside EnvDesk ({n} entries checked):").format(n=result.entries) + \
            "\n" + "\n".join(f"• {problem}" for problem in result.problems)
        self._report(text, "#b00020")
        QMessageBox.warning(self, _("Verify the trail"), text)

    def export(self, path: str | None = None) -> str | None:
        """The entries that match the filters, oldest first, to .xlsx or .csv; the export is itself audited."""
        code = i18n.current_language()
        if not path:
            suggested = f"{AUDIT.title(code)}-{date.today().isoformat()}.xlsx"
            path, _filter = QFileDialog.getSaveFileName(self, _("Export the audit trail"), suggested,
                                                        _(EXPORT_FILTER))
        if not path:
            return None
        f = self.current_filter()
        try:
            rows = audit.export_rows(self.ws, f)  # the permission is checked here, on the GUI thread
        except AppError as error:
            QMessageBox.warning(self, _("Cannot export"), str(error))
            return None
        outcome = run_in_background(self, _("Exporting…"),
                                    lambda progress: write_table(path, AUDIT, rows, language=code, progress=progress))
        if outcome.cancelled:
            return None
        if outcome.error is not None:
            from envdesk.ui.dialogs.exchange import show_failure

            show_failure(self, _("Cannot export"), outcome.error)
            return None
        try:
            outputs.exported(self.ws, "audit_log", path, outcome.value)
        except AppError as error:
            QMessageBox.warning(self, _("Export"), str(error))
        self._report(i18n.ngettext("{n} entry written to {file}", "{n} entries written to {file}",
                                   outcome.value).format(n=outcome.value, file=Path(path).name))
        self.refresh()  # the export is the newest entry now
        return path

    def done(self, result: int) -> None:
        state.ui_state().setValue("audit/geometry", self.saveGeometry())
        state.save_tables(self)
        language.manager().language_changed.disconnect(self.retranslate_ui)
        super().done(result)
