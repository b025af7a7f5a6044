"""Forms of the complaints register: registering (with repeat suggestions) and each step of the workflow."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from envdesk.app import access, complaints, reference
from envdesk.app.changes import Changes
from envdesk.app.complaints import Complaint, ComplaintInput
from envdesk.app.enterprises import Enterprise
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace
from envdesk.domain.complaints import POLLUTION_TYPES, Channel, Decision, FollowUpMethod, HandlingKind, Satisfaction
from envdesk.domain.users import Permission
from envdesk.i18n import N_, _, format_date
from envdesk.ui.dialogs.record_editor import ChoiceList, Field, RecordForm
from envdesk.ui.twinning.dialogs import department_choices, staff_choices
from envdesk.ui.widgets import error_label


def pollution_choices() -> list[tuple[str, str]]:
    """Categories and their kinds, kinds indented under their category."""
    result = []
    for category, (label, kinds) in POLLUTION_TYPES.items():
        result.append((_(label), category))
        result.extend(("    " + _(kind_label), kind) for kind, kind_label in kinds)
    return result


def _run(form: RecordForm) -> Changes:
    return form.changes if form.exec() == QDialog.DialogCode.Accepted else Changes()


class RegisterDialog(QDialog):
    """Register a complaint from any channel. While it is typed, earlier complaints that may be the same
    matter (same phone, enterprise, place or similar text) are suggested to link as repeats."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("register_complaint_dialog")
        self.setWindowTitle(_("Register a complaint"))
        self.changes = Changes()
        self.created: Complaint | None = None
        self.enterprise: Enterprise | None = None
        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        for member in Channel:
            self.channel.addItem(member.label, member.value)
        self.received = QDateTimeEdit(QDateTime.currentDateTime())
        self.received.setObjectName("received")
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.receiver = QComboBox()
        self.receiver.setObjectName("first_receiver")
        for text, value in staff_choices(ws)():
            self.receiver.addItem(text, value)
        self.anonymous = QCheckBox(_("Anonymous"))
        self.anonymous.setObjectName("anonymous")
        self.name = QLineEdit()
        self.name.setObjectName("complainant_name")
        self.phone = QLineEdit()
        self.phone.setObjectName("complainant_phone")
        self.address = QLineEdit()
        self.address.setObjectName("complainant_address")
        self.anonymous.toggled.connect(lambda on: [w.setEnabled(not on) for w in (self.name, self.phone,
                                                                                   self.address)])
        self.enterprise_label = QLabel(_("(none chosen)"))
        choose = QPushButton(_("Choose from the register…"))
        choose.clicked.connect(self.choose_enterprise)
        clear = QPushButton(_("Clear"))
        clear.clicked.connect(lambda: self._set_enterprise(None))
        self.subject = QLineEdit()
        self.subject.setObjectName("subject")
        self.subject.setPlaceholderText(_("or describe who or what is complained about"))
        self.town = QComboBox()
        self.town.setObjectName("town")
        self.town.addItem(_("(none)"), None)
        for town in reference.list_towns(ws, include_inactive=False):
            self.town.addItem(town.name_zh, town.id)
        self.location = QLineEdit()
        self.location.setObjectName("location")
        self.pollution = ChoiceList(pollution_choices(), ())
        self.pollution.setObjectName("pollution_types")
        self.content = QPlainTextEdit()
        self.content.setObjectName("content")
        self.skip_level = QCheckBox(_("Skip-level complaint"))
        self.key_case = QCheckBox(_("Key case"))
        self.key_case.setObjectName("key_case")
        self.case_leader = QComboBox()
        self.case_leader.setObjectName("case_leader")
        self.case_leader.addItem(_("(none)"), None)
        for text, value in staff_choices(ws, leaders_only=True)():
            self.case_leader.addItem(text, value)
        self.suggestions = QListWidget()
        self.suggestions.setObjectName("repeat_suggestions")
        self.error = error_label()

        enterprise_row = QHBoxLayout()
        enterprise_row.addWidget(self.enterprise_label, 1)
        enterprise_row.addWidget(choose)
        enterprise_row.addWidget(clear)
        form = QFormLayout()
        form.addRow(_("Channel"), self.channel)
        form.addRow(_("Received"), self.received)
        form.addRow(_("First receiver"), self.receiver)
        form.addRow("", self.anonymous)
        form.addRow(_("Complainant"), self.name)
        form.addRow(_("Phone"), self.phone)
        form.addRow(_("Address"), self.address)
        form.addRow(_("Enterprise"), enterprise_row)
        form.addRow(_("Subject"), self.subject)
        form.addRow(_("Town"), self.town)
        form.addRow(_("Location"), self.location)
        form.addRow(_("Content"), self.content)
        flags = QHBoxLayout()
        flags.addWidget(self.skip_level)
        flags.addWidget(self.key_case)
        flags.addWidget(QLabel(_("Case leader")))
        flags.addWidget(self.case_leader)
        flags.addStretch(1)
        form.addRow(_("Flags"), flags)
        left = QWidget()
        left.setLayout(form)
        right = QVBoxLayout()
        types_box = QGroupBox(_("Pollution types"))
        QVBoxLayout(types_box).addWidget(self.pollution)
        self.pollution.setMaximumHeight(16777215)
        repeats_box = QGroupBox(_("Earlier complaints that may be the same matter (tick to link as repeat)"))
        QVBoxLayout(repeats_box).addWidget(self.suggestions)
        right.addWidget(types_box, 3)
        right.addWidget(repeats_box, 2)
        body = QHBoxLayout()
        body.addWidget(left, 3)
        body.addLayout(right, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(400)
        self._debounce.timeout.connect(self.refresh_suggestions)
        for edit in (self.phone, self.location):
            edit.textChanged.connect(self._debounce.start)
        self.content.textChanged.connect(self._debounce.start)
        self.town.currentIndexChanged.connect(self._debounce.start)
        self.resize(1100, 720)

    def _set_enterprise(self, enterprise: Enterprise | None) -> None:
        self.enterprise = enterprise
        self.enterprise_label.setText(enterprise.name_zh if enterprise else _("(none chosen)"))
        if enterprise is not None and enterprise.town_id is not None:
            index = self.town.findData(enterprise.town_id)
            if index >= 0:
                self.town.setCurrentIndex(index)
        self._debounce.start()

    def choose_enterprise(self) -> None:
        from envdesk.ui.twinning.enterprises import EnterprisesDialog

        dialog = EnterprisesDialog(self.ws, self, choose=True)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.picked is not None:
            self._set_enterprise(dialog.picked)

    def refresh_suggestions(self) -> None:
        # Suggestions match on the phone number, so they are for those who register complaints (the use case
        # checks too); a refusal is said under the form, not raised out of the typing timer.
        if not access.can(self.ws, Permission.COMPLAINTS_EDIT):
            return
        try:
            candidates = complaints.suggest_repeats(
                self.ws, phone=self.phone.text(), enterprise_id=self.enterprise.id if self.enterprise else None,
                town_id=self.town.currentData(), location=self.location.text(), content=self.content.toPlainText())
        except AppError as error:
            self.error.setText(str(error))
            return
        self.suggestions.clear()
        for candidate in candidates:
            item = QListWidgetItem(f"{candidate.number}  {format_date(candidate.received, 'short')}  "
                                   f"({'、'.join(candidate.reasons)})")
            item.setData(Qt.ItemDataRole.UserRole, candidate.complaint_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.suggestions.addItem(item)

    def data(self) -> ComplaintInput:
        received = self.received.dateTime().toPython().astimezone()
        repeats = tuple(self.suggestions.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.suggestions.count())
                        if self.suggestions.item(i).checkState() == Qt.CheckState.Checked)
        return ComplaintInput(
            channel=self.channel.currentData(), received_at=received, first_receiver_id=self.receiver.currentData(),
            content=self.content.toPlainText(), pollution_types=self.pollution.chosen(),
            anonymous=self.anonymous.isChecked(), complainant_name=self.name.text(),
            complainant_phone=self.phone.text(), complainant_address=self.address.text(),
            enterprise_id=self.enterprise.id if self.enterprise else None, subject=self.subject.text(),
            town_id=self.town.currentData(), location=self.location.text(), skip_level=self.skip_level.isChecked(),
            key_case=self.key_case.isChecked(), case_leader_id=self.case_leader.currentData(), repeats=repeats)

    def accept(self) -> None:
        try:
            self.created, self.changes = complaints.register(self.ws, self.data())
        except AppError as error:
            self.error.setText(str(error))
            return
        super().accept()


# --- the workflow steps, each a form that asks for what its step needs ----------------------------

def _today() -> date:
    return date.today()


def decide(parent, ws: Workspace, c: Complaint, actor: int | None) -> Changes:
    fields = [Field("decision", N_("Decision"), "choice", lambda: [(d.label, d.value) for d in Decision]),
              Field("decided_on", N_("Decision date"), "date", default=_today()),
              Field("actor_id", N_("Decided by"), "choice", staff_choices(ws), default=actor),
              Field("reason", N_("Reason (required when not accepted)"), "multiline"),
              Field("transferred_to", N_("Transferred to (when transferred)"))]
    return _run(RecordForm(_("Acceptance decision: {number}").format(number=c.number), fields, {}, lambda v:
                           complaints.decide(ws, c.id, v["decision"], v["decided_on"], v["actor_id"], v["reason"],
                                             v["transferred_to"], expected_version=c.version)[1], parent))


def assign(parent, ws: Workspace, c: Complaint, actor: int | None) -> Changes:
    fields = [Field("department_id", N_("Lead department"), "choice", department_choices(ws),
                    default=c.lead_department_id),
              Field("person_id", N_("Person responsible"), "choice",
                    lambda: [(_("(none)"), None)] + staff_choices(ws)(), default=c.lead_person_id),
              Field("assisting", N_("Assisting departments"), "choices", department_choices(ws)),
              Field("assigned_on", N_("Assignment date"), "date", default=_today()),
              Field("actor_id", N_("Assigned by"), "choice", staff_choices(ws), default=actor)]
    return _run(RecordForm(_("Assign: {number}").format(number=c.number), fields, {}, lambda v: complaints.assign(
        ws, c.id, v["department_id"], v["person_id"], v["assigned_on"], v["actor_id"], v["assisting"],
        expected_version=c.version)[1], parent))


def handle(parent, ws: Workspace, c: Complaint, actor: int | None) -> Changes:
    fields = [Field("kind", N_("Kind"), "choice", lambda: [(k.label, k.value) for k in HandlingKind]),
              Field("handled_on", N_("Date"), "date", default=_today()),
              Field("staff_id", N_("Staff"), "choice", staff_choices(ws), default=c.lead_person_id or actor),
              Field("note", N_("What was done"), "multiline")]
    return _run(RecordForm(_("Log handling: {number}").format(number=c.number), fields, {}, lambda v:
                           complaints.record_handling(ws, c.id, v["handled_on"], v["kind"], v["staff_id"],
                                                      v["note"], expected_version=c.version)[1], parent))


def extend(parent, ws: Workspace, c: Complaint) -> Changes:
    longest = complaints.max_extension(ws, c.channel.value)
    fields = [Field("days", N_("Days"), "int", default=longest),
              Field("approved_by", N_("Approved by (a leader)"), "choice", staff_choices(ws, leaders_only=True)),
              Field("approved_on", N_("Approval date"), "date", default=_today()),
              Field("reason", N_("Reason (the complainant is told it)"), "multiline")]
    return _run(RecordForm(_("Extend the handling limit: {number}").format(number=c.number), fields, {}, lambda v:
                           complaints.extend(ws, c.id, v["days"], v["reason"], v["approved_by"], v["approved_on"],
                                             expected_version=c.version)[1], parent))


def reply(parent, ws: Workspace, c: Complaint, actor: int | None) -> Changes:
    fields = [Field("replied_on", N_("Reply date"), "date", default=_today()),
              Field("actor_id", N_("Replied by"), "choice", staff_choices(ws), default=c.lead_person_id or actor),
              Field("text", N_("Handling opinion"), "multiline", default=c.reply_text)]
    return _run(RecordForm(_("Written reply: {number}").format(number=c.number), fields, {}, lambda v:
                           complaints.reply(ws, c.id, v["replied_on"], v["text"], v["actor_id"],
                                            expected_version=c.version)[1], parent))


def follow_up(parent, ws: Workspace, c: Complaint, actor: int | None) -> Changes:
    fields = [Field("on", N_("Follow-up date"), "date", default=_today()),
              Field("method", N_("Method"), "choice", lambda: [(m.label, m.value) for m in FollowUpMethod]),
              Field("satisfaction", N_("Satisfaction"), "choice", lambda: [(s.label, s.value) for s in Satisfaction]),
              Field("notes", N_("Notes"), "multiline"),
              Field("actor_id", N_("Visited by"), "choice", staff_choices(ws), default=actor)]
    return _run(RecordForm(_("Follow-up visit: {number}").format(number=c.number), fields, {}, lambda v:
                           complaints.follow_up(ws, c.id, v["on"], v["method"], v["satisfaction"], v["notes"],
                                                v["actor_id"], expected_version=c.version)[1], parent))


def close(parent, ws: Workspace, c: Complaint, actor: int | None) -> Changes:
    fields = [Field("closed_on", N_("Closing date"), "date", default=_today()),
              Field("actor_id", N_("Closed by"), "choice", staff_choices(ws), default=actor)]
    return _run(RecordForm(_("Close: {number}").format(number=c.number), fields, {}, lambda v: complaints.close(
        ws, c.id, v["closed_on"], v["actor_id"], expected_version=c.version)[1], parent))


def reopen(parent, ws: Workspace, c: Complaint, actor: int | None) -> Changes:
    fields = [Field("on", N_("Date"), "date", default=_today()), Field("reason", N_("Reason"), "multiline"),
              Field("actor_id", N_("Reopened by"), "choice", staff_choices(ws), default=actor)]
    return _run(RecordForm(_("Reopen: {number}").format(number=c.number), fields, {}, lambda v: complaints.reopen(
        ws, c.id, v["on"], v["reason"], v["actor_id"], expected_version=c.version)[1], parent))


def review(parent, ws: Workspace, c: Complaint) -> Changes:
    """Record a review request or its answer, whichever comes next."""
    if c.review_requested_on is None:
        step, second, answer = N_("Request for first review"), False, False
    elif c.review_answered_on is None:
        step, second, answer = N_("Answer to the first review"), False, True
    elif c.second_review_requested_on is None:
        step, second, answer = N_("Request for second review"), True, False
    else:
        step, second, answer = N_("Answer to the second review"), True, True
    fields = [Field("on", N_("Date"), "date", default=_today())]

    def save(v: dict[str, Any]) -> Changes:
        if answer:
            return complaints.answer_review(ws, c.id, v["on"], second, expected_version=c.version)[1]
        return complaints.request_review(ws, c.id, v["on"], second, expected_version=c.version)[1]

    title = _("{step}: {number}").format(step=_(step), number=c.number)
    return _run(RecordForm(title, fields, {}, save, parent))


def flags(parent, ws: Workspace, c: Complaint) -> Changes:
    fields = [Field("key_case", N_("Key case"), "bool", default=c.key_case),
              Field("case_leader_id", N_("Case leader"), "choice",
                    lambda: [(_("(none)"), None)] + staff_choices(ws, leaders_only=True)(), default=c.case_leader_id),
              Field("skip_level", N_("Skip-level complaint"), "bool", default=c.skip_level)]
    return _run(RecordForm(_("Flags: {number}").format(number=c.number), fields, {}, lambda v: complaints.set_flags(
        ws, c.id, v["key_case"], v["case_leader_id"], v["skip_level"], expected_version=c.version)[1], parent,
        reapply=False))  # the record's own fields: saving them again would undo the other user's



