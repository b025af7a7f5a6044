"""Forms of the responsibility matrix: a plan and its phases, a task, a weekly progress report, generating the
letters with their signatories, and recording a wet signature with the scanned copy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from envdesk.app import reference, responsibility
from envdesk.app.changes import Changes
from envdesk.app.errors import AppError
from envdesk.app.responsibility import (
    Letter,
    PhaseInput,
    Plan,
    PlanInput,
    Task,
    TaskInput,
)
from envdesk.app.workspace import Workspace
from envdesk.domain.responsibility import LetterKind, PlanKind, TaskStatus
from envdesk.i18n import N_, _, format_date
from envdesk.ui.dialogs.conflict import accept_saving
from envdesk.ui.dialogs.record_editor import Field, RecordForm, date_editor
from envdesk.ui.twinning.dialogs import department_choices, staff_choices
from envdesk.ui.widgets import error_label

SCAN_FILTER = N_("Scans of the signed letter (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)")


def _none_first(choices):
    return lambda: [(_("(none)"), None)] + list(choices())


def _run(form: RecordForm) -> Changes:
    return form.changes if form.exec() == QDialog.DialogCode.Accepted else Changes()


# --- plan -----------------------------------------------------------------------------------------

class PlanDialog(QDialog):
    """A plan (new, or `plan` to edit): titles, kind, period, leading group office, notes and its phases."""

    PHASE_COLUMNS = (N_("Phase (Chinese)"), N_("Phase (English)"), N_("Starts"), N_("Ends"))

    def __init__(self, ws: Workspace, parent: QWidget | None = None, plan: Plan | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.plan = plan
        self.saved: Plan | None = None
        self.changes = Changes()
        self.setObjectName("plan_dialog")
        self.setWindowTitle(_("New plan") if plan is None else _("Edit plan"))
        today = date.today()
        self.title_zh = QLineEdit(plan.title_zh if plan else "")
        self.title_zh.setObjectName("plan_title_zh")
        self.title_en = QLineEdit(plan.title_en if plan else "")
        self.title_en.setObjectName("plan_title_en")
        self.kind = QComboBox()
        self.kind.setObjectName("plan_kind")
        for kind in PlanKind:
            self.kind.addItem(kind.label, kind.value)
        self.kind.setCurrentIndex(max(self.kind.findData(plan.kind.value if plan else PlanKind.CAMPAIGN.value), 0))
        self.start_on = date_editor(plan.start_on if plan else today)
        self.start_on.setObjectName("plan_start")
        self.end_on = date_editor(plan.end_on if plan else date(today.year, 12, 31))
        self.end_on.setObjectName("plan_end")
        self.office = QComboBox()
        self.office.setObjectName("plan_office")
        for text, value in _none_first(department_choices(ws))():
            self.office.addItem(text, value)
        self.office.setCurrentIndex(max(self.office.findData(plan.office_id if plan else None), 0))
        self.notes = QPlainTextEdit(plan.notes if plan else "")
        self.notes.setObjectName("plan_notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(56)
        self.phases = QTableWidget(0, len(self.PHASE_COLUMNS))
        self.phases.setObjectName("plan_phases")
        self.phases.setHorizontalHeaderLabels([_(h) for h in self.PHASE_COLUMNS])
        self.phases.verticalHeader().setVisible(False)
        self.phases.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.phases.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for phase in plan.phases if plan else ():
            self.add_phase(phase.name_zh, phase.name_en, phase.start_on, phase.end_on)
        add = QPushButton(_("Add phase"))
        add.setObjectName("add_phase")
        add.clicked.connect(lambda: self.add_phase())
        remove = QPushButton(_("Remove phase"))
        remove.setObjectName("remove_phase")
        remove.clicked.connect(self.remove_phase)
        self.error = error_label()

        period = QHBoxLayout()
        period.addWidget(self.start_on)
        period.addWidget(QLabel("–"))
        period.addWidget(self.end_on)
        period.addStretch(1)
        form = QFormLayout()
        form.addRow(_("Title (Chinese)"), self.title_zh)
        form.addRow(_("Title (English)"), self.title_en)
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("Period"), period)
        form.addRow(_("Leading group office"), self.office)
        form.addRow(_("Notes"), self.notes)
        phase_buttons = QHBoxLayout()
        phase_buttons.addWidget(QLabel("<b>" + _("Phases") + "</b>"))
        phase_buttons.addStretch(1)
        phase_buttons.addWidget(add)
        phase_buttons.addWidget(remove)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(phase_buttons)
        layout.addWidget(self.phases, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 560)

    def add_phase(self, name_zh: str = "", name_en: str = "", start: date | None = None,
                  end: date | None = None) -> int:
        row = self.phases.rowCount()
        self.phases.insertRow(row)
        self.phases.setItem(row, 0, QTableWidgetItem(name_zh))
        self.phases.setItem(row, 1, QTableWidgetItem(name_en))
        if start is None:
            previous = self._date_at(row - 1, 3) if row else None
            start = date.fromordinal(previous.toordinal() + 1) if previous else self.start_on.date().toPython()
        self.phases.setCellWidget(row, 2, date_editor(start))
        self.phases.setCellWidget(row, 3, date_editor(end or self.end_on.date().toPython()))
        self.phases.resizeColumnsToContents()
        return row

    def remove_phase(self) -> None:
        row = self.phases.currentRow()
        if row >= 0:
            self.phases.removeRow(row)

    def _date_at(self, row: int, column: int) -> date:
        editor = self.phases.cellWidget(row, column)
        assert isinstance(editor, QDateEdit)
        return editor.date().toPython()

    def _text_at(self, row: int, column: int) -> str:
        item = self.phases.item(row, column)
        return item.text().strip() if item else ""

    def value(self) -> PlanInput:
        phases = tuple(PhaseInput(self._text_at(row, 0), self._date_at(row, 2), self._date_at(row, 3),
                                  self._text_at(row, 1)) for row in range(self.phases.rowCount())
                       if self._text_at(row, 0) or self._text_at(row, 1))
        return PlanInput(self.title_zh.text(), self.kind.currentData(), self.start_on.date().toPython(),
                         self.end_on.date().toPython(), self.title_en.text(), self.office.currentData(),
                         self.notes.toPlainText(), phases)

    def accept(self) -> None:
        accept_saving(self, lambda: responsibility.save_plan(
            self.ws, self.plan.id if self.plan else None, self.value(),
            expected_version=self.plan.version if self.plan else None), reapply=False)  # the whole plan: no merge


# --- task -----------------------------------------------------------------------------------------

def _phase_name(phase) -> str:
    return f"{phase.name_zh}（{format_date(phase.start_on, 'short')}–{format_date(phase.end_on, 'short')}）"


def _chosen_first(choices, chosen):
    """A long list of ticks with the ticked ones on top, so the form shows who is responsible without scrolling."""
    return lambda: sorted(choices(), key=lambda choice: choice[1] not in chosen)


def task_fields(ws: Workspace, plan: Plan, task: Task | None = None) -> tuple[Field, ...]:
    assisting = task.assisting_department_ids if task else ()
    persons = task.person_ids if task else ()
    statuses = [(status.label, status.value) for status in TaskStatus if status is not TaskStatus.OVERDUE]
    return (
        Field("number", N_("No.")),
        Field("section", N_("Section")),
        Field("content", N_("Task"), "multiline"),
        Field("lead_department_id", N_("Responsible department"), "choice", _none_first(department_choices(ws))),
        Field("assisting_department_ids", N_("Assisting departments"), "choices",
              _chosen_first(department_choices(ws), assisting)),
        Field("leader_id", N_("Responsible leader"), "choice", _none_first(staff_choices(ws, leaders_only=True))),
        Field("person_ids", N_("Responsible persons"), "choices", _chosen_first(staff_choices(ws), persons)),
        Field("deadline", N_("Deadline"), "optional_date"),
        Field("phase_id", N_("Phase"), "choice", lambda: [(_("(none)"), None)] +
              [(_phase_name(p), p.id) for p in plan.phases]),
        Field("status", N_("Status"), "choice", lambda: statuses, TaskStatus.NOT_STARTED.value),
        Field("progress", N_("Progress (%)"), "int", default=0),
        Field("remarks", N_("Remarks"), "multiline"),
    )


def task_values(task: Task) -> dict:
    return {"number": task.number, "section": task.section, "content": task.content,
            "lead_department_id": task.lead_department_id, "assisting_department_ids": task.assisting_department_ids,
            "leader_id": task.leader_id, "person_ids": task.person_ids, "deadline": task.deadline,
            "phase_id": task.phase_id, "status": task.stored_status.value, "progress": task.progress,
            "remarks": task.remarks}


def edit_task(parent: QWidget, ws: Workspace, plan: Plan, task: Task | None,
              defaults: dict | None = None) -> tuple[Changes, Task | None]:
    """The task form (a new task when `task` is None); returns what changed and the task as saved."""
    saved: list[Task] = []

    def save(values: dict) -> Changes:
        data = TaskInput(**{key: tuple(value) if key.endswith("_ids") else value for key, value in values.items()})
        result, changes = responsibility.save_task(ws, plan.id, task.id if task else None, data,
                                                   expected_version=task.version if task else None)
        saved.append(result)
        return changes

    title = _("New task") if task is None else _("Edit task {number}").format(number=task.number or task.id)
    form = RecordForm(title, task_fields(ws, plan, task), task_values(task) if task else dict(defaults or {}), save, parent,
                      current=(lambda: task_values(responsibility.get_task(ws, task.id))) if task else None)
    form.setObjectName("task_form")
    form.setMinimumWidth(560)
    changes = _run(form)
    return changes, (saved[-1] if saved and changes else None)


# --- weekly progress ------------------------------------------------------------------------------

def report_progress(parent: QWidget, ws: Workspace, task: Task) -> Changes:
    """A weekly progress report on a task: date, %, what was done, by which department and whom."""
    departments = [(task.lead_department, task.lead_department_id)] + list(
        zip(task.assisting_departments, task.assisting_department_ids, strict=True))
    fields = (
        Field("reported_on", N_("Date"), "date"),
        Field("progress", N_("Progress (%)"), "int"),
        Field("text", N_("Progress report"), "multiline"),
        Field("department_id", N_("Department"), "choice", lambda: [d for d in departments if d[1] is not None]),
        Field("staff_id", N_("Reported by"), "choice", _none_first(staff_choices(ws))),
    )

    def save(values: dict) -> Changes:
        return responsibility.report_progress(ws, task.id, values["reported_on"], values["progress"], values["text"],
                                              values["department_id"], values["staff_id"])[1]

    title = _("Progress report: task {number}").format(number=task.number or task.id)
    form = RecordForm(title, fields, {"reported_on": date.today(), "progress": task.progress,
                                      "department_id": task.lead_department_id}, save, parent)
    form.setObjectName("progress_form")
    return _run(form)


# --- letters --------------------------------------------------------------------------------------

class GenerateLettersDialog(QDialog):
    """One letter per department leading a task: the signatories of each, prefilled from the task table."""

    def __init__(self, ws: Workspace, plan: Plan, kind: LetterKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.plan, self.kind = ws, plan, kind
        self.letters: list[Letter] = []
        self.changes = Changes()
        self.setObjectName("generate_letters_dialog")
        self.setWindowTitle(_("Generate letters: {kind}").format(kind=kind.label))
        defaults = responsibility.default_parties(ws, plan.id)
        names = {d.id: d.name_zh for d in reference.list_departments(ws)}
        self.department_ids = sorted(defaults, key=lambda d: names.get(d, ""))
        leaders = staff_choices(ws, leaders_only=True)()
        staff = staff_choices(ws)()
        intro = QLabel(_("One letter for each department that leads a task of “{plan}”, between a bureau leader "
                         "(Party A) and the department's head (Party B), listing the department's tasks as its "
                         "targets. An unsigned letter is brought up to date. A signed letter is never changed: "
                         "when its department's tasks have changed, a new revision is made to be signed again.")
                       .format(plan=plan.title_zh))
        intro.setWordWrap(True)
        self.table = QTableWidget(len(self.department_ids), 3)
        self.table.setObjectName("letter_parties")
        self.table.setHorizontalHeaderLabels([_("Department"), _("Party A (bureau leader)"),
                                              _("Party B (department head)")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.party_a: dict[int, QComboBox] = {}
        self.party_b: dict[int, QComboBox] = {}
        for row, department_id in enumerate(self.department_ids):
            item = QTableWidgetItem(names.get(department_id, ""))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, item)
            a, b = defaults[department_id]
            self.party_a[department_id] = self._combo(leaders, a)
            self.party_b[department_id] = self._combo(staff, b)
            self.table.setCellWidget(row, 1, self.party_a[department_id])
            self.table.setCellWidget(row, 2, self.party_b[department_id])
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Generate"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(720, 480)

    @staticmethod
    def _combo(choices, chosen: int | None) -> QComboBox:
        combo = QComboBox()
        combo.addItem(_("(choose)"), None)
        for text, value in choices:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(combo.findData(chosen), 0))
        return combo

    def parties(self) -> dict[int, tuple[int | None, int | None]]:
        return {d: (self.party_a[d].currentData(), self.party_b[d].currentData()) for d in self.department_ids}

    def accept(self) -> None:
        try:
            self.letters, self.changes = responsibility.generate_letters(self.ws, self.plan.id, self.kind.value,
                                                                         self.parties())
        except AppError as error:
            self.error.setText(str(error))
            return
        super().accept()


class SignDialog(QDialog):
    """The wet signature: the date it was signed and the scanned signed copy (PDF or image)."""

    def __init__(self, ws: Workspace, letter: Letter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.letter = ws, letter
        self.saved: Letter | None = None
        self.changes = Changes()
        self.setObjectName("sign_letter_dialog")
        self.setWindowTitle(_("Mark signed: {number}").format(number=letter.number))
        about = QLabel(_("{number} · {department} · {a} / {b}").format(
            number=letter.number, department=letter.department, a=letter.party_a, b=letter.party_b))
        note = QLabel(_("Once signed the letter is locked: it stays as it was signed. The scan is copied into the "
                        "data directory and its SHA-256 is recorded."))
        note.setWordWrap(True)
        self.signed_on = date_editor(date.today())
        self.signed_on.setObjectName("signed_on")
        self.signed_on.setMaximumDate(QDate.currentDate())
        self.scan = QLineEdit()
        self.scan.setObjectName("scan_file")
        self.scan.setPlaceholderText(_("PDF, JPEG, PNG or TIFF"))
        browse = QPushButton(_("Choose…"))
        browse.setObjectName("choose_scan")
        browse.clicked.connect(lambda: self.choose())
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan, 1)
        scan_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(_("Signed on"), self.signed_on)
        form.addRow(_("Signed copy"), scan_row)
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("The scanned signed copy"), self.scan.text(),
                                                    _(SCAN_FILTER))
        if path:
            self.scan.setText(path)

    def accept(self) -> None:
        path = self.scan.text().strip()
        if not path:
            self.error.setText(_("Signed copy: choose the scanned file (PDF or image)"))
            return
        accept_saving(self, lambda: responsibility.sign(
            self.ws, self.letter.id, self.signed_on.date().toPython(), Path(path),
            expected_version=self.letter.version))


def archive_letter(parent: QWidget, ws: Workspace, letter: Letter) -> Changes:
    fields = (Field("archived_on", N_("Archived on"), "date"),)
    form = RecordForm(_("Archive {number}").format(number=letter.number), fields,
                      {"archived_on": date.today()},
                      lambda values: responsibility.archive(ws, letter.id, values["archived_on"],
                                                            expected_version=letter.version)[1], parent)
    form.setObjectName("archive_form")
    return _run(form)

