"""Forms of the twinning register: pairing, contacts, health checks and each step of a service item."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from envdesk.app import reference, twinning
from envdesk.app.changes import Changes
from envdesk.app.enterprises import Enterprise
from envdesk.app.errors import AppError
from envdesk.app.twinning import Contact, FindingInput, Pair, ServiceItem
from envdesk.app.workspace import Workspace
from envdesk.domain.twinning import ContactMode, ItemAction, ItemCategory, ItemSource, Severity
from envdesk.i18n import N_, _
from envdesk.ui.dialogs.record_editor import Field, RecordForm, date_editor, date_value
from envdesk.ui.widgets import error_label


def staff_choices(ws: Workspace, leaders_only: bool = False):
    def choices():
        return [(f"{s.name}（{s.department_name or s.title}）", s.id)
                for s in reference.list_staff(ws, include_inactive=False, leaders_only=leaders_only)]
    return choices


def department_choices(ws: Workspace):
    return lambda: [(d.name_zh, d.id) for d in reference.list_departments(ws, include_inactive=False)]


def _run(form: RecordForm) -> Changes:
    return form.changes if form.exec() == QDialog.DialogCode.Accepted else Changes()


class PairDialog(QDialog):
    """Pair an enterprise for a year: pick it from the register, then the liaison officer and contact leader."""

    def __init__(self, ws: Workspace, year: int, parent: QWidget | None = None,
                 enterprise: Enterprise | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("pair_dialog")
        self.setWindowTitle(_("Pair an enterprise"))
        self.changes = Changes()
        self.enterprise = enterprise
        self.enterprise_label = QLabel()
        self.enterprise_label.setObjectName("pair_enterprise")
        choose = QPushButton(_("Choose…"))
        choose.setObjectName("choose_enterprise")
        choose.clicked.connect(self.choose_enterprise)
        row = QHBoxLayout()
        row.addWidget(self.enterprise_label, 1)
        row.addWidget(choose)
        self.year = QLineEdit(str(year))
        self.year.setObjectName("pair_year")
        self.liaison = QComboBox()
        self.liaison.setObjectName("pair_liaison")
        for text, value in staff_choices(ws)():
            self.liaison.addItem(text, value)
        self.leader = QComboBox()
        self.leader.setObjectName("pair_leader")
        for text, value in staff_choices(ws, leaders_only=True)():
            self.leader.addItem(text, value)
        start = date.today() if date.today().year == year else date(year, 1, 1)
        self.start = date_editor(start)
        self.start.setObjectName("pair_start")
        self.error = error_label("form_error")
        form = QFormLayout()
        form.addRow(_("Enterprise"), row)
        form.addRow(_("Year"), self.year)
        form.addRow(_("Liaison officer"), self.liaison)
        form.addRow(_("Contact leader"), self.leader)
        form.addRow(_("Start date"), self.start)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._show_enterprise()
        self.setMinimumWidth(520)

    def _show_enterprise(self) -> None:
        self.enterprise_label.setText(
            f"{self.enterprise.name_zh}  {self.enterprise.credit_code}" if self.enterprise else _("(none chosen)"))

    def choose_enterprise(self) -> None:
        from envdesk.ui.twinning.enterprises import EnterprisesDialog

        dialog = EnterprisesDialog(self.ws, self, choose=True)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.picked is not None:
            self.enterprise = dialog.picked
            self._show_enterprise()

    def accept(self) -> None:
        if self.enterprise is None:
            self.error.setText(_("Enterprise: choose one from the register"))
            return
        try:
            year = int(self.year.text().strip())
        except ValueError:
            self.error.setText(_("Year: expected a year such as 2026"))
            return
        try:
            _pair, self.changes = twinning.pair_enterprise(self.ws, self.enterprise.id, year,
                                                           self.liaison.currentData(), self.leader.currentData(),
                                                           date_value(self.start))
        except AppError as error:
            self.error.setText(str(error))
            return
        super().accept()


def log_contact(parent: QWidget, ws: Workspace, pair: Pair) -> Changes:
    fields = [
        Field("contact_date", N_("Contact date"), "date", default=date.today()),
        Field("mode", N_("Mode"), "choice", lambda: [(m.label, m.value) for m in ContactMode]),
        Field("staff_id", N_("Staff"), "choice", staff_choices(ws), default=pair.liaison.id),
        Field("summary", N_("Summary"), "multiline"),
        Field("problems", N_("Problems raised (one per line)"), "multiline"),
    ]

    def save(v: dict[str, Any]) -> Changes:
        return twinning.log_contact(ws, pair.id, v["contact_date"], v["mode"], v["staff_id"], v["summary"],
                                    v["problems"].splitlines())[1]

    return _run(RecordForm(_("Log a contact with {name}").format(name=pair.enterprise.name_zh), fields, {},
                           save, parent))


def end_pair(parent: QWidget, ws: Workspace, pair: Pair) -> Changes:
    fields = [Field("end_date", N_("End date"), "date", default=date.today()),
              Field("reason", N_("Reason"), "multiline")]
    return _run(RecordForm(_("End the pair with {name}").format(name=pair.enterprise.name_zh), fields, {},
                           lambda v: twinning.end_pair(ws, pair.id, v["end_date"], v["reason"],
                                                       expected_version=pair.version)[1],
                           parent))


def edit_pair(parent: QWidget, ws: Workspace, pair: Pair) -> Changes:
    fields = [Field("liaison_id", N_("Liaison officer"), "choice", staff_choices(ws)),
              Field("leader_id", N_("Contact leader"), "choice", staff_choices(ws, leaders_only=True)),
              Field("start_date", N_("Start date"), "date")]
    def values(of: Pair) -> dict:
        return {"liaison_id": of.liaison.id, "leader_id": of.leader.id, "start_date": of.start_date}

    return _run(RecordForm(_("Edit the pair with {name}").format(name=pair.enterprise.name_zh), fields, values(pair),
                           lambda v: twinning.update_pair(ws, pair.id, v["liaison_id"], v["leader_id"],
                                                          v["start_date"], pair.version)[1], parent,
                           current=lambda: values(twinning.get_pair(ws, pair.id))))


def _category_choices():
    return [(c.label, c.value) for c in ItemCategory]


def new_item(parent: QWidget, ws: Workspace, pair: Pair) -> Changes:
    fields = [
        Field("source", N_("Source"), "choice", lambda: [(s.label, s.value) for s in ItemSource
                                                         if s is not ItemSource.HEALTH_CHECK],
              default=ItemSource.REQUEST.value),
        Field("category", N_("Category"), "choice", _category_choices),
        Field("description", N_("Description"), "multiline"),
        Field("event_date", N_("Collected on"), "date", default=date.today()),
        Field("due_date", N_("Due date"), "optional_date"),
        Field("actor_id", N_("Collected by"), "choice", staff_choices(ws), default=pair.liaison.id),
    ]

    def save(v: dict[str, Any]) -> Changes:
        return twinning.create_item(ws, pair.enterprise.id, v["source"], v["category"], v["description"],
                                    v["actor_id"], v["event_date"], v["due_date"])[1]

    return _run(RecordForm(_("New service item for {name}").format(name=pair.enterprise.name_zh), fields, {},
                           save, parent))


def raise_from_contact(parent: QWidget, ws: Workspace, pair: Pair, contact: Contact, index: int) -> Changes:
    fields = [Field("category", N_("Category"), "choice", _category_choices),
              Field("due_date", N_("Due date"), "optional_date"),
              Field("actor_id", N_("Collected by"), "choice", staff_choices(ws), default=contact.staff.id)]
    title = _("Raise a service item: {problem}").format(problem=contact.problems[index][:40])
    return _run(RecordForm(title, fields, {}, lambda v: twinning.raise_from_contact(
        ws, contact.id, index, v["category"], v["actor_id"], v["due_date"])[1], parent))


def raise_from_finding(parent: QWidget, ws: Workspace, pair: Pair, finding_id: int, text: str) -> Changes:
    fields = [Field("category", N_("Category"), "choice", _category_choices),
              Field("due_date", N_("Due date"), "optional_date"),
              Field("actor_id", N_("Collected by"), "choice", staff_choices(ws), default=pair.liaison.id)]
    title = _("Raise a service item: {problem}").format(problem=text[:40])
    return _run(RecordForm(title, fields, {}, lambda v: twinning.raise_from_finding(
        ws, finding_id, v["category"], v["actor_id"], v["due_date"])[1], parent))


def advance_item(parent: QWidget, ws: Workspace, item: ServiceItem, action: ItemAction,
                 default_actor: int | None) -> Changes:
    """The form for one step of the closed loop; it asks for what that step needs."""
    fields = [Field("event_date", N_("Date"), "date", default=date.today()),
              Field("actor_id", N_("Done by"), "choice", staff_choices(ws), default=default_actor)]
    if action is ItemAction.HAND_OVER:
        fields += [Field("department_id", N_("Handed over to (department)"), "choice", department_choices(ws),
                         default=item.department_id),
                   Field("owner_id", N_("Owner"), "choice", lambda: [(_("(none)"), None)] + staff_choices(ws)(),
                         default=item.owner_id),
                   Field("due_date", N_("Due date"), "optional_date", default=item.due_date),
                   Field("note", N_("Note"), "multiline")]
    elif action is ItemAction.TRACK:
        fields.append(Field("note", N_("Progress"), "multiline"))
    elif action is ItemAction.CLOSE:
        fields += [Field("resolution", N_("Resolution"), "multiline"), Field("note", N_("Note"), "multiline")]
    else:
        fields.append(Field("reason", N_("Reason"), "multiline"))

    def save(v: dict[str, Any]) -> Changes:
        return twinning.advance_item(
            ws, item.id, action.value, v["actor_id"], v.get("note", ""), event_date=v["event_date"],
            department_id=v.get("department_id"), owner_id=v.get("owner_id"), due_date=v.get("due_date"),
            resolution=v.get("resolution", ""), reason=v.get("reason", ""), expected_version=item.version)[1]

    return _run(RecordForm(f"{action.label}: {item.number}", fields, {}, save, parent))


class HealthCheckDialog(QDialog):
    """A health check with its findings, entered as a small table."""

    def __init__(self, ws: Workspace, pair: Pair, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.pair = pair
        self.changes = Changes()
        self.setObjectName("health_check_dialog")
        self.setWindowTitle(_("Health check of {name}").format(name=pair.enterprise.name_zh))
        self.check_date = date_editor(date.today())
        self.team = QLineEdit()
        self.team.setObjectName("check_team")
        self.scope = QLineEdit()
        self.scope.setObjectName("check_scope")
        self.findings = QTableWidget(0, 3)
        self.findings.setObjectName("check_findings")
        self.findings.setHorizontalHeaderLabels([_("Finding"), _("Severity"), _("Suggested treatment")])
        self.findings.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        add = QPushButton(_("Add a finding"))
        add.setObjectName("add_finding")
        add.clicked.connect(lambda: self.add_finding())
        self.error = error_label("form_error")
        form = QFormLayout()
        form.addRow(_("Check date"), self.check_date)
        form.addRow(_("Expert team"), self.team)
        form.addRow(_("Scope"), self.scope)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.findings)
        layout.addWidget(add)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.add_finding()
        self.resize(760, 480)

    def add_finding(self, description: str = "", severity: str = Severity.MEDIUM.value, treatment: str = "") -> None:
        row = self.findings.rowCount()
        self.findings.insertRow(row)
        self.findings.setItem(row, 0, QTableWidgetItem(description))
        combo = QComboBox()
        for s in Severity:
            combo.addItem(s.label, s.value)
        combo.setCurrentIndex(combo.findData(severity))
        self.findings.setCellWidget(row, 1, combo)
        self.findings.setItem(row, 2, QTableWidgetItem(treatment))

    def _findings(self) -> list[FindingInput]:
        result = []
        for row in range(self.findings.rowCount()):
            description = (self.findings.item(row, 0).text() if self.findings.item(row, 0) else "").strip()
            treatment = (self.findings.item(row, 2).text() if self.findings.item(row, 2) else "").strip()
            if description or treatment:
                result.append(FindingInput(description, self.findings.cellWidget(row, 1).currentData(), treatment))
        return result

    def accept(self) -> None:
        try:
            _check, self.changes = twinning.record_health_check(
                self.ws, self.pair.enterprise.id, date_value(self.check_date), self.team.text(), self.scope.text(),
                self._findings())
        except AppError as error:
            self.error.setText(str(error))
            return
        super().accept()
