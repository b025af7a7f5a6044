"""A list of reference records with Add / Edit / Delete, and the form that edits one record."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from envdesk.app import access
from envdesk.app.changes import EVERYTHING, Changes
from envdesk.app.errors import AppError, NotFound
from envdesk.app.workspace import Workspace
from envdesk.domain.users import Permission
from envdesk.i18n import _
from envdesk.ui.dialogs.conflict import ConflictGuard, Resolution, plain_value
from envdesk.ui.table_model import Column, RecordTableModel
from envdesk.ui.tabs.base import allow
from envdesk.ui.widgets import error_label


@dataclass(frozen=True)
class Field:
    key: str
    label: str                      # N_-marked
    kind: str = "text"              # text | int | bool | choice | choices | date | optional_date | multiline
    choices: Callable[[], Sequence[tuple[str, Any]]] | None = None  # (shown text, value)
    default: Any = None


# An optional date shows as "—" at the minimum date (QDateEdit has no empty state of its own).
_NO_DATE = date(1900, 1, 1)


class ChoiceList(QListWidget):
    """Several choices ticked at once (an enterprise's types)."""

    def __init__(self, choices: Sequence[tuple[str, Any]], chosen: Sequence[Any]) -> None:
        super().__init__()
        for text, data in choices:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, data)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if data in chosen else Qt.CheckState.Unchecked)
            self.addItem(item)
        self.setMaximumHeight(self.sizeHintForRow(0) * min(len(choices), 6) + 6)

    def chosen(self) -> tuple[Any, ...]:
        return tuple(self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                     if self.item(i).checkState() == Qt.CheckState.Checked)


def date_editor(value: date | None, optional: bool = False) -> QDateEdit:
    editor = QDateEdit()
    editor.setCalendarPopup(True)
    editor.setDisplayFormat("yyyy-MM-dd")
    if optional:
        editor.setMinimumDate(_NO_DATE)
        editor.setSpecialValueText("—")
    editor.setDate(value or (_NO_DATE if optional else date.today()))
    return editor


def date_value(editor: QDateEdit) -> date | None:
    value = editor.date().toPython()
    return None if value == _NO_DATE else value


def _read(editor: QWidget) -> Any:
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QSpinBox):
        return editor.value()
    if isinstance(editor, QComboBox):
        return editor.currentData()
    if isinstance(editor, QDateEdit):
        return date_value(editor)
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    if isinstance(editor, ChoiceList):
        return editor.chosen()
    return editor.text()


@dataclass(frozen=True)
class Exchange:
    """How a page's records move in and out of spreadsheets."""

    layout: Any  # envdesk.exchange.Layout
    apply: Callable[[list[tuple[int, dict[str, Any]]], bool], Any]  # the import use case
    rows: Callable[[], Sequence[dict[str, Any]]]                   # the export rows
    register: str = ""  # its `envdesk import/export` name, for the audit trail


class RecordForm(QDialog):
    """Edits one record; the save callback runs the use case and raises AppError for bad input."""

    def __init__(self, title: str, fields: Sequence[Field], values: dict[str, Any],
                 save: Callable[[dict[str, Any]], Changes], parent: QWidget | None = None, *,
                 current: Callable[[], dict[str, Any]] | None = None, reapply: bool = True) -> None:
        """`current`, for a form that edits a stored record, reads the record's values as saved now: when
        someone else saved it first, the user sees which fields differ and can re-apply over them. A form of the
        record's fields without `current` passes `reapply=False` (it cannot merge); a step's form keeps it."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("record_form")
        self._fields = fields
        self._save = save
        self._current = current
        self.changes = Changes()
        self.editors: dict[str, QWidget] = {}
        self._form = form = QFormLayout()
        for field in fields:
            editor = self._editor(field, values.get(field.key, field.default))
            editor.setObjectName(f"field_{field.key}")
            self.editors[field.key] = editor
            form.addRow(_(field.label), editor)
        self._guard = ConflictGuard(self, {field.key: _(field.label) for field in fields}, self._shown, reapply)
        self._opened = self.values()  # as the editors show them, to compare with what is saved later
        self.error = error_label("form_error")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _editor(self, field: Field, value: Any) -> QWidget:
        if field.kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if field.kind == "int":
            spin = QSpinBox()
            spin.setRange(-1_000_000, 1_000_000)
            spin.setValue(int(value or 0))
            return spin
        if field.kind == "choice":
            combo = QComboBox()
            for text, data in field.choices() if field.choices else ():
                combo.addItem(text, data)
            found = combo.findData(value)
            combo.setCurrentIndex(found if found >= 0 else 0)
            return combo
        if field.kind in ("date", "optional_date"):
            return date_editor(value, optional=field.kind == "optional_date")
        if field.kind == "multiline":
            text = QPlainTextEdit("\n".join(value) if isinstance(value, (list, tuple)) else (value or ""))
            text.setTabChangesFocus(True)
            text.setMinimumHeight(80)
            return text
        if field.kind == "choices":
            return ChoiceList(field.choices() if field.choices else (), value or ())
        line = QLineEdit("" if value is None else str(value))
        return line

    def values(self) -> dict[str, Any]:
        return {key: _read(editor) for key, editor in self.editors.items()}

    def as_shown(self, values: dict[str, Any]) -> dict[str, Any]:
        """Values as this form's editors would show and return them (a list of lines as text, None as "")."""
        return {field.key: _read(self._editor(field, values.get(field.key, field.default))) for field in self._fields}

    def set_values(self, values: dict[str, Any]) -> None:
        for field in self._fields:
            old = self.editors[field.key]
            editor = self._editor(field, values.get(field.key, field.default))
            editor.setObjectName(old.objectName())
            self._form.replaceWidget(old, editor)
            old.setParent(None)
            old.deleteLater()
            self.editors[field.key] = editor

    def _merged(self, merged: dict[str, Any]) -> dict[str, Any]:
        """Re-applying: the form shows what is saved, so that a refusal leaves the user looking at it."""
        self.set_values(dict(merged))
        return self.values()

    def _shown(self, key: str, value: Any) -> str:
        """A value in the conflict dialog as the form shows it (a choice by its text)."""
        field = next((f for f in self._fields if f.key == key), None)
        if field is not None and field.kind in ("choice", "choices") and field.choices:
            names = {data: text for text, data in field.choices()}
            chosen = value if isinstance(value, (list, tuple)) else [value]
            return "、".join(str(names.get(item, item)) for item in chosen if item not in (None, "")) or "—"
        return plain_value(value)

    def accept(self) -> None:
        mine = self.values()
        current = (lambda: self.as_shown(self._current())) if self._current else None
        try:
            outcome = self._guard.save(lambda merged: self._save(self._merged(merged) if merged is not None else mine),
                                       opened=self._opened, mine=mine, current=current)
        except AppError as error:
            self.error.setText(str(error))
            return
        if outcome.saved:
            self.changes = outcome.result
            super().accept()
        elif outcome.resolution is Resolution.RELOAD:
            if outcome.theirs is None:  # a step: close, and the window shows the record as saved now
                self.changes = Changes.of(EVERYTHING)
                super().accept()
                return
            self.set_values(dict(outcome.theirs))
            self._opened = self.values()
            self.error.setText(_("Reloaded: the form shows the record as saved now."))


class RecordPage(QWidget):
    """A table of records of one kind, with buttons that open RecordForm or delete. With `ws` and `permission`,
    adding, editing, deleting and importing are offered only to a user holding the permission (exporting to
    everyone), and imports and exports are recorded in the audit trail."""

    changed = Signal(object)

    def __init__(self, name: str, noun: str, columns: Sequence[Column], load: Callable[[], list],
                 fields: Sequence[Field], values_of: Callable[[Any], dict[str, Any]],
                 save: Callable[[Any | None, dict[str, Any]], Changes], delete: Callable[[Any], Changes],
                 exchange: Exchange | None = None, parent: QWidget | None = None, *,
                 ws: Workspace | None = None, permission: Permission | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"page_{name}")
        self.ws = ws
        self._permission = permission
        self._noun = noun
        self._load = load
        self._fields = fields
        self._values_of = values_of
        self._save = save
        self._delete = delete
        self.model = RecordTableModel(columns, self)
        self.table = QTableView()
        self.table.setObjectName(f"table_{name}")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(lambda _index: self.edit())
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_button")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("edit_button")
        self.edit_button.clicked.connect(self.edit)
        self.delete_button = QPushButton()
        self.delete_button.setObjectName("delete_button")
        self.delete_button.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self._exchange = exchange
        self.import_button = QPushButton()
        self.import_button.setObjectName("import_button")
        self.import_button.clicked.connect(lambda: self.import_file())
        self.export_button = QPushButton()
        self.export_button.setObjectName("export_button")
        self.export_button.clicked.connect(lambda: self.export_file())
        if exchange is not None:
            buttons.addWidget(self.import_button)
            buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.reload()
        self.retranslate_ui()

    def may_edit(self) -> bool:
        return self.ws is None or self._permission is None or access.can(self.ws, self._permission)

    def apply_permissions(self) -> None:
        if self.ws is None or self._permission is None:
            return
        for button in (self.add_button, self.edit_button, self.delete_button, self.import_button):
            allow(button, self.ws, self._permission)

    def retranslate_ui(self) -> None:
        self.add_button.setText(_("Add…"))
        self.edit_button.setText(_("Edit…"))
        self.delete_button.setText(_("Delete"))
        self.import_button.setText(_("Import…"))
        self.export_button.setText(_("Export…"))
        self.model.retranslate()
        self.table.resizeColumnsToContents()
        self.apply_permissions()

    def reload(self) -> None:
        self.model.set_rows(self._load())
        self.table.resizeColumnsToContents()

    def selected(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_value(rows[0].row()) if rows else None

    def add(self) -> None:
        self._open(None)

    def _stored(self, record: Any) -> Any:
        """The record as saved now."""
        stored = next((row for row in self._load() if getattr(row, "id", None) == record.id), None)
        if stored is None:
            raise NotFound(_("It no longer exists (it was deleted by someone else)."))
        return stored

    def edit(self) -> None:
        record = self.selected()
        if record is not None and self.may_edit():  # a double-click of a reader opens nothing
            self._open(record)

    def _open(self, record: Any | None) -> None:
        title = _("New {noun}").format(noun=_(self._noun)) if record is None else \
            _("Edit {noun}").format(noun=_(self._noun))
        form = RecordForm(title, self._fields, self._values_of(record) if record else {},
                          lambda values: self._save(record, values), self,
                          current=(lambda: self._values_of(self._stored(record))) if record is not None else None)
        accepted = form.exec() == QDialog.DialogCode.Accepted
        self.reload()
        if accepted:
            self.changed.emit(form.changes)

    def import_file(self, path: str | None = None) -> None:
        from envdesk.ui.dialogs.exchange import import_spreadsheet

        assert self._exchange is not None
        changes = import_spreadsheet(self, self._exchange.layout, self._exchange.apply, path,
                                     register=self._exchange.register)
        self.reload()
        if changes:
            self.changed.emit(changes)

    def export_file(self, path: str | None = None) -> str | None:
        from envdesk.ui.dialogs.exchange import export_spreadsheet

        assert self._exchange is not None
        return export_spreadsheet(self, self._exchange.layout, self._exchange.rows, path,
                                  register=self._exchange.register)

    def remove(self) -> None:
        record = self.selected()
        if record is None:
            return
        answer = QMessageBox.question(self, _("Delete"), _("Delete this {noun}?").format(noun=_(self._noun)))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            changes = self._delete(record)
        except (AppError, NotFound) as error:
            QMessageBox.warning(self, _("Cannot delete"), str(error))
            self.reload()
            return
        self.reload()
        self.changed.emit(changes)
