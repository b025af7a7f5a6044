"""The twinning enterprises tab: the year's pairs, one pair's contacts, health checks and service items,
and the monthly-contact grid."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from envdesk import i18n
from envdesk.app import changes as change_kinds
from envdesk.app import reference, twinning
from envdesk.app.changes import Changes
from envdesk.app.twinning import Contact, GridRow, Pair, ServiceItem
from envdesk.app.workspace import Workspace
from envdesk.domain.twinning import EnterpriseType, ItemAction, MonthMark, PairStatus
from envdesk.domain.users import Permission
from envdesk.i18n import N_, _, format_date
from envdesk.ui.table_model import Column, RecordTableModel, fit_headers
from envdesk.ui.tabs.base import BaseTab, allow, master_detail, reports_errors
from envdesk.ui.twinning import dialogs
from envdesk.ui.widgets import print_button, retranslate_print_button


def _date(value: date | None) -> str:
    return format_date(value, "short") if value else ""


PAIR_COLUMNS: tuple[Column[Pair], ...] = (
    Column(N_("Enterprise"), lambda p: p.enterprise.name_zh, tooltip=lambda p: p.enterprise.credit_code),
    Column(N_("Town"), lambda p: p.enterprise.town_name),
    Column(N_("Liaison officer"), lambda p: p.liaison.name, tooltip=lambda p: f"{p.liaison.department} {p.liaison.phone}"),
    Column(N_("Contact leader"), lambda p: p.leader.name, tooltip=lambda p: f"{p.leader.title} {p.leader.phone}"),
    Column(N_("Contacts this month"), lambda p: p.contacts_this_month, align=Qt.AlignmentFlag.AlignCenter),
    Column(N_("Open items"), lambda p: p.open_items, align=Qt.AlignmentFlag.AlignCenter),
    Column(N_("Last health check"), lambda p: _date(p.last_health_check)),
    Column(N_("Status"), lambda p: p.status.label if p.status is PairStatus.ACTIVE
           else _("Ended {date}").format(date=_date(p.end_date)), tooltip=lambda p: p.end_reason),
)

CONTACT_COLUMNS: tuple[Column[Contact], ...] = (
    Column(N_("Date"), lambda c: _date(c.contact_date)),
    Column(N_("Mode"), lambda c: c.mode.label),
    Column(N_("Staff"), lambda c: c.staff.name),
    Column(N_("Summary"), lambda c: c.summary, tooltip=lambda c: c.summary),
    Column(N_("Problems raised"), lambda c: "；".join(
        ("✓ " if i in c.raised else "") + p for i, p in enumerate(c.problems)),
        tooltip=lambda c: "\n".join(c.problems)),
)

ITEM_COLUMNS: tuple[Column[ServiceItem], ...] = (
    Column(N_("No."), lambda i: i.number),
    Column(N_("Source"), lambda i: i.source.label),
    Column(N_("Category"), lambda i: i.category.label),
    Column(N_("Description"), lambda i: i.description, tooltip=lambda i: i.description),
    Column(N_("Handed over to"), lambda i: " / ".join(x for x in (i.department, i.owner) if x)),
    Column(N_("Due"), lambda i: _date(i.due_date)),
    Column(N_("Status"), lambda i: i.status.label,
           tooltip=lambda i: i.resolution or i.cancel_reason),
)


class _FindingRow:
    def __init__(self, check, finding) -> None:
        self.check, self.finding = check, finding


FINDING_COLUMNS: tuple[Column[_FindingRow], ...] = (
    Column(N_("Check date"), lambda r: _date(r.check.check_date)),
    Column(N_("Expert team"), lambda r: r.check.expert_team, tooltip=lambda r: r.check.scope),
    Column(N_("Finding"), lambda r: r.finding.description if r.finding else _("(no findings)"),
           tooltip=lambda r: r.finding.description if r.finding else ""),
    Column(N_("Severity"), lambda r: r.finding.severity.label if r.finding else ""),
    Column(N_("Suggested treatment"), lambda r: r.finding.treatment if r.finding else "",
           tooltip=lambda r: r.finding.treatment if r.finding else ""),
    Column(N_("Service item"), lambda r: r.finding.item_number if r.finding else ""),
)

MARK_COLOURS = {
    MonthMark.CONTACTED: QColor("#c8e6c9"),
    MonthMark.MISSED: QColor("#ffcdd2"),
    MonthMark.DUE: QColor("#fff3cd"),
    MonthMark.FUTURE: None,
    MonthMark.OUTSIDE: QColor("#eeeeee"),
}
MARK_TEXT = {MonthMark.CONTACTED: "✓", MonthMark.MISSED: "✗", MonthMark.DUE: "…", MonthMark.FUTURE: "",
             MonthMark.OUTSIDE: ""}


def _table(name: str, model) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class GridModel(RecordTableModel[GridRow]):
    """Pairs down, months across; each month cell coloured by its mark."""

    def __init__(self, parent=None) -> None:
        columns = [Column(N_("Enterprise"), lambda r: r.pair.enterprise.name_zh),
                   Column(N_("Liaison officer"), lambda r: r.pair.liaison.name)]
        columns += [Column(f"{m}", lambda r, m=m: MARK_TEXT[r.marks[m - 1]], align=Qt.AlignmentFlag.AlignCenter,
                           tooltip=lambda r, m=m: r.marks[m - 1].label) for m in range(1, 13)]
        columns.append(Column(N_("Missed"), lambda r: r.missed, align=Qt.AlignmentFlag.AlignCenter))
        super().__init__(columns, parent)
        self.current_month: int | None = None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 2 <= section <= 13 and role == Qt.ItemDataRole.DisplayRole:
            return _("{month}月").format(month=section - 1) if i18n.current_language() == "zh_CN" else \
                date(2000, section - 1, 1).strftime("%b")
        return super().headerData(section, orientation, role)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and 2 <= index.column() <= 13 and role == Qt.ItemDataRole.BackgroundRole:
            colour = MARK_COLOURS[self.row_value(index.row()).marks[index.column() - 2]]
            return colour
        if index.isValid() and index.column() == self.current_month and role == Qt.ItemDataRole.FontRole:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)


class TwinningTab(BaseTab):
    key = "twinning"
    title = N_("Twinning enterprises")
    concerns = (change_kinds.EVERYTHING, change_kinds.TWINNING, change_kinds.ENTERPRISE, change_kinds.STAFF,
                change_kinds.TOWN, change_kinds.DEPARTMENT)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self._year = QComboBox()
        self._year.setObjectName("twinning_year")
        self._town = QComboBox()
        self._town.setObjectName("twinning_town")
        self._liaison = QComboBox()
        self._liaison.setObjectName("twinning_liaison")
        self._type = QComboBox()
        self._type.setObjectName("twinning_type")
        for combo in (self._town, self._liaison, self._type):
            # Long entries (industrial parks, enterprise types) must not make the window wider than a laptop.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
        self._search = QLineEdit()
        self._search.setObjectName("twinning_search")
        self._search.setClearButtonEnabled(True)
        self.pair_button = QPushButton()
        self.pair_button.setObjectName("pair_button")
        self.pair_button.clicked.connect(self.pair_enterprise)
        self.enterprises_button = QPushButton()
        self.enterprises_button.setObjectName("enterprises_button")
        self.enterprises_button.clicked.connect(self.open_enterprises)
        self.print_list_button = print_button("print_list_button", self.print_list)
        self.export_button = QPushButton()
        self.export_button.setObjectName("export_pairs_button")
        self.export_button.clicked.connect(lambda: self.export_list())
        self.import_button = QPushButton()
        self.import_button.setObjectName("import_pairs_button")
        self.import_button.clicked.connect(lambda: self.import_list())

        self.pairs = RecordTableModel(PAIR_COLUMNS, self, background=lambda p: QColor("#eeeeee")
                                      if p.status is PairStatus.ENDED else None)
        self.pair_table = _table("pair_table", self.pairs)
        self.pair_table.selectionModel().selectionChanged.connect(self._pair_selected)

        self.detail_title = QLabel()
        self.detail_title.setObjectName("pair_detail_title")
        self.detail_title.setWordWrap(True)
        self.detail_title.setTextFormat(Qt.TextFormat.PlainText)
        self.contact_button = self._button("log_contact_button", self.log_contact)
        self.check_button = self._button("health_check_button", self.health_check)
        self.item_button = self._button("new_item_button", self.new_item)
        self.edit_pair_button = self._button("edit_pair_button", self.edit_pair)
        self.end_pair_button = self._button("end_pair_button", self.end_pair)
        self.account_button = print_button("print_account_button", self.print_account)
        self.check_report_button = print_button("print_check_button", self.print_health_check)
        self.pair_history_button = self._button("pair_history_button", self.show_pair_history)

        self.contacts = RecordTableModel(CONTACT_COLUMNS, self)
        self.contact_table = _table("contact_table", self.contacts)
        self.raise_contact_button = self._button("raise_from_contact_button", self.raise_from_contact)
        self.findings = RecordTableModel(FINDING_COLUMNS, self)
        self.finding_table = _table("finding_table", self.findings)
        self.raise_finding_button = self._button("raise_from_finding_button", self.raise_from_finding)
        self.items = RecordTableModel(ITEM_COLUMNS, self, background=self._item_colour)
        self.item_table = _table("item_table", self.items)
        self.item_table.selectionModel().selectionChanged.connect(self._item_selected)
        self.item_buttons = {action: self._button(f"item_{action.value}_button",
                                                  lambda checked=False, a=action: self.advance_item(a))
                             for action in ItemAction}
        self.item_history_button = self._button("item_history_button", self.show_item_history)
        self.history = QLabel()
        self.history.setObjectName("item_history")
        self.history.setWordWrap(True)
        self.history.setTextFormat(Qt.TextFormat.PlainText)

        self.grid = GridModel(self)
        self.grid_table = _table("grid_table", self.grid)
        self.grid_legend = QLabel()
        self.grid_legend.setWordWrap(True)

        self._build_layout()
        self._fill_filters()
        for combo in (self._year, self._town, self._liaison, self._type):
            combo.currentIndexChanged.connect(self.refresh)
        self._search.returnPressed.connect(self.refresh)
        self._search.textChanged.connect(lambda text: self.refresh() if not text else None)
        self.refresh()
        self.retranslate_ui()  # also applies the user's permissions

    # --- construction ---------------------------------------------------------------------------

    def _button(self, name: str, slot) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.clicked.connect(lambda checked=False: slot())
        return button

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        self._labels = {}
        for key, widget in (("year", self._year), ("town", self._town), ("liaison", self._liaison),
                            ("type", self._type)):
            label = QLabel()
            self._labels[key] = label
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addWidget(self._search, 1)
        # Toolbars rather than rows of buttons: on a narrow screen the last ones fold into a » menu.
        actions = QToolBar()
        actions.setObjectName("twinning_actions")
        for widget in (self.pair_button, self.enterprises_button, self.print_list_button, self.import_button,
                       self.export_button):
            actions.addWidget(widget)
        detail_actions = QToolBar()
        detail_actions.setObjectName("pair_actions")
        for widget in (self.contact_button, self.check_button, self.item_button, self.edit_pair_button,
                       self.end_pair_button, self.account_button, self.check_report_button,
                       self.pair_history_button):
            detail_actions.addWidget(widget)
        contacts_page = QWidget()
        contacts_layout = QVBoxLayout(contacts_page)
        contacts_layout.addWidget(self.contact_table)
        contacts_layout.addWidget(self.raise_contact_button, 0, Qt.AlignmentFlag.AlignLeft)
        checks_page = QWidget()
        checks_layout = QVBoxLayout(checks_page)
        checks_layout.addWidget(self.finding_table)
        checks_layout.addWidget(self.raise_finding_button, 0, Qt.AlignmentFlag.AlignLeft)
        items_page = QWidget()
        items_layout = QVBoxLayout(items_page)
        items_layout.addWidget(self.item_table, 2)
        item_actions = QToolBar()
        for button in self.item_buttons.values():
            item_actions.addWidget(button)
        item_actions.addSeparator()
        item_actions.addWidget(self.item_history_button)
        items_layout.addWidget(item_actions)
        items_layout.addWidget(self.history, 1)
        self.detail_tabs = QTabWidget()
        self.detail_tabs.setObjectName("pair_detail_tabs")
        self.detail_tabs.addTab(contacts_page, "")
        self.detail_tabs.addTab(checks_page, "")
        self.detail_tabs.addTab(items_page, "")
        splitter = master_detail(self.pair_table, self.detail_title, detail_actions, self.detail_tabs)
        splitter.setObjectName("twinning_splitter")
        pairs_page = QWidget()
        pairs_layout = QVBoxLayout(pairs_page)
        pairs_layout.addWidget(splitter)
        grid_page = QWidget()
        grid_layout = QVBoxLayout(grid_page)
        grid_layout.addWidget(self.grid_table)
        grid_layout.addWidget(self.grid_legend)
        self.views = QTabWidget()
        self.views.setObjectName("twinning_views")
        self.views.addTab(pairs_page, "")
        self.views.addTab(grid_page, "")
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(actions)
        layout.addWidget(self.views)

    def _fill_filters(self) -> None:
        for combo in (self._year, self._town, self._liaison, self._type):
            combo.blockSignals(True)
        current = self._year.currentData() or date.today().year
        self._year.clear()
        for year in sorted(set(twinning.years(self.ws)) | {date.today().year}, reverse=True):
            self._year.addItem(str(year), year)
        self._year.setCurrentIndex(max(0, self._year.findData(current)))
        self._town.clear()
        self._town.addItem("", None)
        for town in reference.list_towns(self.ws, include_inactive=False):
            self._town.addItem(town.name_zh, town.id)
        self._liaison.clear()
        self._liaison.addItem("", None)
        for person in reference.list_staff(self.ws, include_inactive=False):
            self._liaison.addItem(person.name, person.id)
        self._type.clear()
        self._type.addItem("", None)
        for kind in EnterpriseType:
            self._type.addItem(kind.label, kind.value)
        for combo in (self._year, self._town, self._liaison, self._type):
            combo.blockSignals(False)

    def retranslate_ui(self) -> None:
        self._labels["year"].setText(_("Year"))
        self._labels["town"].setText(_("Town"))
        self._labels["liaison"].setText(_("Liaison officer"))
        self._labels["type"].setText(_("Type"))
        for combo in (self._town, self._liaison, self._type):
            combo.setItemText(0, _("All"))
        for index, kind in enumerate(EnterpriseType, start=1):
            self._type.setItemText(index, kind.label)
        self._search.setPlaceholderText(_("Search enterprise name"))
        self.pair_button.setText(_("Pair an enterprise…"))
        self.enterprises_button.setText(_("Enterprises…"))
        retranslate_print_button(self.print_list_button, _("Print the province's list"))
        self.import_button.setText(_("Import pairs…"))
        self.export_button.setText(_("Export the list…"))
        self.contact_button.setText(_("Log a contact…"))
        self.check_button.setText(_("Health check…"))
        self.item_button.setText(_("New service item…"))
        self.edit_pair_button.setText(_("Edit pair…"))
        self.end_pair_button.setText(_("End pair…"))
        retranslate_print_button(self.account_button, _("Print service account"))
        retranslate_print_button(self.check_report_button, _("Print health-check report"))
        self.pair_history_button.setText(_("History…"))
        self.pair_history_button.setToolTip(_("Who changed this pair and its contacts, and when"))
        self.item_history_button.setText(_("Item history…"))
        self.raise_contact_button.setText(_("Raise a service item from a problem…"))
        self.raise_finding_button.setText(_("Raise a service item from the finding…"))
        for action, button in self.item_buttons.items():
            button.setText(action.label + "…")
        self.detail_tabs.setTabText(0, _("Contacts"))
        self.detail_tabs.setTabText(1, _("Health checks"))
        self.detail_tabs.setTabText(2, _("Service account"))
        self.views.setTabText(0, _("Pairs"))
        self.views.setTabText(1, _("Monthly contacts"))
        self.grid_legend.setText(_("✓ contacted   ✗ no contact in a past month   … due this month   "
                                   "grey: not paired that month. The liaison officer serves each enterprise at "
                                   "least once a month."))
        for model in (self.pairs, self.contacts, self.findings, self.items, self.grid):
            model.retranslate()
        for view in (self.pair_table, self.contact_table, self.finding_table, self.item_table, self.grid_table):
            fit_headers(view)
        self.apply_permissions()

    def apply_permissions(self) -> None:
        """Pairs, contacts, health checks and service items for liaison officers; the enterprise register stays
        open to everyone to look things up (it offers editing to those who may)."""
        for widget in (self.pair_button, self.import_button):
            allow(widget, self.ws, Permission.TWINNING_EDIT)
        self._show_detail()

    # --- data -----------------------------------------------------------------------------------

    @property
    def year(self) -> int:
        return self._year.currentData() or date.today().year

    @reports_errors(N_("Cannot show the pairs"))
    def refresh(self) -> None:
        selected = self.selected_pair()
        today = date.today()
        pairs = twinning.year_list(self.ws, self.year, today, town_id=self._town.currentData(),
                                   liaison_id=self._liaison.currentData(), enterprise_type=self._type.currentData(),
                                   text=self._search.text())
        self.pairs.set_rows(pairs)
        self.pair_table.resizeColumnsToContents()
        grid = twinning.compliance_grid(self.ws, self.year, today)
        shown = {p.id for p in pairs}
        self.grid.current_month = today.month + 1 if self.year == today.year else None
        self.grid.set_rows([row for row in grid if row.pair.id in shown])
        self.grid_table.resizeColumnsToContents()
        if selected is not None:
            for row, pair in enumerate(pairs):
                if pair.id == selected.id:
                    self.pair_table.selectRow(row)
                    break
        self._show_detail()

    def on_changes(self, changes: Changes) -> None:
        if changes.concerns(change_kinds.STAFF, change_kinds.TOWN, change_kinds.EVERYTHING):
            self._fill_filters()
            self.retranslate_ui()
        super().on_changes(changes)

    def selected_pair(self) -> Pair | None:
        rows = self.pair_table.selectionModel().selectedRows() if self.pair_table.selectionModel() else []
        return self.pairs.row_value(rows[0].row()) if rows else None

    def select_pair(self, pair_id: int) -> None:
        for row in range(self.pairs.rowCount()):
            if self.pairs.row_value(row).id == pair_id:
                self.pair_table.selectRow(row)
                return

    def _pair_selected(self, *_args) -> None:
        self._show_detail()

    @reports_errors(N_("Cannot show the pair"))
    def _show_detail(self) -> None:
        pair = self.selected_pair()
        enabled = pair is not None
        for button in (self.contact_button, self.check_button, self.item_button, self.edit_pair_button,
                       self.raise_contact_button, self.raise_finding_button):
            allow(button, self.ws, Permission.TWINNING_EDIT, enabled)
        for button in (self.account_button, self.check_report_button, self.pair_history_button):
            button.setEnabled(enabled)
        allow(self.end_pair_button, self.ws, Permission.TWINNING_EDIT, enabled and pair.status is PairStatus.ACTIVE)
        if pair is None:
            self.detail_title.setText(_("Choose a pair above to see its contacts, health checks and service items."))
            for model in (self.contacts, self.findings, self.items):
                model.set_rows([])
            self._item_selected()
            return
        e = pair.enterprise
        self.detail_title.setText(
            _("{name}  ·  {code}  ·  {town}\nLiaison officer: {liaison} ({department}, {phone})  ·  "
              "Contact leader: {leader} ({title})  ·  Paired since {start}{ended}").format(
                name=e.name_zh, code=e.credit_code or _("no credit code"), town=e.town_name or "—",
                liaison=pair.liaison.name, department=pair.liaison.department or "—", phone=pair.liaison.phone or "—",
                leader=pair.leader.name, title=pair.leader.title or "—", start=_date(pair.start_date),
                ended=_("; ended {date}: {reason}").format(date=_date(pair.end_date), reason=pair.end_reason)
                if pair.status is PairStatus.ENDED else ""))
        self.contacts.set_rows(twinning.contacts(self.ws, pair.id))
        checks = twinning.health_checks(self.ws, e.id)
        self.findings.set_rows([_FindingRow(c, f) for c in checks for f in (c.findings or (None,))])
        self.items.set_rows(twinning.items(self.ws, e.id, with_events=True))
        for view in (self.contact_table, self.finding_table, self.item_table):
            view.resizeColumnsToContents()
        self._item_selected()

    def _item_colour(self, item: ServiceItem) -> QColor | None:
        if item.is_overdue(date.today()):
            return QColor("#f8d7da")
        if not item.status.is_open:
            return QColor("#eeeeee")
        return None

    def selected_item(self) -> ServiceItem | None:
        rows = self.item_table.selectionModel().selectedRows() if self.item_table.selectionModel() else []
        return self.items.row_value(rows[0].row()) if rows else None

    def _item_selected(self) -> None:
        from envdesk.domain.twinning import allowed_actions

        item = self.selected_item()
        allowed = allowed_actions(item.status) if item else []
        for action, button in self.item_buttons.items():
            allow(button, self.ws, Permission.TWINNING_EDIT, action in allowed)
        self.item_history_button.setEnabled(item is not None)
        if item is None:
            self.history.setText("")
            return
        lines = [_("History of {number}:").format(number=item.number)]
        for event in item.events:
            step = f"{event.from_status.label} → " if event.from_status else ""
            who = "、".join(x for x in (event.staff, event.department) if x)
            lines.append(f"{_date(event.event_date)}  {step}{event.to_status.label}  {who}  {event.note}".rstrip())
        if item.resolution:
            lines.append(_("Resolution: {text}").format(text=item.resolution))
        self.history.setText("\n".join(lines))

    # --- actions --------------------------------------------------------------------------------

    def _after(self, changes: Changes, pair_id: int | None = None) -> None:
        if changes:
            self.changed.emit(changes)
            self.refresh()
            if pair_id is not None:
                self.select_pair(pair_id)

    @reports_errors()
    def pair_enterprise(self) -> None:
        dialog = dialogs.PairDialog(self.ws, self.year, self)
        if dialog.exec():
            self._fill_filters()
            self._after(dialog.changes)

    @reports_errors()
    def open_enterprises(self) -> None:
        from envdesk.ui.twinning.enterprises import EnterprisesDialog

        dialog = EnterprisesDialog(self.ws, self)
        dialog.changed.connect(self.changed)
        dialog.exec()
        self.refresh()

    @reports_errors()
    def log_contact(self) -> None:
        pair = self.selected_pair()
        if pair is not None:
            self._after(dialogs.log_contact(self, self.ws, pair), pair.id)
            self.detail_tabs.setCurrentIndex(0)

    @reports_errors()
    def health_check(self) -> None:
        pair = self.selected_pair()
        if pair is not None:
            dialog = dialogs.HealthCheckDialog(self.ws, pair, self)
            if dialog.exec():
                self._after(dialog.changes, pair.id)
                self.detail_tabs.setCurrentIndex(1)

    @reports_errors()
    def new_item(self) -> None:
        pair = self.selected_pair()
        if pair is not None:
            self._after(dialogs.new_item(self, self.ws, pair), pair.id)
            self.detail_tabs.setCurrentIndex(2)

    @reports_errors()
    def edit_pair(self) -> None:
        pair = self.selected_pair()
        if pair is not None:
            self._after(dialogs.edit_pair(self, self.ws, pair), pair.id)

    @reports_errors()
    def end_pair(self) -> None:
        pair = self.selected_pair()
        if pair is not None:
            self._after(dialogs.end_pair(self, self.ws, pair), pair.id)

    @reports_errors()
    def raise_from_contact(self) -> None:
        pair = self.selected_pair()
        rows = self.contact_table.selectionModel().selectedRows()
        if pair is None or not rows:
            return
        contact = self.contacts.row_value(rows[0].row())
        open_problems = [i for i in range(len(contact.problems)) if i not in contact.raised]
        if not open_problems:
            return
        index = open_problems[0]
        if len(open_problems) > 1:
            texts = [contact.problems[i] for i in open_problems]
            chosen, ok = QInputDialog.getItem(self, _("Which problem?"), _("Problem"), texts, 0, False)
            if not ok:
                return
            index = open_problems[texts.index(chosen)]
        self._after(dialogs.raise_from_contact(self, self.ws, pair, contact, index), pair.id)
        self.detail_tabs.setCurrentIndex(2)

    @reports_errors()
    def raise_from_finding(self) -> None:
        pair = self.selected_pair()
        rows = self.finding_table.selectionModel().selectedRows()
        if pair is None or not rows:
            return
        row = self.findings.row_value(rows[0].row())
        if row.finding is None or row.finding.item_number:
            return
        self._after(dialogs.raise_from_finding(self, self.ws, pair, row.finding.id, row.finding.description), pair.id)
        self.detail_tabs.setCurrentIndex(2)

    @reports_errors()
    def advance_item(self, action: ItemAction) -> None:
        pair, item = self.selected_pair(), self.selected_item()
        if pair is None or item is None:
            return
        number = item.number
        self._after(dialogs.advance_item(self, self.ws, item, action, pair.liaison.id), pair.id)
        for row in range(self.items.rowCount()):
            if self.items.row_value(row).number == number:
                self.item_table.selectRow(row)

    def show_pair_history(self) -> None:
        from envdesk.ui.users.history import show_history  # loaded when first asked for

        pair = self.selected_pair()
        if pair is not None:
            show_history(self, self.ws, "twinning_pair", pair.id, _("Twinning pair {name} ({year})").format(
                name=pair.enterprise.name_zh, year=pair.year))

    def show_item_history(self) -> None:
        from envdesk.ui.users.history import show_history

        item = self.selected_item()
        if item is not None:
            show_history(self, self.ws, "service_item", item.id, _("Service item {number}").format(
                number=item.number))

    # --- documents and exchange -----------------------------------------------------------------

    def print_list(self, language: str):
        from envdesk.reports.twinning import twinning_list_spec
        from envdesk.ui import documents

        year = self.year
        return documents.preview(self, lambda: twinning_list_spec(
            reference.get_bureau(self.ws), year, twinning.year_list(self.ws, year), language, date.today()),
            document="twinning-list")

    def print_account(self, language: str):
        from envdesk.reports.twinning import service_account_spec
        from envdesk.ui import documents

        pair = self.selected_pair()
        if pair is None:
            return None
        e = pair.enterprise

        def spec():
            pairs = [p for y in twinning.years(self.ws) for p in twinning.year_list(self.ws, y)
                     if p.enterprise.id == e.id]
            return service_account_spec(reference.get_bureau(self.ws), e, twinning.items(self.ws, e.id, with_events=True),
                                        twinning.health_checks(self.ws, e.id), pairs, language, date.today())
        return documents.preview(self, spec, document="service-account", records=[("enterprise", e.id, e.name_zh)])

    def print_health_check(self, language: str):
        from PySide6.QtWidgets import QMessageBox

        from envdesk.reports.twinning import health_check_report_spec
        from envdesk.ui import documents

        pair = self.selected_pair()
        if pair is None:
            return None
        rows = self.finding_table.selectionModel().selectedRows()
        checks = twinning.health_checks(self.ws, pair.enterprise.id)
        if not checks:
            QMessageBox.information(self, _("No health check"), _("{name} has had no health check yet.").format(
                name=pair.enterprise.name_zh))
            return None
        check = self.findings.row_value(rows[0].row()).check if rows else checks[0]
        return documents.preview(self, lambda: health_check_report_spec(
            reference.get_bureau(self.ws), pair.enterprise, check, language, date.today()),
            document="health-check", records=[("enterprise", pair.enterprise.id, pair.enterprise.name_zh)])

    def export_list(self, path: str | None = None) -> str | None:
        from envdesk.exchange import twinning as layouts
        from envdesk.ui.dialogs.exchange import export_spreadsheet

        year = self.year
        return export_spreadsheet(self, layouts.PAIRS,
                                  lambda: twinning.pair_rows(self.ws, year, i18n.current_language()), path,
                                  register="twinning")

    def import_list(self, path: str | None = None) -> None:
        from envdesk.exchange import twinning as layouts
        from envdesk.ui.dialogs.exchange import import_spreadsheet

        changes = import_spreadsheet(self, layouts.PAIRS,
                                     lambda rows, check: twinning.import_pairs(self.ws, rows, check), path,
                                     register="twinning")
        if changes:
            self._fill_filters()
        self._after(changes)
