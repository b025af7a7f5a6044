"""Use cases for the reference data every register shares: the bureau, departments, staff and towns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, select

from envdesk.app import audit, changes, conflicts
from envdesk.app.access import open_to_all, requires
from envdesk.app.errors import ConflictError, NotFound, ValidationError
from envdesk.app.settings import BUREAU_ID
from envdesk.app.validation import optional as _optional
from envdesk.app.validation import required as _required
from envdesk.app.workspace import Workspace
from envdesk.domain.importing import RowProblem, RowsRejected
from envdesk.domain.reference import TOWN_KINDS, Bureau, Department, Staff, Town, town_kind_label
from envdesk.domain.users import Permission
from envdesk.i18n import _
from envdesk.store.models import BureauRow, DepartmentRow, StaffRow, TownRow

Row = TypeVar("Row", DepartmentRow, StaffRow, TownRow)


# --- bureau -------------------------------------------------------------------------------------

@open_to_all
def get_bureau(ws: Workspace) -> Bureau:
    with ws.reading() as session:
        row = session.get(BureauRow, BUREAU_ID)
        return Bureau(row.name_zh, row.name_en, row.county) if row else Bureau("")


@open_to_all
def is_set_up(ws: Workspace) -> bool:
    """Has the first-run question (the bureau's name) been answered?"""
    return bool(get_bureau(ws).name_zh)


@requires(Permission.REFERENCE_EDIT)
def save_bureau(ws: Workspace, name_zh: str, name_en: str = "", county: str = "") -> changes.Changes:
    from envdesk.app import settings as settings_app

    return settings_app.save_values(ws, {"bureau/name_zh": name_zh, "bureau/name_en": name_en,
                                         "bureau/county": county})


# --- shared helpers -----------------------------------------------------------------------------

def _load(session, model: type[Row], row_id: int, expected_version: int | None, what: str) -> Row:
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(_("{what} no longer exists (it was deleted by someone else).").format(what=what))
    expected_version = conflicts.expected(model.__tablename__, row_id, expected_version)
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(
            _("{what} was changed by someone else after you opened it. Nothing was overwritten: "
              "reload it and apply your change again.").format(what=what),
            entity=model.__tablename__, record_id=row_id, expected=expected_version, current=row.version,
            changes=audit.changes_since(session, model.__tablename__, row_id, expected_version))
    return row


def _unique(session, model: type[Row], column, value: str, row_id: int | None, label: str) -> None:
    query = select(func.count()).select_from(model).where(column == value)
    if row_id is not None:
        query = query.where(model.id != row_id)
    if session.scalar(query):
        raise ValidationError(label, _("“{value}” already exists").format(value=value))


def _save(ws: Workspace, model: type[Row], row_id: int | None, expected_version: int | None, what: str,
          fields: dict[str, Any], check: Callable[[Any], None], kind: str, to_value: Callable[[Row], Any]):
    with ws.transaction() as session:
        check(session)
        if row_id is None:
            row = model(**fields)
            session.add(row)
        else:
            row = _load(session, model, row_id, expected_version, what)
            for name, value in fields.items():
                setattr(row, name, value)
        session.flush()
        value = to_value(row)
    return value, changes.Changes.of(kind)


def _delete(ws: Workspace, model: type[Row], row_id: int, expected_version: int | None, what: str,
            in_use: Callable[[Any], int], kind: str) -> changes.Changes:
    with ws.transaction() as session:
        row = _load(session, model, row_id, expected_version, what)
        users = in_use(session)
        if users:
            raise ValidationError(what, _("is still used by {n} records; mark it inactive instead").format(n=users))
        session.delete(row)
    return changes.Changes.of(kind)


# --- departments --------------------------------------------------------------------------------

def _department(row: DepartmentRow) -> Department:
    return Department(row.id, row.name_zh, row.name_en, row.active, row.sort_order, row.version)


@requires(Permission.VIEW)
def list_departments(ws: Workspace, include_inactive: bool = True) -> list[Department]:
    with ws.reading() as session:
        query = select(DepartmentRow).order_by(DepartmentRow.sort_order, DepartmentRow.id)
        if not include_inactive:
            query = query.where(DepartmentRow.active.is_(True))
        return [_department(row) for row in session.scalars(query)]


@requires(Permission.REFERENCE_EDIT)
def save_department(ws: Workspace, department_id: int | None, name_zh: str, name_en: str = "",
                    sort_order: int = 0, active: bool = True,
                    expected_version: int | None = None) -> tuple[Department, changes.Changes]:
    label = _("Department name (Chinese)")
    name_zh = _required(name_zh, label, 100)
    name_en = _optional(name_en, _("Department name (English)"), 200)
    return _save(
        ws, DepartmentRow, department_id, expected_version, _("The department"),
        dict(name_zh=name_zh, name_en=name_en, sort_order=int(sort_order), active=bool(active)),
        lambda s: _unique(s, DepartmentRow, DepartmentRow.name_zh, name_zh, department_id, label),
        changes.DEPARTMENT, _department)


@requires(Permission.REFERENCE_EDIT)
def delete_department(ws: Workspace, department_id: int, expected_version: int | None = None) -> changes.Changes:
    from envdesk.store.complaints import ComplaintRow
    from envdesk.store.twinning import ServiceItemRow

    def in_use(session) -> int:
        return sum(session.scalar(select(func.count()).select_from(model).where(condition)) for model, condition in (
            (StaffRow, StaffRow.department_id == department_id),
            (ServiceItemRow, ServiceItemRow.department_id == department_id),
            (ComplaintRow, ComplaintRow.lead_department_id == department_id)))

    return _delete(ws, DepartmentRow, department_id, expected_version, _("The department"), in_use,
                   changes.DEPARTMENT)


# --- towns --------------------------------------------------------------------------------------

def _town(row: TownRow) -> Town:
    return Town(row.id, row.name_zh, row.name_en, row.kind, row.active, row.sort_order, row.version)


@requires(Permission.VIEW)
def list_towns(ws: Workspace, include_inactive: bool = True) -> list[Town]:
    with ws.reading() as session:
        query = select(TownRow).order_by(TownRow.sort_order, TownRow.id)
        if not include_inactive:
            query = query.where(TownRow.active.is_(True))
        return [_town(row) for row in session.scalars(query)]


@requires(Permission.REFERENCE_EDIT)
def save_town(ws: Workspace, town_id: int | None, name_zh: str, name_en: str = "", kind: str = "town",
              sort_order: int = 0, active: bool = True,
              expected_version: int | None = None) -> tuple[Town, changes.Changes]:
    label = _("Town name (Chinese)")
    name_zh = _required(name_zh, label, 100)
    name_en = _optional(name_en, _("Town name (English)"), 200)
    if kind not in TOWN_KINDS:
        raise ValidationError(_("Kind"), _("must be one of {choices}").format(choices=", ".join(TOWN_KINDS)))
    return _save(
        ws, TownRow, town_id, expected_version, _("The town"),
        dict(name_zh=name_zh, name_en=name_en, kind=kind, sort_order=int(sort_order), active=bool(active)),
        lambda s: _unique(s, TownRow, TownRow.name_zh, name_zh, town_id, label),
        changes.TOWN, _town)


@requires(Permission.REFERENCE_EDIT)
def delete_town(ws: Workspace, town_id: int, expected_version: int | None = None) -> changes.Changes:
    from envdesk.store.complaints import ComplaintRow
    from envdesk.store.twinning import EnterpriseRow

    # Registers that refer to towns add their counts here as they arrive.
    return _delete(ws, TownRow, town_id, expected_version, _("The town"),
                   lambda s: s.scalar(select(func.count()).select_from(EnterpriseRow)
                                      .where(EnterpriseRow.town_id == town_id))
                   + s.scalar(select(func.count()).select_from(ComplaintRow).where(ComplaintRow.town_id == town_id)),
                   changes.TOWN)


# --- staff --------------------------------------------------------------------------------------

def _staff(row: StaffRow) -> Staff:
    return Staff(row.id, row.name, row.department_id, row.department.name_zh if row.department else "",
                 row.title, row.phone, row.is_leader, row.active, row.version)


@requires(Permission.VIEW)
def list_staff(ws: Workspace, include_inactive: bool = True, leaders_only: bool = False) -> list[Staff]:
    with ws.reading() as session:
        query = select(StaffRow).order_by(StaffRow.is_leader.desc(), StaffRow.department_id, StaffRow.id)
        if not include_inactive:
            query = query.where(StaffRow.active.is_(True))
        if leaders_only:
            query = query.where(StaffRow.is_leader.is_(True))
        return [_staff(row) for row in session.scalars(query)]


@requires(Permission.VIEW)
def find_staff(ws: Workspace, name: str) -> Staff | None:
    """The active staff member with this exact name (imports name people; they must exist)."""
    with ws.reading() as session:
        row = session.scalars(select(StaffRow).where(StaffRow.name == name.strip(), StaffRow.active.is_(True))).first()
        return _staff(row) if row else None


@requires(Permission.REFERENCE_EDIT)
def save_staff(ws: Workspace, staff_id: int | None, name: str, department_id: int | None = None,
               title: str = "", phone: str = "", is_leader: bool = False, active: bool = True,
               expected_version: int | None = None) -> tuple[Staff, changes.Changes]:
    label = _("Name")
    name = _required(name, label, 50)
    title = _optional(title, _("Title"), 100)
    phone = _optional(phone, _("Phone"), 50)

    def check(session) -> None:
        # Registers and imports name people; two active staff with one name could not be told apart.
        _unique(session, StaffRow, StaffRow.name, name, staff_id, label)
        if department_id is not None and session.get(DepartmentRow, department_id) is None:
            raise ValidationError(_("Department"), _("does not exist"))

    return _save(
        ws, StaffRow, staff_id, expected_version, _("The staff member"),
        dict(name=name, department_id=department_id, title=title, phone=phone,
             is_leader=bool(is_leader), active=bool(active)),
        check, changes.STAFF, _staff)


@requires(Permission.REFERENCE_EDIT)
def delete_staff(ws: Workspace, staff_id: int, expected_version: int | None = None) -> changes.Changes:
    from envdesk.store.complaints import ComplaintEventRow, ComplaintRow, HandlingRow
    from envdesk.store.twinning import ContactRow, ItemEventRow, PairRow, ServiceItemRow

    def in_use(session) -> int:
        # Pairs, contacts, service-item steps and complaints name the person; they must keep naming them.
        return sum(session.scalar(select(func.count()).select_from(model).where(condition)) for model, condition in (
            (PairRow, (PairRow.liaison_id == staff_id) | (PairRow.leader_id == staff_id)),
            (ContactRow, ContactRow.staff_id == staff_id),
            (ServiceItemRow, ServiceItemRow.owner_id == staff_id),
            (ItemEventRow, ItemEventRow.staff_id == staff_id),
            (ComplaintRow, (ComplaintRow.first_receiver_id == staff_id) | (ComplaintRow.lead_person_id == staff_id)
             | (ComplaintRow.case_leader_id == staff_id) | (ComplaintRow.extension_approved_by_id == staff_id)),
            (HandlingRow, HandlingRow.staff_id == staff_id),
            (ComplaintEventRow, ComplaintEventRow.staff_id == staff_id)))

    return _delete(ws, StaffRow, staff_id, expected_version, _("The staff member"), in_use, changes.STAFF)


@requires(Permission.VIEW)
def counts(ws: Workspace) -> dict[str, int]:
    with ws.reading() as session:
        return {
            "departments": session.scalar(select(func.count()).select_from(DepartmentRow).where(DepartmentRow.active)),
            "staff": session.scalar(select(func.count()).select_from(StaffRow).where(StaffRow.active)),
            "leaders": session.scalar(
                select(func.count()).select_from(StaffRow).where(StaffRow.active, StaffRow.is_leader)),
            "towns": session.scalar(select(func.count()).select_from(TownRow).where(TownRow.active)),
        }


# --- import and export --------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    changes: changes.Changes


ImportRows = Sequence[tuple[int, dict[str, Any]]]  # (row number as the user sees it, values by column key)


def _import(ws: Workspace, rows: ImportRows, model: type[Row], key_field: str, kind: str, defaults: dict[str, Any],
            check: Callable[[Any, int, dict[str, Any], list[RowProblem]], dict[str, Any]],
            check_only: bool) -> ImportSummary:
    """Create or update records by name, all or nothing: every row is checked before anything is written.

    An empty cell leaves an existing record's value as it is; a new record takes `defaults` there.
    With check_only, the rows are checked and nothing is written.
    """
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    with ws.transaction() as session:
        prepared = []
        for number, values in rows:
            name = (values.get(key_field) or "").strip()
            if name and name in seen:
                problems.append(RowProblem(number, key_field, name,
                                           _("appears twice in the file (also row {row})").format(row=seen[name])))
                continue
            seen[name] = number
            fields = {key: value for key, value in check(session, number, values, problems).items()
                      if value is not None}
            prepared.append((name, fields))
        if problems:
            raise RowsRejected(problems)
        if check_only:
            return ImportSummary(0, 0, changes.Changes())
        existing = {getattr(row, key_field): row for row in session.scalars(select(model))}
        created = updated = 0
        for name, fields in prepared:
            row = existing.get(name)
            if row is None:
                session.add(model(**{**defaults, **fields}))
                created += 1
            else:
                for field_name, value in fields.items():
                    setattr(row, field_name, value)
                updated += 1
    return ImportSummary(created, updated, changes.Changes.of(kind))


def _checked_name(number: int, values: dict[str, Any], key: str, label: str, limit: int,
                  problems: list[RowProblem]) -> str:
    try:
        return _required(values.get(key), label, limit)
    except ValidationError as error:
        problems.append(RowProblem(number, key, values.get(key), error.reason))
        return ""


def _text(values: dict[str, Any], key: str) -> str | None:
    value = values.get(key)
    return None if value is None else str(value).strip()


@requires(Permission.REFERENCE_EDIT)
def import_departments(ws: Workspace, rows: ImportRows, check_only: bool = False) -> ImportSummary:
    def check(session, number, values, problems):
        return {"name_zh": _checked_name(number, values, "name_zh", _("Department name (Chinese)"), 100, problems),
                "name_en": _text(values, "name_en"), "sort_order": values.get("sort_order"),
                "active": values.get("active")}

    return _import(ws, rows, DepartmentRow, "name_zh", changes.DEPARTMENT,
                   {"name_en": "", "sort_order": 0, "active": True}, check, check_only)


@requires(Permission.REFERENCE_EDIT)
def import_towns(ws: Workspace, rows: ImportRows, check_only: bool = False) -> ImportSummary:
    def check(session, number, values, problems):
        return {"name_zh": _checked_name(number, values, "name_zh", _("Town name (Chinese)"), 100, problems),
                "name_en": _text(values, "name_en"), "kind": values.get("kind"),
                "sort_order": values.get("sort_order"), "active": values.get("active")}

    return _import(ws, rows, TownRow, "name_zh", changes.TOWN,
                   {"name_en": "", "kind": "town", "sort_order": 0, "active": True}, check, check_only)


@requires(Permission.REFERENCE_EDIT)
def import_staff(ws: Workspace, rows: ImportRows, check_only: bool = False) -> ImportSummary:
    """Staff by name; a department must already exist (a typo must not create a new department)."""
    departments: dict[str, int] = {}

    def check(session, number, values, problems):
        if not departments:
            departments.update({d.name_zh: d.id for d in session.scalars(select(DepartmentRow))})
        fields = {"name": _checked_name(number, values, "name", _("Name"), 50, problems),
                  "title": _text(values, "title"), "phone": _text(values, "phone"),
                  "is_leader": values.get("is_leader"), "active": values.get("active")}
        department = _text(values, "department")
        if department:
            if department not in departments:
                problems.append(RowProblem(number, "department", department,
                                           _("No such department; add it in Settings → Departments first")))
            fields["department_id"] = departments.get(department)
        return fields

    return _import(ws, rows, StaffRow, "name", changes.STAFF,
                   {"title": "", "phone": "", "is_leader": False, "active": True, "department_id": None}, check,
                   check_only)


@requires(Permission.VIEW)
def department_rows(ws: Workspace, language: str = "zh_CN") -> list[dict[str, Any]]:
    return [{"name_zh": d.name_zh, "name_en": d.name_en, "sort_order": d.sort_order, "active": d.active}
            for d in list_departments(ws)]


@requires(Permission.VIEW)
def staff_rows(ws: Workspace, language: str = "zh_CN") -> list[dict[str, Any]]:
    return [{"name": s.name, "department": s.department_name, "title": s.title, "phone": s.phone,
             "is_leader": s.is_leader, "active": s.active} for s in list_staff(ws)]


@requires(Permission.VIEW)
def town_rows(ws: Workspace, language: str = "zh_CN") -> list[dict[str, Any]]:
    return [{"name_zh": t.name_zh, "name_en": t.name_en,
             "kind": town_kind_label(t.kind, language if language != "bilingual" else "zh_CN"),
             "sort_order": t.sort_order, "active": t.active} for t in list_towns(ws)]
