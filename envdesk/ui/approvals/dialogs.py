"""Forms of the approvals register: a project and its application (new or edited), and each step of a case."""

from __future__ import annotations

import html
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
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
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from envdesk import i18n
from envdesk.app import approvals, reference
from envdesk.app.approvals import Case, PauseRecord, ProjectInput
from envdesk.app.changes import Changes
from envdesk.app.enterprises import Enterprise
from envdesk.app.errors import AppError, ValidationError
from envdesk.app.workspace import Workspace
from envdesk.domain import eia_categories
from envdesk.domain.approvals import (
    ApprovalLevel,
    DocumentType,
    Nature,
    Outcome,
    PauseKind,
    Track,
)
from envdesk.i18n import N_, _
from envdesk.ui.dialogs.conflict import ConflictGuard, Resolution, accept_saving, plain_value
from envdesk.ui.dialogs.record_editor import Field, RecordForm, date_editor, date_value
from envdesk.ui.twinning.dialogs import staff_choices
from envdesk.ui.widgets import error_label


def _today() -> date:
    return date.today()


def _labelled_choices(enum) -> list[tuple[str, str]]:
    return [(member.label, member.value) for member in enum]


def _staff_or_none(ws: Workspace):
    return lambda: [(_("(none)"), None)] + staff_choices(ws)()


def _run(form: RecordForm) -> Changes:
    return form.changes if form.exec() == QDialog.DialogCode.Accepted else Changes()


class CategoryCombo(QComboBox):
    """The 2021 EIA classification directory's categories as "number name"; typing any part of a number or
    name narrows the list (there are over a hundred)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.addItem("", None)
        for category in eia_categories.categories():
            self.addItem("", category.number)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        language = i18n.current_language()
        self.setItemText(0, "")
        self.lineEdit().setPlaceholderText(_("Type a number or part of a name"))
        for index in range(1, self.count()):
            self.setItemText(index, eia_categories.category(self.itemData(index)).label(language))

    def set_value(self, number: int | None) -> None:
        found = self.findData(number)
        self.setCurrentIndex(max(found, 0))

    def value(self) -> int | None:
        """The chosen category's number; text that names none raises ValidationError for the EIA category."""
        text = self.currentText().strip()
        if not text:
            return None
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return self.itemData(index)
        try:
            return eia_categories.parse_category(text).number
        except ValueError as error:
            raise ValidationError(_("EIA category"), str(error)) from None


class RegisterDialog(QDialog):
    """A new project (received, or still being prepared), or the project details of a case (`case` given).

    Every field of ProjectInput; a rule the use case refuses is shown under the form, and the field it names
    is marked, with nothing written."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None, case: Case | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.case = case
        self.setObjectName("approval_project_dialog")
        self.setWindowTitle(_("New project") if case is None else
                            _("Edit project: {number}").format(number=case.number))
        self.changes = Changes()
        self.saved: Case | None = None
        self.builder: Enterprise | None = None

        self.name = QLineEdit()
        self.builder_label = QLabel()
        self.builder_label.setObjectName("builder")
        self.builder_label.setTextFormat(Qt.TextFormat.RichText)
        choose = QPushButton(_("Choose from the register…"))
        choose.setObjectName("choose_builder")
        choose.clicked.connect(self.choose_builder)
        self.contact_person = QLineEdit()
        self.contact_person.setPlaceholderText(_("Contact person"))
        self.contact_phone = QLineEdit()
        self.contact_phone.setPlaceholderText(_("Phone"))
        self.project_code = QLineEdit()
        self.project_code.setPlaceholderText("2026-350100-13-03-000123")
        self.town = QComboBox()
        self.town.addItem(_("(none)"), None)
        for town in reference.list_towns(ws, include_inactive=False):
            self.town.addItem(town.name_zh, town.id)
        self.location = QLineEdit()
        self.nature = _combo(_labelled_choices(Nature))
        self.content_scale = QPlainTextEdit()
        self.content_scale.setTabChangesFocus(True)
        self.content_scale.setFixedHeight(64)
        self.category = CategoryCombo()
        self.industry_code = QLineEdit()
        self.industry_code.setPlaceholderText("C1320")
        self.total_investment = QLineEdit()
        self.env_investment = QLineEdit()
        self.sensitive_area = QCheckBox(_("Involves an environmentally sensitive area"))
        self.planned_start = date_editor(None, optional=True)
        self.key_project = QCheckBox(_("Key project"))
        self.document_type = _combo(_labelled_choices(DocumentType))
        self.track = _combo(_labelled_choices(Track))
        self.level = _combo(_labelled_choices(ApprovalLevel))
        self.preparing_institution = QLineEdit()
        self.handler = _combo(_staff_or_none(ws)())
        self.number = QLineEdit()
        self.number.setPlaceholderText(_("assigned automatically"))
        self.received_choice = QRadioButton(_("Application received on"))
        self.received_choice.setObjectName("stage_received")
        self.received_on = date_editor(_today())
        self.early_choice = QRadioButton(_("Being prepared; early involvement from"))
        self.early_choice.setObjectName("stage_early")
        self.early_on = date_editor(_today())
        self.received_choice.setChecked(True)
        self.received_choice.toggled.connect(self._stage_changed)
        self.error = error_label()
        self.marked: QWidget | None = None  # the row label of the field the last error named
        for key, widget in self._named().items():
            widget.setObjectName(key)

        project = QFormLayout()
        builder_row = QHBoxLayout()
        builder_row.addWidget(self.builder_label, 1)
        builder_row.addWidget(choose)
        contact = QHBoxLayout()
        contact.addWidget(self.contact_person, 1)
        contact.addWidget(self.contact_phone, 1)
        investment = QHBoxLayout()
        investment.addWidget(self.total_investment, 1)
        investment.addWidget(QLabel(_("of which environmental")))
        investment.addWidget(self.env_investment, 1)
        flags = QHBoxLayout()
        flags.addWidget(self.key_project)
        flags.addWidget(self.sensitive_area)
        flags.addStretch(1)
        self._rows: dict[str, QWidget] = {}
        for msgid, widget, shown in (
                (N_("Project"), self.name, N_("Project name")),
                (N_("Builder"), builder_row, None),
                (N_("Contact person"), contact, N_("Contact person and phone")),
                (N_("Investment project code"), self.project_code, None),
                (N_("Town"), self.town, None),
                (N_("Location"), self.location, N_("Construction site")),
                (N_("Nature"), self.nature, None),
                (N_("Construction content and scale"), self.content_scale, None),
                (N_("EIA category"), self.category, None),
                (N_("Industry code"), self.industry_code, N_("National-economy industry code")),
                (N_("Total investment"), investment, N_("Total investment (10,000 yuan)")),
                (N_("Planned start"), self.planned_start, None),
                (N_("Flags"), flags, None)):
            self._add_row(project, msgid, widget, shown)
        application = QFormLayout()
        for msgid, widget, shown in (
                (N_("Document type"), self.document_type, None),
                (N_("Track"), self.track, N_("Approval track")),
                (N_("Approval level"), self.level, None),
                (N_("Preparing institution"), self.preparing_institution, N_("EIA preparing institution")),
                (N_("Handler"), self.handler, None)):
            self._add_row(application, msgid, widget, shown)
        if case is None:
            self._add_row(application, N_("No."), self.number, N_("Case No."))
            stage = QGroupBox(_("Stage"))
            stage_form = QFormLayout(stage)
            stage_form.addRow(self.received_choice, self.received_on)
            stage_form.addRow(self.early_choice, self.early_on)
            self._rows[N_("Received")] = self.received_choice
            self._rows[N_("Early involvement")] = self.early_choice
        # Errors about the second editor of a shared row name that row.
        self._rows[N_("Contact phone")] = self._rows[N_("Contact person")]
        self._rows[N_("Environmental investment")] = self._rows[N_("Total investment")]
        project_box = QGroupBox(_("Project"))
        project_box.setLayout(project)
        application_box = QGroupBox(_("Application"))
        right = QVBoxLayout()
        application_box.setLayout(application)
        right.addWidget(application_box)
        if case is None:
            right.addWidget(stage)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(project_box, 3)
        body.addLayout(right, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._set_builder(None)
        if case is not None:
            self._load(case)
        self._opened = asdict(self.data())  # to compare with what is saved, should someone else save first
        self._guard = ConflictGuard(self, self._labels(), self._shown)
        self._stage_changed()
        self.resize(max(1000, self.sizeHint().width()), self.sizeHint().height())

    def _named(self) -> dict[str, QWidget]:
        return {"name": self.name, "contact_person": self.contact_person, "contact_phone": self.contact_phone,
                "project_code": self.project_code, "town": self.town, "location": self.location,
                "nature": self.nature, "content_scale": self.content_scale, "category": self.category,
                "industry_code": self.industry_code, "total_investment": self.total_investment,
                "env_investment": self.env_investment, "sensitive_area": self.sensitive_area,
                "planned_start": self.planned_start, "key_project": self.key_project,
                "document_type": self.document_type, "track": self.track, "level": self.level,
                "preparing_institution": self.preparing_institution, "handler": self.handler, "number": self.number,
                "received_on": self.received_on, "early_involvement_on": self.early_on}

    def _add_row(self, form: QFormLayout, msgid: str, widget, shown: str | None) -> None:
        label = QLabel(_(shown or msgid))
        if isinstance(widget, QWidget):
            form.addRow(label, widget)
            label.setBuddy(widget)
        else:
            form.addRow(label, widget)
        self._rows[msgid] = label

    def _stage_changed(self) -> None:
        self.received_on.setEnabled(self.received_choice.isChecked())
        self.early_on.setEnabled(self.early_choice.isChecked())

    def _set_builder(self, enterprise: Enterprise | None) -> None:
        self.builder = enterprise
        if enterprise is None:
            self.builder_label.setText(_("(none chosen)"))
            return
        # Two fixed lines (no word wrap, which a form row does not grow for): the name, then the credit code.
        code = f"<br><span style='color:#555'>{html.escape(enterprise.credit_code)}</span>" \
            if enterprise.credit_code else ""
        self.builder_label.setText(html.escape(enterprise.name_zh) + code)
        if not self.contact_person.text() and not self.contact_phone.text():
            self.contact_person.setText(enterprise.contact_person)
            self.contact_phone.setText(enterprise.contact_phone)
        if self.town.currentData() is None and enterprise.town_id is not None:
            index = self.town.findData(enterprise.town_id)
            if index >= 0:
                self.town.setCurrentIndex(index)

    def choose_builder(self) -> None:
        from envdesk.ui.twinning.enterprises import EnterprisesDialog

        dialog = EnterprisesDialog(self.ws, self, choose=True)
        dialog.changed.connect(self._enterprises_changed)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.picked is not None:
            self._set_builder(dialog.picked)

    def _enterprises_changed(self, changes: Changes) -> None:
        # An enterprise added or corrected while choosing is broadcast even if the project is not saved.
        self.changes = self.changes | changes

    def _load(self, case: Case) -> None:
        from envdesk.app import enterprises

        self.name.setText(case.name)
        self._set_builder(enterprises.get_enterprise(self.ws, case.builder_id))
        self.contact_person.setText(case.contact_person)
        self.contact_phone.setText(case.contact_phone)
        self.project_code.setText(case.project_code)
        _choose(self.town, case.town_id)
        self.location.setText(case.location)
        _choose(self.nature, case.nature.value)
        self.content_scale.setPlainText(case.content_scale)
        self.category.set_value(case.category)
        self.industry_code.setText(case.industry_code)
        self.total_investment.setText("" if case.total_investment is None else str(case.total_investment))
        self.env_investment.setText("" if case.env_investment is None else str(case.env_investment))
        self.sensitive_area.setChecked(case.sensitive_area)
        self.planned_start.setDate(case.planned_start or self.planned_start.minimumDate())  # minimum: none
        self.key_project.setChecked(case.key_project)
        _choose(self.document_type, case.document_type.value)
        _choose(self.track, case.track.value)
        _choose(self.level, case.level.value)
        self.preparing_institution.setText(case.preparing_institution)
        _choose(self.handler, case.handler_id)

    def data(self) -> ProjectInput:
        return ProjectInput(
            name=self.name.text(), builder_id=self.builder.id if self.builder else None,
            document_type=self.document_type.currentData(), track=self.track.currentData(),
            level=self.level.currentData(), nature=self.nature.currentData(),
            contact_person=self.contact_person.text(), contact_phone=self.contact_phone.text(),
            project_code=self.project_code.text(), location=self.location.text(), town_id=self.town.currentData(),
            content_scale=self.content_scale.toPlainText(), category=self.category.value(),
            industry_code=self.industry_code.text(), total_investment=self.total_investment.text(),
            env_investment=self.env_investment.text(), sensitive_area=self.sensitive_area.isChecked(),
            planned_start=date_value(self.planned_start), key_project=self.key_project.isChecked(),
            preparing_institution=self.preparing_institution.text(), handler_id=self.handler.currentData())

    def _mark(self, field: str | None) -> None:
        """The row the error names turns red; the others back to normal."""
        marked = next((label for msgid, label in self._rows.items() if field and _(msgid) == field), None)
        for label in self._rows.values():
            label.setStyleSheet("color: #b00020; font-weight: bold;" if label is marked else "")
        if marked is not None:
            buddy = marked.buddy() if isinstance(marked, QLabel) else marked
            (buddy or marked).setFocus()
        self.marked = marked

    def accept(self) -> None:
        try:
            data = self.data()
            if self.case is None:
                received = self.received_on.date().toPython() if self.received_choice.isChecked() else None
                early = self.early_on.date().toPython() if self.early_choice.isChecked() else None
                self.saved, changes = approvals.register(self.ws, data, received_on=received,
                                                         early_involvement_on=early, number=self.number.text())
            else:
                outcome = self._guard.save(
                    lambda merged: approvals.update_project(
                        self.ws, self.case.id, ProjectInput(**merged) if merged is not None else data,
                        expected_version=self.case.version),
                    opened=self._opened, mine=asdict(data),
                    current=lambda: asdict(_input_of(approvals.get_case(self.ws, self.case.id))))
                if outcome.resolution is Resolution.RELOAD:
                    self.case = approvals.get_case(self.ws, self.case.id)
                    self._load(self.case)
                    self._opened = asdict(self.data())
                    self.error.setText(_("Reloaded: the form shows the record as saved now."))
                    return
                if not outcome.saved:
                    return
                self.saved, changes = outcome.result
        except AppError as error:
            self.error.setText(str(error))
            self._mark(getattr(error, "field", None))
            return
        self.changes = self.changes | changes
        super().accept()

    def _labels(self) -> dict[str, str]:
        """The project's fields by their labels in this form, for the conflict dialog."""
        named = self._named()
        texts = {label.buddy(): label.text() for label in self._rows.values()
                 if isinstance(label, QLabel) and label.buddy() is not None}
        result = {"builder_id": _("Builder")}
        for key in ProjectInput.__dataclass_fields__:
            widget = named.get(key, named.get(key.removesuffix("_id")))
            if widget in texts:
                result[key] = texts[widget]
        return result

    def _shown(self, key: str, value: Any) -> str:
        from envdesk.app import enterprises

        widget = self._named().get(key, self._named().get(key.removesuffix("_id")))
        if key == "builder_id" and value is not None:
            return enterprises.get_enterprise(self.ws, value).name_zh
        if isinstance(widget, QComboBox) and widget.findData(value) >= 0:
            return widget.itemText(widget.findData(value))
        if key == "category" and value is not None:
            return self.category.itemText(self.category.findData(value)) or str(value)
        return plain_value(value)


def _input_of(case: Case) -> ProjectInput:
    """A stored case as the project form reads it back (amounts as typed text)."""
    return ProjectInput(
        name=case.name, builder_id=case.builder_id, document_type=case.document_type.value, track=case.track.value,
        level=case.level.value, nature=case.nature.value, contact_person=case.contact_person,
        contact_phone=case.contact_phone, project_code=case.project_code, location=case.location,
        town_id=case.town_id, content_scale=case.content_scale, category=case.category,
        industry_code=case.industry_code,
        total_investment="" if case.total_investment is None else str(case.total_investment),
        env_investment="" if case.env_investment is None else str(case.env_investment),
        sensitive_area=case.sensitive_area, planned_start=case.planned_start, key_project=case.key_project,
        preparing_institution=case.preparing_institution, handler_id=case.handler_id)


def _combo(choices) -> QComboBox:
    combo = QComboBox()
    for text, value in choices:
        combo.addItem(text, value)
    return combo


def _choose(combo: QComboBox, value: Any) -> None:
    """Show `value`; one the combo does not list (none, a cleared field) shows its first entry, "(none)"."""
    index = combo.findData(value) if value is not None else -1
    combo.setCurrentIndex(max(index, 0))


class MissingMaterialsDialog(QDialog):
    """The one-time notification (一次性告知): every missing item at once, one per line of the list."""

    def __init__(self, ws: Workspace, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.case = case
        self.setObjectName("missing_materials_dialog")
        self.setWindowTitle(_("One-time notification of missing materials: {number}").format(number=case.number))
        self.changes = Changes()
        self.on = date_editor(_today())
        self.on.setObjectName("notified_on")
        self.actor = _combo(_staff_or_none(ws)())
        self.actor.setObjectName("actor")
        _choose(self.actor, case.handler_id)
        self.items = QListWidget()
        self.items.setObjectName("missing_items")
        for text in case.missing_items:
            self._add(text)
        add = QPushButton(_("Add an item"))
        add.setObjectName("add_item")
        add.clicked.connect(lambda: self.add_item())
        remove = QPushButton(_("Remove"))
        remove.setObjectName("remove_item")
        remove.clicked.connect(self.remove_item)
        hint = QLabel(_("List everything that is missing at once: the law allows one notification "
                        "(Administrative Licensing Law, art. 32). Double-click an item to change it."))
        hint.setWordWrap(True)
        self.error = error_label()
        self.saved: Case | None = None
        form = QFormLayout()
        form.addRow(_("Notified"), self.on)
        form.addRow(_("By"), self.actor)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(add)
        list_buttons.addWidget(remove)
        list_buttons.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("Missing materials")))
        layout.addWidget(self.items)
        layout.addLayout(list_buttons)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, 460)

    def _add(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.items.addItem(item)
        return item

    def add_item(self, text: str = "") -> None:
        item = self._add(text)
        self.items.setCurrentItem(item)
        if not text:
            self.items.editItem(item)

    def remove_item(self) -> None:
        for item in self.items.selectedItems():
            self.items.takeItem(self.items.row(item))

    def listed(self) -> list[str]:
        return [self.items.item(i).text() for i in range(self.items.count())]

    def accept(self) -> None:
        accept_saving(self, lambda: approvals.request_materials(
            self.ws, self.case.id, self.on.date().toPython(), self.listed(), self.actor.currentData(),
            expected_version=self.case.version))


# --- the other steps, each a form that asks for what its step needs -------------------------------

def _by(ws: Workspace, case: Case) -> Field:
    return Field("actor_id", N_("By"), "choice", _staff_or_none(ws), default=case.handler_id)


def _title(template: str, case: Case) -> str:
    return _(template).format(number=case.number)


def receive(parent, ws: Workspace, case: Case) -> Changes:
    fields = [Field("on", N_("Received"), "date", default=_today()), _by(ws, case)]
    return _run(RecordForm(_title(N_("Application received: {number}"), case), fields, {}, lambda v:
                           approvals.receive(ws, case.id, v["on"], v["actor_id"],
                                             expected_version=case.version)[1], parent))


def request_materials(parent, ws: Workspace, case: Case) -> Changes:
    dialog = MissingMaterialsDialog(ws, case, parent)
    dialog.exec()
    return dialog.changes  # nothing, unless saved, or reloaded after someone else's change


def accept(parent, ws: Workspace, case: Case) -> Changes:
    fields = [Field("on", N_("Accepted"), "date", default=_today()), _by(ws, case)]
    return _run(RecordForm(_title(N_("Accept for review: {number}"), case), fields, {}, lambda v:
                           approvals.accept(ws, case.id, v["on"], v["actor_id"],
                                            expected_version=case.version)[1], parent))


def pause(parent, ws: Workspace, case: Case) -> Changes:
    fields = [Field("kind", N_("Pause"), "choice", lambda: _labelled_choices(PauseKind)),
              Field("start", N_("Paused from"), "date", default=_today()),
              Field("reason", N_("Reason (the applicant is told it in writing)"), "multiline"), _by(ws, case)]
    return _run(RecordForm(_title(N_("Pause the clocks: {number}"), case), fields, {}, lambda v:
                           approvals.pause(ws, case.id, v["kind"], v["start"], v["reason"], v["actor_id"],
                                           expected_version=case.version)[1], parent))


def _open_pause(case: Case) -> PauseRecord | None:
    return next((p for p in case.pauses if p.end is None), None)


def resume(parent, ws: Workspace, case: Case) -> Changes:
    current = _open_pause(case)
    yesterday = _today() - timedelta(days=1)
    default = max(current.start, yesterday) if current else yesterday
    fields = [Field("last", N_("Paused until (the last day the clocks stood still)"), "date", default=default),
              _by(ws, case)]
    return _run(RecordForm(_title(N_("Resume the clocks: {number}"), case), fields, {}, lambda v:
                           approvals.resume(ws, case.id, v["last"], v["actor_id"],
                                            expected_version=case.version)[1], parent))


def correct_pause(parent, ws: Workspace, case: Case, pause_id: int | None = None) -> Changes:
    target = next((p for p in case.pauses if p.id == pause_id), None) if pause_id is not None else \
        (case.pauses[-1] if case.pauses else None)
    if target is None:
        return Changes()
    fields = [Field("kind", N_("Pause"), "choice", lambda: _labelled_choices(PauseKind), default=target.kind.value),
              Field("start", N_("Paused from"), "date", default=target.start),
              Field("end", N_("Paused until"), "optional_date", default=target.end),
              Field("reason", N_("Reason"), "multiline", default=target.reason), _by(ws, case)]
    return _run(RecordForm(_title(N_("Correct a pause: {number}"), case), fields, {}, lambda v:
                           approvals.correct_pause(ws, case.id, target.id, v["kind"], v["start"], v["end"],
                                                   v["reason"], v["actor_id"],
                                                   expected_version=case.version)[1], parent,
                           reapply=False))  # the pause's own fields: saving them again would undo the other's


def decide(parent, ws: Workspace, case: Case) -> Changes:
    fields = [Field("outcome", N_("Decision"), "choice", lambda: _labelled_choices(Outcome)),
              Field("on", N_("Decided"), "date", default=_today()),
              Field("number", N_("Approval No."), default=case.document_number),
              Field("note", N_("Note"), "multiline", default=case.decision_note), _by(ws, case)]
    return _run(RecordForm(_title(N_("Decision: {number}"), case), fields, {}, lambda v:
                           approvals.decide(ws, case.id, v["outcome"], v["on"], v["number"], v["note"],
                                            v["actor_id"], expected_version=case.version)[1], parent))


def file_registration(parent, ws: Workspace, case: Case) -> Changes:
    fields = [Field("on", N_("Filed"), "date", default=case.received_on or _today()),
              Field("number", N_("Filing No. (optional)")), _by(ws, case)]
    return _run(RecordForm(_title(N_("File the registration form: {number}"), case), fields, {}, lambda v:
                           approvals.file_registration(ws, case.id, v["on"], v["number"], v["actor_id"],
                                                       expected_version=case.version)[1], parent))


def withdraw(parent, ws: Workspace, case: Case) -> Changes:
    fields = [Field("on", N_("Withdrawn"), "date", default=_today()),
              Field("reason", N_("Reason"), "multiline"), _by(ws, case)]
    return _run(RecordForm(_title(N_("Withdraw: {number}"), case), fields, {}, lambda v:
                           approvals.withdraw(ws, case.id, v["on"], v["reason"], v["actor_id"],
                                              expected_version=case.version)[1], parent))


def edit_project(parent, ws: Workspace, case: Case) -> Changes:
    dialog = RegisterDialog(ws, parent, case)
    return dialog.changes if dialog.exec() == QDialog.DialogCode.Accepted else Changes()
