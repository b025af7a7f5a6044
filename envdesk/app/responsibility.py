"""Use cases of the responsibility matrix: plans and phases, the task table, weekly progress, warning cards,
the department × task matrix, and the responsibility letters from draft to signed and archived."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envdesk import paths
from envdesk.app import audit, changes, files
from envdesk.app import settings as settings_app
from envdesk.app.access import requires
from envdesk.app.errors import NotFound, ValidationError
from envdesk.app.reference import _load
from envdesk.app.validation import active_staff, optional, required
from envdesk.app.workspace import Workspace
from envdesk.domain.responsibility import (
    LETTER_NEXT,
    LETTER_SECTIONS,
    Card,
    CardRule,
    LetterKind,
    LetterStatus,
    PlanKind,
    Role,
    TaskStatus,
    check_progress,
    letter_number,
    task_status,
    warning_card,
    week_of,
)
from envdesk.domain.users import Permission
from envdesk.i18n import N_, _, gettext_for
from envdesk.store.models import DepartmentRow, StaffRow
from envdesk.store.responsibility import LetterRow, PhaseRow, PlanRow, ProgressRow, TaskDepartmentRow, TaskRow

RESPONSIBILITY = changes.RESPONSIBILITY

# Scans of signed letters: what a scanner or a phone makes, checked by content, not only by name.
SCAN_TYPES = {".pdf": (b"%PDF", "application/pdf"), ".jpg": (b"\xff\xd8\xff", "image/jpeg"),
              ".jpeg": (b"\xff\xd8\xff", "image/jpeg"), ".png": (b"\x89PNG", "image/png"),
              ".tif": (b"II*\x00", "image/tiff"), ".tiff": (b"II*\x00", "image/tiff")}
SCAN_LIMIT_MB = 50


# --- values -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PhaseInput:
    name_zh: str
    start_on: date
    end_on: date
    name_en: str = ""


@dataclass(frozen=True)
class PlanInput:
    title_zh: str
    kind: str
    start_on: date
    end_on: date
    title_en: str = ""
    office_id: int | None = None
    notes: str = ""
    phases: tuple[PhaseInput, ...] = ()


@dataclass(frozen=True)
class Phase:
    id: int
    name_zh: str
    name_en: str
    start_on: date
    end_on: date


@dataclass(frozen=True)
class Plan:
    id: int
    title_zh: str
    title_en: str
    kind: PlanKind
    year: int
    start_on: date
    end_on: date
    office_id: int | None
    office: str
    notes: str
    phases: tuple[Phase, ...]
    task_count: int
    version: int


@dataclass(frozen=True)
class TaskInput:
    content: str
    lead_department_id: int | None
    number: str = ""
    section: str = ""
    assisting_department_ids: tuple[int, ...] = ()
    leader_id: int | None = None
    person_ids: tuple[int, ...] = ()
    deadline: date | None = None
    remarks: str = ""
    phase_id: int | None = None
    status: str = TaskStatus.NOT_STARTED.value
    progress: int = 0


@dataclass(frozen=True)
class Task:
    id: int
    plan_id: int
    number: str
    sort_order: int
    section: str
    content: str
    lead_department_id: int | None
    lead_department: str
    assisting_department_ids: tuple[int, ...]
    assisting_departments: tuple[str, ...]
    leader_id: int | None
    leader: str
    person_ids: tuple[int, ...]
    persons: tuple[str, ...]
    deadline: date | None
    remarks: str
    phase_id: int | None
    stored_status: TaskStatus
    status: TaskStatus          # as shown: overdue when unfinished past its deadline
    progress: int
    card: Card | None
    version: int

    def input(self, **changes_) -> TaskInput:
        """This task as a form would submit it, with some fields changed (the table's in-place edits)."""
        values = dict(content=self.content, lead_department_id=self.lead_department_id, number=self.number,
                      section=self.section, assisting_department_ids=self.assisting_department_ids,
                      leader_id=self.leader_id, person_ids=self.person_ids, deadline=self.deadline,
                      remarks=self.remarks, phase_id=self.phase_id, status=self.stored_status.value,
                      progress=self.progress)
        values.update(changes_)
        return TaskInput(**values)


@dataclass(frozen=True)
class ProgressReport:
    id: int
    task_id: int
    reported_on: date
    progress: int
    text: str
    department: str
    staff: str


@dataclass(frozen=True)
class Letter:
    id: int
    plan_id: int
    kind: LetterKind
    number: str
    revision: int
    supersedes_id: int | None
    department_id: int
    department: str
    party_a_id: int
    party_a: str
    party_b_id: int
    party_b: str
    status: LetterStatus
    content: dict
    printed_on: date | None
    signed_on: date | None
    archived_on: date | None
    scan_file_name: str
    scan_sha256: str
    outdated: bool              # the department's tasks changed after this letter was made
    version: int

    @property
    def locked(self) -> bool:
        return self.status.locked

    @property
    def scan_path(self) -> Path | None:
        return scan_dir() / f"{self.scan_sha256}{Path(self.scan_file_name).suffix.lower()}" \
            if self.scan_sha256 else None


# --- plans --------------------------------------------------------------------------------------

def _plan(session: Session, row: PlanRow) -> Plan:
    count = session.scalar(select(func.count()).select_from(TaskRow).where(TaskRow.plan_id == row.id))
    return Plan(row.id, row.title_zh, row.title_en, PlanKind(row.kind), row.year, row.start_on, row.end_on,
                row.office_id, row.office.name_zh if row.office else "", row.notes,
                tuple(Phase(p.id, p.name_zh, p.name_en, p.start_on, p.end_on) for p in row.phases), count,
                row.version)


@requires(Permission.VIEW)
def list_plans(ws: Workspace) -> list[Plan]:
    with ws.reading() as session:
        rows = session.scalars(select(PlanRow).order_by(PlanRow.start_on.desc(), PlanRow.id.desc())).all()
        return [_plan(session, row) for row in rows]


@requires(Permission.VIEW)
def get_plan(ws: Workspace, plan_id: int) -> Plan:
    with ws.reading() as session:
        row = session.get(PlanRow, plan_id)
        if row is None:
            raise NotFound(_("The plan no longer exists (it was deleted by someone else)."))
        return _plan(session, row)


@requires(Permission.VIEW)
def find_plan(ws: Workspace, title: str) -> int | None:
    """A plan by its Chinese or English title (as `--plan TITLE` names it), or its id."""
    text = str(title).strip()
    with ws.reading() as session:
        found = session.scalar(select(PlanRow.id).where((PlanRow.title_zh == text) | (PlanRow.title_en == text)))
        if found is None and text.isdigit():
            found = session.scalar(select(PlanRow.id).where(PlanRow.id == int(text)))
    return found


def _kind(value: str, label: str, enum):
    try:
        return enum.parse(value)
    except ValueError as error:
        raise ValidationError(label, str(error)) from None


@requires(Permission.PLANS_EDIT)
def save_plan(ws: Workspace, plan_id: int | None, data: PlanInput,
              expected_version: int | None = None) -> tuple[Plan, changes.Changes]:
    """Create or change a plan and its phases (phases inside the plan's period, in order, not overlapping)."""
    title = required(data.title_zh, _("Title (Chinese)"), 200)
    kind = _kind(data.kind, _("Kind"), PlanKind)
    if data.end_on < data.start_on:
        raise ValidationError(_("Plan period"), _("ends before it starts"))
    phases = sorted(data.phases, key=lambda p: p.start_on)
    for index, phase in enumerate(phases):
        name = required(phase.name_zh, _("Phase"), 100)
        if phase.end_on < phase.start_on:
            raise ValidationError(_("Phase"), _("“{name}” ends before it starts").format(name=name))
        if phase.start_on < data.start_on or phase.end_on > data.end_on:
            raise ValidationError(_("Phase"), _("“{name}” lies outside the plan's period").format(name=name))
        if index and phase.start_on <= phases[index - 1].end_on:
            raise ValidationError(_("Phase"), _("“{name}” overlaps “{other}”").format(
                name=name, other=phases[index - 1].name_zh))
    with ws.transaction() as session:
        clash = session.scalar(select(PlanRow.id).where(PlanRow.title_zh == title, PlanRow.id != (plan_id or 0)))
        if clash is not None:
            raise ValidationError(_("Title (Chinese)"), _("another plan has this title"))
        if data.office_id is not None and session.get(DepartmentRow, data.office_id) is None:
            raise ValidationError(_("Leading group office"), _("does not exist"))
        if plan_id is None:
            row = PlanRow()
            session.add(row)
        else:
            row = _load(session, PlanRow, plan_id, expected_version, _("The plan"))
        row.title_zh, row.title_en = title, optional(data.title_en, _("Title (English)"), 300)
        row.kind, row.start_on, row.end_on, row.year = kind.value, data.start_on, data.end_on, data.start_on.year
        row.office_id, row.notes = data.office_id, optional(data.notes, _("Notes"), 5000)
        existing = {(p.name_zh, p.start_on): p for p in row.phases}
        kept = []
        for phase in phases:
            found = existing.pop((phase.name_zh.strip(), phase.start_on), None) or PhaseRow()
            found.name_zh, found.name_en = phase.name_zh.strip(), phase.name_en.strip()
            found.start_on, found.end_on = phase.start_on, phase.end_on
            kept.append(found)
        for gone in existing.values():
            if session.scalar(select(func.count()).select_from(TaskRow).where(TaskRow.phase_id == gone.id)):
                raise ValidationError(_("Phase"), _("“{name}” still has tasks; move them first").format(
                    name=gone.name_zh))
        row.phases = kept
        session.flush()
        new_id = row.id
    return get_plan(ws, new_id), changes.Changes.of(RESPONSIBILITY)


@requires(Permission.PLANS_EDIT)
def delete_plan(ws: Workspace, plan_id: int, expected_version: int | None = None) -> changes.Changes:
    """Remove a plan that holds nothing yet (no task, no letter); a plan with work in it is a record."""
    with ws.transaction() as session:
        row = _load(session, PlanRow, plan_id, expected_version, _("The plan"))
        used = session.scalar(select(func.count()).select_from(TaskRow).where(TaskRow.plan_id == plan_id)) or \
            session.scalar(select(func.count()).select_from(LetterRow).where(LetterRow.plan_id == plan_id))
        if used:
            raise ValidationError(_("Plan"), _("“{title}” has tasks or letters and cannot be deleted").format(
                title=row.title_zh))
        session.delete(row)
    return changes.Changes.of(RESPONSIBILITY)


# --- tasks --------------------------------------------------------------------------------------

def _card_rule(ws: Workspace) -> CardRule:
    return CardRule(settings_app.get_value(ws, "responsibility/due_soon_days"),
                    settings_app.get_value(ws, "responsibility/behind_points"))


def _task(row: TaskRow, staff: dict[int, str], plan_start: date, today: date, rule: CardRule) -> Task:
    lead = next((d for d in row.departments if d.role == Role.LEAD.value), None)
    assisting = [d for d in row.departments if d.role == Role.ASSISTING.value]
    stored = TaskStatus(row.status)
    shown = task_status(stored, row.deadline, today)
    return Task(
        id=row.id, plan_id=row.plan_id, number=row.number, sort_order=row.sort_order, section=row.section,
        content=row.content, lead_department_id=lead.department_id if lead else None,
        lead_department=lead.department.name_zh if lead else "",
        assisting_department_ids=tuple(d.department_id for d in assisting),
        assisting_departments=tuple(d.department.name_zh for d in assisting), leader_id=row.leader_id,
        leader=row.leader.name if row.leader else "", person_ids=tuple(row.persons or ()),
        persons=tuple(staff.get(i, "") for i in row.persons or ()), deadline=row.deadline, remarks=row.remarks,
        phase_id=row.phase_id, stored_status=stored, status=shown, progress=row.progress,
        card=warning_card(stored, row.progress, plan_start, row.deadline, today, rule), version=row.version)


@dataclass(frozen=True)
class TaskFilter:
    phase_id: int | None = None
    department_id: int | None = None   # lead or assisting
    leader_id: int | None = None
    status: str | None = None          # as shown (overdue included)
    text: str = ""


@requires(Permission.VIEW)
def list_tasks(ws: Workspace, plan_id: int, f: TaskFilter = TaskFilter(), today: date | None = None) -> list[Task]:
    """The plan's task table in its own order (a plan holds hundreds of tasks at most)."""
    today = today or date.today()
    rule = _card_rule(ws)
    with ws.reading() as session:
        plan = session.get(PlanRow, plan_id)
        if plan is None:
            raise NotFound(_("The plan no longer exists (it was deleted by someone else)."))
        query = select(TaskRow).where(TaskRow.plan_id == plan_id).order_by(TaskRow.sort_order, TaskRow.id)
        if f.phase_id is not None:
            query = query.where(TaskRow.phase_id == f.phase_id)
        if f.leader_id is not None:
            query = query.where(TaskRow.leader_id == f.leader_id)
        if f.department_id is not None:
            query = query.where(TaskRow.id.in_(select(TaskDepartmentRow.task_id).where(
                TaskDepartmentRow.department_id == f.department_id)))
        if f.text.strip():
            query = query.where(TaskRow.content.contains(f.text.strip(), autoescape=True))
        rows = session.scalars(query).all()
        staff = dict(session.execute(select(StaffRow.id, StaffRow.name)).all())
        tasks = [_task(row, staff, plan.start_on, today, rule) for row in rows]
    if f.status:
        tasks = [t for t in tasks if t.status.value == f.status]
    return tasks


@requires(Permission.VIEW)
def get_task(ws: Workspace, task_id: int, today: date | None = None) -> Task:
    today = today or date.today()
    with ws.reading() as session:
        row = session.get(TaskRow, task_id)
        if row is None:
            raise NotFound(_("The task no longer exists (it was deleted by someone else)."))
        staff = dict(session.execute(select(StaffRow.id, StaffRow.name)).all())
        return _task(row, staff, session.get(PlanRow, row.plan_id).start_on, today, _card_rule(ws))


def _task_fields(session: Session, data: TaskInput, plan: PlanRow) -> dict:
    content = required(data.content, _("Task"), 5000)
    if data.lead_department_id is None:
        raise ValidationError(_("Responsible department"), _("is required"))
    for department_id in (data.lead_department_id, *data.assisting_department_ids):
        if session.get(DepartmentRow, department_id) is None:
            raise ValidationError(_("Responsible department"), _("does not exist"))
    if data.lead_department_id in data.assisting_department_ids:
        raise ValidationError(_("Assisting departments"), _("the lead department cannot also assist"))
    active_staff(session, data.leader_id, _("Responsible leader"), optional_=True)
    for person in data.person_ids:
        active_staff(session, person, _("Responsible person"))
    if data.phase_id is not None and data.phase_id not in {p.id for p in plan.phases}:
        raise ValidationError(_("Phase"), _("is not a phase of this plan"))
    if data.deadline is not None and not plan.start_on <= data.deadline:
        raise ValidationError(_("Deadline"), _("is before the plan starts ({start})").format(
            start=plan.start_on.isoformat()))
    status = _kind(data.status, _("Status"), TaskStatus)
    if status is TaskStatus.OVERDUE:
        raise ValidationError(_("Status"), _("“Overdue” follows from the deadline; choose another status"))
    try:
        progress = check_progress(data.progress)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("Progress"), str(error)) from None
    if status is TaskStatus.DONE:
        progress = 100
    elif progress == 100:
        status = TaskStatus.DONE
    elif progress > 0 and status is TaskStatus.NOT_STARTED:
        status = TaskStatus.IN_PROGRESS
    return dict(content=content, number=optional(data.number, _("No."), 20),
                section=optional(data.section, _("Section"), 200), leader_id=data.leader_id,
                persons=list(dict.fromkeys(data.person_ids)), deadline=data.deadline,
                remarks=optional(data.remarks, _("Remarks"), 5000), phase_id=data.phase_id, status=status.value,
                progress=progress)


def _set_departments(row: TaskRow, data: TaskInput) -> None:
    wanted = {data.lead_department_id: Role.LEAD.value}
    wanted.update({d: Role.ASSISTING.value for d in data.assisting_department_ids})
    current = {d.department_id: d for d in row.departments}
    for department_id, link in list(current.items()):
        if department_id not in wanted:
            row.departments.remove(link)
        else:
            link.role = wanted[department_id]
    for department_id, role in wanted.items():
        if department_id not in current:
            row.departments.append(TaskDepartmentRow(department_id=department_id, role=role))


@requires(Permission.PLANS_EDIT)
def save_task(ws: Workspace, plan_id: int, task_id: int | None, data: TaskInput,
              expected_version: int | None = None, today: date | None = None) -> tuple[Task, changes.Changes]:
    """Add a task at the end of the table, or change one; a signed letter listing it is not changed."""
    with ws.transaction() as session:
        plan = session.get(PlanRow, plan_id)
        if plan is None:
            raise NotFound(_("The plan no longer exists (it was deleted by someone else)."))
        fields = _task_fields(session, data, plan)
        if task_id is None:
            last = session.scalar(select(func.max(TaskRow.sort_order)).where(TaskRow.plan_id == plan_id)) or 0
            row = TaskRow(plan_id=plan_id, sort_order=last + 1)
            session.add(row)
        else:
            row = _load(session, TaskRow, task_id, expected_version, _("The task"))
        for key, value in fields.items():
            setattr(row, key, value)
        _set_departments(row, data)
        session.flush()
        new_id = row.id
    return get_task(ws, new_id, today), changes.Changes.of(RESPONSIBILITY)


@requires(Permission.PLANS_EDIT)
def delete_task(ws: Workspace, task_id: int, expected_version: int | None = None) -> changes.Changes:
    with ws.transaction() as session:
        row = _load(session, TaskRow, task_id, expected_version, _("The task"))
        if session.scalar(select(func.count()).select_from(ProgressRow).where(ProgressRow.task_id == task_id)):
            raise ValidationError(_("Task"), _("progress has been reported on it; mark it done instead"))
        session.delete(row)
    return changes.Changes.of(RESPONSIBILITY)


# --- weekly progress ----------------------------------------------------------------------------

@requires(Permission.PLANS_EDIT)
def report_progress(ws: Workspace, task_id: int, reported_on: date, progress: int, text: str,
                    department_id: int | None = None, staff_id: int | None = None,
                    today: date | None = None) -> tuple[Task, changes.Changes]:
    """A weekly report on a task: what was done and where it stands (%); 100 % marks it done."""
    today = today or date.today()
    if reported_on > today:
        raise ValidationError(_("Date"), _("cannot be in the future"))
    try:
        value = check_progress(progress)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("Progress"), str(error)) from None
    with ws.transaction() as session:
        row = session.get(TaskRow, task_id)
        if row is None:
            raise NotFound(_("The task no longer exists (it was deleted by someone else)."))
        if department_id is None:
            department_id = next((d.department_id for d in row.departments if d.role == Role.LEAD.value), None)
        elif department_id not in {d.department_id for d in row.departments}:
            raise ValidationError(_("Department"), _("is not responsible for this task"))
        active_staff(session, staff_id, _("Reported by"), optional_=True)
        latest = session.scalar(select(func.max(ProgressRow.reported_on)).where(ProgressRow.task_id == task_id))
        session.add(ProgressRow(task_id=task_id, department_id=department_id, reported_on=reported_on,
                                progress=value, text=required(text, _("Progress report"), 5000),
                                staff_id=staff_id))
        if latest is None or reported_on >= latest:  # a report dated back does not override a newer one
            row.progress = value
            row.status = TaskStatus.DONE.value if value == 100 else TaskStatus.IN_PROGRESS.value
    return get_task(ws, task_id, today), changes.Changes.of(RESPONSIBILITY)


@requires(Permission.VIEW)
def progress_reports(ws: Workspace, task_id: int) -> list[ProgressReport]:
    with ws.reading() as session:
        departments = dict(session.execute(select(DepartmentRow.id, DepartmentRow.name_zh)).all())
        staff = dict(session.execute(select(StaffRow.id, StaffRow.name)).all())
        rows = session.scalars(select(ProgressRow).where(ProgressRow.task_id == task_id)
                               .order_by(ProgressRow.reported_on.desc(), ProgressRow.id.desc())).all()
        return [ProgressReport(r.id, r.task_id, r.reported_on, r.progress, r.text,
                               departments.get(r.department_id, ""), staff.get(r.staff_id, "")) for r in rows]


@requires(Permission.VIEW)
def not_reported(ws: Workspace, plan_id: int, today: date | None = None) -> list[str]:
    """Departments leading an unfinished task of the plan that have not reported on it this week."""
    today = today or date.today()
    monday, sunday = week_of(today)
    with ws.reading() as session:
        leading = session.execute(
            select(DepartmentRow.id, DepartmentRow.name_zh).join(TaskDepartmentRow,
                                                                 TaskDepartmentRow.department_id == DepartmentRow.id)
            .join(TaskRow, TaskRow.id == TaskDepartmentRow.task_id)
            .where(TaskRow.plan_id == plan_id, TaskRow.status != TaskStatus.DONE.value,
                   TaskDepartmentRow.role == Role.LEAD.value)
            .distinct().order_by(DepartmentRow.name_zh)).all()
        reported = set(session.scalars(
            select(ProgressRow.department_id).join(TaskRow, TaskRow.id == ProgressRow.task_id)
            .where(TaskRow.plan_id == plan_id, ProgressRow.reported_on >= monday,
                   ProgressRow.reported_on <= sunday)).all())
    return [name for department_id, name in leading if department_id not in reported]


# --- the matrix ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Matrix:
    """Rows (departments or leaders) × tasks, with the role each row plays in each task."""

    rows: tuple[tuple[int, str], ...]
    tasks: tuple[Task, ...]
    marks: dict[tuple[int, int], Role] = field(default_factory=dict)   # (row id, task id) → role

    def mark(self, row_id: int, task_id: int) -> Role | None:
        return self.marks.get((row_id, task_id))


def department_matrix(tasks: Sequence[Task]) -> Matrix:
    rows: dict[int, str] = {}
    marks: dict[tuple[int, int], Role] = {}
    for task in tasks:
        if task.lead_department_id is not None:
            rows.setdefault(task.lead_department_id, task.lead_department)
            marks[(task.lead_department_id, task.id)] = Role.LEAD
        for department_id, name in zip(task.assisting_department_ids, task.assisting_departments, strict=True):
            rows.setdefault(department_id, name)
            marks[(department_id, task.id)] = Role.ASSISTING
    return Matrix(tuple(sorted(rows.items(), key=lambda r: r[1])), tuple(tasks), marks)


def leader_matrix(tasks: Sequence[Task]) -> Matrix:
    rows = {t.leader_id: t.leader for t in tasks if t.leader_id is not None}
    marks = {(t.leader_id, t.id): Role.LEAD for t in tasks if t.leader_id is not None}
    return Matrix(tuple(sorted(rows.items(), key=lambda r: r[1])), tuple(tasks), marks)


# --- letters ------------------------------------------------------------------------------------

DEFAULT_TEXTS: dict[LetterKind, dict[str, str]] = {
    LetterKind.TARGET: {
        "duties": N_("Party B leads the tasks listed in the targets table for its department, assigns each to a "
                     "responsible person, reports progress to the leading group office every week, and finishes "
                     "each task by its deadline and to the required standard."),
        "assessment": N_("The targets are assessed on a 100-point scale: routine checks during the year count for "
                         "40 points and the year-end assessment for 60. A task not finished by its deadline loses its "
                         "points unless the delay was approved in advance."),
        "rewards": N_("A department scoring 90 points or more is commended; one scoring under 60 is criticised in "
                      "a bureau notice and its head makes a written explanation to Party A. The result counts in "
                      "the year's performance assessment of the department and its staff."),
        "term": N_("This letter is valid from the date of signing until the end of the plan. It is made in two "
                   "copies; Party A and Party B each keep one."),
    },
    LetterKind.CLEAN_GOVERNMENT: {
        "duties": N_("Party B bears the primary responsibility for building party conduct and clean government in "
                     "its department: it leads by example, observes the central Eight-point Rules, supervises its "
                     "staff in law enforcement, approvals and the use of funds, and reports problems at once."),
        "assessment": N_("Fulfilment of this letter is assessed on a 100-point scale together with the year's "
                         "work targets, through routine supervision and the year-end assessment."),
        "rewards": N_("Where a serious breach of discipline occurs in the department, Party B is held "
                      "accountable under the regulations on accountability; the department cannot be rated "
                      "excellent that year."),
        "term": N_("This letter is valid from the date of signing until the end of the year. It is made in two "
                   "copies; Party A and Party B each keep one."),
    },
}

LANGUAGES = ("zh_CN", "en")


def template_key(kind: LetterKind, section: str, language: str) -> str:
    return f"letters/{kind.value}/{section}/{language}"


@requires(Permission.VIEW)
def section_text(ws: Workspace, kind: LetterKind, section: str, language: str) -> str:
    """The administrator's text for a letter section, or the default in that language."""
    typed = settings_app.get_value(ws, template_key(kind, section, language)).strip()
    return typed or gettext_for(language, DEFAULT_TEXTS[kind][section])


def _letter(row: LetterRow, current_targets: list[dict] | None = None) -> Letter:
    outdated = current_targets is not None and current_targets != row.content.get("targets", [])
    return Letter(row.id, row.plan_id, LetterKind(row.kind), row.number, row.revision, row.supersedes_id,
                  row.department_id, row.department.name_zh, row.party_a_id, row.party_a.name, row.party_b_id,
                  row.party_b.name, LetterStatus(row.status), row.content, row.printed_on, row.signed_on,
                  row.archived_on, row.scan_file_name, row.scan_sha256, outdated, row.version)


def _targets(session: Session, plan_id: int, department_id: int) -> list[dict]:
    """The department's tasks of the plan as a letter's targets table lists them."""
    links = session.execute(
        select(TaskRow, TaskDepartmentRow.role).join(TaskDepartmentRow, TaskDepartmentRow.task_id == TaskRow.id)
        .where(TaskRow.plan_id == plan_id, TaskDepartmentRow.department_id == department_id)
        .order_by(TaskRow.sort_order, TaskRow.id)).all()
    return [{"number": task.number, "section": task.section, "content": task.content,
             "deadline": task.deadline.isoformat() if task.deadline else "", "remarks": task.remarks,
             "role": role} for task, role in links]


def _content(ws: Workspace, session: Session, plan: PlanRow, kind: LetterKind, department: DepartmentRow,
             party_a: StaffRow, party_b: StaffRow) -> dict:
    targets = _targets(session, plan.id, department.id)
    if not targets:
        raise ValidationError(_("Department"), _("{department} has no task in this plan: a letter needs at least "
                                                 "one target").format(department=department.name_zh))
    return {
        "plan_title_zh": plan.title_zh, "plan_title_en": plan.title_en, "year": plan.year,
        "start_on": plan.start_on.isoformat(), "end_on": plan.end_on.isoformat(),
        "department_zh": department.name_zh, "department_en": department.name_en,
        "party_a": party_a.name, "party_a_title": party_a.title, "party_b": party_b.name,
        "party_b_title": party_b.title, "targets": targets,
        "sections": {section: {lang: section_text(ws, kind, section, lang) for lang in LANGUAGES}
                     for section in LETTER_SECTIONS},
    }


def _most_common(values: Sequence[int | None]) -> int | None:
    counted = Counter(v for v in values if v is not None)
    return counted.most_common(1)[0][0] if counted else None


@requires(Permission.VIEW)
def default_parties(ws: Workspace, plan_id: int) -> dict[int, tuple[int | None, int | None]]:
    """For each department leading a task: party A, the bureau leader most often responsible for its tasks, and
    party B, the person most often named responsible (usually the department's head)."""
    tasks = list_tasks(ws, plan_id)
    result: dict[int, tuple[int | None, int | None]] = {}
    for department_id in dict.fromkeys(t.lead_department_id for t in tasks if t.lead_department_id is not None):
        mine = [t for t in tasks if t.lead_department_id == department_id]
        result[department_id] = (_most_common([t.leader_id for t in mine]),
                                 _most_common([t.person_ids[0] if t.person_ids else None for t in mine]))
    return result


def _next_number(ws: Workspace, session: Session, kind: LetterKind, year: int) -> str:
    audit.take_turn(session)
    pattern = settings_app.get_value(ws, "letters/number_format")
    taken = set(session.scalars(select(LetterRow.number)).all())
    seq = 1 + session.scalar(select(func.count()).select_from(LetterRow).where(
        LetterRow.kind == kind.value, LetterRow.number.like(f"%{year}%"))) or 1
    number = letter_number(pattern, year, seq, kind)
    while number in taken:
        seq += 1
        number = letter_number(pattern, year, seq, kind)
    return number


@requires(Permission.PLANS_EDIT)
def generate_letters(ws: Workspace, plan_id: int, kind: str,
                     parties: dict[int, tuple[int | None, int | None]] | None = None,
                     default_party_a: int | None = None) -> tuple[list[Letter], changes.Changes]:
    """One letter per department leading a task of the plan, between a bureau leader (party A) and the
    department's head (party B), numbered in sequence. An unsigned letter is brought up to date in place;
    a signed one stays as it was and a new revision is made when the department's tasks have changed."""
    letter_kind = _kind(kind, _("Letter kind"), LetterKind)
    chosen = default_parties(ws, plan_id)
    if parties:
        chosen.update(parties)
    if not chosen:
        raise ValidationError(_("Plan"), _("has no task with a responsible department yet"))
    made: list[int] = []
    with ws.transaction() as session:
        plan = session.get(PlanRow, plan_id)
        if plan is None:
            raise NotFound(_("The plan no longer exists (it was deleted by someone else)."))
        missing = []
        for department_id, (party_a_id, party_b_id) in sorted(chosen.items()):
            department = session.get(DepartmentRow, department_id)
            if department is None:
                raise ValidationError(_("Department"), _("does not exist"))
            party_a_id = party_a_id or default_party_a
            if party_a_id is None or party_b_id is None:
                missing.append(department.name_zh)
                continue
            party_a = active_staff(session, party_a_id, _("Party A"), leader=True)
            party_b = active_staff(session, party_b_id, _("Party B"))
            content = _content(ws, session, plan, letter_kind, department, party_a, party_b)
            latest = session.scalars(select(LetterRow).where(
                LetterRow.plan_id == plan_id, LetterRow.kind == letter_kind.value,
                LetterRow.department_id == department_id).order_by(LetterRow.revision.desc())).first()
            if latest is not None and not LetterStatus(latest.status).locked:
                latest.content, latest.party_a_id, latest.party_b_id = content, party_a.id, party_b.id
                latest.status = LetterStatus.DRAFT.value
                made.append(latest.id)
                continue
            if latest is not None and latest.content.get("targets") == content["targets"] and \
                    latest.party_a_id == party_a.id and latest.party_b_id == party_b.id:
                made.append(latest.id)  # signed and still what the tasks say
                continue
            row = LetterRow(plan_id=plan_id, kind=letter_kind.value, department_id=department_id,
                            party_a_id=party_a.id, party_b_id=party_b.id, status=LetterStatus.DRAFT.value,
                            content=content, revision=(latest.revision + 1) if latest else 1,
                            supersedes_id=latest.id if latest else None,
                            number=_next_number(ws, session, letter_kind, plan.year))
            session.add(row)
            session.flush()
            made.append(row.id)
        if missing:
            raise ValidationError(_("Party A / Party B"), _("choose the signatories for: {departments}").format(
                departments="、".join(missing)))
    return [get_letter(ws, letter_id) for letter_id in made], changes.Changes.of(RESPONSIBILITY)


@requires(Permission.VIEW)
def get_letter(ws: Workspace, letter_id: int) -> Letter:
    with ws.reading() as session:
        row = session.get(LetterRow, letter_id)
        if row is None:
            raise NotFound(_("The letter no longer exists."))
        return _letter(row, _targets(session, row.plan_id, row.department_id))


@requires(Permission.VIEW)
def list_letters(ws: Workspace, plan_id: int, kind: str | None = None, latest_only: bool = True) -> list[Letter]:
    with ws.reading() as session:
        query = select(LetterRow).where(LetterRow.plan_id == plan_id)
        if kind:
            query = query.where(LetterRow.kind == LetterKind.parse(kind).value)
        rows = session.scalars(query.order_by(LetterRow.number, LetterRow.revision)).all()
        if latest_only:
            newest: dict[tuple[str, int], LetterRow] = {}
            for row in rows:
                key = (row.kind, row.department_id)
                if key not in newest or row.revision > newest[key].revision:
                    newest[key] = row
            rows = sorted(newest.values(), key=lambda r: r.number)
        targets: dict[int, list[dict]] = {}
        result = []
        for row in rows:
            if row.department_id not in targets:
                targets[row.department_id] = _targets(session, plan_id, row.department_id)
            result.append(_letter(row, targets[row.department_id]))
        return result


@requires(Permission.VIEW)
def unsigned(ws: Workspace, plan_id: int, kind: str | None = None) -> list[Letter]:
    """The plan's latest letters not yet signed: who still has to sign."""
    return [letter for letter in list_letters(ws, plan_id, kind) if not letter.locked]


def _step(ws: Workspace, letter_id: int, expected_version: int | None, to: LetterStatus, work) -> tuple[Letter,
                                                                                                        changes.Changes]:
    with ws.transaction() as session:
        row = _load(session, LetterRow, letter_id, expected_version, _("The letter"))
        status = LetterStatus(row.status)
        if to not in LETTER_NEXT[status]:
            raise ValidationError(_("Status"), _("A letter that is “{status}” cannot become “{to}”").format(
                status=status.label, to=to.label))
        work(session, row)
        row.status = to.value
    return get_letter(ws, letter_id), changes.Changes.of(RESPONSIBILITY)


@requires(Permission.PLANS_EDIT)
def mark_printed(ws: Workspace, letter_ids: Sequence[int], on: date) -> changes.Changes:
    """Letters printed for signing (a signed letter printed again stays signed)."""
    with ws.transaction() as session:
        for row in session.scalars(select(LetterRow).where(LetterRow.id.in_(letter_ids))):
            if row.status == LetterStatus.DRAFT.value:
                row.status = LetterStatus.PRINTED.value
            if not LetterStatus(row.status).locked:
                row.printed_on = on
    return changes.Changes.of(RESPONSIBILITY)


def scan_dir() -> Path:
    return paths.data_dir() / "letters"


def _scan(source: Path) -> tuple[str, int, str, str]:
    """Check a scan and copy it into the data directory under its SHA-256; (name, size, media type, sha256)."""
    source = Path(source)
    suffix = source.suffix.lower()
    kinds = {kind: (magic, b"MM\x00*") if kind in (".tif", ".tiff") else (magic,)
             for kind, (magic, _media) in SCAN_TYPES.items()}
    files.check(source, _("Signed copy"), kinds, SCAN_LIMIT_MB, _("not a PDF or an image (PDF, JPEG, PNG, TIFF)"))
    kept = files.keep(source, _("Signed copy"), scan_dir(), lambda sha: scan_dir() / f"{sha}{suffix}")
    return kept.name, kept.size, SCAN_TYPES[suffix][1], kept.sha256


@requires(Permission.LETTERS_SIGN)
def sign(ws: Workspace, letter_id: int, signed_on: date, scan: Path, expected_version: int | None = None,
         today: date | None = None) -> tuple[Letter, changes.Changes]:
    """Record the wet signature: the date and the scanned signed copy. The letter is locked from now on."""
    today = today or date.today()
    if signed_on > today:
        raise ValidationError(_("Signed on"), _("cannot be in the future"))
    current = get_letter(ws, letter_id)  # refuse a letter that cannot be signed before copying its scan
    if LetterStatus.SIGNED not in LETTER_NEXT[current.status]:
        raise ValidationError(_("Status"), _("A letter that is “{status}” cannot become “{to}”").format(
            status=current.status.label, to=LetterStatus.SIGNED.label))
    name, size, media_type, digest = _scan(scan)

    def work(session, row):
        if row.printed_on is not None and signed_on < row.printed_on:
            raise ValidationError(_("Signed on"), _("cannot be before the letter was printed ({date})").format(
                date=row.printed_on.isoformat()))
        row.signed_on = signed_on
        row.scan_file_name, row.scan_size, row.scan_media_type, row.scan_sha256 = name, size, media_type, digest

    return _step(ws, letter_id, expected_version, LetterStatus.SIGNED, work)


@requires(Permission.LETTERS_SIGN)
def archive(ws: Workspace, letter_id: int, on: date, expected_version: int | None = None) -> tuple[Letter,
                                                                                                  changes.Changes]:
    def work(session, row):
        if row.signed_on and on < row.signed_on:
            raise ValidationError(_("Archived on"), _("cannot be before the signing date"))
        row.archived_on = on

    return _step(ws, letter_id, expected_version, LetterStatus.ARCHIVED, work)


def verify_scan(letter: Letter) -> bool:
    """The attached scan is still the file that was attached (its SHA-256 matches)."""
    path = letter.scan_path
    if path is None or not path.exists():
        return False
    return hashlib.sha256(path.read_bytes()).hexdigest() == letter.scan_sha256


# --- the Overview -------------------------------------------------------------------------------

class ResponsibilityDue:
    """Warning cards of the tasks of current plans: red (overdue), yellow (behind), blue (due soon)."""

    def due_items(self, ws: Workspace, today: date, horizon_days: int):
        from envdesk.app.overview import DueItem
        from envdesk.app.overview import Severity as Level

        items = []
        with ws.reading() as session:
            plans = session.execute(select(PlanRow.id, PlanRow.title_zh).where(
                PlanRow.end_on >= today.replace(month=1, day=1))).all()
        for plan_id, title in plans:
            for task in list_tasks(ws, plan_id, today=today):
                if task.card is None:
                    continue
                days = (task.deadline - today).days if task.deadline else None
                items.append(DueItem(N_("Responsibility matrix"), f"{title} {task.number}".strip(),
                                     f"{task.card.label} — {task.content[:60]}（{task.lead_department}）",
                                     Level.OVERDUE if task.card is Card.RED else Level.DUE_SOON, task.deadline,
                                     days, title))
        return items

    def figures(self, ws: Workspace, today: date):
        from envdesk.app.overview import Figure

        with ws.reading() as session:
            open_tasks = session.scalar(select(func.count()).select_from(TaskRow).join(
                PlanRow, PlanRow.id == TaskRow.plan_id).where(TaskRow.status != TaskStatus.DONE.value,
                                                               PlanRow.end_on >= today.replace(month=1, day=1)))
        return [Figure(N_("Open tasks"), open_tasks)]
