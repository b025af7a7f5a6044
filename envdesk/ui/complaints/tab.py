"""The complaints tab: a SQL-paged, filtered ledger over any number of complaints, and the selected complaint's
clocks, steps and documents."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
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
from envdesk.app import changes as change_kinds
from envdesk.app import complaints, reference
from envdesk.app.changes import Changes
from envdesk.app.complaints import Complaint, ComplaintFilter, ComplaintSummary
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace
from envdesk.domain.complaints import Channel, Status, pollution_label
from envdesk.domain.deadlines import Urgency
from envdesk.domain.users import Permission
from envdesk.i18n import N_, _, format_date
from envdesk.ui.complaints import dialogs
from envdesk.ui.dialogs.exchange import show_failure
from envdesk.ui.dialogs.record_editor import date_editor, date_value
from envdesk.ui.table_model import Column, SortedInSql, fit_headers
from envdesk.ui.tabs.base import BaseTab, allow, master_detail, offer, reports_errors
from envdesk.ui.widgets import html_text, print_button, retranslate_print_button


def _date(value: date | None) -> str:
    return format_date(value, "short") if value else ""


# What each step of a complaint needs (envdesk.app.complaints): the clerk's work, and a leader's approval of an
# extension.
STEP_PERMISSIONS = {"extend": Permission.APPROVE_EXTENSION}


def _flags(c: ComplaintSummary) -> str:
    marks = []
    if c.key_case:
        marks.append(_("Key"))
    if c.is_repeat:
        marks.append(_("Repeat"))
    if c.skip_level:
        marks.append(_("Skip-level"))
    return "、".join(marks)


COLUMNS: tuple[Column[ComplaintSummary], ...] = (
    Column(N_("No."), lambda c: c.number),
    Column(N_("Received"), lambda c: _date(c.received_date)),
    Column(N_("Channel"), lambda c: c.channel.label),
    Column(N_("Complainant"), lambda c: c.complainant.display()),
    Column(N_("Subject"), lambda c: c.subject, tooltip=lambda c: c.content),
    Column(N_("Town"), lambda c: c.town),
    Column(N_("Pollution"), lambda c: "、".join(pollution_label(p) for p in c.pollution_types)),
    Column(N_("Status"), lambda c: c.status.label),
    Column(N_("Lead department"), lambda c: c.lead_department),
    Column(N_("Due"), lambda c: _date(c.due), tooltip=lambda c: c.urgency.label if c.urgency else ""),
    Column(N_("Flags"), _flags),
    Column(N_("Content"), lambda c: c.content.replace("\n", " ")[:80], tooltip=lambda c: c.content),
)
# Header sections the ledger can be sorted by, and the SQL sort each one means.
SORTABLE = {0: "number", 1: "received", 5: "town", 7: "status", 9: "due"}
URGENCY_COLOURS = {Urgency.OVERDUE: QColor("#f8d7da"), Urgency.DUE_TODAY: QColor("#ffe5b4"),
                   Urgency.DUE_SOON: QColor("#fff3cd")}


class ComplaintsTab(BaseTab):
    key = "complaints"
    title = N_("Complaints")
    concerns = (change_kinds.EVERYTHING, "complaints", change_kinds.SETTING, change_kinds.CALENDAR,
                change_kinds.STAFF, change_kinds.TOWN, change_kinds.DEPARTMENT, change_kinds.ENTERPRISE)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.ready = False  # header sorting waits until the tab is built
        self.sort_key, self.descending = "received", True
        self.reveal = False
        self.current: Complaint | None = None
        self.search = QLineEdit()
        self.search.setObjectName("complaint_search")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.channel = QComboBox()
        self.town = QComboBox()
        self.pollution = QComboBox()
        self.department = QComboBox()
        for name, combo in (("status", self.status), ("channel", self.channel), ("town", self.town),
                            ("pollution", self.pollution), ("department", self.department)):
            combo.setObjectName(f"complaint_{name}")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
        self.overdue = QCheckBox()
        self.overdue.setObjectName("complaint_overdue")
        self.key_case = QCheckBox()
        self.repeat = QCheckBox()
        self.date_from = date_editor(None, optional=True)
        self.date_to = date_editor(None, optional=True)
        self.count_label = QLabel()
        self.count_label.setObjectName("complaint_count")
        self.register_button = QPushButton()
        self.register_button.setObjectName("register_complaint")
        self.register_button.clicked.connect(self.register)
        self.print_ledger = print_button("print_ledger", self.print_period_ledger)
        self.statistics_button = QPushButton()
        self.statistics_button.setObjectName("complaint_statistics_button")
        self.statistics_button.clicked.connect(self.open_statistics)
        self.import_button = QPushButton()
        self.import_button.setObjectName("complaint_import")
        self.import_button.clicked.connect(lambda: self.import_file())
        # Export leaves identities out; those who may see them can include them from the button's menu.
        self.export_button = QToolButton()
        self.export_button.setObjectName("complaint_export")
        self.export_button.clicked.connect(lambda: self.export_file())
        self.export_menu = QMenu(self.export_button)
        self.export_with_identity = self.export_menu.addAction("")
        self.export_with_identity.setObjectName("export_with_identity")
        self.export_with_identity.triggered.connect(lambda: self.export_file(include_identity=True))
        self.model = SortedInSql(COLUMNS, self, SORTABLE, background=lambda c: URGENCY_COLOURS.get(c.urgency))
        self.table = QTableView()
        self.table.setObjectName("complaint_table")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._selected)

        self.detail = QTextBrowser()
        self.detail.setObjectName("complaint_detail")
        self.detail.setOpenLinks(False)
        self.identity_button = QPushButton()
        self.identity_button.setObjectName("show_identity")
        self.identity_button.setCheckable(True)
        self.identity_button.toggled.connect(self._toggle_identity)
        self.step_buttons: dict[str, QPushButton] = {}
        for action in ("decide", "assign", "handle", "extend", "reply", "follow_up", "close", "reopen", "review"):
            button = QPushButton()
            button.setObjectName(f"step_{action}")
            button.clicked.connect(lambda checked=False, a=action: self.step(a))
            self.step_buttons[action] = button
        self.flags_button = QPushButton()
        self.flags_button.setObjectName("step_flags")
        self.flags_button.clicked.connect(lambda: self.step("flags"))
        self.attach_button = QPushButton()
        self.attach_button.setObjectName("attach_file")
        self.attach_button.clicked.connect(lambda: self.attach())
        self.history_button = QPushButton()
        self.history_button.setObjectName("complaint_history")
        self.history_button.clicked.connect(lambda: self.show_history())
        self.print_form = print_button("print_form", lambda lang: self.print_document("form", lang))
        self.print_notice = print_button("print_notice", lambda lang: self.print_document("notice", lang))
        self.print_reply = print_button("print_reply", lambda lang: self.print_document("reply", lang))
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.refresh)
        self._build_layout()
        self._fill_filters()
        self._connect_filters()
        self.refresh()
        self.retranslate_ui()  # also applies the user's permissions
        self.ready = True

    def _build_layout(self) -> None:
        self._labels = {key: QLabel() for key in ("status", "channel", "town", "pollution", "department", "from",
                                                  "to")}
        filters_top = QHBoxLayout()
        filters_top.addWidget(self.search, 3)
        for key, widget in (("status", self.status), ("channel", self.channel), ("town", self.town)):
            filters_top.addWidget(self._labels[key])
            filters_top.addWidget(widget, 1)
        filters_bottom = QToolBar()  # folds into » on a narrow screen instead of widening the window
        filters_bottom.setObjectName("complaint_filters")
        for key, widget in (("pollution", self.pollution), ("department", self.department),
                            ("from", self.date_from), ("to", self.date_to)):
            filters_bottom.addWidget(self._labels[key])
            filters_bottom.addWidget(widget)
        for box in (self.overdue, self.key_case, self.repeat):
            filters_bottom.addWidget(box)
        actions = QToolBar()
        for widget in (self.register_button, self.print_ledger, self.statistics_button, self.import_button,
                       self.export_button):
            actions.addWidget(widget)
        actions.addWidget(self.count_label)
        steps = QToolBar()
        steps.setObjectName("complaint_steps")
        for button in self.step_buttons.values():
            steps.addWidget(button)
        for widget in (self.flags_button, self.attach_button):
            steps.addWidget(widget)
        # A tool bar hides a widget through the action that holds it.
        self.identity_action = steps.addWidget(self.identity_button)
        for widget in (self.print_form, self.print_notice, self.print_reply, self.history_button):
            steps.addWidget(widget)
        splitter = master_detail(self.table, steps, self.detail)
        layout = QVBoxLayout(self)
        layout.addLayout(filters_top)
        layout.addWidget(filters_bottom)
        layout.addWidget(actions)
        layout.addWidget(splitter)

    def _fill_filters(self) -> None:
        combos = (self.status, self.channel, self.town, self.pollution, self.department)
        for combo in combos:
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("", None)
        self.status.addItem("", "open")
        for status in Status:
            self.status.addItem(status.label, status.value)
        for channel in Channel:
            self.channel.addItem(channel.label, channel.value)
        for town in reference.list_towns(self.ws, include_inactive=False):
            self.town.addItem(town.name_zh, town.id)
        for text, key in dialogs.pollution_choices():
            self.pollution.addItem(text, key)
        for department in reference.list_departments(self.ws, include_inactive=False):
            self.department.addItem(department.name_zh, department.id)
        for combo in combos:
            combo.blockSignals(False)

    def _connect_filters(self) -> None:
        for combo in (self.status, self.channel, self.town, self.pollution, self.department):
            combo.currentIndexChanged.connect(self.refresh)
        for box in (self.overdue, self.key_case, self.repeat):
            box.toggled.connect(self.refresh)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._debounce.start)
        self.search.textChanged.connect(self._debounce.start)

    def retranslate_ui(self) -> None:
        self.search.setPlaceholderText(_("Search content, subject and location (e.g. 噪声, 油烟)"))
        labels = {"status": _("Status"), "channel": _("Channel"), "town": _("Town"), "pollution": _("Pollution"),
                  "department": _("Department"), "from": _("Received from"), "to": _("to")}
        for key, text in labels.items():
            self._labels[key].setText(text)
        for combo in (self.status, self.channel, self.town, self.pollution, self.department):
            combo.setItemText(0, _("All"))
        self.status.setItemText(1, _("Open"))
        for index, status in enumerate(Status, start=2):
            self.status.setItemText(index, status.label)
        for index, channel in enumerate(Channel, start=1):
            self.channel.setItemText(index, channel.label)
        for index, (text, _key) in enumerate(dialogs.pollution_choices(), start=1):
            self.pollution.setItemText(index, text)
        self.overdue.setText(_("Overdue"))
        self.key_case.setText(_("Key cases"))
        self.repeat.setText(_("Repeats"))
        self.register_button.setText(_("Register a complaint…"))
        retranslate_print_button(self.print_ledger, _("Print the ledger"))
        self.statistics_button.setText(_("Statistics…"))
        self.import_button.setText(_("Import…"))
        self.export_button.setText(_("Export…"))
        self.export_with_identity.setText(_("Export with complainants' identities…"))
        self.export_with_identity.setToolTip(_("Names, phones and addresses are confidential; the export is "
                                               "recorded in the audit trail."))
        step_texts = {"decide": _("Decide acceptance…"), "assign": _("Assign…"), "handle": _("Log handling…"),
                      "extend": _("Extend…"), "reply": _("Reply…"), "follow_up": _("Follow-up…"),
                      "close": _("Close…"), "reopen": _("Reopen…"), "review": _("Review…")}
        for action, button in self.step_buttons.items():
            button.setText(step_texts[action])
        self.flags_button.setText(_("Flags…"))
        self.attach_button.setText(_("Attach a file…"))
        self.identity_button.setText(_("Show identity"))
        self.identity_button.setToolTip(_("Show the complainant's name, phone and address; each look is recorded "
                                          "in the audit trail."))
        self.history_button.setText(_("History…"))
        retranslate_print_button(self.print_form, _("Registration form"))
        retranslate_print_button(self.print_notice, _("Decision notice"))
        retranslate_print_button(self.print_reply, _("Reply letter"))
        self.model.retranslate()
        fit_headers(self.table)
        self._show_count()
        self.apply_permissions()  # and the detail

    def apply_permissions(self) -> None:
        """Registering, the steps and imports for complaints clerks, extensions for leaders; the identity (shown
        on demand, audited) and an export with identities only for those who may see it."""
        for widget in (self.register_button, self.import_button):
            allow(widget, self.ws, Permission.COMPLAINTS_EDIT)
        may_see = self.may(Permission.COMPLAINANT_IDENTITY)
        offer(self.identity_action, self.ws, Permission.COMPLAINANT_IDENTITY)
        offer(self.export_with_identity, self.ws, Permission.COMPLAINANT_IDENTITY)
        self.export_button.setMenu(self.export_menu if may_see else None)
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup if may_see
                                        else QToolButton.ToolButtonPopupMode.DelayedPopup)
        if not may_see and self.identity_button.isChecked():
            self.identity_button.setChecked(False)  # masks the detail again
        self._show_detail()

    # --- data -----------------------------------------------------------------------------------

    def current_filter(self) -> ComplaintFilter:
        status = self.status.currentData()

        return ComplaintFilter(
            text=self.search.text().strip(),
            statuses=(status,) if status and status != "open" else (), open_only=status == "open",
            channel=self.channel.currentData(), town_id=self.town.currentData(),
            pollution_type=self.pollution.currentData(), department_id=self.department.currentData(),
            overdue=self.overdue.isChecked(), key_case=self.key_case.isChecked(), repeat=self.repeat.isChecked(),
            received_from=date_value(self.date_from), received_to=date_value(self.date_to))

    @reports_errors(N_("Cannot show the complaints"))
    def refresh(self) -> None:
        selected = self.current.id if self.current else None
        f, sort, descending = self.current_filter(), self.sort_key, self.descending
        self.model.set_query(
            lambda offset, limit: complaints.list_complaints(self.ws, f, offset, limit, sort, descending),
            lambda: complaints.count_complaints(self.ws, f))
        self._show_count()
        self.current = None
        if selected is not None:
            for row in range(self.model.rowCount()):
                if self.model.row_value(row).id == selected:
                    self.table.selectRow(row)
                    break
        self._show_detail()

    def _show_count(self) -> None:
        count = _("{count} complaints").format(count=i18n.format_number(self.model.total))
        self.count_label.setText("  " + count)

    def on_changes(self, changes: Changes) -> None:
        if changes.concerns(change_kinds.TOWN, change_kinds.DEPARTMENT, change_kinds.EVERYTHING):
            self._fill_filters()
            self.retranslate_ui()
        super().on_changes(changes)

    def _selected(self, *_args) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.identity_button.blockSignals(True)  # a newly chosen complaint starts masked
        self.identity_button.setChecked(False)
        self.identity_button.blockSignals(False)
        self.current = None
        if rows:
            self._read(self.model.row_value(rows[0].row()).id, reveal=False)
        self._show_detail()

    def _read(self, complaint_id: int, reveal: bool) -> bool:
        """Read the complaint again, masked or (audited) revealed; on a refusal the message is shown and
        False returned."""
        try:
            self.current = complaints.get_complaint(self.ws, complaint_id, reveal=reveal)
        except AppError as error:  # removed meanwhile, the session ended, or not allowed any more
            show_failure(self, _("Cannot show the complaint"), error)
            return False
        return True

    def _toggle_identity(self, on: bool) -> None:
        """The identity is never in the list; a user who may see it asks for it here, for one complaint at a
        time, and each look is recorded in the audit trail (envdesk.app.complaints.get_complaint)."""
        if self.current is None:
            return
        reveal = on and self.may(Permission.COMPLAINANT_IDENTITY)
        if not self._read(self.current.id, reveal=reveal):
            if reveal:  # refused: the detail stays masked
                self.identity_button.blockSignals(True)
                self.identity_button.setChecked(False)
                self.identity_button.blockSignals(False)
            else:
                self.current = None  # could not be masked again: shown no more
        self._show_detail()

    def _show_detail(self) -> None:
        c = self.current
        allowed = set(c.next_actions) if c else set()
        for action, button in self.step_buttons.items():
            possible = action in allowed or (action == "reopen" and c is not None and
                                             c.satisfaction == "dissatisfied" and "reopen" in allowed)
            allow(button, self.ws, STEP_PERMISSIONS.get(action, Permission.COMPLAINTS_EDIT), possible)
        for widget in (self.flags_button, self.attach_button):
            allow(widget, self.ws, Permission.COMPLAINTS_EDIT, c is not None)
        self.identity_button.setEnabled(c is not None and self.may(Permission.COMPLAINANT_IDENTITY))
        for widget in (self.print_form, self.print_notice, self.print_reply, self.history_button):
            widget.setEnabled(c is not None)
        if c is None:
            self.detail.setHtml(
                "<p>" + html_text(_("Choose a complaint to see its clocks, steps and documents.")) + "</p>")
            return
        self.detail.setHtml(detail_html(c))

    # --- actions --------------------------------------------------------------------------------

    def _after(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(changes)
            self.refresh()

    @reports_errors()
    def register(self) -> None:
        dialog = dialogs.RegisterDialog(self.ws, self)
        if dialog.exec() and dialog.created is not None:
            self.search.clear()
            self.changed.emit(dialog.changes)
            self.refresh()
            self.select(dialog.created.id)

    def open_statistics(self):
        from envdesk.ui.complaints.statistics import StatisticsDialog

        dialog = StatisticsDialog(self.ws, self)
        dialog.show()
        return dialog

    def select(self, complaint_id: int) -> None:
        for row in range(self.model.rowCount()):
            if self.model.row_value(row).id == complaint_id:
                self.table.selectRow(row)
                return

    @reports_errors()
    def step(self, action: str) -> None:
        c = self.current
        if c is None:
            return
        actor = c.first_receiver_id
        forms = {"decide": lambda: dialogs.decide(self, self.ws, c, actor),
                 "assign": lambda: dialogs.assign(self, self.ws, c, actor),
                 "handle": lambda: dialogs.handle(self, self.ws, c, actor),
                 "extend": lambda: dialogs.extend(self, self.ws, c),
                 "reply": lambda: dialogs.reply(self, self.ws, c, actor),
                 "follow_up": lambda: dialogs.follow_up(self, self.ws, c, actor),
                 "close": lambda: dialogs.close(self, self.ws, c, actor),
                 "reopen": lambda: dialogs.reopen(self, self.ws, c, actor),
                 "review": lambda: dialogs.review(self, self.ws, c),
                 "flags": lambda: dialogs.flags(self, self.ws, c)}
        self._after(forms[action]())

    def attach(self, path: str | None = None) -> None:
        if self.current is None:
            return
        if not path:
            path, _filter = QFileDialog.getOpenFileName(self, _("Attach a file"), "",
                                                        _("Photos and documents (*.jpg *.jpeg *.png *.gif *.pdf "
                                                          "*.doc *.docx *.xls *.xlsx *.txt)"))
        if not path:
            return
        try:
            _complaint, changes = complaints.add_attachment(self.ws, self.current.id, path)
        except AppError as error:
            show_failure(self, _("Cannot attach"), error)
            return
        self._after(changes)

    def show_history(self) -> None:
        from envdesk.ui.users.history import show_history  # loaded when first asked for

        c = self.current
        if c is not None:
            show_history(self, self.ws, "complaint", c.id, _("Complaint {number}").format(number=c.number))

    # --- documents and exchange -----------------------------------------------------------------

    def print_document(self, which: str, language: str):
        """The form, notice or reply letter: with the identity for those who may see it, masked for anyone else
        (envdesk.ui.documents.complaint_document); each print or save is recorded."""
        from envdesk.ui import documents

        c = self.current
        if c is None:
            return None
        return documents.preview(self, lambda: documents.complaint_document(self.ws, c.id, which, language),
                                 document=documents.COMPLAINT_DOCUMENTS[which],
                                 records=[("complaint", c.id, c.number)])

    def print_period_ledger(self, language: str):
        from envdesk.ui import documents

        f = self.current_filter()
        return documents.preview(self, lambda: documents.complaints_ledger(self.ws, f, language),
                                 document="complaints-ledger")

    def export_file(self, path: str | None = None, include_identity: bool = False) -> str | None:
        """The ledger of the received-from/to period as a spreadsheet; identities only when asked for by a user
        who may see them (the use case checks, and the export is recorded as including them)."""
        from envdesk.app import complaints_exchange
        from envdesk.exchange import complaints as layouts
        from envdesk.ui.dialogs.exchange import export_spreadsheet

        f = self.current_filter()
        return export_spreadsheet(self, layouts.COMPLAINTS, lambda: complaints_exchange.ledger(
            self.ws, f.received_from, f.received_to, i18n.current_language(), include_identity=include_identity),
            path, register="complaints", identity=include_identity)

    def import_file(self, path: str | None = None) -> None:
        from envdesk.app import complaints_exchange
        from envdesk.exchange import complaints as layouts
        from envdesk.ui.dialogs.exchange import import_spreadsheet

        self._after(import_spreadsheet(self, layouts.COMPLAINTS, lambda rows, check:
                                       complaints_exchange.import_complaints(self.ws, rows, check), path,
                                       register="complaints"))


def detail_html(c: Complaint) -> str:
    """The complaint at a glance: who, what, where, the clocks with their rules, the steps so far."""
    from envdesk.domain.complaints import Satisfaction

    t = {key: html_text(text) for key, text in {
        "received": _("Received"), "first_receiver": _("First receiver"), "complainant": _("Complainant"),
        "masked": _("masked"), "subject": _("Subject"), "pollution": _("Pollution"), "flags": _("Flags"),
        "clock": _("Clock"), "due": _("Due"), "state": _("State"), "rule": _("Rule"),
        "lead": _("Lead department"), "assisting": _("assisting"), "handling": _("Handling"), "reply": _("Reply"),
        "follow_up": _("Follow-up"), "attachments": _("Attachments"), "steps": _("Steps"),
        "anonymous": _("Anonymous")}.items()}
    clock_rows = []
    for clock in c.clocks:
        colour = {Urgency.OVERDUE: "#b00020", Urgency.DONE_LATE: "#b00020", Urgency.DUE_TODAY: "#b35900",
                  Urgency.DUE_SOON: "#8a6d00"}.get(clock.urgency, "#1b5e20")
        if clock.done_on:
            left = _("done {date}").format(date=_date(clock.done_on))
        elif clock.days_left >= 0:
            left = _("{n} days left").format(n=clock.days_left)
        else:
            left = _("{n} days overdue").format(n=-clock.days_left)
        label = _(clock.label)
        warnings = "".join(f"<br><i>{html_text(w)}</i>" for w in clock.deadline.warnings)
        clock_rows.append(f"<tr><td>{html_text(label)}</td><td>{_date(clock.due)}</td>"
                          f"<td style='color:{colour}'>{html_text(clock.urgency.label)} · {html_text(left)}</td>"
                          f"<td>{html_text(clock.describe())}{warnings}</td></tr>")
    who = c.complainant
    identity = t["anonymous"] if who.anonymous else html_text(" ".join(x for x in (who.name, who.phone, who.address)
                                                                       if x))
    masked = f" <i>({t['masked']})</i>" if who.masked else ""
    pollution = html_text("、".join(pollution_label(p) for p in c.pollution_types))
    lines = [
        f"<h3>{html_text(c.number)} · {html_text(c.status.label)}</h3>",
        f"<p><b>{t['received']}:</b> {_date(c.received_date)} · {html_text(c.channel.label)} · "
        f"{t['first_receiver']}: {html_text(c.first_receiver)}<br>"
        f"<b>{t['complainant']}:</b> {identity}{masked}<br>"
        f"<b>{t['subject']}:</b> {html_text(c.subject)} · {html_text(c.town)} · {html_text(c.location)}<br>"
        f"<b>{t['pollution']}:</b> {pollution}</p>",
        f"<p>{html_text(c.content)}</p>",
    ]
    flags = []
    if c.repeats:
        flags.append(_("repeats {numbers}").format(numbers="、".join(c.repeats)))
    if c.key_case:
        flags.append(_("key case, case leader {name}").format(name=c.case_leader))
    if c.skip_level:
        flags.append(_("skip-level"))
    if flags:
        lines.append(f"<p><b>{t['flags']}:</b> {html_text('; '.join(flags))}</p>")
    lines.append(f"<table cellspacing=4><tr><th align=left>{t['clock']}</th><th align=left>{t['due']}</th>"
                 f"<th align=left>{t['state']}</th><th align=left>{t['rule']}</th></tr>{''.join(clock_rows)}</table>")
    if c.lead_department:
        assisting = f" · {t['assisting']}: {html_text('、'.join(c.assisting_departments))}" \
            if c.assisting_departments else ""
        lines.append(f"<p><b>{t['lead']}:</b> {html_text(c.lead_department)} {html_text(c.lead_person)}{assisting}</p>")
    if c.handlings:
        items = "".join(f"<li>{_date(h.handled_on)} {html_text(h.kind.label)} {html_text(h.staff)}: "
                        f"{html_text(h.text)}</li>"
                        for h in c.handlings)
        lines.append(f"<p><b>{t['handling']}</b></p><ul>{items}</ul>")
    if c.reply_text:
        lines.append(f"<p><b>{t['reply']} ({_date(c.replied_on)}):</b> {html_text(c.reply_text)}</p>")
    if c.satisfaction:
        satisfaction = Satisfaction(c.satisfaction).label
        lines.append(f"<p><b>{t['follow_up']} ({_date(c.followed_up_on)}):</b> {html_text(satisfaction)} "
                     f"{html_text(c.follow_up_notes)}</p>")
    if c.attachments:
        lines.append(f"<p><b>{t['attachments']}:</b> {html_text('、'.join(a.file_name for a in c.attachments))}</p>")
    steps = "".join(f"<li>{_date(e.event_date)} {html_text(e.status.label)} {html_text(e.staff)} "
                    f"{html_text(translated(e.note))}</li>" for e in c.events)
    lines.append(f"<p><b>{t['steps']}</b></p><ol>{steps}</ol>")
    return "".join(lines)


def translated(note: str) -> str:
    """Step notes hold either the user's words or an N_-marked label (a handling kind, a satisfaction)."""
    return _(note) if note else ""
