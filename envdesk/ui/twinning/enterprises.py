"""The enterprise register (shared master data): search over thousands, add and edit with checks."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from envdesk.app import access, enterprises, reference
from envdesk.app.changes import Changes
from envdesk.app.enterprises import DuplicateName, Enterprise, EnterpriseInput
from envdesk.app.workspace import Workspace
from envdesk.domain.twinning import EnterpriseType, Scale
from envdesk.domain.users import Permission
from envdesk.exchange import twinning as layouts
from envdesk.i18n import N_, _, current_language
from envdesk.ui.dialogs.record_editor import Field, RecordForm
from envdesk.ui.table_model import Column, PagedTableModel
from envdesk.ui.tabs.base import allow, reports_errors

COLUMNS: tuple[Column[Enterprise], ...] = (
    Column(N_("Enterprise"), lambda e: e.name_zh, tooltip=lambda e: e.name_en or e.name_zh),
    Column(N_("Credit code"), lambda e: e.credit_code),
    Column(N_("Town"), lambda e: e.town_name),
    Column(N_("Industry"), lambda e: e.industry),
    Column(N_("Scale"), lambda e: Scale(e.scale).label if e.scale else ""),
    Column(N_("Type"), lambda e: "、".join(EnterpriseType(t).label for t in e.types)),
    Column(N_("Contact"), lambda e: " ".join(part for part in (e.contact_person, e.contact_phone) if part)),
)


def town_choices(ws: Workspace, none_label: str):
    return lambda: [(none_label, None)] + [(t.name_zh, t.id) for t in reference.list_towns(ws, include_inactive=False)]


def enterprise_fields(ws: Workspace) -> list[Field]:
    return [
        Field("name_zh", N_("Enterprise name")),
        Field("name_en", N_("English name")),
        Field("credit_code", N_("Credit code")),
        Field("town_id", N_("Town"), "choice", town_choices(ws, _("(none)"))),
        Field("address", N_("Address")),
        Field("industry", N_("Industry")),
        Field("scale", N_("Scale"), "choice", lambda: [(_("(none)"), "")] + [(s.label, s.value) for s in Scale]),
        Field("types", N_("Type"), "choices", lambda: [(t.label, t.value) for t in EnterpriseType]),
        Field("contact_person", N_("Contact person")),
        Field("contact_phone", N_("Contact phone")),
        Field("notes", N_("Notes"), "multiline"),
    ]


def _values(e: Enterprise) -> dict[str, Any]:
    return {"name_zh": e.name_zh, "name_en": e.name_en, "credit_code": e.credit_code, "town_id": e.town_id,
            "address": e.address, "industry": e.industry, "scale": e.scale, "types": e.types,
            "contact_person": e.contact_person, "contact_phone": e.contact_phone, "notes": e.notes}


def edit_enterprise(parent: QWidget, ws: Workspace, enterprise: Enterprise | None) -> Enterprise | None:
    """The form for a new or existing enterprise; a name already registered asks for a merge check first."""
    saved: list[Enterprise] = []

    def save(values: dict[str, Any]) -> Changes:
        data = EnterpriseInput(**{k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()})
        kwargs = {"expected_version": enterprise.version if enterprise else None}
        try:
            value, changes = enterprises.save_enterprise(ws, enterprise.id if enterprise else None, data, **kwargs)
        except DuplicateName as duplicate:
            answer = QMessageBox.question(form, _("Same enterprise?"), str(duplicate) + "\n\n" +
                                          _("Save it as a different enterprise?"))
            if answer != QMessageBox.StandardButton.Yes:
                raise
            value, changes = enterprises.save_enterprise(ws, enterprise.id if enterprise else None, data,
                                                         allow_duplicate_name=True, **kwargs)
        saved.append(value)
        return changes

    title = _("New enterprise") if enterprise is None else _("Edit enterprise")
    form = RecordForm(title, enterprise_fields(ws), _values(enterprise) if enterprise else {}, save, parent,
                      current=(lambda: _values(enterprises.get_enterprise(ws, enterprise.id))) if enterprise else None)
    form.setMinimumWidth(560)
    return saved[0] if form.exec() == QDialog.DialogCode.Accepted and saved else None


class EnterpriseBrowser(QWidget):
    """Search box, town filter and a SQL-paged list; double-click or Choose picks one."""

    chosen = Signal(object)
    changed = Signal(object)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.search = QLineEdit()
        self.search.setObjectName("enterprise_search")
        self.search.setClearButtonEnabled(True)
        self.town = QComboBox()
        self.town.setObjectName("enterprise_town")
        self.model: PagedTableModel[Enterprise] = PagedTableModel(COLUMNS, self)
        self.table = QTableView()
        self.table.setObjectName("enterprise_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self._choose())
        self.count_label = QLabel()
        self.add_button = QPushButton()
        self.add_button.setObjectName("add_enterprise")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("edit_enterprise")
        self.edit_button.clicked.connect(self.edit)
        self.history_button = QPushButton()
        self.history_button.setObjectName("enterprise_history")
        self.history_button.clicked.connect(lambda: self.show_history())
        self.import_button = QPushButton()
        self.import_button.setObjectName("import_enterprises")
        self.import_button.clicked.connect(lambda: self.import_file())
        self.export_button = QPushButton()
        self.export_button.setObjectName("export_enterprises")
        self.export_button.clicked.connect(lambda: self.export_file())
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)  # query once the user pauses typing, not on every key
        self._debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(self._debounce.start)
        self.town.currentIndexChanged.connect(self.reload)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self.apply_permissions())
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.town, 1)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.history_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._fill_towns()
        self.retranslate_ui()
        self.reload()

    def _fill_towns(self) -> None:
        self.town.blockSignals(True)
        self.town.clear()
        for text, value in town_choices(self.ws, _("All towns"))():
            self.town.addItem(text, value)
        self.town.blockSignals(False)

    def retranslate_ui(self) -> None:
        self.search.setPlaceholderText(_("Search by name or credit code"))
        self.town.setItemText(0, _("All towns"))
        self.add_button.setText(_("New enterprise…"))
        self.edit_button.setText(_("Edit…"))
        self.import_button.setText(_("Import…"))
        self.export_button.setText(_("Export…"))
        self.history_button.setText(_("History…"))
        self.model.retranslate()
        self._show_count()
        self.apply_permissions()

    def apply_permissions(self) -> None:
        """Anyone looks enterprises up (and picks one for a form); adding, editing and importing them is for
        those who may (liaison officers, approval clerks)."""
        selected = self.selected() is not None
        for button in (self.add_button, self.import_button):
            allow(button, self.ws, Permission.ENTERPRISES_EDIT)
        allow(self.edit_button, self.ws, Permission.ENTERPRISES_EDIT, selected)
        self.history_button.setEnabled(selected)

    def _show_count(self) -> None:
        self.count_label.setText(_("{count} enterprises").format(count=self.model.total))

    @reports_errors(N_("Cannot show the enterprises"))
    def reload(self) -> None:
        text, town = self.search.text(), self.town.currentData()
        self.model.set_query(lambda offset, limit: enterprises.search_enterprises(self.ws, text, town, offset, limit),
                             lambda: enterprises.count_enterprises(self.ws, text, town))
        self._show_count()
        self.apply_permissions()

    def selected(self) -> Enterprise | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_value(rows[0].row()) if rows else None

    def _choose(self) -> None:
        enterprise = self.selected()
        if enterprise is not None:
            self.chosen.emit(enterprise)

    def add(self) -> Enterprise | None:
        if not access.can(self.ws, Permission.ENTERPRISES_EDIT):
            return None
        created = edit_enterprise(self, self.ws, None)
        if created is not None:
            self.search.setText(created.name_zh)
            self.reload()
            self.changed.emit(Changes.of(enterprises.ENTERPRISE))
        return created

    def edit(self) -> None:
        enterprise = self.selected()
        if enterprise is None or not access.can(self.ws, Permission.ENTERPRISES_EDIT):
            return
        if edit_enterprise(self, self.ws, enterprise) is not None:
            self.reload()
            self.changed.emit(Changes.of(enterprises.ENTERPRISE))

    def import_file(self, path: str | None = None) -> None:
        from envdesk.ui.dialogs.exchange import import_spreadsheet

        changes = import_spreadsheet(self, layouts.ENTERPRISES,
                                     lambda rows, check: enterprises.import_enterprises(self.ws, rows, check), path,
                                     register="enterprises")
        self.reload()
        if changes:
            self.changed.emit(changes)

    def export_file(self, path: str | None = None) -> str | None:
        from envdesk.ui.dialogs.exchange import export_spreadsheet

        return export_spreadsheet(self, layouts.ENTERPRISES,
                                  lambda: enterprises.enterprise_rows(self.ws, current_language()), path,
                                  register="enterprises")

    def show_history(self) -> None:
        from envdesk.ui.users.history import show_history  # loaded when first asked for

        enterprise = self.selected()
        if enterprise is not None:
            show_history(self, self.ws, "enterprise", enterprise.id, enterprise.name_zh)


class EnterprisesDialog(QDialog):
    """The enterprise register on its own, or to pick one (choose=True adds a Choose button)."""

    changed = Signal(object)

    def __init__(self, ws: Workspace, parent: QWidget | None = None, choose: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("enterprises_dialog")
        self.setWindowTitle(_("Enterprises") if not choose else _("Choose an enterprise"))
        self.browser = EnterpriseBrowser(ws, self)
        self.browser.changed.connect(self.changed)
        self.picked: Enterprise | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close if not choose else
                                   QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept_selected)
        buttons.rejected.connect(self.reject)
        if choose:
            self.browser.chosen.connect(self._picked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(960, 600)

    def _picked(self, enterprise: Enterprise) -> None:
        self.picked = enterprise
        self.accept()

    def _accept_selected(self) -> None:
        self.picked = self.browser.selected()
        if self.picked is not None:
            self.accept()
