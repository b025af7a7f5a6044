"""Use cases of the approvals register: register a project, receive its application, send the one-time
notification of missing materials, accept, pause and resume, decide or file; the two clocks; the list;
the leader's summary; the Overview."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from envdesk.app import calendar as calendar_app
from envdesk.app import audit, changes
from envdesk.app import settings as settings_app
from envdesk.app.access import requires
from envdesk.app.errors import NotFound, ValidationError
from envdesk.app.reference import _load
from envdesk.app.validation import active_staff, contains, optional, required
from envdesk.app.validation import not_future as _not_future
from envdesk.app.workspace import Workspace
from envdesk.domain.approvals import (
    MISSING_MATERIALS_RULE,
    NEXT,
    OPEN,
    ApprovalLevel,
    Clock,
    ClockKind,
    DocumentType,
    Nature,
    Outcome,
    PauseKind,
    Stages,
    Status,
    Track,
    check_pauses,
    check_project_code,
    clocks,
    days_counted,
    nearer,
    promised_rule_key,
    statutory_rule_key,
)
from envdesk.domain.complaints import number_prefix, number_sequence
from envdesk.domain.deadlines import Pause, Rule, Unit, Urgency, compute_deadline
from envdesk.domain.eia_categories import category as eia_category
from envdesk.domain.users import Permission
from envdesk.i18n import N_, _
from envdesk.store.approvals import ApprovalEventRow, ApprovalRow, PauseRow
from envdesk.store.models import TownRow
from envdesk.store.twinning import EnterpriseRow
from envdesk.store.types import utcnow

APPROVALS = changes.APPROVALS


# --- values -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProjectInput:
    """What a clerk types for a project and its application."""

    name: str
    builder_id: int | None
    document_type: str
    track: str = Track.NORMAL.value
    level: str = ApprovalLevel.OWN.value
    nature: str = Nature.NEW.value
    contact_person: str = ""
    contact_phone: str = ""
    project_code: str = ""
    location: str = ""
    town_id: int | None = None
    content_scale: str = ""
    category: int | None = None
    industry_code: str = ""
    total_investment: Decimal | float | str | None = None   # 万元
    env_investment: Decimal | float | str | None = None     # 万元
    sensitive_area: bool = False
    planned_start: date | None = None
    key_project: bool = False
    preparing_institution: str = ""
    handler_id: int | None = None


@dataclass(frozen=True)
class PauseRecord:
    id: int
    kind: PauseKind
    start: date
    end: date | None
    reason: str
    version: int


@dataclass(frozen=True)
class Event:
    on: date
    action: str
    status: Status
    staff: str
    note: str


@dataclass(frozen=True)
class CaseSummary:
    """A case as lists, ledgers and exports show it (the clocks as stored, no per-row computing)."""

    id: int
    number: str
    name: str
    builder: str
    builder_credit_code: str
    builder_id: int
    contact_person: str
    contact_phone: str
    project_code: str
    location: str
    town: str
    town_id: int | None
    nature: Nature
    content_scale: str
    category: int | None
    industry_code: str
    total_investment: Decimal | None
    env_investment: Decimal | None
    sensitive_area: bool
    planned_start: date | None
    key_project: bool
    preparing_institution: str
    document_type: DocumentType
    track: Track
    level: ApprovalLevel
    handler_id: int | None
    status: Status
    early_involvement_on: date | None
    received_on: date | None
    notified_on: date | None
    missing_items: tuple[str, ...]
    accepted_on: date | None
    decided_on: date | None
    outcome: str
    document_number: str
    decision_note: str
    withdrawn_on: date | None
    statutory_due: date | None
    promised_due: date | None
    next_due: date | None
    statutory_used: int | None
    working_days_used: int | None
    urgency: Urgency | None
    version: int

    def next_actions(self) -> tuple[str, ...]:
        actions = NEXT[self.status]
        if self.document_type is DocumentType.REGISTRATION_FORM:
            return tuple(a for a in actions if a not in ("request_materials", "accept"))
        return tuple(a for a in actions if a != "file")


@dataclass(frozen=True)
class Case(CaseSummary):
    clocks: tuple[Clock, ...] = ()
    pauses: tuple[PauseRecord, ...] = ()
    events: tuple[Event, ...] = ()
    handler: str = ""
    deemed_accepted_on_receipt: bool = False   # no timely one-time notification (Administrative Licensing Law art. 32)
    warnings: tuple[str, ...] = ()

    def clock(self, kind: ClockKind) -> Clock | None:
        return next((c for c in self.clocks if c.kind is kind), None)


# --- rules and clocks ---------------------------------------------------------------------------

@requires(Permission.VIEW)
def rules(ws: Workspace, document_type: DocumentType, track: Track) -> dict[ClockKind, Rule]:
    return {ClockKind.MISSING_MATERIALS: settings_app.rule(ws, MISSING_MATERIALS_RULE),
            ClockKind.STATUTORY: settings_app.rule(ws, statutory_rule_key(document_type)),
            ClockKind.PROMISED: settings_app.rule(ws, promised_rule_key(document_type, track))}


def _stages(row: ApprovalRow) -> Stages:
    return Stages(DocumentType(row.document_type), Track(row.track), row.received_on, row.notified_on,
                  row.accepted_on, tuple(Pause(p.start_on, p.end_on, p.reason) for p in row.pauses),
                  row.decided_on, row.withdrawn_on)


class _Rules:
    """The rules, calendar and due-soon span looked up once for a whole list, not once per case."""

    def __init__(self, ws: Workspace, today: date) -> None:
        self.ws, self.today = ws, today
        self.calendar = calendar_app.calendar(ws)
        self.soon_days = _due_soon_calendar_days(ws, today)
        self._by_kind: dict[tuple[DocumentType, Track], dict[ClockKind, Rule]] = {}

    def of(self, row: ApprovalRow) -> dict[ClockKind, Rule]:
        key = (DocumentType(row.document_type), Track(row.track))
        if key not in self._by_kind:
            self._by_kind[key] = rules(self.ws, *key)
        return self._by_kind[key]


def _clocks(ws: Workspace, row: ApprovalRow, today: date, context: _Rules | None = None) -> tuple[Clock, ...]:
    context = context or _Rules(ws, today)
    return clocks(_stages(row), context.of(row), context.calendar, today, context.soon_days)


def _soon_limit(ws: Workspace, today: date) -> date:
    """The last day counted as due soon: today + N working days (setting, 3 by default)."""
    days = settings_app.get_value(ws, "approvals/due_soon_working_days")
    rule = Rule("approvals/due_soon", "", days, Unit.WORKING_DAYS)
    return compute_deadline(today, rule, calendar_app.calendar(ws)).due


def _due_soon_calendar_days(ws: Workspace, today: date) -> int:
    return (_soon_limit(ws, today) - today).days


def _store_dues(ws: Workspace, row: ApprovalRow, today: date, context: _Rules | None = None) -> None:
    """Keep the clocks' due dates on the row, so that lists sort, filter and colour in SQL."""
    context = context or _Rules(ws, today)
    found = {c.kind: c for c in _clocks(ws, row, today, context)}
    statutory, promised = found.get(ClockKind.STATUTORY), found.get(ClockKind.PROMISED)
    row.statutory_due = statutory.due if statutory else None
    row.promised_due = promised.due if promised else None
    running = None
    if Status(row.status) in OPEN and Status(row.status) is not Status.PAUSED:
        candidate = nearer(list(found.values()))
        running = candidate.due if candidate is not None and candidate.done_on is None else None
        if Status(row.status) is Status.MATERIALS_REQUESTED:
            running = None  # waiting for the applicant: no clock runs
    row.next_due = running
    if row.decided_on is not None and statutory is not None:
        row.statutory_used = statutory.used
        row.working_days_used = days_counted(statutory.deadline.start, row.decided_on, Unit.WORKING_DAYS,
                                             context.calendar, _stages(row).pauses)
    else:
        row.statutory_used = row.working_days_used = None


def _urgency(next_due: date | None, status: Status, today: date, soon_limit: date) -> Urgency | None:
    if status is Status.PAUSED:
        return Urgency.PAUSED
    if next_due is None:
        return None
    if next_due < today:
        return Urgency.OVERDUE
    if next_due == today:
        return Urgency.DUE_TODAY
    return Urgency.DUE_SOON if next_due <= soon_limit else Urgency.ON_TRACK


@requires(Permission.SETTINGS_EDIT)
def refresh_due_dates(ws: Workspace, today: date | None = None) -> int:
    """Recompute the stored due dates of open cases (after a limit or the holiday calendar changed)."""
    today = today or date.today()
    count = 0
    with ws.transaction() as session:
        context = _Rules(ws, today)
        for row in session.scalars(select(ApprovalRow).where(ApprovalRow.status.in_([s.value for s in OPEN]))):
            _store_dues(ws, row, today, context)
            count += 1
    return count


# --- reading ------------------------------------------------------------------------------------

def _summary_fields(row: ApprovalRow, today: date, soon_limit: date) -> dict:
    status = Status(row.status)
    return dict(
        id=row.id, number=row.number, name=row.name, builder=row.builder.name_zh,
        builder_credit_code=row.builder.credit_code or "", builder_id=row.builder_id,
        contact_person=row.contact_person, contact_phone=row.contact_phone, project_code=row.project_code,
        location=row.location, town=row.town.name_zh if row.town else "", town_id=row.town_id,
        nature=Nature(row.nature), content_scale=row.content_scale, category=row.category,
        industry_code=row.industry_code, total_investment=row.total_investment, env_investment=row.env_investment,
        sensitive_area=row.sensitive_area, planned_start=row.planned_start, key_project=row.key_project,
        preparing_institution=row.preparing_institution, document_type=DocumentType(row.document_type),
        track=Track(row.track), level=ApprovalLevel(row.level), handler_id=row.handler_id, status=status,
        early_involvement_on=row.early_involvement_on, received_on=row.received_on, notified_on=row.notified_on,
        missing_items=tuple(row.missing_items or ()), accepted_on=row.accepted_on, decided_on=row.decided_on,
        outcome=row.outcome, document_number=row.document_number or "", decision_note=row.decision_note,
        withdrawn_on=row.withdrawn_on, statutory_due=row.statutory_due, promised_due=row.promised_due,
        next_due=row.next_due, statutory_used=row.statutory_used, working_days_used=row.working_days_used,
        urgency=_urgency(row.next_due, status, today, soon_limit), version=row.version)


def _summary(ws: Workspace, row: ApprovalRow, today: date, soon_limit: date, context: _Rules) -> CaseSummary:
    fields = _summary_fields(row, today, soon_limit)
    if row.status == Status.PAUSED.value:  # a stopped clock's due date moves every day: shown as of today
        found = {c.kind: c for c in _clocks(ws, row, today, context)}
        for kind, key in ((ClockKind.STATUTORY, "statutory_due"), (ClockKind.PROMISED, "promised_due")):
            if kind in found:
                fields[key] = found[kind].due
    return CaseSummary(**fields)


ACTION_LABELS = {
    "register": N_("Registered"), "receive": N_("Application received"),
    "request_materials": N_("Missing materials requested"), "accept": N_("Accepted"), "pause": N_("Paused"),
    "resume": N_("Resumed"), "decide": N_("Decided"), "file": N_("Filed"), "withdraw": N_("Withdrawn"),
    "edit": N_("Project details changed"), "correct_pause": N_("Pause corrected"),
}


# The project fields by their labels, for the history of an edit ("changed: Project, Town").
FIELD_LABELS = {
    "name": N_("Project"), "builder_id": N_("Builder"), "document_type": N_("Document type"),
    "track": N_("Approval track"), "level": N_("Approval level"), "nature": N_("Nature"),
    "contact_person": N_("Contact person"), "contact_phone": N_("Contact phone"),
    "project_code": N_("Investment project code"), "location": N_("Construction site"), "town_id": N_("Town"),
    "content_scale": N_("Construction content and scale"), "category": N_("EIA category"),
    "industry_code": N_("Industry code"), "total_investment": N_("Total investment"),
    "env_investment": N_("Environmental investment"), "sensitive_area": N_("Sensitive area involved"),
    "planned_start": N_("Planned start"), "key_project": N_("Key project"),
    "preparing_institution": N_("Preparing institution"), "handler_id": N_("Handler"),
}


def _event_note(action: str, note: str) -> str:
    if action == "edit" and note:
        return _("Changed: {fields}").format(fields=", ".join(_(FIELD_LABELS.get(k, k)) for k in note.split(", ")))
    return note


@requires(Permission.VIEW)
def get_case(ws: Workspace, case_id: int, today: date | None = None) -> Case:
    today = today or date.today()
    soon_limit = _soon_limit(ws, today)
    with ws.reading() as session:
        row = session.get(ApprovalRow, case_id)
        if row is None:
            raise NotFound(_("The approval case no longer exists (it was deleted by someone else)."))
        found = _clocks(ws, row, today)
        statutory = next((c for c in found if c.kind is ClockKind.STATUTORY), None)
        deemed = row.document_type != DocumentType.REGISTRATION_FORM.value and bool(
            statutory and statutory.deadline.start != row.accepted_on)
        warnings = tuple(dict.fromkeys(w for c in found for w in c.deadline.warnings))
        events = session.scalars(select(ApprovalEventRow).where(ApprovalEventRow.approval_id == case_id)
                                 .order_by(ApprovalEventRow.event_date, ApprovalEventRow.id)).all()
        return Case(
            **_summary_fields(row, today, soon_limit), clocks=found,
            pauses=tuple(PauseRecord(p.id, PauseKind(p.kind), p.start_on, p.end_on, p.reason, p.version)
                         for p in row.pauses),
            events=tuple(Event(e.event_date, e.action, Status(e.status), e.staff.name if e.staff else "",
                               _event_note(e.action, e.note))
                         for e in events),
            handler=row.handler.name if row.handler else "", deemed_accepted_on_receipt=deemed, warnings=warnings)


@requires(Permission.VIEW)
def find_case(ws: Workspace, reference: str) -> int:
    """A case by its id or its case number; NotFound names what was given."""
    text = str(reference).strip()
    with ws.reading() as session:
        found = session.scalar(select(ApprovalRow.id).where(ApprovalRow.number == text))
        if found is None and text.isdigit():
            found = session.scalar(select(ApprovalRow.id).where(ApprovalRow.id == int(text)))
    if found is None:
        raise NotFound(_("No approval case {reference}.").format(reference=text))
    return found


@dataclass(frozen=True)
class ApprovalFilter:
    text: str = ""                       # project, builder, case number, document number
    statuses: tuple[str, ...] = ()
    document_type: str | None = None
    track: str | None = None
    key_only: bool = False
    overdue_only: bool = False
    town_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None


SORTS = {
    "received": (ApprovalRow.received_on,), "number": (ApprovalRow.number,), "name": (ApprovalRow.name,),
    "due": (ApprovalRow.next_due,), "status": (ApprovalRow.status,), "document_type": (ApprovalRow.document_type,),
    "track": (ApprovalRow.track,), "decided": (ApprovalRow.decided_on,), "statutory_due": (ApprovalRow.statutory_due,),
    "promised_due": (ApprovalRow.promised_due,),
}


def _filtered(f: ApprovalFilter, today: date):
    query = select(ApprovalRow.id)
    conditions = []
    text_ = f.text.strip()
    if text_:
        pattern = contains(text_)
        builders = select(EnterpriseRow.id).where(or_(EnterpriseRow.name_zh.like(pattern, escape="\\"),
                                                      EnterpriseRow.credit_code == text_.upper()))
        conditions.append(or_(ApprovalRow.name.like(pattern, escape="\\"), ApprovalRow.number == text_,
                              ApprovalRow.document_number.like(pattern, escape="\\"),
                              ApprovalRow.project_code == text_, ApprovalRow.builder_id.in_(builders)))
    if f.statuses:
        conditions.append(ApprovalRow.status.in_(f.statuses))
    if f.document_type:
        conditions.append(ApprovalRow.document_type == f.document_type)
    if f.track:
        conditions.append(ApprovalRow.track == f.track)
    if f.key_only:
        conditions.append(ApprovalRow.key_project.is_(True))
    if f.overdue_only:
        conditions.append(and_(ApprovalRow.next_due < today,
                               ApprovalRow.status.in_([s.value for s in OPEN if s is not Status.PAUSED])))
    if f.town_id is not None:
        conditions.append(ApprovalRow.town_id == f.town_id)
    if f.received_from is not None:
        conditions.append(ApprovalRow.received_on >= f.received_from)
    if f.received_to is not None:
        conditions.append(ApprovalRow.received_on <= f.received_to)
    return query.where(*conditions)


@requires(Permission.VIEW)
def list_cases(ws: Workspace, f: ApprovalFilter = ApprovalFilter(), offset: int = 0, limit: int = 100,
               sort: str = "received", descending: bool = True, today: date | None = None) -> list[CaseSummary]:
    """One page of cases, filtered and sorted in SQL (ids first, then the rows of that page)."""
    today = today or date.today()
    soon_limit = _soon_limit(ws, today)
    columns = SORTS.get(sort, SORTS["received"])
    order = [(c.desc() if descending else c.asc()).nulls_last() for c in columns]
    order.append(ApprovalRow.id.desc() if descending else ApprovalRow.id.asc())
    with ws.reading() as session:
        ids = session.scalars(_filtered(f, today).order_by(*order).offset(offset).limit(limit)).all()
        if not ids:
            return []
        rows = {row.id: row for row in session.scalars(select(ApprovalRow).where(ApprovalRow.id.in_(ids)))}
        context = _Rules(ws, today)
        return [_summary(ws, rows[i], today, soon_limit, context) for i in ids]


@requires(Permission.VIEW)
def count_cases(ws: Workspace, f: ApprovalFilter = ApprovalFilter(), today: date | None = None) -> int:
    today = today or date.today()
    with ws.reading() as session:
        return session.scalar(select(func.count()).select_from(_filtered(f, today).subquery()))


@requires(Permission.VIEW)
def ledger(ws: Workspace, start: date, end: date, key_only: bool = False) -> list[CaseSummary]:
    """Every case received in a period (or, not yet received, involved early in it), in received order."""
    with ws.reading() as session:
        ids = session.scalars(select(ApprovalRow.id).where(*_period(start, end, key_only))
                              .order_by(_entered().asc(), ApprovalRow.id)).all()
    return _summaries(ws, ids)


def _summaries(ws: Workspace, ids: Sequence[int], today: date | None = None) -> list[CaseSummary]:
    today = today or date.today()
    soon_limit = _soon_limit(ws, today)
    result: list[CaseSummary] = []
    context = _Rules(ws, today)
    with ws.reading() as session:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows = {row.id: row for row in session.scalars(select(ApprovalRow).where(ApprovalRow.id.in_(chunk)))}
            result.extend(_summary(ws, rows[i], today, soon_limit, context) for i in chunk)
    return result


def _entered():
    """The date a case entered the register: received, or (still being prepared) its early involvement."""
    return func.coalesce(ApprovalRow.received_on, ApprovalRow.early_involvement_on)


def _period(start: date, end: date, key_only: bool) -> list:
    conditions = [_entered() >= start, _entered() <= end]
    if key_only:
        conditions.append(ApprovalRow.key_project.is_(True))
    return conditions


# --- writing helpers ----------------------------------------------------------------------------

def _on_or_after(value: date, earlier: date | None, label: str, what: str) -> None:
    if earlier is not None and value < earlier:
        raise ValidationError(label, _("cannot be before {what} ({date})").format(what=what, date=earlier.isoformat()))


STEP_LABELS = {
    "receive": N_("received"), "request_materials": N_("sent a one-time notification"), "accept": N_("accepted"),
    "pause": N_("paused"), "resume": N_("resumed"), "decide": N_("approved or refused"), "file": N_("filed"),
    "withdraw": N_("withdrawn"),
}


def _expect(row: ApprovalRow, action: str) -> None:
    status = Status(row.status)
    doc = DocumentType(row.document_type)
    allowed = NEXT[status]
    if action in allowed and doc is DocumentType.REGISTRATION_FORM and action in ("request_materials", "accept"):
        raise ValidationError(_("Document type"), _("a registration form is filed on the day it arrives, "
                                                   "not accepted for review"))
    if action in allowed and doc is not DocumentType.REGISTRATION_FORM and action == "file":
        raise ValidationError(_("Document type"), _("only a registration form is filed; a report book or "
                                                   "form is decided"))
    if action not in allowed:
        raise ValidationError(_("Status"), _("A case that is “{status}” cannot be {action} now").format(
            status=status.label, action=_(STEP_LABELS.get(action, action))))


def _event(session: Session, row: ApprovalRow, action: str, on: date, staff_id: int | None, note: str = "") -> None:
    session.add(ApprovalEventRow(approval_id=row.id, event_date=on, action=action, status=row.status,
                                 staff_id=staff_id, note=note))


def _write(ws: Workspace, case_id: int, expected_version: int | None, action: str | None, work,
           today: date | None = None) -> tuple[Case, changes.Changes]:
    """Load the case, check the step is allowed, apply `work(session, row)`, recompute and store its clocks."""
    today = today or date.today()
    with ws.transaction() as session:
        row = _load(session, ApprovalRow, case_id, expected_version, _("The approval case"))
        if action is not None:
            _expect(row, action)
        work(session, row)
        session.flush()
        session.refresh(row, ["pauses"])
        _store_dues(ws, row, today)
        row.updated_at = utcnow()  # every step moves the version, so a stale form is refused
    return get_case(ws, case_id, today=today), changes.Changes.of(APPROVALS)


def _amount(value, label: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise ValidationError(label, _("“{value}” is not an amount in 10,000 yuan").format(value=value)) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(label, _("cannot be negative"))
    if amount >= Decimal("1e12"):
        raise ValidationError(label, _("is too large"))
    return amount.quantize(Decimal("0.01"))


def _labelled(enum, value: str, label: str):
    try:
        return enum.parse(value)
    except ValueError as error:
        raise ValidationError(label, str(error)) from None


def _validated(session: Session, data: ProjectInput) -> dict:
    name = required(data.name, _("Project"), 300)
    if data.builder_id is None:
        raise ValidationError(_("Builder"), _("is required"))
    if session.get(EnterpriseRow, data.builder_id) is None:
        raise ValidationError(_("Builder"), _("the enterprise does not exist"))
    doc = _labelled(DocumentType, data.document_type, _("Document type"))
    track = _labelled(Track, data.track, _("Approval track"))
    if doc is DocumentType.REGISTRATION_FORM and track in (Track.GREEN_CHANNEL, Track.NOTIFICATION_COMMITMENT):
        raise ValidationError(_("Approval track"), _("a registration form is filed on the day; it has no {track}").format(
            track=track.label))
    code = data.project_code.strip()
    if code:
        try:
            code = check_project_code(code)
        except ValueError as error:
            raise ValidationError(_("Investment project code"), str(error)) from None
    if data.town_id is not None and session.get(TownRow, data.town_id) is None:
        raise ValidationError(_("Town"), _("does not exist"))
    if data.category is not None:
        try:
            eia_category(int(data.category))
        except (TypeError, ValueError) as error:
            raise ValidationError(_("EIA category"), str(error)) from None
    total = _amount(data.total_investment, _("Total investment"))
    env = _amount(data.env_investment, _("Environmental investment"))
    if total is not None and env is not None and env > total:
        raise ValidationError(_("Environmental investment"), _("cannot exceed the total investment ({total})")
                              .format(total=total))
    active_staff(session, data.handler_id, _("Handler"), optional_=True)
    return dict(
        name=name, builder_id=data.builder_id, document_type=doc.value, track=track.value,
        level=_labelled(ApprovalLevel, data.level, _("Approval level")).value,
        nature=_labelled(Nature, data.nature, _("Nature")).value,
        contact_person=optional(data.contact_person, _("Contact person"), 50),
        contact_phone=optional(data.contact_phone, _("Contact phone"), 50), project_code=code,
        location=optional(data.location, _("Construction site"), 300), town_id=data.town_id,
        content_scale=optional(data.content_scale, _("Construction content and scale"), 5000),
        category=int(data.category) if data.category is not None else None,
        industry_code=optional(data.industry_code, _("Industry code"), 10), total_investment=total,
        env_investment=env, sensitive_area=bool(data.sensitive_area), planned_start=data.planned_start,
        key_project=bool(data.key_project),
        preparing_institution=optional(data.preparing_institution, _("Preparing institution"), 200),
        handler_id=data.handler_id)


def _next_number(ws: Workspace, session: Session, year: int) -> str:
    audit.take_turn(session)
    pattern = settings_app.get_value(ws, "approvals/number_format")
    prefix = number_prefix(pattern, year)
    numbers = session.scalars(select(ApprovalRow.number).where(ApprovalRow.number.like(f"{prefix}%"))).all()
    last = max((seq for seq in (number_sequence(pattern, year, n) for n in numbers) if seq is not None), default=0)
    return pattern.format(year=year, seq=last + 1)


def _document_number(session: Session, value: str, case_id: int | None, required_: bool) -> str | None:
    number = optional(value, _("Approval No."), 60)
    if not number:
        if required_:
            raise ValidationError(_("Approval No."), _("a decision needs its document number (批复文号)"))
        return None
    clash = session.scalar(select(ApprovalRow.number).where(ApprovalRow.document_number == number,
                                                            ApprovalRow.id != (case_id or 0)))
    if clash is not None:
        raise ValidationError(_("Approval No."), _("{number} is already used by case {case}").format(
            number=number, case=clash))
    return number


# --- registering and editing --------------------------------------------------------------------

@requires(Permission.APPROVALS_EDIT)
def register(ws: Workspace, data: ProjectInput, received_on: date | None = None,
             early_involvement_on: date | None = None, actor_id: int | None = None, number: str = "",
             today: date | None = None) -> tuple[Case, changes.Changes]:
    """Register a project: received (its application has arrived), or being prepared (early involvement).

    An exempt project is recorded as exempt at once, dated the day it was received or assessed.
    """
    today = today or date.today()
    with ws.transaction() as session:
        fields = _validated(session, data)
        if received_on is None and early_involvement_on is None:
            raise ValidationError(_("Received"), _("give the day the application arrived, or the day of early "
                                                   "involvement for a project still being prepared"))
        if received_on is not None:
            _not_future(received_on, _("Received"), today)
        if early_involvement_on is not None:
            _not_future(early_involvement_on, _("Early involvement"), today)
            if received_on is not None:
                _on_or_after(received_on, early_involvement_on, _("Received"), _("early involvement"))
        if fields["track"] == Track.EXEMPT.value:
            if received_on is None:
                raise ValidationError(_("Received"), _("an exempt project is recorded on the day it was assessed"))
            status = Status.EXEMPT
        else:
            status = Status.RECEIVED if received_on is not None else Status.PREPARING
        year = (received_on or early_involvement_on).year
        number = optional(number, _("No."), 40) or _next_number(ws, session, year)
        if session.scalar(select(ApprovalRow.id).where(ApprovalRow.number == number)) is not None:
            raise ValidationError(_("No."), _("{number} is already used").format(number=number))
        row = ApprovalRow(number=number, status=status.value, received_on=received_on,
                          early_involvement_on=early_involvement_on, missing_items=[], **fields)
        session.add(row)
        session.flush()
        _event(session, row, "register", early_involvement_on or received_on, actor_id)
        if received_on is not None and early_involvement_on is not None:
            _event(session, row, "receive", received_on, actor_id)
        _store_dues(ws, row, today)
        case_id = row.id
    return get_case(ws, case_id, today=today), changes.Changes.of(APPROVALS)


@requires(Permission.APPROVALS_EDIT)
def update_project(ws: Workspace, case_id: int, data: ProjectInput, actor_id: int | None = None,
                   expected_version: int | None = None, today: date | None = None) -> tuple[Case, changes.Changes]:
    """Correct the project and application details; a decided case keeps its document type and track."""
    today = today or date.today()

    def work(session, row):
        fields = _validated(session, data)
        status = Status(row.status)
        if not status.is_open and (fields["document_type"] != row.document_type or fields["track"] != row.track):
            raise ValidationError(_("Document type"), _("a case that is “{status}” keeps its document type and "
                                                       "track").format(status=status.label))
        if status.is_open and fields["track"] == Track.EXEMPT.value:
            raise ValidationError(_("Approval track"), _("register an exempt project as a new case"))
        if row.notified_on or row.accepted_on:
            if fields["document_type"] == DocumentType.REGISTRATION_FORM.value != row.document_type:
                raise ValidationError(_("Document type"), _("an accepted application cannot become a "
                                                           "registration form"))
        changed = sorted(key for key, value in fields.items() if getattr(row, key) != value)
        for key, value in fields.items():
            setattr(row, key, value)
        if changed:
            _event(session, row, "edit", today, actor_id, ", ".join(changed))

    return _write(ws, case_id, expected_version, None, work, today)


# --- the stages ---------------------------------------------------------------------------------

@requires(Permission.APPROVALS_EDIT)
def receive(ws: Workspace, case_id: int, on: date, actor_id: int | None = None,
            expected_version: int | None = None, today: date | None = None) -> tuple[Case, changes.Changes]:
    """The application of a project being prepared has arrived: the one-time-notification clock starts."""
    today = today or date.today()

    def work(session, row):
        _not_future(on, _("Received"), today)
        _on_or_after(on, row.early_involvement_on, _("Received"), _("early involvement"))
        row.received_on = on
        row.status = Status.RECEIVED.value
        _event(session, row, "receive", on, actor_id)

    return _write(ws, case_id, expected_version, "receive", work, today)


@requires(Permission.APPROVALS_EDIT)
def request_materials(ws: Workspace, case_id: int, on: date, items: Sequence[str], actor_id: int | None = None,
                      expected_version: int | None = None,
                      today: date | None = None) -> tuple[Case, changes.Changes]:
    """The one-time notification: every missing item at once (Administrative Licensing Law art. 32)."""
    today = today or date.today()

    def work(session, row):
        _not_future(on, _("Notified"), today)
        _on_or_after(on, row.received_on, _("Notified"), _("receipt"))
        listed = [optional(item, _("Missing materials"), 500) for item in items]
        listed = [item for item in listed if item]
        if not listed:
            raise ValidationError(_("Missing materials"), _("list at least one missing item"))
        row.notified_on = on
        row.missing_items = listed
        row.status = Status.MATERIALS_REQUESTED.value
        _event(session, row, "request_materials", on, actor_id, "; ".join(listed))

    return _write(ws, case_id, expected_version, "request_materials", work, today)


@requires(Permission.APPROVALS_EDIT)
def accept(ws: Workspace, case_id: int, on: date, actor_id: int | None = None, expected_version: int | None = None,
           today: date | None = None) -> tuple[Case, changes.Changes]:
    """Accepted for review: the statutory and promised clocks start."""
    today = today or date.today()

    def work(session, row):
        _not_future(on, _("Accepted"), today)
        _on_or_after(on, row.received_on, _("Accepted"), _("receipt"))
        _on_or_after(on, row.notified_on, _("Accepted"), _("the one-time notification"))
        row.accepted_on = on
        row.status = Status.UNDER_REVIEW.value
        _event(session, row, "accept", on, actor_id)

    return _write(ws, case_id, expected_version, "accept", work, today)


def _check_pauses(row: ApprovalRow, pauses: Sequence[Pause], decided_on: date | None = None) -> None:
    try:
        check_pauses(pauses, row.accepted_on, decided_on)
    except ValueError as error:
        raise ValidationError(_("Pause"), str(error)) from None


@requires(Permission.APPROVALS_EDIT)
def pause(ws: Workspace, case_id: int, kind: str, start: date, reason: str, actor_id: int | None = None,
          expected_version: int | None = None, today: date | None = None) -> tuple[Case, changes.Changes]:
    """Stop the clocks (expert review, technical evaluation, public notice, the applicant's revision)."""
    today = today or date.today()

    def work(session, row):
        pause_kind = _labelled(PauseKind, kind, _("Pause"))
        _not_future(start, _("Paused from"), today)
        text_ = required(reason, _("Reason"), 2000)
        _check_pauses(row, [*_stages(row).pauses, Pause(start, None)])
        row.pauses.append(PauseRow(kind=pause_kind.value, start_on=start, reason=text_))
        row.status = Status.PAUSED.value
        _event(session, row, "pause", start, actor_id, f"{pause_kind.label}: {text_}")

    return _write(ws, case_id, expected_version, "pause", work, today)


@requires(Permission.APPROVALS_EDIT)
def resume(ws: Workspace, case_id: int, last_paused_day: date, actor_id: int | None = None,
           expected_version: int | None = None, today: date | None = None) -> tuple[Case, changes.Changes]:
    """The pause is over: `last_paused_day` is the last day the clocks stood still; they run from the next."""
    today = today or date.today()

    def work(session, row):
        open_ = next((p for p in row.pauses if p.end_on is None), None)
        if open_ is None:
            raise ValidationError(_("Pause"), _("the case has no open pause"))
        _not_future(last_paused_day, _("Paused until"), today)
        _on_or_after(last_paused_day, open_.start_on, _("Paused until"), _("the start of the pause"))
        open_.end_on = last_paused_day
        row.status = Status.UNDER_REVIEW.value
        _event(session, row, "resume", last_paused_day + timedelta(days=1), actor_id)

    return _write(ws, case_id, expected_version, "resume", work, today)


@requires(Permission.APPROVALS_EDIT)
def correct_pause(ws: Workspace, case_id: int, pause_id: int, kind: str, start: date, end: date | None,
                  reason: str, actor_id: int | None = None, expected_version: int | None = None,
                  today: date | None = None) -> tuple[Case, changes.Changes]:
    """Correct the dates or reason of a recorded pause; the same rules as when it was entered."""
    today = today or date.today()

    def work(session, row):
        target = next((p for p in row.pauses if p.id == pause_id), None)
        if target is None:
            raise NotFound(_("The pause no longer exists."))
        pause_kind = _labelled(PauseKind, kind, _("Pause"))
        _not_future(start, _("Paused from"), today)
        if end is not None:
            _not_future(end, _("Paused until"), today)
        if end is None and Status(row.status) is not Status.PAUSED:
            raise ValidationError(_("Paused until"), _("is required: the case is no longer paused"))
        others = [Pause(p.start_on, p.end_on) for p in row.pauses if p.id != pause_id]
        try:
            candidate = Pause(start, end)
        except ValueError as error:
            raise ValidationError(_("Pause"), str(error)) from None
        _check_pauses(row, [*others, candidate], row.decided_on)
        if end is not None and target.end_on is None and Status(row.status) is Status.PAUSED:
            row.status = Status.UNDER_REVIEW.value  # the open pause was given its end: the clocks run again
        target.kind, target.start_on, target.end_on = pause_kind.value, start, end
        target.reason = required(reason, _("Reason"), 2000)
        _event(session, row, "correct_pause", today, actor_id,
               f"{pause_kind.label}: {start.isoformat()}–{end.isoformat() if end else ''}")

    return _write(ws, case_id, expected_version, None, work, today)


@requires(Permission.APPROVALS_DECIDE)
def decide(ws: Workspace, case_id: int, outcome: str, on: date, document_number: str, note: str = "",
           actor_id: int | None = None, expected_version: int | None = None,
           today: date | None = None) -> tuple[Case, changes.Changes]:
    """Approve or refuse a report book or form, with the decision's document number (批复文号)."""
    today = today or date.today()

    def work(session, row):
        result = _labelled(Outcome, outcome, _("Decision"))
        _not_future(on, _("Decided"), today)
        _on_or_after(on, row.accepted_on, _("Decided"), _("acceptance"))
        last_pause = max((p.end_on for p in row.pauses if p.end_on), default=None)
        _on_or_after(on, last_pause, _("Decided"), _("the end of the last pause"))
        row.document_number = _document_number(session, document_number, row.id, True)
        row.decided_on = on
        row.outcome = result.value
        row.decision_note = optional(note, _("Note"), 5000)
        row.status = Status.APPROVED.value if result is Outcome.APPROVED else Status.NOT_APPROVED.value
        _event(session, row, "decide", on, actor_id, row.document_number)

    return _write(ws, case_id, expected_version, "decide", work, today)


@requires(Permission.APPROVALS_EDIT)
def file_registration(ws: Workspace, case_id: int, on: date, filing_number: str = "", actor_id: int | None = None,
                      expected_version: int | None = None,
                      today: date | None = None) -> tuple[Case, changes.Changes]:
    """A registration form is filed (备案), normally on the day it arrives; the filing number is optional."""
    today = today or date.today()

    def work(session, row):
        _not_future(on, _("Filed"), today)
        _on_or_after(on, row.received_on, _("Filed"), _("receipt"))
        row.document_number = _document_number(session, filing_number, row.id, False)
        row.decided_on = on
        row.outcome = Status.FILED.value
        row.status = Status.FILED.value
        _event(session, row, "file", on, actor_id, row.document_number or "")

    return _write(ws, case_id, expected_version, "file", work, today)


@requires(Permission.APPROVALS_EDIT)
def withdraw(ws: Workspace, case_id: int, on: date, reason: str, actor_id: int | None = None,
             expected_version: int | None = None, today: date | None = None) -> tuple[Case, changes.Changes]:
    today = today or date.today()

    def work(session, row):
        _not_future(on, _("Withdrawn"), today)
        _on_or_after(on, row.received_on or row.early_involvement_on, _("Withdrawn"), _("receipt"))
        text_ = required(reason, _("Reason"), 2000)
        for open_ in (p for p in row.pauses if p.end_on is None):
            open_.end_on = max(open_.start_on, on)
        row.withdrawn_on = on
        row.decision_note = text_
        row.status = Status.WITHDRAWN.value
        _event(session, row, "withdraw", on, actor_id, text_)

    return _write(ws, case_id, expected_version, "withdraw", work, today)


# --- the leader's summary -----------------------------------------------------------------------

UNDER_REVIEW_STATUSES = (Status.RECEIVED, Status.MATERIALS_REQUESTED, Status.UNDER_REVIEW, Status.PAUSED)


@dataclass(frozen=True)
class Group:
    """Counts for one kind of project in the summary."""

    total: int = 0
    approved: int = 0       # approved, or filed for a registration form
    not_approved: int = 0
    under_review: int = 0   # received, waiting for materials, under review or paused
    preparing: int = 0
    exempt: int = 0
    withdrawn: int = 0


@dataclass(frozen=True)
class Timing:
    """Decided cases of one document type and track: how long they took and whether on time."""

    document_type: DocumentType
    track: Track
    decided: int
    average_working_days: float | None
    statutory_on_time: int
    promised_on_time: int
    statutory_limit: int
    statutory_unit: Unit
    average_statutory_used: float | None

    @property
    def faster_than_statutory(self) -> float | None:
        """1 − average days used / statutory limit: the seeds' "80% faster than statutory"."""
        if self.average_statutory_used is None or not self.statutory_limit:
            return None
        return 1 - self.average_statutory_used / self.statutory_limit


@dataclass(frozen=True)
class Summary:
    start: date
    end: date
    key_only: bool
    reports: Group            # report books and report forms together
    report_books: Group
    report_forms: Group
    registrations: Group
    timings: tuple[Timing, ...] = field(default_factory=tuple)
    by_month: dict[str, int] = field(default_factory=dict)   # received per month, "2026-03" → count
    overdue_open: int = 0

    @property
    def total(self) -> int:
        return self.reports.total + self.registrations.total

    @property
    def decided(self) -> int:
        return sum(t.decided for t in self.timings)

    @property
    def statutory_on_time(self) -> int:
        return sum(t.statutory_on_time for t in self.timings)

    @property
    def promised_on_time(self) -> int:
        return sum(t.promised_on_time for t in self.timings)

    @staticmethod
    def rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None


def _group(counts: dict[str, int]) -> Group:
    def of(*statuses: Status) -> int:
        return sum(counts.get(s.value, 0) for s in statuses)

    return Group(total=sum(counts.values()), approved=of(Status.APPROVED, Status.FILED),
                 not_approved=of(Status.NOT_APPROVED), under_review=of(*UNDER_REVIEW_STATUSES),
                 preparing=of(Status.PREPARING), exempt=of(Status.EXEMPT), withdrawn=of(Status.WITHDRAWN))


def _merge(*groups: Group) -> Group:
    return Group(*(sum(getattr(g, name) for g in groups) for name in Group.__dataclass_fields__))


@requires(Permission.VIEW)
def summary(ws: Workspace, start: date, end: date, key_only: bool = False, today: date | None = None) -> Summary:
    """The figures a leader reports upward, for projects that entered the register in a period."""
    today = today or date.today()
    if end < start:
        raise ValidationError(_("Period"), _("ends before it starts"))
    period = _period(start, end, key_only)
    with ws.reading() as session:
        by_type: dict[str, dict[str, int]] = {}
        for doc, status, count in session.execute(
                select(ApprovalRow.document_type, ApprovalRow.status, func.count()).where(*period)
                .group_by(ApprovalRow.document_type, ApprovalRow.status)):
            by_type.setdefault(doc, {})[status] = count
        timing_rows = session.execute(
            select(ApprovalRow.document_type, ApprovalRow.track, func.count(),
                   func.avg(ApprovalRow.working_days_used), func.avg(ApprovalRow.statutory_used),
                   func.count().filter(ApprovalRow.decided_on <= ApprovalRow.statutory_due),
                   func.count().filter(ApprovalRow.decided_on <= ApprovalRow.promised_due))
            .where(*period, ApprovalRow.decided_on.is_not(None), ApprovalRow.status != Status.WITHDRAWN.value)
            .group_by(ApprovalRow.document_type, ApprovalRow.track)).all()
        month = func.substr(func.cast(_entered(), type_=ApprovalRow.number.type), 1, 7)
        by_month = dict(session.execute(select(month, func.count()).where(*period).group_by(month)).all())
        overdue = session.scalar(select(func.count()).select_from(ApprovalRow).where(
            *period, ApprovalRow.next_due < today,
            ApprovalRow.status.in_([s.value for s in OPEN if s is not Status.PAUSED])))
    timings = []
    for doc, track, count, avg_days, avg_used, statutory_ok, promised_ok in sorted(timing_rows):
        doc_type = DocumentType(doc)
        rule = settings_app.rule(ws, statutory_rule_key(doc_type))
        timings.append(Timing(doc_type, Track(track), count, float(avg_days) if avg_days is not None else None,
                              statutory_ok, promised_ok, rule.limit, rule.unit,
                              float(avg_used) if avg_used is not None else None))
    books = _group(by_type.get(DocumentType.REPORT_BOOK.value, {}))
    forms = _group(by_type.get(DocumentType.REPORT_FORM.value, {}))
    return Summary(start, end, key_only, _merge(books, forms), books, forms,
                   _group(by_type.get(DocumentType.REGISTRATION_FORM.value, {})), tuple(timings),
                   {key: by_month[key] for key in sorted(k for k in by_month if k)}, overdue or 0)


# --- the Overview -------------------------------------------------------------------------------

class ApprovalsDue:
    """Cases whose nearer clock is overdue or due within N working days (3 by default)."""

    def due_items(self, ws: Workspace, today: date, horizon_days: int):
        from envdesk.app.overview import DueItem
        from envdesk.app.overview import Severity as Level

        limit = _soon_limit(ws, today)
        register_name = N_("Approvals")
        running = [s.value for s in OPEN if s not in (Status.PAUSED, Status.PREPARING)]
        items = []
        with ws.reading() as session:
            rows = session.execute(select(ApprovalRow.number, ApprovalRow.name, ApprovalRow.status,
                                          ApprovalRow.next_due, ApprovalRow.document_type)
                                   .where(ApprovalRow.status.in_(running), ApprovalRow.next_due <= limit)
                                   .order_by(ApprovalRow.next_due).limit(200)).all()
        for number, name, status, due, doc in rows:
            if doc == DocumentType.REGISTRATION_FORM.value:
                what = _("Filing due")
            elif status == Status.RECEIVED.value:
                what = _("One-time notification due")
            else:
                what = _("Decision due")
            days = (due - today).days
            items.append(DueItem(register_name, number, f"{what}: {name[:60]}",
                                 Level.OVERDUE if days < 0 else Level.DUE_SOON, due, days,
                                 _("Environmental Impact Assessment Law; the bureau's public service commitment")))
        return items

    def figures(self, ws: Workspace, today: date):
        from envdesk.app.overview import Figure

        with ws.reading() as session:
            open_count = session.scalar(select(func.count()).select_from(ApprovalRow).where(
                ApprovalRow.status.in_([s.value for s in OPEN if s is not Status.PREPARING])))
        return [Figure(N_("Applications under review"), open_count)]
