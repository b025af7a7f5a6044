"""Someone else saved the record first: what they changed, and Reload, Re-apply or back to the form."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from envdesk.app import conflicts
from envdesk.app.changes import EVERYTHING, Changes
from envdesk.app.conflicts import FieldChange
from envdesk.app.errors import AppError, ConflictError
from envdesk.i18n import _
from envdesk.ui.table_model import RecordTableModel, fit_headers
from envdesk.ui.users.history import HISTORY_COLUMNS
from envdesk.ui.widgets import html_text

R = TypeVar("R")
_CLASH = QColor("#fde7e9")


class Resolution(enum.Enum):
    BACK = "back"        # to the form, the input kept
    RELOAD = "reload"    # take the record as saved now; the input is dropped
    REAPPLY = "reapply"  # save the input again over the record as saved now


def plain_value(value: Any) -> str:
    """A stored value as a reader sees it in the conflict dialog."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (list, tuple)):
        return "、".join(str(item) for item in value) or "—"
    return str(value)


class ConflictDialog(QDialog):
    """The refusal, the other users' changes from the audit trail, and the fields that now differ."""

    def __init__(self, error: ConflictError, fields: Sequence[tuple[str, FieldChange]] = (),
                 shown: Callable[[str, Any], str] | None = None, parent: QWidget | None = None,
                 reapply: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_dialog")
        self.error, self.fields, self.reapply = error, list(fields), reapply
        self._shown = shown or (lambda _key, value: plain_value(value))
        self.resolution = Resolution.BACK
        self._heading = QLabel()
        self._heading.setWordWrap(True)
        self._heading.setObjectName("conflict_heading")
        self._changes_label = QLabel()
        self.changes = RecordTableModel(HISTORY_COLUMNS, self)
        self.changes.set_rows(error.changes)
        self.changes_view = QTableView()
        self.changes_view.setObjectName("conflict_changes")
        self.changes_view.setModel(self.changes)
        self.changes_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.changes_view.verticalHeader().setVisible(False)
        self.changes_view.horizontalHeader().setStretchLastSection(True)
        self.changes_view.setWordWrap(False)
        self._fields_label = QLabel()
        self.fields_view = QTableWidget(len(self.fields), 4)
        self.fields_view.setObjectName("conflict_fields")
        self.fields_view.verticalHeader().setVisible(False)
        self.fields_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for row, (label, change) in enumerate(self.fields):
            cells = (label, self._shown(change.key, change.opened), self._shown(change.key, change.theirs),
                     self._shown(change.key, change.mine))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if change.clash:
                    item.setBackground(_CLASH)
                self.fields_view.setItem(row, column, item)
        self._explanation = QLabel()
        self._explanation.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.reload_button = QPushButton()
        self.reload_button.setObjectName("conflict_reload")
        self.reapply_button = QPushButton()
        self.reapply_button.setObjectName("conflict_reapply")
        self.back_button = QPushButton()
        self.back_button.setObjectName("conflict_back")
        self.buttons.addButton(self.reapply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.addButton(self.back_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.reapply_button.clicked.connect(lambda: self._choose(Resolution.REAPPLY))
        self.reload_button.clicked.connect(lambda: self._choose(Resolution.RELOAD))
        self.back_button.clicked.connect(lambda: self._choose(Resolution.BACK))
        layout = QVBoxLayout(self)
        layout.addWidget(self._heading)
        layout.addWidget(self._changes_label)
        layout.addWidget(self.changes_view, 1)
        layout.addWidget(self._fields_label)
        layout.addWidget(self.fields_view, 1)
        layout.addWidget(self._explanation)
        layout.addWidget(self.buttons)
        self.reapply_button.setVisible(reapply)
        self.changes_view.setVisible(bool(error.changes))
        self._fields_label.setVisible(bool(self.fields))
        self.fields_view.setVisible(bool(self.fields))
        self.retranslate_ui()
        self.changes_view.resizeColumnsToContents()
        for column in range(self.changes.columnCount() - 1):
            self.changes_view.setColumnWidth(column, min(self.changes_view.columnWidth(column), 220))
        # Tall enough for the tables it shows; only as tall as its text when it has none.
        self.resize(860, 520 if self.fields else 420 if error.changes else self.sizeHint().height())

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Changed by someone else"))
        self._heading.setText(f"<b>{html_text(str(self.error))}</b>")
        self._changes_label.setText(
            _("What was done to it after you opened it:") if self.error.changes
            else _("The audit trail does not say what was changed."))
        self._fields_label.setText(_("Fields saved differently since you opened the form (both changed: "
                                     "highlighted):"))
        self.fields_view.setHorizontalHeaderLabels(
            [_("Field"), _("When you opened it"), _("Saved now"), _("Yours")])
        self.changes.retranslate()
        fit_headers(self.changes_view)
        self._explanation.setText(
            _("Reload shows the record as it is saved now; then make your change again.") if not self.reapply
            else _("Re-apply saves your changes over the record as it is saved now: the fields you did not change "
                   "keep the other user's values; where you both changed a field, yours is kept. Reload drops your "
                   "changes and shows the record as it is saved now.") if self.fields
            else _("Re-apply does your step again on the record as it is saved now; its rules are checked again. "
                   "Reload drops your input and shows the record as it is saved now."))
        self.reapply_button.setText(_("Re-apply my changes"))
        self.reload_button.setText(_("Reload"))
        self.back_button.setText(_("Back to the form"))

    def _choose(self, resolution: Resolution) -> None:
        self.resolution = resolution
        self.done(QDialog.DialogCode.Accepted if resolution is not Resolution.BACK else QDialog.DialogCode.Rejected)


def ask(parent: QWidget | None, error: ConflictError, fields: Sequence[tuple[str, FieldChange]] = (),
        shown: Callable[[str, Any], str] | None = None, reapply: bool = True) -> Resolution:
    dialog = ConflictDialog(error, fields, shown, parent, reapply)
    dialog.exec()
    return dialog.resolution


@dataclass
class Outcome(Generic[R]):
    resolution: Resolution | None = None  # None: saved
    result: R | None = None
    theirs: Mapping[str, Any] | None = None  # the values saved now, after Reload (when the form can show them)

    @property
    def saved(self) -> bool:
        return self.resolution is None


class ConflictGuard:
    """The saves of one dialog: when someone else saved the record first, asks the user what to do; after
    Reload or Re-apply, the next save is checked against the version the user has now seen.

    Re-apply is offered for a step (its input is new, not a copy of the record's fields) and for a form that can
    merge (`opened`, `mine` and `current` given). A form holding the record's fields that cannot merge passes
    `reapply=False`: saving it again would put back what the other user changed."""

    def __init__(self, parent: QWidget, labels: Mapping[str, str] | None = None,
                 shown: Callable[[str, Any], str] | None = None, reapply: bool = True) -> None:
        self.parent, self.labels, self.shown, self.reapply = parent, dict(labels or {}), shown, reapply
        self.seen: ConflictError | None = None

    def save(self, save: Callable[[Mapping[str, Any] | None], R], *, opened: Mapping[str, Any] | None = None,
             mine: Mapping[str, Any] | None = None,
             current: Callable[[], Mapping[str, Any]] | None = None) -> Outcome[R]:
        """`save(None)` saves the form as it is; after Re-apply over a form with `opened` and `current` values,
        `save(merged)` saves the merge. Errors other than a conflict reach the caller."""
        values: Mapping[str, Any] | None = None
        reapplying = False
        while True:
            try:
                with conflicts.confirmed(self.seen) if self.seen else nullcontext():
                    return Outcome(result=save(values))
            except ConflictError as error:
                theirs = current() if current is not None and opened is not None and mine is not None else None
                fields = [(self.labels.get(change.key, change.key), change)
                          for change in conflicts.compare(opened, theirs, mine)] if theirs is not None else []
                resolution = ask(self.parent, error, fields, self.shown, self.reapply or theirs is not None)
                if resolution is Resolution.BACK:
                    return Outcome(Resolution.BACK)
                self.seen = error
                if resolution is Resolution.RELOAD:
                    return Outcome(Resolution.RELOAD, theirs=theirs)
                values = conflicts.merge(opened, theirs, mine) if theirs is not None else None
                reapplying = True
            except Exception:
                if reapplying:
                    # The re-applied save failed (a rule, a locked database): the form is not what was confirmed,
                    # so the next OK is checked against the version it was opened at, and asks again.
                    self.seen = None
                raise


def accept_saving(dialog: QDialog, save: Callable[[], tuple[Any, Changes]], reapply: bool = True) -> None:
    """accept() of a dialog that saves one record with `save` (returning the value and what changed): the result
    on `dialog.saved` and `dialog.changes`, an error in `dialog.error`, and a conflict resolved with the user.
    Re-apply (a step only: `reapply`) saves again over the record as saved now; Reload closes the dialog unsaved,
    with every view told to re-read (`dialog.changes`)."""
    guard = getattr(dialog, "_conflict_guard", None)
    if guard is None:
        guard = ConflictGuard(dialog, reapply=reapply)
        dialog._conflict_guard = guard
    try:
        outcome = guard.save(lambda _merged: save())
    except AppError as error:
        dialog.error.setText(str(error))
        return
    if outcome.resolution is Resolution.RELOAD:
        dialog.changes = Changes.of(EVERYTHING)
        QDialog.reject(dialog)
    elif outcome.saved:
        dialog.saved, dialog.changes = outcome.result
        QDialog.accept(dialog)
