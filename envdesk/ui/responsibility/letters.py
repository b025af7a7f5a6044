"""The letters of a plan: generate one per department, print them for wet signature, record the signed scan, archive."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from envdesk.app import access, responsibility
from envdesk.app.changes import Changes
from envdesk.app.errors import AppError
from envdesk.app.responsibility import Letter, Plan
from envdesk.app.workspace import Workspace
from envdesk.domain.responsibility import LetterKind, LetterStatus
from envdesk.domain.users import Permission
from envdesk.i18n import N_, _, format_date, ngettext
from envdesk.ui.responsibility import dialogs
from envdesk.ui.table_model import Column, RecordTableModel
from envdesk.ui.tabs.base import allow
from envdesk.ui.widgets import print_button, retranslate_print_button

OUTDATED_MARK = "⚠"
STATUS_COLOURS = {LetterStatus.SIGNED: QColor("#1b5e20"), LetterStatus.ARCHIVED: QColor("#607d8b")}
OUTDATED_BACKGROUND = QColor("#fff3cd")


def _date(value: date | None) -> str:
    return format_date(value, "short") if value else ""


def _outdated(letter: Letter) -> str:
    return f"{OUTDATED_MARK} " + _("Tasks changed since") if letter.outdated else ""


COLUMNS: tuple[Column[Letter], ...] = (
    Column(N_("No."), lambda r: r.number),
    Column(N_("Revision"), lambda r: r.revision, align=Qt.AlignmentFlag.AlignCenter),
    Column(N_("Department"), lambda r: r.department),
    Column(N_("Party A"), lambda r: r.party_a),
    Column(N_("Party B"), lambda r: r.party_b),
    Column(N_("Status"), lambda r: r.status.label),
    Column(N_("Printed"), lambda r: _date(r.printed_on)),
    Column(N_("Signed"), lambda r: _date(r.signed_on)),
    Column(N_("Signed copy"), lambda r: r.scan_file_name, tooltip=lambda r: r.scan_sha256 and
           _("SHA-256: {digest}").format(digest=r.scan_sha256)),
    Column(N_("Targets"), lambda r: len(r.content.get("targets", ())), align=Qt.AlignmentFlag.AlignCenter),
    Column(N_("Tasks changed"), _outdated, tooltip=lambda r: _(
        "The department's tasks changed after this letter was made; Generate letters… makes a new revision "
        "(a signed letter itself stays as it was signed).") if r.outdated else ""),
)
STATUS_COLUMN, OUTDATED_COLUMN = 5, 10


class LetterModel(RecordTableModel[Letter]):
    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid():
            letter = self.row_value(index.row())
            if role == Qt.ItemDataRole.ForegroundRole and index.column() == STATUS_COLUMN and \
                    letter.status in STATUS_COLOURS:
                return QBrush(STATUS_COLOURS[letter.status])
            if role == Qt.ItemDataRole.BackgroundRole and index.column() == OUTDATED_COLUMN and letter.outdated:
                return QBrush(OUTDATED_BACKGROUND)
        return super().data(index, role)


class LettersPage(QWidget):
    """The plan's latest letters of one kind, and what the office does with them."""

    changed = Signal(object)  # Changes, for the tab to broadcast and refresh

    def __init__(self, ws: Workspace, warn: Callable[[str, str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self._warn = warn
        self.plan: Plan | None = None
        self.setObjectName("letters_page")
        self.kind = QComboBox()
        self.kind.setObjectName("letter_kind")
        for kind in LetterKind:
            self.kind.addItem(kind.label, kind.value)
        self.kind.currentIndexChanged.connect(self.refresh)
        self.kind_label = QLabel()
        self.generate_button = QPushButton()
        self.generate_button.setObjectName("generate_letters")
        self.generate_button.clicked.connect(lambda: self.generate())
        self.print_selected = print_button("print_selected_letters", lambda c: self.print_letters(c, selected=True))
        self.print_all = print_button("print_all_letters", lambda c: self.print_letters(c, selected=False))
        self.sign_button = QPushButton()
        self.sign_button.setObjectName("sign_letter")
        self.sign_button.clicked.connect(lambda: self.sign())
        self.archive_button = QPushButton()
        self.archive_button.setObjectName("archive_letter")
        self.archive_button.clicked.connect(lambda: self.archive())
        self.scan_button = QPushButton()
        self.scan_button.setObjectName("open_scan")
        self.scan_button.clicked.connect(lambda: self.open_scan())
        self.history_button = QPushButton()
        self.history_button.setObjectName("letter_history")
        self.history_button.clicked.connect(lambda: self.show_history())
        self.note = QLabel()
        self.note.setObjectName("letters_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.info = QLabel()
        self.info.setObjectName("letters_info")
        self.info.setWordWrap(True)
        self.info.setVisible(False)
        self.model = LetterModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setObjectName("letter_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._enable)
        self.table.doubleClicked.connect(lambda _index: self._default_action())

        top = QHBoxLayout()
        top.addWidget(self.kind_label)
        top.addWidget(self.kind)
        top.addStretch(1)
        actions = QToolBar()
        actions.setObjectName("letter_actions")
        for widget in (self.generate_button, self.print_selected, self.print_all, self.sign_button,
                       self.archive_button, self.scan_button, self.history_button):
            actions.addWidget(widget)
        top.addWidget(actions)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        self.retranslate_ui()
        self._enable()

    def retranslate_ui(self) -> None:
        self.kind_label.setText(_("Letter"))
        for index, kind in enumerate(LetterKind):
            self.kind.setItemText(index, kind.label)
        self.generate_button.setText(_("Generate letters…"))
        retranslate_print_button(self.print_selected, _("Print selected"))
        retranslate_print_button(self.print_all, _("Print all"))
        self.sign_button.setText(_("Mark signed…"))
        self.archive_button.setText(_("Archive…"))
        self.scan_button.setText(_("Open signed copy"))
        self.history_button.setText(_("Letter history…"))
        self.note.setText(_("A signed letter is locked and stays as it was signed. When a department's tasks change "
                            "afterwards, the letter is flagged and Generate letters… makes a new revision to sign; "
                            "unsigned letters are simply brought up to date. Print a letter before marking it "
                            "signed."))
        self.model.retranslate()
        self._enable()

    # --- state ----------------------------------------------------------------------------------

    def show_info(self, text: str) -> None:
        self.info.setText(text)
        self.info.setVisible(bool(text))

    def current_kind(self) -> LetterKind:
        return LetterKind(self.kind.currentData())

    def set_plan(self, plan: Plan | None) -> None:
        if plan is None or self.plan is None or plan.id != self.plan.id:
            self.show_info("")
        self.plan = plan
        self.refresh()

    def refresh(self) -> None:
        selected = {letter.id for letter in self.selected()}
        letters = responsibility.list_letters(self.ws, self.plan.id, self.current_kind().value) if self.plan else []
        self.model.set_rows(letters)
        for row, letter in enumerate(letters):
            if letter.id in selected:
                self.table.selectRow(row)
        self.table.resizeColumnsToContents()
        self._enable()

    def letters(self) -> list[Letter]:
        return [self.model.row_value(row) for row in range(self.model.rowCount())]

    def selected(self) -> list[Letter]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.row_value(row) for row in rows if row < self.model.rowCount()]

    def select(self, letter_ids: set[int]) -> None:
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QTableView.SelectionMode.MultiSelection)
        for row, letter in enumerate(self.letters()):
            if letter.id in letter_ids:
                self.table.selectRow(row)
        self.table.setSelectionMode(mode)

    def _one(self) -> Letter | None:
        chosen = self.selected()
        return chosen[0] if len(chosen) == 1 else None

    def apply_permissions(self) -> None:
        """Generating letters is plan work (the office); marking them signed and archiving them is for those who
        may sign letters off. Printing, a copy included, is open to every reader."""
        self._enable()

    def _enable(self, *_args) -> None:
        one = self._one()
        allow(self.generate_button, self.ws, Permission.PLANS_EDIT,
              self.plan is not None and self.plan.task_count > 0)
        self.print_selected.setEnabled(bool(self.selected()))
        self.print_all.setEnabled(self.model.rowCount() > 0)
        if allow(self.sign_button, self.ws, Permission.LETTERS_SIGN,
                 one is not None and one.status is LetterStatus.PRINTED):
            self.sign_button.setToolTip("" if one is None or one.status is not LetterStatus.DRAFT else
                                        _("Print the letter first: a letter is signed on paper."))
        allow(self.archive_button, self.ws, Permission.LETTERS_SIGN,
              one is not None and one.status is LetterStatus.SIGNED)
        self.scan_button.setEnabled(one is not None and bool(one.scan_sha256))
        self.history_button.setEnabled(one is not None)

    def _default_action(self) -> None:
        one = self._one()
        if one is not None and one.scan_sha256:
            self.open_scan()
        elif one is not None and one.status is LetterStatus.PRINTED and access.can(self.ws, Permission.LETTERS_SIGN):
            self.sign()

    def _after(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(changes)

    # --- actions --------------------------------------------------------------------------------

    def generate(self) -> list[Letter]:
        if self.plan is None:
            return []
        dialog = dialogs.GenerateLettersDialog(self.ws, self.plan, self.current_kind(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return []
        letters = dialog.letters
        kept = sum(1 for letter in letters if letter.locked)
        revised = sum(1 for letter in letters if letter.revision > 1 and not letter.locked)
        lines = [ngettext("{count} letter is ready.", "{count} letters are ready.", len(letters)).format(
            count=len(letters))]
        if revised:
            lines.append(ngettext("{count} new revision replaces a signed letter whose tasks changed; sign it again.",
                                  "{count} new revisions replace signed letters whose tasks changed; sign them "
                                  "again.", revised).format(count=revised))
        if kept:
            lines.append(ngettext("{count} signed letter still matches its tasks and stays as signed.",
                                  "{count} signed letters still match their tasks and stay as signed.", kept)
                         .format(count=kept))
        self._after(dialog.changes)
        self.refresh()
        self.show_info(" ".join(lines))
        self.select({letter.id for letter in letters})
        return letters

    def print_letters(self, language: str, selected: bool):
        """Preview the letters in one PDF, each from a new page; once printed or saved by someone who manages the
        plan's letters, they count as printed (anyone else prints copies, which leave the letters' state
        alone). Every print or save is recorded in the audit trail."""
        from envdesk.ui import documents

        letters = self.selected() if selected else self.letters()
        if not letters:
            return None
        ids = [letter.id for letter in letters]
        name = f"{self.plan.title_zh} {self.current_kind().label}.pdf" if self.plan and len(ids) > 1 else None
        preview = documents.preview(self, lambda: documents.letters(self.ws, ids, language), name=name,
                                    document="letters",
                                    records=[("letter", letter.id, letter.number) for letter in letters])
        if preview is not None:
            documents.when_printed(preview, lambda: self.mark_printed(ids) if access.can(
                self.ws, Permission.PLANS_EDIT) else None)
        return preview

    def mark_printed(self, ids: list[int], on: date | None = None) -> None:
        try:
            changes = responsibility.mark_printed(self.ws, ids, on or date.today())
        except AppError as error:
            self._warn(_("Cannot mark printed"), str(error))
            return
        self._after(changes)
        self.refresh()

    def sign(self) -> Letter | None:
        letter = self._one()
        if letter is None:
            return None
        dialog = dialogs.SignDialog(self.ws, letter, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self._after(dialog.changes)
        self.refresh()
        return dialog.saved if accepted else None

    def archive(self) -> None:
        letter = self._one()
        if letter is not None:
            self._after(dialogs.archive_letter(self, self.ws, letter))
            self.refresh()

    def show_history(self) -> None:
        from envdesk.ui.users.history import show_history  # loaded when first asked for

        letter = self._one()
        if letter is not None:
            show_history(self, self.ws, "letter", letter.id, _("Letter {number}").format(number=letter.number))

    def open_scan(self) -> bool:
        letter = self._one()
        if letter is None or letter.scan_path is None:
            return False
        if not responsibility.verify_scan(letter):
            self._warn(_("Signed copy"), _("The signed copy of {number} is missing from the data directory or has "
                                           "changed since it was attached (its SHA-256 no longer matches). Restore "
                                           "it from a backup.").format(number=letter.number))
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(letter.scan_path)))
