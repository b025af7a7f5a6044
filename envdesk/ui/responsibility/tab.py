"""The responsibility matrix tab: a plan and its phases, who has not reported or signed, and four views — the task
table (edited in place, with undo), the department × task and leader × task matrix, weekly progress, and letters."""

from __future__ import annotations

from datetime import date

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from envdesk import i18n
from envdesk.app import changes as change_kinds
from envdesk.app import reference, responsibility
from envdesk.app.changes import Changes
from envdesk.app.errors import AppError, NotFound
from envdesk.app.responsibility import Plan, ProgressReport, Task, TaskFilter
from envdesk.app.workspace import Workspace
from envdesk.domain.responsibility import LetterKind, TaskStatus
from envdesk.domain.users import Permission
from envdesk.i18n import N_, _, format_date, ngettext
from envdesk.ui.responsibility import dialogs
from envdesk.ui.responsibility.letters import LettersPage
from envdesk.ui.responsibility.matrix import (
    ASSISTING_MARK,
    EDITABLE,
    LEAD_MARK,
    PROGRESS,
    MatrixModel,
    TaskDelegate,
    TaskEdits,
    TaskTableModel,
    TaskTableView,
)
from envdesk.ui.table_model import Column, RecordTableModel
from envdesk.ui.tabs.base import BaseTab, allow, needs_role, offer, reports_errors
from envdesk.ui.widgets import html_text, print_button, retranslate_print_button

TABLE_VIEW, MATRIX_VIEW, PROGRESS_VIEW, LETTERS_VIEW = range(4)
MAX_COLUMN_WIDTH = 260  # pixels; a long task's full text is in its tooltip
PROGRESS_WIDTH = 96     # pixels; room for the bar and "100 %"
TASK_FILES = N_("Task tables (*.xlsx *.xlsm *.csv *.docx)")
WARNING_TEXT, DONE_TEXT = "#b00020", "#1b5e20"


def _date(value: date | None) -> str:
    return format_date(value, "short") if value else ""


PROGRESS_TASKS: tuple[Column[Task], ...] = (
    Column(N_("No."), lambda t: t.number),
    Column(N_("Task"), lambda t: t.content.replace("\n", " "), tooltip=lambda t: t.content),
    Column(N_("Responsible department"), lambda t: t.lead_department),
    Column(N_("Progress (%)"), lambda t: f"{t.progress} %", align=Qt.AlignmentFlag.AlignCenter),
    Column(N_("Status"), lambda t: t.status.label),
)
REPORTS: tuple[Column[ProgressReport], ...] = (
    Column(N_("Date"), lambda r: _date(r.reported_on)),
    Column(N_("Progress (%)"), lambda r: f"{r.progress} %", align=Qt.AlignmentFlag.AlignCenter),
    Column(N_("Department"), lambda r: r.department),
    Column(N_("Reported by"), lambda r: r.staff),
    Column(N_("Progress report"), lambda r: r.text.replace("\n", " "), tooltip=lambda r: r.text),
)


def _table(name: str, model, parent: QWidget | None = None) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class PhaseStrip(QFrame):
    """The plan at a glance: kind, period, leading group office, then its phases in order, today's highlighted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("phase_strip")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self.plan: Plan | None = None
        self.chips: list[QLabel] = []

    def set_plan(self, plan: Plan | None, today: date | None = None) -> None:
        self.plan = plan
        today = today or date.today()
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()  # gone from the screen now, not only when the deletion is processed
                item.widget().deleteLater()
        self.chips = []
        summary = QLabel()
        summary.setObjectName("plan_summary")
        if plan is None:
            summary.setText(_("No plan yet: add one with New plan…, then add or import its tasks."))
            self._layout.addWidget(summary)
            self._layout.addStretch(1)
            return
        parts = [plan.kind.label, f"{_date(plan.start_on)} – {_date(plan.end_on)}"]
        if plan.office:
            parts.append(_("Leading group office: {office}").format(office=plan.office))
        summary.setText(" · ".join(parts))
        self._layout.addWidget(summary)
        if not plan.phases:
            none = QLabel(_("(no phases)"))
            none.setStyleSheet("color: #777;")
            self._layout.addWidget(none)
        for number, phase in enumerate(plan.phases, start=1):
            name = _phase_label(phase)
            chip = QLabel(f"{number}. {name}  {_date(phase.start_on)}–{_date(phase.end_on)}")
            chip.setObjectName("phase_chip")
            if phase.start_on <= today <= phase.end_on:
                style = "background: #dbe9fb; border: 1px solid #1565c0; font-weight: bold;"
                chip.setToolTip(_("The current phase"))
            elif phase.end_on < today:
                style = "background: #f0f0f0; border: 1px solid #c8c8c8; color: #777;"
                chip.setToolTip(_("Finished"))
            else:
                style = "background: #ffffff; border: 1px solid #c8c8c8;"
                chip.setToolTip(_("To come"))
            chip.setStyleSheet(f"QLabel {{ {style} border-radius: 3px; padding: 2px 8px; }}")
            self.chips.append(chip)
            self._layout.addWidget(chip)
        self._layout.addStretch(1)


class ResponsibilityTab(BaseTab):
    key = "responsibility"
    title = N_("Responsibility matrix")
    concerns = (change_kinds.EVERYTHING, change_kinds.RESPONSIBILITY, change_kinds.DEPARTMENT, change_kinds.STAFF,
                change_kinds.SETTING, change_kinds.BUREAU)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.plan: Plan | None = None
        self.tasks: list[Task] = []
        self._emitting = False
        self._last_import = None
        self.edits = TaskEdits(ws, self)
        self.edits.failed.connect(self._warn)
        self.edits.saved.connect(self._edited)
        self.edits.stack.indexChanged.connect(lambda _index: self._update_undo())
        self._build_top()
        self._build_filters()
        self._build_table_page()
        self._build_matrix_page()
        self._build_progress_page()
        self.letters = LettersPage(ws, self._warn, self)
        self.letters.changed.connect(self._after)
        self.views = QTabWidget()
        self.views.setObjectName("responsibility_views")
        for page in (self.table_page, self.matrix_page, self.progress_page, self.letters):
            self.views.addTab(page, "")
        self.views.currentChanged.connect(self._view_changed)
        layout = QVBoxLayout(self)
        layout.addLayout(self._plan_row)
        layout.addWidget(self.phase_strip)
        layout.addLayout(self._status_row)
        layout.addWidget(self.filters)
        layout.addWidget(self.views, 1)
        self._fill_plans()
        self._fill_reference_filters()
        self.refresh()
        self.retranslate_ui()  # also applies the user's permissions
        self._fit_columns()

    # --- construction ---------------------------------------------------------------------------

    def _build_top(self) -> None:
        self.plan_label = QLabel()
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("plan_combo")
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.plan_combo.currentIndexChanged.connect(self._plan_changed)
        self.new_plan_button = QPushButton()
        self.new_plan_button.setObjectName("new_plan")
        self.new_plan_button.clicked.connect(lambda: self.new_plan())
        self.edit_plan_button = QPushButton()
        self.edit_plan_button.setObjectName("edit_plan")
        self.edit_plan_button.clicked.connect(lambda: self.edit_plan())
        self.plan_history_button = QPushButton()
        self.plan_history_button.setObjectName("plan_history")
        self.plan_history_button.clicked.connect(lambda: self.show_plan_history())
        self._plan_row = QHBoxLayout()
        self._plan_row.addWidget(self.plan_label)
        self._plan_row.addWidget(self.plan_combo, 1)
        self._plan_row.addWidget(self.new_plan_button)
        self._plan_row.addWidget(self.edit_plan_button)
        self._plan_row.addWidget(self.plan_history_button)
        self.phase_strip = PhaseStrip()
        self.not_reported_label = QLabel()
        self.not_reported_label.setObjectName("not_reported")
        self.not_reported_label.setWordWrap(True)
        self.unsigned_label = QLabel()
        self.unsigned_label.setObjectName("unsigned")
        self.unsigned_label.setWordWrap(True)
        self._status_row = QHBoxLayout()
        for label in (self.not_reported_label, self.unsigned_label):
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self._status_row.addWidget(label, 1, Qt.AlignmentFlag.AlignTop)
        self.not_reported: list[str] = []
        self.unsigned: list = []
        self.letter_count = 0

    def _build_filters(self) -> None:
        self.filters = QWidget()
        self.filters.setObjectName("task_filters")
        self.phase_filter = QComboBox()
        self.department_filter = QComboBox()
        self.status_filter = QComboBox()
        self.leader_filter = QComboBox()
        self.search = QLineEdit()
        self.search.setObjectName("task_search")
        self.search.setClearButtonEnabled(True)
        self._filter_labels = {key: QLabel() for key in ("phase", "department", "status", "leader")}
        row = QHBoxLayout(self.filters)
        row.setContentsMargins(0, 0, 0, 0)
        for key, combo in (("phase", self.phase_filter), ("department", self.department_filter),
                           ("status", self.status_filter), ("leader", self.leader_filter)):
            combo.setObjectName(f"filter_{key}")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.addItem("", None)
            row.addWidget(self._filter_labels[key])
            row.addWidget(combo)
            combo.currentIndexChanged.connect(lambda _i: self.refresh_tasks())
        for status in TaskStatus:
            self.status_filter.addItem(status.label, status.value)
        row.addWidget(self.search, 1)
        self.search.textChanged.connect(lambda _t: self.refresh_tasks())

    def _build_table_page(self) -> None:
        self.table_page = QWidget()
        self.table_page.setObjectName("task_page")
        self.model = TaskTableModel(self.edits, self)
        self.table = TaskTableView(self.edits)
        self.table.setObjectName("task_table")
        self.table.setModel(self.model)
        self.table.setItemDelegate(TaskDelegate(self.table))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked |
                                   QAbstractItemView.EditTrigger.EditKeyPressed |
                                   QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_task")
        self.add_button.clicked.connect(lambda: self.add_task())
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("edit_task")
        self.edit_button.clicked.connect(lambda: self.edit_task())
        self.delete_button = QPushButton()
        self.delete_button.setObjectName("delete_task")
        self.delete_button.clicked.connect(lambda: self.delete_task())
        self.task_history_button = QPushButton()
        self.task_history_button.setObjectName("task_history")
        self.task_history_button.clicked.connect(lambda: self.show_task_history())
        self.undo_button = QToolButton()
        self.undo_button.setObjectName("undo_edit")
        self.undo_button.clicked.connect(self.edits.stack.undo)
        self.redo_button = QToolButton()
        self.redo_button.setObjectName("redo_edit")
        self.redo_button.clicked.connect(self.edits.stack.redo)
        self.import_button = QToolButton()
        self.import_button.setObjectName("import_tasks")
        self.import_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.import_button)
        self.import_action = menu.addAction("")
        self.import_action.triggered.connect(lambda: self.import_file())
        self.import_missing_action = menu.addAction("")
        self.import_missing_action.triggered.connect(lambda: self.import_file(create_missing=True))
        self.import_button.setMenu(menu)
        self.export_button = QPushButton()
        self.export_button.setObjectName("export_tasks")
        self.export_button.clicked.connect(lambda: self.export_file())
        self.print_table = print_button("print_task_table", self.print_task_table)
        self.count_label = QLabel()
        self.count_label.setObjectName("task_count")
        self.table_info = QLabel()
        self.table_info.setObjectName("task_info")
        self.table_info.setWordWrap(True)
        self.table_info.setVisible(False)
        actions = QToolBar()
        actions.setObjectName("task_actions")
        for widget in (self.add_button, self.edit_button, self.delete_button, self.task_history_button):
            actions.addWidget(widget)
        actions.addSeparator()
        actions.addWidget(self.undo_button)
        actions.addWidget(self.redo_button)
        actions.addSeparator()
        for widget in (self.import_button, self.export_button, self.print_table):
            actions.addWidget(widget)
        actions.addWidget(self.count_label)
        layout = QVBoxLayout(self.table_page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(actions)
        layout.addWidget(self.table_info)
        layout.addWidget(self.table, 1)

    def _build_matrix_page(self) -> None:
        self.matrix_page = QWidget()
        self.matrix_page.setObjectName("matrix_page")
        self.by_department = QRadioButton()
        self.by_department.setObjectName("matrix_by_department")
        self.by_leader = QRadioButton()
        self.by_leader.setObjectName("matrix_by_leader")
        self.by_department.setChecked(True)
        group = QButtonGroup(self.matrix_page)
        group.addButton(self.by_department)
        group.addButton(self.by_leader)
        self.by_department.toggled.connect(lambda _on: self._show_matrix())
        self.legend = QLabel()
        self.legend.setObjectName("matrix_legend")
        self.matrix_model = MatrixModel(self)
        self.matrix = QTableView()
        self.matrix.setObjectName("matrix_table")
        self.matrix.setModel(self.matrix_model)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.matrix.horizontalHeader().setMinimumSectionSize(28)
        self.matrix.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.matrix.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        top = QHBoxLayout()
        top.addWidget(self.by_department)
        top.addWidget(self.by_leader)
        top.addSpacing(24)
        top.addWidget(self.legend)
        top.addStretch(1)
        layout = QVBoxLayout(self.matrix_page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.matrix, 1)

    def _build_progress_page(self) -> None:
        self.progress_page = QWidget()
        self.progress_page.setObjectName("progress_page")
        self.progress_tasks_model = RecordTableModel(PROGRESS_TASKS, self)
        self.progress_tasks = _table("progress_tasks", self.progress_tasks_model)
        self.progress_tasks.selectionModel().selectionChanged.connect(lambda *_a: self._show_reports())
        self.reports_model = RecordTableModel(REPORTS, self)
        self.reports = _table("progress_reports", self.reports_model)
        self.report_title = QLabel()
        self.report_title.setObjectName("report_title")
        self.report_title.setWordWrap(True)
        self.report_button = QPushButton()
        self.report_button.setObjectName("add_report")
        self.report_button.clicked.connect(lambda: self.add_report())
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.report_title, 1)
        head.addWidget(self.report_button)
        right_layout.addLayout(head)
        right_layout.addWidget(self.reports, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.progress_tasks)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self.progress_page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(splitter, 1)

    def _fit_columns(self) -> None:
        for view in (self.table, self.progress_tasks, self.reports):
            _fit(view)
        self.table.horizontalHeader().resizeSection(PROGRESS, max(
            self.table.horizontalHeader().sectionSize(PROGRESS), PROGRESS_WIDTH))

    # --- language -------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.plan_label.setText(_("Plan"))
        self.new_plan_button.setText(_("New plan…"))
        self.edit_plan_button.setText(_("Edit plan…"))
        self.plan_history_button.setText(_("Plan history…"))
        self.task_history_button.setText(_("Task history…"))
        for key, text in {"phase": _("Phase"), "department": _("Department"), "status": _("Status"),
                          "leader": _("Leader")}.items():
            self._filter_labels[key].setText(text)
        for combo in (self.phase_filter, self.department_filter, self.status_filter, self.leader_filter):
            combo.setItemText(0, _("All"))
        for index, status in enumerate(TaskStatus, start=1):
            self.status_filter.setItemText(index, status.label)
        phases = {p.id: p for p in self.plan.phases} if self.plan else {}
        for index in range(1, self.phase_filter.count()):
            phase = phases.get(self.phase_filter.itemData(index))
            if phase is not None:
                self.phase_filter.setItemText(index, _phase_label(phase))
        self.search.setPlaceholderText(_("Search the tasks"))
        for index, text in enumerate((_("Task table"), _("Matrix"), _("Weekly progress"), _("Letters"))):
            self.views.setTabText(index, text)
        self.add_button.setText(_("Add task…"))
        self.edit_button.setText(_("Edit task…"))
        self.delete_button.setText(_("Delete task"))
        self.import_button.setText(_("Import…"))
        self.import_action.setText(_("Import a task table…"))
        self.import_missing_action.setText(_("Import, adding unknown departments and people…"))
        self.export_button.setText(_("Export…"))
        retranslate_print_button(self.print_table, _("Print the task table"))
        self.by_department.setText(_("Departments × tasks"))
        self.by_leader.setText(_("Leaders × tasks"))
        self.report_button.setText(_("Add report…"))
        for index in range(self.edits.stack.count()):
            command = self.edits.stack.command(index)
            if hasattr(command, "retranslate"):
                command.retranslate()
        for model in (self.model, self.progress_tasks_model, self.reports_model):
            model.retranslate()
        self.matrix_model.retranslate()
        self._show_matrix()
        self.letters.retranslate_ui()
        self.phase_strip.set_plan(self.plan)
        self._show_status_lines()
        self._show_count()
        self._show_reports()
        self.apply_permissions()

    def apply_permissions(self) -> None:
        """Plans, tasks (in place too), progress reports, imports and letters for the office; signing and
        archiving letters for those who mark them signed. A reader sees the same views, read-only."""
        may_edit = self.may(Permission.PLANS_EDIT)
        if self.model.editable != may_edit:
            self.model.editable = may_edit
            self.edits.stack.clear()  # another user's edits are not undone from here
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked |
                                   QAbstractItemView.EditTrigger.EditKeyPressed |
                                   QAbstractItemView.EditTrigger.AnyKeyPressed if may_edit else
                                   QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setToolTip(_("Double-click a No., section, task, deadline, progress or remarks cell to edit it "
                                "in place; Edit ▸ Undo (Ctrl+Z) takes it back.") if may_edit else
                              _("Read-only.") + " " + needs_role(Permission.PLANS_EDIT))
        allow(self.new_plan_button, self.ws, Permission.PLANS_EDIT)
        # Adding departments and people on import is an administrator's (reference data).
        offer(self.import_missing_action, self.ws, Permission.REFERENCE_EDIT)
        self.letters.apply_permissions()
        self._enable()
        self._update_undo()

    # --- loading --------------------------------------------------------------------------------

    def _fill_plans(self, select: int | None = None) -> None:
        current = select if select is not None else self.plan_combo.currentData()
        plans = responsibility.list_plans(self.ws)  # newest first
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        for plan in plans:
            self.plan_combo.addItem(plan.title_zh, plan.id)
            self.plan_combo.setItemData(self.plan_combo.count() - 1,
                                        plan.title_en or plan.title_zh, Qt.ItemDataRole.ToolTipRole)
        found = self.plan_combo.findData(current)
        self.plan_combo.setCurrentIndex(found if found >= 0 else (0 if plans else -1))
        self.plan_combo.blockSignals(False)

    def _fill_reference_filters(self) -> None:
        self._refill(self.department_filter, [(d.name_zh, d.id) for d in
                                              reference.list_departments(self.ws, include_inactive=False)])

    def _fill_plan_filters(self, all_tasks: list[Task]) -> None:
        phases = [(_phase_label(p), p.id) for p in (self.plan.phases if self.plan else ())]
        self._refill(self.phase_filter, phases)
        leaders = dict.fromkeys((t.leader, t.leader_id) for t in all_tasks if t.leader_id is not None)
        self._refill(self.leader_filter, sorted(leaders))

    @staticmethod
    def _refill(combo: QComboBox, items) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for text, value in items:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(combo.findData(chosen), 0))
        combo.blockSignals(False)

    def task_filter(self) -> TaskFilter:
        return TaskFilter(self.phase_filter.currentData(), self.department_filter.currentData(),
                          self.leader_filter.currentData(), self.status_filter.currentData(), self.search.text())

    @reports_errors(N_("Cannot show the plan"))
    def refresh(self) -> None:
        """Everything again from the database: the plans, the chosen plan's tasks and every view."""
        self._fill_plans()
        plan_id = self.plan_combo.currentData()
        if self.plan is not None and plan_id != self.plan.id:
            self.edits.stack.clear()  # an edit of another plan's task is not undone from here
        try:
            self.plan = responsibility.get_plan(self.ws, plan_id) if plan_id is not None else None
        except NotFound:
            self.plan = None
        self.phase_strip.set_plan(self.plan)
        all_tasks = responsibility.list_tasks(self.ws, self.plan.id) if self.plan else []
        self._fill_plan_filters(all_tasks)
        self.refresh_tasks()

    @reports_errors(N_("Cannot show the tasks"))
    def refresh_tasks(self) -> None:
        """The task table as filtered, keeping the current cell; then the views that derive from it."""
        current = self.table.currentIndex()
        task_id = self.model.row_value(current.row()).id if current.isValid() else None
        column = current.column() if current.isValid() else 0
        self.tasks = responsibility.list_tasks(self.ws, self.plan.id, self.task_filter()) if self.plan else []
        self.model.set_rows(self.tasks)
        row = self.model.row_of(task_id) if task_id is not None else None
        if row is not None:
            self.table.setCurrentIndex(self.model.index(row, column))
            self.table.selectRow(row)
        self._refresh_derived()

    def _refresh_derived(self) -> None:
        """What follows from the tasks without touching the task table (which an in-place edit has just updated):
        the matrix, the progress page, the letters and who has not reported or signed."""
        self._show_matrix()
        selected = self._progress_task()
        self.progress_tasks_model.set_rows(self.shown_tasks())
        if selected is not None:
            self._select_progress_task(selected.id)
        self._show_reports()
        self.letters.set_plan(self.plan)
        if self.plan:
            self.not_reported = responsibility.not_reported(self.ws, self.plan.id)
            self.unsigned = responsibility.unsigned(self.ws, self.plan.id)
            self.letter_count = len(responsibility.list_letters(self.ws, self.plan.id))
        else:
            self.not_reported, self.unsigned, self.letter_count = [], [], 0
        self._show_status_lines()
        self._show_count()
        self._enable()

    def _show_status_lines(self) -> None:
        if self.plan is None:
            self.not_reported_label.clear()
            self.unsigned_label.clear()
            return
        if self.not_reported:
            self.not_reported_label.setText(_("Not reported this week: {departments}").format(
                departments="、".join(self.not_reported)))
            self.not_reported_label.setStyleSheet(f"color: {WARNING_TEXT};")
        else:
            self.not_reported_label.setText(_("Every department with an open task has reported this week."))
            self.not_reported_label.setStyleSheet(f"color: {DONE_TEXT};")
        if not self.letter_count:
            self.unsigned_label.setText(_("No letters generated yet."))
            self.unsigned_label.setStyleSheet("color: #555;")
        elif self.unsigned:
            by_kind = []
            for kind in LetterKind:
                names = [letter.department for letter in self.unsigned if letter.kind is kind]
                if names:
                    by_kind.append(f"{kind.label}: {'、'.join(names)}")
            self.unsigned_label.setText(_("Not signed: {letters}").format(letters="; ".join(by_kind)))
            self.unsigned_label.setStyleSheet(f"color: {WARNING_TEXT};")
        else:
            self.unsigned_label.setText(_("Every letter is signed."))
            self.unsigned_label.setStyleSheet(f"color: {DONE_TEXT};")

    def _show_count(self) -> None:
        total = self.plan.task_count if self.plan else 0
        shown = self.model.rowCount()
        text = ngettext("{count} task", "{count} tasks", total).format(count=total) if shown == total else \
            _("{shown} of {total} tasks").format(shown=shown, total=total)
        self.count_label.setText("  " + text)

    def _show_matrix(self) -> None:
        tasks = self.shown_tasks()
        matrix = responsibility.department_matrix(tasks) if self.by_department.isChecked() else \
            responsibility.leader_matrix(tasks)
        self.matrix_model.set_matrix(matrix)
        if self.by_department.isChecked():
            legend = _("{lead} leads   {assisting} assists   (point at a column for the task)").format(
                lead=LEAD_MARK, assisting=ASSISTING_MARK)
        else:
            legend = _("{lead} responsible leader   (point at a column for the task)").format(lead=LEAD_MARK)
        self.legend.setText(legend)

    def on_changes(self, changes: Changes) -> None:
        if self._emitting:
            return  # this tab's own change: it has already shown it
        if changes.concerns(change_kinds.DEPARTMENT, change_kinds.STAFF, change_kinds.EVERYTHING):
            self._fill_reference_filters()
        super().on_changes(changes)

    def _after(self, changes: Changes) -> None:
        """After a form or an action: tell the other tabs, and show it here."""
        self._broadcast(changes)
        self.refresh()

    def _broadcast(self, changes: Changes) -> None:
        if changes:
            self._emitting = True
            try:
                self.changed.emit(changes)
            finally:
                self._emitting = False

    def _edited(self, _task: Task, changes: Changes) -> None:
        """An in-place edit, or its undo or redo, was saved: the table row is already updated."""
        if self.plan is not None:
            try:
                self.plan = responsibility.get_plan(self.ws, self.plan.id)
            except NotFound:
                pass
        self._broadcast(changes)
        self._refresh_derived()

    # --- selection and state --------------------------------------------------------------------

    def shown_tasks(self) -> list[Task]:
        """The tasks as the table shows them now (with any in-place edit already applied)."""
        return [self.model.row_value(row) for row in range(self.model.rowCount())]

    def current_task(self) -> Task | None:
        index = self.table.currentIndex()
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else (index.row() if index.isValid() else None)
        return self.model.row_value(row) if row is not None and row < self.model.rowCount() else None

    def select_task(self, task_id: int) -> None:
        row = self.model.row_of(task_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _enable(self) -> None:
        has_plan = self.plan is not None
        task = self.current_task()
        for widget in (self.edit_plan_button, self.add_button, self.import_button):
            allow(widget, self.ws, Permission.PLANS_EDIT, has_plan)
        self.filters.setEnabled(has_plan)
        self.plan_history_button.setEnabled(has_plan)
        for widget in (self.edit_button, self.delete_button):
            allow(widget, self.ws, Permission.PLANS_EDIT, task is not None)
        self.task_history_button.setEnabled(task is not None)
        self.export_button.setEnabled(has_plan and bool(self.plan.task_count))
        self.print_table.setEnabled(has_plan and bool(self.plan.task_count))
        allow(self.report_button, self.ws, Permission.PLANS_EDIT, self._progress_task() is not None)

    def _update_undo(self) -> None:
        stack = self.edits.stack
        if not shiboken6.isValid(stack):
            return  # the stack clears itself as it is destroyed with the tab, and says so
        may_edit = self.may(Permission.PLANS_EDIT)
        self.undo_button.setEnabled(may_edit and stack.canUndo())
        self.redo_button.setEnabled(may_edit and stack.canRedo())
        self.undo_button.setText(_("Undo"))
        self.redo_button.setText(_("Redo"))
        self.undo_button.setToolTip(_("Undo {what} (Ctrl+Z)").format(what=stack.undoText()) if stack.canUndo()
                                    else _("Nothing to undo"))
        self.redo_button.setToolTip(_("Redo {what} (Ctrl+Shift+Z)").format(what=stack.redoText())
                                    if stack.canRedo() else _("Nothing to redo"))

    def _plan_changed(self, _index: int) -> None:
        self.letters.show_info("")
        self._show_table_info("")
        self.refresh()

    def _view_changed(self, index: int) -> None:
        self.filters.setVisible(index != LETTERS_VIEW)

    def _double_clicked(self, index) -> None:
        if index.column() not in EDITABLE and self.may(Permission.PLANS_EDIT):
            self.edit_task()

    def _show_table_info(self, text: str) -> None:
        self.table_info.setText(text)
        self.table_info.setVisible(bool(text))

    def _warn(self, title: str, message: str) -> None:
        QMessageBox.warning(self, title, message)

    # --- plans ----------------------------------------------------------------------------------

    @reports_errors()
    def new_plan(self) -> Plan | None:
        dialog = dialogs.PlanDialog(self.ws, self)
        return self._plan_dialog(dialog)

    @reports_errors()
    def edit_plan(self) -> Plan | None:
        if self.plan is None:
            return None
        return self._plan_dialog(dialogs.PlanDialog(self.ws, self, self.plan))

    def _plan_dialog(self, dialog: dialogs.PlanDialog) -> Plan | None:
        accepted = dialog.exec()
        if accepted and dialog.saved is not None:
            self._fill_plans(select=dialog.saved.id)
        self._after(dialog.changes)
        return dialog.saved if accepted else None

    # --- tasks ----------------------------------------------------------------------------------

    @reports_errors()
    def add_task(self) -> Task | None:
        if self.plan is None:
            return None
        defaults = {"phase_id": self.phase_filter.currentData(),
                    "lead_department_id": self.department_filter.currentData(),
                    "leader_id": self.leader_filter.currentData()}
        changes, saved = dialogs.edit_task(self, self.ws, self.plan, None, defaults)
        self._after(changes)
        if saved is not None:
            self.select_task(saved.id)
        return saved

    @reports_errors()
    def edit_task(self) -> Task | None:
        task = self.current_task()
        if task is None or self.plan is None:
            return None
        changes, saved = dialogs.edit_task(self, self.ws, self.plan, task)
        self._after(changes)
        if saved is not None:
            self.select_task(saved.id)
        return saved

    def delete_task(self) -> bool:
        task = self.current_task()
        if task is None:
            return False
        answer = QMessageBox.question(self, _("Delete task"), _("Delete task {number}: {task}?").format(
            number=task.number or task.id, task=task.content[:80]))
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            changes = responsibility.delete_task(self.ws, task.id, expected_version=task.version)
        except AppError as error:
            self._warn(_("Cannot delete"), str(error))
            self.refresh()
            return False
        self._after(changes)
        return True

    # --- weekly progress ------------------------------------------------------------------------

    def _progress_task(self) -> Task | None:
        rows = self.progress_tasks.selectionModel().selectedRows()
        if rows and rows[0].row() < self.progress_tasks_model.rowCount():
            return self.progress_tasks_model.row_value(rows[0].row())
        return None

    def _select_progress_task(self, task_id: int) -> None:
        for row in range(self.progress_tasks_model.rowCount()):
            if self.progress_tasks_model.row_value(row).id == task_id:
                self.progress_tasks.selectRow(row)
                return

    def _show_reports(self) -> None:
        task = self._progress_task()
        allow(self.report_button, self.ws, Permission.PLANS_EDIT, task is not None)
        if task is None:
            self.reports_model.set_rows([])
            self.report_title.setText(_("Choose a task to see its weekly progress reports."))
            return
        self.reports_model.set_rows(responsibility.progress_reports(self.ws, task.id))
        _fit(self.reports)
        self.report_title.setText(_("<b>{number} {task}</b> · {department} · {progress} % · {status}").format(
            number=html_text(task.number), task=html_text(task.content[:80]),
            department=html_text(task.lead_department),
            progress=task.progress, status=html_text(task.status.label)))

    @reports_errors()
    def add_report(self) -> None:
        task = self._progress_task()
        if task is None:
            return
        self._after(dialogs.report_progress(self, self.ws, task))
        self._select_progress_task(task.id)

    # --- history --------------------------------------------------------------------------------

    def show_plan_history(self) -> None:
        from envdesk.ui.users.history import show_history  # loaded when first asked for

        if self.plan is not None:
            show_history(self, self.ws, "plan", self.plan.id, self.plan.title_zh)

    def show_task_history(self) -> None:
        from envdesk.ui.users.history import show_history

        task = self.current_task()
        if task is not None:
            show_history(self, self.ws, "task", task.id, _("Task {number}: {task}").format(
                number=task.number or task.id, task=task.content[:40]))

    # --- documents and exchange -----------------------------------------------------------------

    def print_task_table(self, language: str):
        from envdesk.ui import documents

        if self.plan is None:
            return None
        plan_id, f, title = self.plan.id, self.task_filter(), self.plan.title_zh
        return documents.preview(self, lambda: documents.task_table(self.ws, plan_id, language, f),
                                 document="task-table", records=[("plan", plan_id, title)])

    def export_file(self, path: str | None = None) -> str | None:
        from envdesk.app import tasks_exchange
        from envdesk.exchange import responsibility as layouts
        from envdesk.ui.dialogs.exchange import export_spreadsheet

        if self.plan is None:
            return None
        plan_id = self.plan.id
        return export_spreadsheet(self, layouts.TASKS, lambda: tasks_exchange.task_rows(
            self.ws, plan_id, i18n.current_language()), path, register="tasks")

    def import_file(self, path: str | None = None, create_missing: bool = False) -> Changes:
        """A task table (.xlsx, .csv or a Word .docx attachment) into the chosen plan, after its tasks."""
        from envdesk.app import tasks_exchange
        from envdesk.exchange import responsibility as layouts
        from envdesk.ui.dialogs.exchange import import_spreadsheet

        if self.plan is None:
            return Changes()
        if not path:
            path, _filter = QFileDialog.getOpenFileName(self, _("Import a task table into {plan}").format(
                plan=self.plan.title_zh), "", _(TASK_FILES))
        if not path:
            return Changes()
        plan_id = self.plan.id
        summaries = []

        def apply(rows, check_only):
            summary = tasks_exchange.import_tasks(self.ws, rows, plan_id, check_only, create_missing)
            summaries.append(summary)
            return summary

        changes = import_spreadsheet(self, layouts.TASKS, apply, path, register="tasks")
        self._after(changes)
        self._show_table_info(_import_notes(summaries[-1]) if changes and summaries else "")
        return changes


def _phase_label(phase) -> str:
    """A phase's name in the interface language: its English name in English when it has one."""
    return phase.name_en if i18n.current_language() == "en" and phase.name_en else phase.name_zh


def _fit(view: QTableView) -> None:
    """Columns as wide as their contents and header, long texts cut at a readable width (tooltips hold them)."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for section in range(header.count() - 1):  # the last one stretches
        header.resizeSection(section, min(max(header.sectionSize(section), header.sectionSizeHint(section)),
                                          MAX_COLUMN_WIDTH))


def _import_notes(summary) -> str:
    notes = []
    if getattr(summary, "skipped", ()):
        notes.append(_("Already in the plan, left as they were: {rows}").format(rows="; ".join(summary.skipped)))
    if getattr(summary, "new_departments", ()):
        notes.append(_("Departments added: {names}").format(names="、".join(summary.new_departments)))
    if getattr(summary, "new_staff", ()):
        notes.append(_("People added: {names}").format(names="、".join(summary.new_staff)))
    return "\n".join(notes)

