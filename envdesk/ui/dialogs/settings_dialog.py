"""Settings: the bureau, departments, staff, towns, legal limits, the holiday calendar, this workstation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from envdesk import i18n
from envdesk import settings as decl
from envdesk.app import calendar as calendar_app
from envdesk.app import reference
from envdesk.app import settings as settings_app
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace
from envdesk.domain.reference import TOWN_KINDS, town_kind_label
from envdesk.domain.users import Permission
from envdesk.exchange import reference as layouts
from envdesk.i18n import N_, _
from envdesk.settings import Scope, Setting
from envdesk.ui import language
from envdesk.ui.dialogs.database_page import DatabasePage
from envdesk.ui.dialogs.record_editor import Exchange, Field, RecordPage
from envdesk.ui.table_model import Column, RecordTableModel, yes_no
from envdesk.ui.tabs.base import allow
from envdesk.ui.widgets import error_label


def _choice_text(choice: str) -> str:
    if choice in decl.UNIT_LABELS:
        return _(decl.UNIT_LABELS[choice])
    return i18n.language_name(choice) if choice in i18n.LANGUAGES else choice


def _editor_for(setting: Setting, value: Any) -> QWidget:
    if setting.type is bool:
        editor = QCheckBox()
        editor.setChecked(bool(value))
    elif setting.choices:
        editor = QComboBox()
        for choice in setting.choices:
            editor.addItem(_choice_text(choice), choice)
        editor.setCurrentIndex(max(0, editor.findData(value)))
    elif setting.type is int:
        editor = QSpinBox()
        editor.setRange(setting.minimum if setting.minimum is not None else -10**6,
                        setting.maximum if setting.maximum is not None else 10**6)
        editor.setValue(int(value))
    elif setting.type is float:
        editor = QDoubleSpinBox()
        editor.setDecimals(3)
        editor.setRange(setting.minimum if setting.minimum is not None else -10**6,
                        setting.maximum if setting.maximum is not None else 10**6)
        editor.setValue(float(value))
    else:
        # A text left at its default (a legal basis) is shown empty, with the default in the interface
        # language as a placeholder: documents then print the default in their own language.
        editor = QLineEdit("" if setting.default and value == setting.default else str(value))
        editor.setMinimumWidth(360)
    editor.setObjectName(f"setting_{setting.key}")
    return editor


def _value_of(editor: QWidget) -> Any:
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QComboBox):
        return editor.currentData()
    if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
        return editor.value()
    assert isinstance(editor, QLineEdit)
    return editor.text()


# Workstation settings only an administrator sets, with `envdesk users workstation` (envdesk.app.users).
ADMINISTERED = (decl.SINGLE_USER.key, decl.SERVICE_USER.key)


class SettingsForm(QWidget):
    """Every declared setting of some scopes, grouped as declared, saved through envdesk.app.settings. With a
    `permission`, a user without it sees the values but cannot change them."""

    changed = Signal(object)

    def __init__(self, ws: Workspace, scopes: tuple[Scope, ...], name: str, parent: QWidget | None = None,
                 permission: Permission | None = None, exclude: tuple[str, ...] = ()) -> None:
        super().__init__(parent)
        self.ws = ws
        self._permission = permission
        self.setObjectName(f"page_{name}")
        self.editors: dict[str, QWidget] = {}
        self._labels: list[tuple[QLabel | QGroupBox, str]] = []
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        groups: dict[str, QFormLayout] = {}
        values = {setting.key: (setting, value) for setting, value in settings_app.all_values(ws)
                  if setting.scope in scopes and setting.key not in exclude}
        for key, (setting, value) in values.items():
            if key in self.editors:
                continue  # already placed beside its rule's limit
            if setting.group not in groups:
                box = QGroupBox()
                self._labels.append((box, setting.group))
                groups[setting.group] = QFormLayout(box)
                inner_layout.addWidget(box)
            label = QLabel()
            label.setWordWrap(True)
            self._labels.append((label, setting.label))
            editor = _editor_for(setting, value)
            self.editors[key] = editor
            unit_key = key.removesuffix("/limit") + "/unit"
            if key.endswith("/limit") and unit_key in values:
                # A rule reads as one line: "Handle and give a written opinion  [60] [calendar days]".
                unit = _editor_for(*values[unit_key])
                self.editors[unit_key] = unit
                row = QWidget()
                row_layout = QHBoxLayout(row)
                row_layout.setContentsMargins(0, 0, 0, 0)
                row_layout.addWidget(editor, 1)
                row_layout.addWidget(unit, 2)
                editor = row
            groups[setting.group].addRow(label, editor)
        inner_layout.addStretch(1)
        self._opened = {key: self._shown(key) for key in self.editors}  # for "changed meanwhile" and "edited"
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.error = error_label("page_error")
        self.save_button = QPushButton()
        self.save_button.setObjectName("save_button")
        self.save_button.clicked.connect(self.save)
        row = QHBoxLayout()
        row.addWidget(self.error, 1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addLayout(row)
        self.retranslate_ui()

    def apply_permissions(self) -> None:
        for key, editor in self.editors.items():
            if key in ADMINISTERED:
                editor.setEnabled(False)
                editor.setToolTip(_("An administrator sets this with “envdesk users workstation”."))
            elif self._permission is not None:
                allow(editor, self.ws, self._permission)
        if self._permission is not None:
            allow(self.save_button, self.ws, self._permission)

    def retranslate_ui(self) -> None:
        for widget, msgid in self._labels:
            if isinstance(widget, QGroupBox):
                widget.setTitle(_(msgid))
            else:
                widget.setText(_(msgid))
        for key, editor in self.editors.items():
            setting = decl.get_setting(key)
            if isinstance(editor, QComboBox):
                for index in range(editor.count()):
                    editor.setItemText(index, _choice_text(editor.itemData(index)))
            elif isinstance(editor, QLineEdit) and setting.default:
                editor.setPlaceholderText(_(setting.default))
        self.save_button.setText(_("Save"))
        self.apply_permissions()

    def _shown(self, key: str) -> Any:
        """What the editor holds, as the value to store (an empty text means the default)."""
        setting = decl.get_setting(key)
        value = _value_of(self.editors[key])
        if setting.type is str and setting.default and not str(value).strip():
            return setting.default
        return value

    def save(self) -> bool:
        """Save what was changed here, all at once; refused whole if anything does not fit or was changed
        by someone else since the page was opened."""
        edited = {key: self._shown(key) for key in self.editors
                  if key not in ADMINISTERED and self._shown(key) != self._opened[key]}
        if not edited:
            self.error.setText("")
            return True
        try:
            total = settings_app.save_values(self.ws, edited, original=self._opened)
        except AppError as error:
            field = getattr(error, "field", "")
            label = _(decl.get_setting(field).label) if field in decl.SETTINGS else field
            self.error.setText(_("{setting}: {reason}").format(setting=label, reason=error.reason)
                               if field in decl.SETTINGS else str(error))
            if field in self.editors:
                self.editors[field].setFocus()
            return False
        self._opened.update(edited)
        self.error.setText(_("Saved."))
        if decl.LANGUAGE.key in edited:
            language.manager().set_language(decl.local_value(decl.LANGUAGE))
        self.changed.emit(total)
        return True


class CalendarPage(QWidget):
    changed = Signal(object)

    COLUMNS = (
        Column(N_("Year"), lambda y: y.year),
        Column(N_("Rest days"), lambda y: y.holidays),
        Column(N_("Working weekend days"), lambda y: y.working_weekends),
        Column(N_("Origin"), lambda y: _("entered here") if y.entered else _("shipped with EnvDesk")),
        Column(N_("Source"), lambda y: y.source, tooltip=lambda y: y.source),
    )

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("page_calendar")
        self._help = QLabel()
        self._help.setWordWrap(True)
        self.model = RecordTableModel(self.COLUMNS, self)
        self.table = QTableView()
        self.table.setObjectName("table_calendar")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.import_button = QPushButton()
        self.import_button.setObjectName("import_button")
        self.import_button.clicked.connect(self.import_file)
        self.forget_button = QPushButton()
        self.forget_button.setObjectName("forget_button")
        self.forget_button.clicked.connect(self.forget)
        self.error = error_label("page_error")
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.forget_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._help)
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.reload()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self._help.setText(_("Deadlines in working days follow the official holiday schedule (调休 included). "
                             "The State Council announces next year's schedule each November: import it as a "
                             ".csv file with the columns date,kind (kind: rest or work), or as a .json file."))
        self.import_button.setText(_("Import a schedule…"))
        self.forget_button.setText(_("Remove the entered year"))
        self.model.retranslate()
        self.table.resizeColumnsToContents()
        self.apply_permissions()

    def apply_permissions(self) -> None:
        for button in (self.import_button, self.forget_button):
            allow(button, self.ws, Permission.SETTINGS_EDIT)

    def reload(self) -> None:
        self.model.set_rows(calendar_app.years(self.ws))
        self.table.resizeColumnsToContents()

    def import_file(self, path: str | None = None) -> None:
        if not path:
            path, _filter = QFileDialog.getOpenFileName(self, _("Import a holiday schedule"), "",
                                                        _("Holiday schedules (*.csv *.json)"))
        if not path:
            return
        try:
            schedules, changes = calendar_app.import_file(self.ws, path)
        except AppError as error:
            self.error.setText(str(error))
            return
        self.error.setText(_("Imported: {years}").format(years=", ".join(str(s.year) for s in schedules)))
        self.reload()
        self.changed.emit(changes)

    def forget(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        info = self.model.row_value(rows[0].row())
        try:
            changes = calendar_app.forget_year(self.ws, info.year)
        except AppError as error:
            self.error.setText(str(error))
            return
        self.reload()
        self.changed.emit(changes)


def _department_choices(ws: Workspace):
    return lambda: [(_("(none)"), None)] + [(d.name_zh, d.id) for d in reference.list_departments(ws)]


def _record_pages(ws: Workspace) -> list[tuple[str, RecordPage]]:
    departments = RecordPage(
        "departments", N_("department"),
        (Column(N_("Name (Chinese)"), lambda d: d.name_zh), Column(N_("Name (English)"), lambda d: d.name_en),
         Column(N_("Order"), lambda d: d.sort_order), Column(N_("Active"), lambda d: d.active, yes_no)),
        lambda: reference.list_departments(ws),
        (Field("name_zh", N_("Name (Chinese)")), Field("name_en", N_("Name (English)")),
         Field("sort_order", N_("Order"), "int", default=0), Field("active", N_("Active"), "bool", default=True)),
        lambda d: {"name_zh": d.name_zh, "name_en": d.name_en, "sort_order": d.sort_order, "active": d.active},
        lambda d, v: reference.save_department(ws, d.id if d else None, expected_version=d.version if d else None,
                                               **v)[1],
        lambda d: reference.delete_department(ws, d.id, d.version),
        Exchange(layouts.DEPARTMENTS, lambda rows, check: reference.import_departments(ws, rows, check),
                 lambda: reference.department_rows(ws, i18n.current_language()), "departments"),
        ws=ws, permission=Permission.REFERENCE_EDIT)
    staff = RecordPage(
        "staff", N_("staff member"),
        (Column(N_("Name"), lambda s: s.name), Column(N_("Department"), lambda s: s.department_name),
         Column(N_("Title"), lambda s: s.title), Column(N_("Phone"), lambda s: s.phone),
         Column(N_("Leader"), lambda s: s.is_leader, yes_no), Column(N_("Active"), lambda s: s.active, yes_no)),
        lambda: reference.list_staff(ws),
        (Field("name", N_("Name")), Field("department_id", N_("Department"), "choice", _department_choices(ws)),
         Field("title", N_("Title")), Field("phone", N_("Phone")),
         Field("is_leader", N_("Bureau leader"), "bool", default=False),
         Field("active", N_("Active"), "bool", default=True)),
        lambda s: {"name": s.name, "department_id": s.department_id, "title": s.title, "phone": s.phone,
                   "is_leader": s.is_leader, "active": s.active},
        lambda s, v: reference.save_staff(ws, s.id if s else None, expected_version=s.version if s else None, **v)[1],
        lambda s: reference.delete_staff(ws, s.id, s.version),
        Exchange(layouts.STAFF, lambda rows, check: reference.import_staff(ws, rows, check),
                 lambda: reference.staff_rows(ws, i18n.current_language()), "staff"),
        ws=ws, permission=Permission.REFERENCE_EDIT)
    towns = RecordPage(
        "towns", N_("town"),
        (Column(N_("Name (Chinese)"), lambda t: t.name_zh), Column(N_("Name (English)"), lambda t: t.name_en),
         Column(N_("Kind"), lambda t: town_kind_label(t.kind)),
         Column(N_("Order"), lambda t: t.sort_order), Column(N_("Active"), lambda t: t.active, yes_no)),
        lambda: reference.list_towns(ws),
        (Field("name_zh", N_("Name (Chinese)")), Field("name_en", N_("Name (English)")),
         Field("kind", N_("Kind"), "choice", lambda: [(town_kind_label(key), key) for key in TOWN_KINDS],
               default="town"),
         Field("sort_order", N_("Order"), "int", default=0), Field("active", N_("Active"), "bool", default=True)),
        lambda t: {"name_zh": t.name_zh, "name_en": t.name_en, "kind": t.kind, "sort_order": t.sort_order,
                   "active": t.active},
        lambda t, v: reference.save_town(ws, t.id if t else None, expected_version=t.version if t else None, **v)[1],
        lambda t: reference.delete_town(ws, t.id, t.version),
        Exchange(layouts.TOWNS, lambda rows, check: reference.import_towns(ws, rows, check),
                 lambda: reference.town_rows(ws, i18n.current_language()), "towns"),
        ws=ws, permission=Permission.REFERENCE_EDIT)
    return [(N_("Departments"), departments), (N_("Staff"), staff), (N_("Towns"), towns)]


class SettingsDialog(QDialog):
    changed = Signal(object)  # Changes, for the main window to broadcast

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setObjectName("settings_dialog")
        self.pages = QTabWidget()
        self._page_titles: list[str] = []
        # Saving bureau and shared settings needs SETTINGS_EDIT (envdesk.app.settings.save_values); this
        # workstation's own settings are anyone's.
        self.bureau = SettingsForm(ws, (Scope.BUREAU,), "bureau", permission=Permission.SETTINGS_EDIT)
        self.rules = SettingsForm(ws, (Scope.SHARED,), "rules", permission=Permission.SETTINGS_EDIT)
        self.calendar = CalendarPage(ws)
        # The database is chosen, and a server tested, on its own page.
        self.workstation = SettingsForm(ws, (Scope.LOCAL,), "workstation", exclude=(decl.DATABASE_URL.key,))
        self.database = DatabasePage(ws)
        pages: list[tuple[str, QWidget]] = [(N_("Bureau"), self.bureau), *_record_pages(ws),
                                            (N_("Limits and rules"), self.rules),
                                            (N_("Working-day calendar"), self.calendar),
                                            (N_("This workstation"), self.workstation),
                                            (N_("Database"), self.database)]
        for title, page in pages:
            self.pages.addTab(page, "")
            self._page_titles.append(title)
            page.changed.connect(self.changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(buttons)
        language.manager().language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        self.resize(900, 640)

    def page(self, name: str) -> QWidget:
        return self.findChild(QWidget, f"page_{name}")

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Settings"))
        for index, title in enumerate(self._page_titles):
            self.pages.setTabText(index, _(title))
            widget = self.pages.widget(index)
            if hasattr(widget, "retranslate_ui"):
                widget.retranslate_ui()

    def done(self, result: int) -> None:
        language.manager().language_changed.disconnect(self.retranslate_ui)
        super().done(result)


__all__ = ["SettingsDialog"]
