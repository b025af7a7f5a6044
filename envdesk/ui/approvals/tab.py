"""The approvals tab: a SQL-paged, filtered list of EIA approval cases coloured by the nearer clock, and the
selected case's project, its clocks (one-time notification, statutory, promised), pauses, history and steps."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QTextBrowser,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from envdesk import i18n
from envdesk.app import approvals, reference
from envdesk.app import changes as change_kinds
from envdesk.app.approvals import ACTION_LABELS, ApprovalFilter, Case, CaseSummary
from envdesk.app.changes import Changes
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace
from envdesk.domain import eia_categories
from envdesk.domain.approvals import OPEN, Clock, ClockKind, DocumentType, Status, Track
from envdesk.domain.deadlines import Unit, Urgency
from envdesk.domain.users import Permission
from envdesk.i18n import N_, _, format_date, format_money, format_percent, ngettext
from envdesk.ui.approvals import dialogs
from envdesk.ui.complaints.tab import URGENCY_COLOURS as COMPLAINT_URGENCY_COLOURS
from envdesk.ui.dialogs.record_editor import date_editor, date_value
from envdesk.ui.table_model import Column, SortedInSql, fit_headers
from envdesk.ui.tabs.base import BaseTab, allow, master_detail, reports_errors
from envdesk.ui.widgets import html_text, print_button, retranslate_print_button

KEY_MARK = "★"
MAX_COLUMN_WIDTH = 180  # pixels; a project's full name is in the tooltip and the detail


def _date(value: date | None) -> str:
    return format_date(value, "short") if value else ""


COLUMNS: tuple[Column[CaseSummary], ...] = (
    Column(N_("Case No."), lambda c: c.number),
    Column(N_("Key"), lambda c: KEY_MARK if c.key_project else "", align=Qt.AlignmentFlag.AlignCenter,
           tooltip=lambda c: _("Key project") if c.key_project else ""),
    Column(N_("Project"), lambda c: c.name, tooltip=lambda c: c.name),
    Column(N_("Builder"), lambda c: c.builder, tooltip=lambda c: c.builder),
    Column(N_("Document type"), lambda c: c.document_type.label),
    Column(N_("Approval track"), lambda c: c.track.label),
    Column(N_("Status"), lambda c: c.status.label),
    # The nearer running clock, which also colours the row: beside the status, where it is seen first.
    Column(N_("Due"), lambda c: _date(c.next_due), tooltip=lambda c: c.urgency.label if c.urgency else ""),
    Column(N_("Received"), lambda c: _date(c.received_on)),
    Column(N_("Accepted"), lambda c: _date(c.accepted_on)),
    Column(N_("Statutory due"), lambda c: _date(c.statutory_due)),
    Column(N_("Promised due"), lambda c: _date(c.promised_due)),
)
# Header sections the list can be sorted by, and the SQL sort (approvals.SORTS) each one means.
SORTABLE = {0: "number", 2: "name", 4: "document_type", 5: "track", 6: "status", 7: "due", 8: "received",
            10: "statutory_due", 11: "promised_due"}
RECEIVED_COLUMN = 8
# The complaints' colours for late and near clocks; a paused case is shown in a quiet blue-grey.
URGENCY_COLOURS = {**COMPLAINT_URGENCY_COLOURS, Urgency.PAUSED: QColor("#e3e9f2")}
# The words in the detail panel take the urgency's colour.
URGENCY_TEXT = {Urgency.OVERDUE: "#b00020", Urgency.DONE_LATE: "#b00020", Urgency.DUE_TODAY: "#b35900",
                Urgency.DUE_SOON: "#8a6d00", Urgency.PAUSED: "#455a7a"}
STEPS = ("receive", "request_materials", "accept", "pause", "resume", "decide", "file", "withdraw")
# What each step needs (envdesk.app.approvals): the approval clerk's register work, and recording the decision.
STEP_PERMISSIONS = {"decide": Permission.APPROVALS_DECIDE}


class ApprovalsTab(BaseTab):
    key = "approvals"
    title = N_("Approvals")
    concerns = (change_kinds.EVERYTHING, change_kinds.APPROVALS, change_kinds.SETTING, change_kinds.CALENDAR,
                change_kinds.STAFF, change_kinds.TOWN, change_kinds.ENTERPRISE)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.ready = False  # header sorting waits until the tab is built
        self.sort_key, self.descending = "received", True
        self.current: Case | None = None
        self.search = QLineEdit()
        self.search.setObjectName("approval_search")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.document_type = QComboBox()
        self.track = QComboBox()
        self.town = QComboBox()
        for name, combo in (("status", self.status), ("document_type", self.document_type),
                            ("track", self.track), ("town", self.town)):
            combo.setObjectName(f"approval_{name}")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.key_only = QCheckBox()
        self.key_only.setObjectName("approval_key_only")
        self.overdue = QCheckBox()
        self.overdue.setObjectName("approval_overdue")
        self.date_from = date_editor(None, optional=True)
        self.date_to = date_editor(None, optional=True)
        self.count_label = QLabel()
        self.count_label.setObjectName("approval_count")
        self.register_button = QPushButton()
        self.register_button.setObjectName("register_project")
        self.register_button.clicked.connect(lambda: self.register())
        self.print_ledger = print_button("print_approvals_ledger", self.print_period_ledger)
        self.summary_button = QPushButton()
        self.summary_button.setObjectName("approval_summary_button")
        self.summary_button.clicked.connect(lambda: self.open_summary())
        self.import_button = QPushButton()
        self.import_button.setObjectName("approval_import")
        self.import_button.clicked.connect(lambda: self.import_file())
        self.export_button = QPushButton()
        self.export_button.setObjectName("approval_export")
        self.export_button.clicked.connect(lambda: self.export_file())
        self.model = SortedInSql(COLUMNS, self, SORTABLE, background=lambda c: URGENCY_COLOURS.get(c.urgency))
        self.table = QTableView()
        self.table.setObjectName("approval_table")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(RECEIVED_COLUMN, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._selected)

        self.detail = QTextBrowser()
        self.detail.setObjectName("approval_detail")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self._link)
        self.step_buttons: dict[str, QPushButton] = {}
        for action in (*STEPS, "edit", "correct_pause"):
            button = QPushButton()
            button.setObjectName(f"step_{action}")
            button.clicked.connect(lambda checked=False, a=action: self.step(a))
            self.step_buttons[action] = button
        self.history_button = QPushButton()
        self.history_button.setObjectName("approval_history")
        self.history_button.clicked.connect(lambda: self.show_history())
        # The case's three notices share one Print button (a menu per notice, each in three languages), so the
        # step buttons keep their room on a 1280-pixel screen.
        self.print_case = QToolButton()
        self.print_case.setObjectName("print_case")
        self.print_case.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.print_case.setMenu(QMenu(self.print_case))
        self.print_menus: dict[str, QMenu] = {}
        for which in ("acceptance", "missing_materials", "pause"):
            menu = self.print_case.menu().addMenu("")
            menu.setObjectName(f"print_{which}")
            for code in i18n.DOCUMENT_LANGUAGES:
                action = menu.addAction("")
                action.setData(code)
                action.triggered.connect(lambda checked=False, w=which, c=code: self.print_document(w, c))
            self.print_menus[which] = menu
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.refresh)
        self._build_layout()
        self._fill_filters()
        self._connect_filters()
        self.refresh()
        self.retranslate_ui()
        self._fit_columns()
        self.ready = True

    def _fit_columns(self) -> None:
        """First widths from the first page (saved widths replace them), long names cut at a readable width."""
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for section in range(header.count()):
            header.resizeSection(section, min(header.sectionSize(section), MAX_COLUMN_WIDTH))

    def _build_layout(self) -> None:
        self._labels = {key: QLabel() for key in ("status", "document_type", "track", "town", "from", "to")}
        filters_top = QHBoxLayout()
        filters_top.addWidget(self.search, 3)
        for key, widget in (("status", self.status), ("document_type", self.document_type),
                            ("track", self.track)):
            filters_top.addWidget(self._labels[key])
            filters_top.addWidget(widget, 1)
        filters_bottom = QToolBar()  # folds into » on a narrow screen instead of widening the window
        filters_bottom.setObjectName("approval_filters")
        for key, widget in (("town", self.town), ("from", self.date_from), ("to", self.date_to)):
            filters_bottom.addWidget(self._labels[key])
            filters_bottom.addWidget(widget)
        filters_bottom.addSeparator()
        for box in (self.key_only, self.overdue):
            filters_bottom.addWidget(box)
        actions = QToolBar()
        actions.setObjectName("approval_actions")
        for widget in (self.register_button, self.print_ledger, self.summary_button, self.import_button,
                       self.export_button):
            actions.addWidget(widget)
        actions.addWidget(self.count_label)
        steps = QToolBar()
        steps.setObjectName("approval_steps")
        for action in STEPS:
            steps.addWidget(self.step_buttons[action])
        steps.addSeparator()
        steps.addWidget(self.step_buttons["edit"])
        steps.addWidget(self.step_buttons["correct_pause"])
        steps.addSeparator()
        steps.addWidget(self.print_case)
        steps.addWidget(self.history_button)
        splitter = master_detail(self.table, steps, self.detail, stretch=(1, 1))
        layout = QVBoxLayout(self)
        layout.addLayout(filters_top)
        layout.addWidget(filters_bottom)
        layout.addWidget(actions)
        layout.addWidget(splitter)

    def _fill_filters(self) -> None:
        combos = (self.status, self.document_type, self.track, self.town)
        selected = {combo: combo.currentData() for combo in combos}
        for combo in combos:
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("", None)
        self.status.addItem("", "open")
        for status in Status:
            self.status.addItem(status.label, status.value)
        for doc in DocumentType:
            self.document_type.addItem(doc.label, doc.value)
        for track in Track:
            self.track.addItem(track.label, track.value)
        for town in reference.list_towns(self.ws, include_inactive=False):
            self.town.addItem(town.name_zh, town.id)
        for combo in combos:
            found = combo.findData(selected[combo])
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    def _connect_filters(self) -> None:
        for combo in (self.status, self.document_type, self.track, self.town):
            combo.currentIndexChanged.connect(self.refresh)
        for box in (self.key_only, self.overdue):
            box.toggled.connect(self.refresh)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._debounce.start)
        self.search.textChanged.connect(self._debounce.start)

    def retranslate_ui(self) -> None:
        self.search.setPlaceholderText(_("Search project, builder, credit code, case or approval No."))
        labels = {"status": _("Status"), "document_type": _("Document type"), "track": _("Approval track"),
                  "town": _("Town"), "from": _("Received from"), "to": _("to")}
        for key, text in labels.items():
            self._labels[key].setText(text)
        for combo in (self.status, self.document_type, self.track, self.town):
            combo.setItemText(0, _("All"))
        self.status.setItemText(1, _("Open"))
        for index, status in enumerate(Status, start=2):
            self.status.setItemText(index, status.label)
        for index, doc in enumerate(DocumentType, start=1):
            self.document_type.setItemText(index, doc.label)
        for index, track in enumerate(Track, start=1):
            self.track.setItemText(index, track.label)
        self.key_only.setText(_("Key projects only"))
        self.overdue.setText(_("Overdue only"))
        self.register_button.setText(_("New project…"))
        retranslate_print_button(self.print_ledger, _("Print the ledger"))
        self.summary_button.setText(_("Summary…"))
        self.import_button.setText(_("Import…"))
        self.export_button.setText(_("Export…"))
        step_texts = {"receive": _("Receive…"), "request_materials": _("One-time notification…"),
                      "accept": _("Accept…"), "pause": _("Pause…"), "resume": _("Resume…"),
                      "decide": _("Decide…"), "file": _("File…"), "withdraw": _("Withdraw…"),
                      "edit": _("Edit project…"), "correct_pause": _("Correct a pause…")}
        for action, button in self.step_buttons.items():
            button.setText(step_texts[action])
        self.print_case.setText(_("Print"))
        self.history_button.setText(_("History…"))
        titles = {"acceptance": _("Acceptance notice"), "missing_materials": _("One-time notification"),
                  "pause": _("Pause notice")}
        for which, menu in self.print_menus.items():
            menu.setTitle(titles[which])
            for action in menu.actions():
                action.setText(_(i18n.DOCUMENT_LANGUAGE_LABELS[action.data()]))
        self.model.retranslate()
        fit_headers(self.table)
        self._show_count()
        self.apply_permissions()

    def apply_permissions(self) -> None:
        """New projects, their steps and imports for approval clerks; the decision for those who record it."""
        for widget in (self.register_button, self.import_button):
            allow(widget, self.ws, Permission.APPROVALS_EDIT)
        self._show_detail()

    # --- data -----------------------------------------------------------------------------------

    def current_filter(self) -> ApprovalFilter:
        status = self.status.currentData()
        if status == "open":
            statuses = tuple(s.value for s in Status if s in OPEN)
        else:
            statuses = (status,) if status else ()
        return ApprovalFilter(
            text=self.search.text().strip(), statuses=statuses, document_type=self.document_type.currentData(),
            track=self.track.currentData(), key_only=self.key_only.isChecked(),
            overdue_only=self.overdue.isChecked(), town_id=self.town.currentData(),
            received_from=date_value(self.date_from), received_to=date_value(self.date_to))

    @reports_errors(N_("Cannot show the cases"))
    def refresh(self) -> None:
        selected = self.current.id if self.current else None
        f, sort, descending = self.current_filter(), self.sort_key, self.descending
        self.model.set_query(
            lambda offset, limit: approvals.list_cases(self.ws, f, offset, limit, sort, descending),
            lambda: approvals.count_cases(self.ws, f))
        self._show_count()
        self.current = None
        if selected is not None:
            self.select(selected)
        self._show_detail()

    def _show_count(self) -> None:
        count = ngettext("{count} case", "{count} cases", self.model.total).format(
            count=i18n.format_number(self.model.total))
        self.count_label.setText("  " + count)

    def on_changes(self, changes: Changes) -> None:
        if changes.concerns(change_kinds.TOWN, change_kinds.EVERYTHING):
            self._fill_filters()
            self.retranslate_ui()
        super().on_changes(changes)

    def _selected(self, *_args) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.current = None
        if rows:
            try:
                self.current = approvals.get_case(self.ws, self.model.row_value(rows[0].row()).id)
            except AppError as error:  # deleted by someone else since the list was read, or the session ended
                from envdesk.ui.dialogs.exchange import show_failure

                self.current = None
                show_failure(self, _("Cannot show the case"), error)
        self._show_detail()

    def select(self, case_id: int) -> None:
        for row in range(self.model.rowCount()):
            if self.model.row_value(row).id == case_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return

    def _show_detail(self) -> None:
        c = self.current
        allowed = set(c.next_actions()) if c else set()
        for action in STEPS:
            allow(self.step_buttons[action], self.ws, STEP_PERMISSIONS.get(action, Permission.APPROVALS_EDIT),
                  action in allowed)
        allow(self.step_buttons["edit"], self.ws, Permission.APPROVALS_EDIT, c is not None)
        allow(self.step_buttons["correct_pause"], self.ws, Permission.APPROVALS_EDIT, c is not None and bool(c.pauses))
        self.history_button.setEnabled(c is not None)
        printable = {"acceptance": c is not None and c.accepted_on is not None,
                     "missing_materials": c is not None and c.notified_on is not None and bool(c.missing_items),
                     "pause": c is not None and bool(c.pauses)}
        for which, menu in self.print_menus.items():
            menu.menuAction().setEnabled(printable[which])
        self.print_case.setEnabled(any(printable.values()))
        if c is None:
            self.detail.setHtml("<p>" + html_text(_("Choose a case to see its clocks, pauses and history.")) + "</p>")
            return
        self.detail.setHtml(detail_html(c, may_correct=self.may(Permission.APPROVALS_EDIT)))

    # --- actions --------------------------------------------------------------------------------

    def _after(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(changes)
        # Also after a refused or stale form: the case is read again, with whatever someone else saved.
        self.refresh()

    @reports_errors()
    def register(self) -> None:
        dialog = dialogs.RegisterDialog(self.ws, self)
        accepted = dialog.exec()
        if dialog.changes:
            self.changed.emit(dialog.changes)
        if accepted and dialog.saved is not None:
            for widget in (self.status, self.document_type, self.track, self.town):
                widget.setCurrentIndex(0)
            for box in (self.key_only, self.overdue):
                box.setChecked(False)
            self.search.setText(dialog.saved.number)
            self.refresh()
            self.select(dialog.saved.id)

    @reports_errors()
    def step(self, action: str, pause_id: int | None = None) -> None:
        c = self.current
        if c is None:
            return
        forms = {"receive": dialogs.receive, "request_materials": dialogs.request_materials,
                 "accept": dialogs.accept, "pause": dialogs.pause, "resume": dialogs.resume,
                 "decide": dialogs.decide, "file": dialogs.file_registration, "withdraw": dialogs.withdraw,
                 "edit": dialogs.edit_project}
        if action == "correct_pause":
            self._after(dialogs.correct_pause(self, self.ws, c, pause_id))
        else:
            self._after(forms[action](self, self.ws, c))

    def _link(self, url: QUrl) -> None:
        """Links in the detail: correct one pause (pause:ID)."""
        if url.scheme() == "pause" and url.path().isdigit() and self.may(Permission.APPROVALS_EDIT):
            self.step("correct_pause", int(url.path()))

    def open_summary(self):
        from envdesk.ui.approvals.summary import SummaryDialog

        dialog = SummaryDialog(self.ws, self, key_only=self.key_only.isChecked())
        dialog.show()
        return dialog

    def show_history(self) -> None:
        from envdesk.ui.users.history import show_history  # loaded when first asked for

        c = self.current
        if c is not None:
            show_history(self, self.ws, "approval", c.id, _("Approval case {number}").format(number=c.number))

    # --- documents and exchange -----------------------------------------------------------------

    def print_document(self, which: str, language: str):
        from envdesk.ui import documents

        c = self.current
        if c is None:
            return None
        return documents.preview(self, lambda: documents.approval_document(self.ws, c.id, which, language),
                                 document=documents.APPROVAL_DOCUMENTS[which],
                                 records=[("approval", c.id, c.number)])

    def ledger_period(self) -> tuple[date, date]:
        """The received-from/to filter, or the current year when it is open on either side."""
        today = date.today()
        start, end = date_value(self.date_from), date_value(self.date_to)
        return start or date((end or today).year, 1, 1), end or date((start or today).year, 12, 31)

    def print_period_ledger(self, language: str):
        from envdesk.ui import documents

        start, end = self.ledger_period()
        key_only = self.key_only.isChecked()
        return documents.preview(self, lambda: documents.approvals_ledger(self.ws, start, end, language, key_only),
                                 document="approvals-ledger")

    def export_file(self, path: str | None = None) -> str | None:
        from envdesk.app import approvals_exchange
        from envdesk.exchange import approvals as layouts
        from envdesk.ui.dialogs.exchange import export_spreadsheet

        start = date_value(self.date_from)
        year = start.year if start else None
        return export_spreadsheet(self, layouts.APPROVALS, lambda: approvals_exchange.approval_rows(
            self.ws, year, i18n.current_language()), path, register="approvals")

    def import_file(self, path: str | None = None) -> None:
        from envdesk.app import approvals_exchange
        from envdesk.exchange import approvals as layouts
        from envdesk.ui.dialogs.exchange import import_spreadsheet

        self._after(import_spreadsheet(self, layouts.APPROVALS, lambda rows, check:
                                       approvals_exchange.import_approvals(self.ws, rows, check), path,
                                       register="approvals"))


# --- the detail panel -----------------------------------------------------------------------------

def _used(n: int, unit: Unit) -> str:
    if unit is Unit.WORKING_DAYS:
        return ngettext("{n} working day", "{n} working days", n).format(n=n)
    return ngettext("{n} calendar day", "{n} calendar days", n).format(n=n)


def _left(n: int, unit: Unit) -> str:
    if unit is Unit.WORKING_DAYS:
        return ngettext("{n} working day left", "{n} working days left", n).format(n=n)
    return ngettext("{n} calendar day left", "{n} calendar days left", n).format(n=n)


def _overdue(n: int, unit: Unit) -> str:
    if unit is Unit.WORKING_DAYS:
        return ngettext("{n} working day overdue", "{n} working days overdue", n).format(n=n)
    return ngettext("{n} calendar day overdue", "{n} calendar days overdue", n).format(n=n)


def clock_state(clock: Clock) -> str:
    """Left, due today, overdue, or done — and once done, how much faster than its limit."""
    unit = clock.rule.unit
    if clock.done_on is not None:
        text = _date(clock.done_on)
        faster = clock.faster_by()
        if faster is not None and clock.kind is not ClockKind.MISSING_MATERIALS:
            if faster >= 0:
                template = _("{percent} faster than the statutory limit") if clock.kind is ClockKind.STATUTORY \
                    else _("{percent} faster than the promised limit")
            else:
                template = _("{percent} over the statutory limit") if clock.kind is ClockKind.STATUTORY \
                    else _("{percent} over the promised limit")
            text += " · " + template.format(percent=format_percent(abs(faster)))
        return text
    if clock.left > 0:
        return _left(clock.left, unit)
    if clock.left == 0:
        return _("due today")
    return _overdue(-clock.left, unit)


def _category(number: int | None) -> str:
    if number is None:
        return ""
    try:
        return eia_categories.category(number).label(i18n.current_language())
    except (KeyError, ValueError):
        return str(number)


def detail_html(c: Case, may_correct: bool = True) -> str:
    """The case at a glance: its clocks first (what the clerk acts on), then the application's stages beside the
    project, the pauses (with a Correct… link for those who may) and the history."""
    t = {key: html_text(text) for key, text in {
        "builder": _("Builder"), "contact": _("Contact person"), "code": _("Investment project code"),
        "location": _("Construction site"), "nature": _("Nature"), "category": _("EIA category"),
        "industry": _("Industry code"), "investment": _("Investment"), "content": _("Construction content and scale"),
        "planned": _("Planned start"), "institution": _("Preparing institution"), "handler": _("Handler"),
        "application": _("Application"), "project": _("Project"), "early": _("Early involvement"),
        "received": _("Received"), "notified": _("One-time notification"), "accepted": _("Accepted"),
        "decided": _("Decided"), "withdrawn": _("Withdrawn"), "clock": _("Clock"), "due": _("Due"),
        "rule": _("Rule"), "used": _("Used"), "state": _("State"), "pauses": _("Pauses"), "kind": _("Pause"),
        "from": _("From"), "until": _("Until"), "reason": _("Reason"), "history": _("History"),
        "correct": _("Correct…"), "still": _("still paused"), "no_clock": _("No clock runs yet."),
        "exempt_clock": _("An exempt project has no clock."), "missing": _("Missing materials"),
        "note": _("Note"), "sensitive": _("Involves an environmentally sensitive area")}.items()}
    key = f" <span style='color:#b35900'>{KEY_MARK} {html_text(_('Key project'))}</span>" if c.key_project else ""
    lines = [f"<h3>{html_text(c.number)} · {html_text(c.name)} · {html_text(c.status.label)}{key}</h3>",
             f"<p>{html_text(c.document_type.label)} · {html_text(c.track.label)} · {html_text(c.level.label)}</p>",
             clocks_html(c, t)]
    if c.deemed_accepted_on_receipt:
        lines.append("<p style='color:#b00020'>" + html_text(_(
            "No one-time notification was given within its limit, so the application counts as accepted on the "
            "day it was received, {date} (Administrative Licensing Law, art. 32); the clocks run from then.")
            .format(date=_date(c.received_on))) + "</p>")
    lines.extend(f"<p style='color:#b35900'><i>{html_text(warning)}</i></p>" for warning in c.warnings)

    stages = []
    for label, value in ((t["early"], c.early_involvement_on), (t["received"], c.received_on),
                         (t["notified"], c.notified_on), (t["accepted"], c.accepted_on)):
        if value is not None:
            stages.append(f"<b>{label}:</b> {_date(value)}")
    if c.decided_on is not None:
        outcome = Status(c.outcome).label if c.outcome in {s.value for s in Status} else c.outcome
        stages.append(f"<b>{t['decided']}:</b> {_date(c.decided_on)} · {html_text(outcome)}" +
                      (f" · {html_text(c.document_number)}" if c.document_number else ""))
    if c.withdrawn_on is not None:
        stages.append(f"<b>{t['withdrawn']}:</b> {_date(c.withdrawn_on)}")
    if c.handler:
        stages.append(f"<b>{t['handler']}:</b> {html_text(c.handler)}")
    application = "<br>".join(stages)
    if c.missing_items:
        items = "".join(f"<li>{html_text(item)}</li>" for item in c.missing_items)
        application += f"<br><b>{t['missing']}:</b><ol style='margin-top:0'>{items}</ol>"
    if c.decision_note:
        application += f"<br><b>{t['note']}:</b> {html_text(c.decision_note)}"

    builder = html_text(c.builder) + (f"（{html_text(c.builder_credit_code)}）" if c.builder_credit_code else "")
    contact = html_text(" ".join(x for x in (c.contact_person, c.contact_phone) if x))
    place = html_text(" · ".join(x for x in (c.town, c.location) if x))
    investment = ""
    if c.total_investment is not None or c.env_investment is not None:
        investment = html_text(_("total {total}, environmental {environmental} (10,000 yuan)").format(
            total=format_money(c.total_investment) or "—", environmental=format_money(c.env_investment) or "—"))
    project = [(t["builder"], builder), (t["contact"], contact), (t["code"], html_text(c.project_code)),
               (t["location"], place), (t["nature"], html_text(c.nature.label)),
               (t["category"], html_text(_category(c.category))), (t["industry"], html_text(c.industry_code)),
               (t["investment"], investment), (t["planned"], _date(c.planned_start)),
               (t["institution"], html_text(c.preparing_institution))]
    details = "<br>".join(f"<b>{label}:</b> {value}" for label, value in project if value)
    if c.sensitive_area:
        details += f"<br><i>{t['sensitive']}</i>"
    if c.content_scale:
        details += f"<br><b>{t['content']}:</b> {html_text(c.content_scale)}"
    lines.append(f"<table width='100%' cellspacing=6><tr><td width='38%' valign=top><b>{t['application']}</b><br>"
                 f"{application}</td><td valign=top><b>{t['project']}</b><br>{details}</td></tr></table>")

    if c.pauses:
        def correct(pause_id: int) -> str:
            return f"<a href='pause:{pause_id}'>{t['correct']}</a>" if may_correct else ""

        rows = "".join(
            f"<tr><td>{html_text(p.kind.label)}</td><td>{_date(p.start)}</td>"
            f"<td>{_date(p.end) if p.end else t['still']}</td><td>{html_text(p.reason)}</td>"
            f"<td>{correct(p.id)}</td></tr>" for p in c.pauses)
        lines.append(f"<p><b>{t['pauses']}</b></p><table cellspacing=4><tr><th align=left>{t['kind']}</th>"
                     f"<th align=left>{t['from']}</th><th align=left>{t['until']}</th>"
                     f"<th align=left>{t['reason']}</th><th></th></tr>{rows}</table>")
    events = "".join(f"<li>{_date(e.on)} {html_text(_(ACTION_LABELS.get(e.action, e.action)))} → "
                     f"{html_text(e.status.label)} {html_text(e.staff)} {html_text(_(e.note) if e.note else '')}</li>"
                     for e in c.events)
    lines.append(f"<p><b>{t['history']}</b></p><ol>{events}</ol>")
    return "".join(lines)


def clocks_html(c: Case, t: dict[str, str]) -> str:
    if not c.clocks:
        return f"<p><i>{t['exempt_clock'] if c.track is Track.EXEMPT else t['no_clock']}</i></p>"
    rows = []
    for clock in c.clocks:
        colour = URGENCY_TEXT.get(clock.urgency, "#1b5e20")
        used = _used(clock.used, clock.rule.unit)
        rows.append(f"<tr><td><b>{html_text(clock.kind.label)}</b></td><td>{_date(clock.due)}</td>"
                    f"<td>{html_text(used)}</td>"
                    f"<td style='color:{colour}'>{html_text(clock.urgency.label)} · "
                    f"{html_text(clock_state(clock))}</td>"
                    f"<td>{html_text(clock.rule.describe())}</td></tr>")
    return (f"<table cellspacing=4><tr><th align=left>{t['clock']}</th><th align=left>{t['due']}</th>"
            f"<th align=left>{t['used']}</th><th align=left>{t['state']}</th><th align=left>{t['rule']}</th></tr>"
            f"{''.join(rows)}</table>")

