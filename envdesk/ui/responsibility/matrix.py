"""The task table's model, edited in place through an undo stack, and the department × task / leader × task matrix."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QIcon,
    QPainter,
    QPixmap,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from envdesk.app import responsibility
from envdesk.app.errors import AppError, ConflictError, ValidationError
from envdesk.app.responsibility import Matrix, Task
from envdesk.app.workspace import Workspace
from envdesk.domain.responsibility import Card, Role, TaskStatus
from envdesk.i18n import N_, _, format_date
from envdesk.ui.dialogs.record_editor import date_editor, date_value
from envdesk.ui.table_model import Column, RecordTableModel, ValueRole

CARD_COLOURS = {Card.BLUE: QColor("#1565c0"), Card.YELLOW: QColor("#f2b600"), Card.RED: QColor("#c62828")}
OVERDUE_TEXT = QColor("#b00020")
LEAD_MARK, ASSISTING_MARK = "●", "○"
_ROOT = QModelIndex()  # the invisible root: the matrix is a flat table


def _date(value: date | None) -> str:
    return format_date(value, "short") if value else ""


def _joined(values) -> str:
    return "、".join(v for v in values if v)


# Columns of the task table, in the order the bureau's attachments have them, then what the office tracks.
COLUMNS: tuple[Column[Task], ...] = (
    Column(N_("No."), lambda t: t.number),
    Column(N_("Section"), lambda t: t.section, tooltip=lambda t: t.section),
    Column(N_("Task"), lambda t: t.content.replace("\n", " "), tooltip=lambda t: t.content),
    Column(N_("Responsible department"), lambda t: t.lead_department),
    Column(N_("Assisting departments"), lambda t: _joined(t.assisting_departments),
           tooltip=lambda t: _joined(t.assisting_departments)),
    Column(N_("Responsible leader"), lambda t: t.leader),
    Column(N_("Responsible persons"), lambda t: _joined(t.persons), tooltip=lambda t: _joined(t.persons)),
    Column(N_("Deadline"), lambda t: _date(t.deadline)),
    Column(N_("Status"), lambda t: t.status.label),
    Column(N_("Progress (%)"), lambda t: f"{t.progress} %", align=Qt.AlignmentFlag.AlignCenter),
    Column(N_("Warning card"), lambda t: t.card.label if t.card else "", tooltip=lambda t: t.card.label if t.card else ""),
    Column(N_("Remarks"), lambda t: t.remarks.replace("\n", " "), tooltip=lambda t: t.remarks),
)
NUMBER, SECTION, CONTENT, LEAD, ASSISTING, LEADER, PERSONS, DEADLINE, STATUS, PROGRESS, CARD, REMARKS = range(12)
# The cells edited in place, and the TaskInput field each one is.
EDITABLE = {NUMBER: "number", SECTION: "section", CONTENT: "content", DEADLINE: "deadline", PROGRESS: "progress",
            REMARKS: "remarks"}
FIELD_LABELS = {"number": N_("No."), "section": N_("Section"), "content": N_("Task"), "deadline": N_("Deadline"),
                "progress": N_("Progress"), "remarks": N_("Remarks")}

_icons: dict[Card, QIcon] = {}


def card_icon(card: Card) -> QIcon:
    """A small coloured card, as a referee shows one."""
    if card not in _icons:
        pixmap = QPixmap(12, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(CARD_COLOURS[card].darker(130))
        painter.setBrush(CARD_COLOURS[card])
        painter.drawRoundedRect(QRect(0, 0, 11, 15), 2, 2)
        painter.end()
        _icons[card] = QIcon(pixmap)
    return _icons[card]


def field_value(task: Task, field: str) -> Any:
    """A task's stored value of one TaskInput field."""
    return task.stored_status.value if field == "status" else getattr(task, field)


def parse_cell(field: str, value: Any) -> Any:
    """What a cell editor (or a paste) gives, as the value the use case takes; bad text names the column."""
    if field == "deadline":
        if value is None or isinstance(value, date):
            return value
        if isinstance(value, QDate):
            return value.toPython() if value.isValid() else None
        text = str(value).strip()
        if text in ("", "—"):
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValidationError(_("Deadline"), _("“{value}” is not a date (YYYY-MM-DD)").format(value=text)) from None
    if field == "progress":
        text = str(value).replace("%", "").strip()
        try:
            return int(text)
        except ValueError:
            raise ValidationError(_("Progress"), _("“{value}” is not a whole number from 0 to 100").format(
                value=text)) from None
    return "" if value is None else str(value)


# --- editing with undo ----------------------------------------------------------------------------

class TaskEdits(QObject):
    """In-place edits of tasks, each one a command on an undo stack. Every write (the edit, its undo, its redo)
    goes through app.responsibility.save_task, and only when the cell still holds what this stack last wrote
    there: an undo never overwrites what someone else has saved since."""

    saved = Signal(object, object)   # the Task as stored, and the Changes to broadcast
    failed = Signal(str, str)        # title and message of a refused write

    def __init__(self, ws: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.stack = QUndoStack(self)
        self.stack.setObjectName("task_undo_stack")

    def edit(self, task: Task, field: str, value: Any) -> bool:
        """Save one changed cell and put it on the undo stack; False (with `failed` emitted) when refused."""
        try:
            new = parse_cell(field, value)
        except ValidationError as error:
            self.failed.emit(_("The change was not saved"), self._about(task, str(error)))
            return False
        before = {field: field_value(task, field)}
        after = {field: new}
        if field == "progress":
            # The status follows the progress as the use case has it; undo puts both back as they were.
            before["status"] = task.stored_status.value
            after["status"] = _status_for(task.stored_status, new)
        if after == before:
            return False
        try:
            saved = self.write(task.plan_id, task.id, before, after)
        except AppError as error:
            self.failed.emit(_("The change was not saved"), self._about(task, str(error)))
            return False
        self.stack.push(EditTask(self, task, field, before, {key: field_value(saved, key) for key in after}))
        return True

    def write(self, plan_id: int, task_id: int, expect: dict[str, Any], values: dict[str, Any]) -> Task:
        task = responsibility.get_task(self.ws, task_id)
        if any(field_value(task, key) != value for key, value in expect.items()):
            raise ConflictError(_("Task {number} was changed by someone else after you edited it; nothing was "
                                  "overwritten.").format(number=task.number or task.id))
        saved, changes = responsibility.save_task(self.ws, plan_id, task_id, task.input(**values),
                                                  expected_version=task.version)
        self.saved.emit(saved, changes)
        return saved

    @staticmethod
    def _about(task: Task, message: str) -> str:
        if task.number:
            return _("Task {number}: {error}").format(number=task.number, error=message)
        return message


def _status_for(stored: TaskStatus, progress: int) -> str:
    if progress >= 100:
        return TaskStatus.DONE.value
    if stored is TaskStatus.DONE:
        return (TaskStatus.IN_PROGRESS if progress > 0 else TaskStatus.NOT_STARTED).value
    if progress > 0 and stored is TaskStatus.NOT_STARTED:
        return TaskStatus.IN_PROGRESS.value
    return stored.value


class EditTask(QUndoCommand):
    """One cell of one task changed; the first write happened before the command was pushed."""

    def __init__(self, edits: TaskEdits, task: Task, field: str, before: dict[str, Any],
                 after: dict[str, Any]) -> None:
        super().__init__()
        self._edits = edits
        self.plan_id, self.task_id, self.number, self.field = task.plan_id, task.id, task.number, field
        self.before, self.after = before, after
        self._written = True
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(_("edit {column} of task {number}").format(column=_(FIELD_LABELS[self.field]),
                                                                number=self.number or self.task_id))

    def redo(self) -> None:
        if self._written:
            self._written = False
            return
        self._apply(self.before, self.after, _("Cannot redo"))

    def undo(self) -> None:
        self._apply(self.after, self.before, _("Cannot undo"))

    def _apply(self, expect: dict[str, Any], values: dict[str, Any], title: str) -> None:
        try:
            self._edits.write(self.plan_id, self.task_id, expect, values)
        except AppError as error:
            self.setObsolete(True)  # the stack drops it: it can no longer be applied
            self._edits.failed.emit(title, str(error))


# --- the task table -------------------------------------------------------------------------------

class TaskTableModel(RecordTableModel[Task]):
    """The plan's tasks in their order; the text cells, the deadline and the progress are edited in place — by a
    user who may manage plans (`editable`, set by the tab); for anyone else the table is read-only."""

    def __init__(self, edits: TaskEdits, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, parent)
        self._edits = edits
        self.editable = True
        edits.saved.connect(lambda task, _changes: self.replace(task))

    def replace(self, task: Task) -> None:
        for row in range(len(self._rows)):
            if self._rows[row].id == task.id:
                self._rows[row] = task
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                return

    def row_of(self, task_id: int) -> int | None:
        return next((row for row, task in enumerate(self._rows) if task.id == task_id), None)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.editable and index.isValid() and index.column() in EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        task = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.EditRole and column in EDITABLE:
            return field_value(task, EDITABLE[column])
        if role == Qt.ItemDataRole.ForegroundRole and column in (STATUS, DEADLINE) and \
                task.status is TaskStatus.OVERDUE:
            return QBrush(OVERDUE_TEXT)
        if role == Qt.ItemDataRole.DecorationRole and column == CARD and task.card is not None:
            return card_icon(task.card)
        if role == Qt.ItemDataRole.ToolTipRole and self.editable and column in EDITABLE and \
                not super().data(index, role):
            return _("Double-click to edit; Ctrl+Z undoes")
        return super().data(index, role)

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not self.editable or not index.isValid() or role != Qt.ItemDataRole.EditRole or \
                index.column() not in EDITABLE:
            return False
        # The row is replaced through `saved` when the write succeeds; a refused one leaves the cell as it was.
        return self._edits.edit(self._rows[index.row()], EDITABLE[index.column()], value)


class TaskDelegate(QStyledItemDelegate):
    """A date editor (— for no deadline) and a 0–100 % spin box; progress drawn as a bar."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:
        if index.column() == DEADLINE:
            editor = date_editor(index.data(Qt.ItemDataRole.EditRole), optional=True)
            editor.setParent(parent)
            editor.setCalendarPopup(True)
            return editor
        if index.column() == PROGRESS:
            spin = QSpinBox(parent)
            spin.setRange(0, 100)
            spin.setSuffix(" %")
            return spin
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if index.column() == DEADLINE:
            value = index.data(Qt.ItemDataRole.EditRole)
            editor.setDate(value or date(1900, 1, 1))
        elif index.column() == PROGRESS:
            editor.setValue(int(index.data(Qt.ItemDataRole.EditRole) or 0))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractTableModel, index: QModelIndex) -> None:
        if index.column() == DEADLINE:
            model.setData(index, date_value(editor))
        elif index.column() == PROGRESS:
            editor.interpretText()
            model.setData(index, editor.value())
        else:
            super().setModelData(editor, model, index)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        task = index.data(ValueRole)
        if index.column() != PROGRESS or task is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(4, 4, -4, -4)
        bar.minimum, bar.maximum, bar.progress = 0, 100, task.progress
        bar.text = f"{task.progress} %"
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)


class TaskTableView(QTableView):
    """The task table; Edit ▸ Undo and Redo of the main window reach its undo stack while it has the focus."""

    def __init__(self, edits: TaskEdits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._edits = edits

    def undo(self) -> None:
        self._edits.stack.undo()

    def redo(self) -> None:
        self._edits.stack.redo()


# --- the matrix -----------------------------------------------------------------------------------

class MatrixModel(QAbstractTableModel):
    """Rows (departments or leaders) × the tasks by No.: ● leads, ○ assists; the task's text in the tooltip."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.matrix = Matrix((), ())

    def set_matrix(self, matrix: Matrix) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self.endResetModel()

    def retranslate(self) -> None:
        if self.matrix.rows and self.matrix.tasks:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.matrix.tasks) - 1)
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.matrix.rows) - 1,
                                                               len(self.matrix.tasks) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.matrix.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.matrix.tasks)

    def mark(self, row: int, column: int) -> Role | None:
        return self.matrix.mark(self.matrix.rows[row][0], self.matrix.tasks[column].id)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        mark = self.mark(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return {Role.LEAD: LEAD_MARK, Role.ASSISTING: ASSISTING_MARK}.get(mark, "")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            task = self.matrix.tasks[index.column()]
            name = self.matrix.rows[index.row()][1]
            head = f"{name} · {mark.label}" if mark else name
            return f"{head}\n{_task_title(task, index.column())}"
        if role == Qt.ItemDataRole.BackgroundRole and mark is Role.LEAD:
            return QBrush(QColor("#e3edf9"))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.matrix.tasks):
            task = self.matrix.tasks[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return task.number or str(section + 1)
            if role == Qt.ItemDataRole.ToolTipRole:
                return _task_title(task, section)
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.matrix.rows):
            name = self.matrix.rows[section][1]
            if role == Qt.ItemDataRole.DisplayRole:
                return name
            if role == Qt.ItemDataRole.ToolTipRole:
                lead = sum(1 for task in self.matrix.tasks if self.matrix.mark(self.matrix.rows[section][0],
                                                                               task.id) is Role.LEAD)
                assisting = sum(1 for task in self.matrix.tasks if self.matrix.mark(
                    self.matrix.rows[section][0], task.id) is Role.ASSISTING)
                return _("{name}: leads {lead}, assists {assisting}").format(name=name, lead=lead,
                                                                             assisting=assisting)
        return None


def _task_title(task: Task, column: int) -> str:
    number = task.number or str(column + 1)
    deadline = f" ({_date(task.deadline)})" if task.deadline else ""
    return f"{number}. {task.content}{deadline}"

