"""Use cases of the twinning register: pairs, monthly contacts, health checks and the closed-loop service account."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envdesk.app import changes
from envdesk.app.access import requires
from envdesk.app.enterprises import Enterprise
from envdesk.app.enterprises import to_value as enterprise_value
from envdesk.app.errors import NotFound, ValidationError
from envdesk.app.reference import _load, _optional, _required
from envdesk.app.validation import active_staff as _staff
from envdesk.app.validation import contains
from envdesk.app.validation import not_future as _not_future
from envdesk.app.workspace import Workspace
from envdesk.domain.twinning import (
    ContactMode,
    EnterpriseType,
    ItemAction,
    ItemCategory,
    ItemSource,
    ItemStatus,
    MonthMark,
    PairPeriod,
    PairStatus,
    Severity,
    TransitionError,
    month_marks,
    next_status,
)
from envdesk.domain.users import Permission
from envdesk.i18n import _
from envdesk.store.models import DepartmentRow, StaffRow
from envdesk.store.twinning import (
    ContactRow,
    EnterpriseRow,
    FindingRow,
    HealthCheckRow,
    ItemEventRow,
    PairRow,
    ServiceItemRow,
)
from envdesk.store.types import utcnow

TWINNING = changes.TWINNING
ITEM_NUMBER = "FW-{year}-{seq:04d}"


# --- values -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Person:
    id: int
    name: str
    department: str = ""
    title: str = ""
    phone: str = ""


def _person(row: StaffRow | None) -> Person | None:
    if row is None:
        return None
    return Person(row.id, row.name, row.department.name_zh if row.department else "", row.title, row.phone)


@dataclass(frozen=True)
class Pair:
    id: int
    enterprise: Enterprise
    year: int
    liaison: Person
    leader: Person
    start_date: date
    end_date: date | None
    status: PairStatus
    end_reason: str
    version: int
    # Figures for the yearly list (filled by year_list, zero elsewhere).
    contacts_this_month: int = 0
    open_items: int = 0
    last_health_check: date | None = None


def _pair(row: PairRow, **figures) -> Pair:
    return Pair(row.id, enterprise_value(row.enterprise), row.year, _person(row.liaison), _person(row.leader),
                row.start_date, row.end_date, PairStatus(row.status), row.end_reason, row.version, **figures)


@dataclass(frozen=True)
class Contact:
    id: int
    pair_id: int
    contact_date: date
    mode: ContactMode
    staff: Person
    summary: str
    problems: tuple[str, ...]
    raised: tuple[int, ...] = ()  # indexes of problems already raised as service items
    version: int = 1


@dataclass(frozen=True)
class Finding:
    id: int
    description: str
    severity: Severity
    treatment: str
    item_number: str = ""  # the service item raised from it, if any


@dataclass(frozen=True)
class HealthCheck:
    id: int
    enterprise_id: int
    check_date: date
    expert_team: str
    scope: str
    findings: tuple[Finding, ...]
    version: int = 1


@dataclass(frozen=True)
class ItemEvent:
    event_date: date
    action: str
    from_status: ItemStatus | None
    to_status: ItemStatus
    staff: str
    department: str
    note: str


@dataclass(frozen=True)
class ServiceItem:
    id: int
    number: str
    enterprise_id: int
    enterprise_name: str
    source: ItemSource
    category: ItemCategory
    description: str
    department_id: int | None
    department: str
    owner_id: int | None
    owner: str
    due_date: date | None
    status: ItemStatus
    resolution: str
    cancel_reason: str
    version: int
    events: tuple[ItemEvent, ...] = field(default=())

    def is_overdue(self, today: date) -> bool:
        return self.status.is_open and self.due_date is not None and self.due_date < today


# --- pairs --------------------------------------------------------------------------------------

def _check_pair(session: Session, enterprise_id: int, year: int, liaison_id: int, leader_id: int, start: date,
                end: date | None, pair_id: int | None) -> None:
    if session.get(EnterpriseRow, enterprise_id) is None:
        raise ValidationError(_("Enterprise"), _("does not exist"))
    _staff(session, liaison_id, _("Liaison officer"))
    _staff(session, leader_id, _("Contact leader"), leader=True)
    if start.year != year:
        raise ValidationError(_("Start date"), _("must fall in {year}").format(year=year))
    if end is not None:
        if end < start:
            raise ValidationError(_("End date"), _("cannot be before the start date"))
        if end.year != year:
            raise ValidationError(_("End date"), _("must fall in {year}").format(year=year))
    others = session.scalars(select(PairRow).where(PairRow.enterprise_id == enterprise_id, PairRow.year == year,
                                                   PairRow.id != (pair_id or -1))).all()
    if any(other.status == PairStatus.ACTIVE.value for other in others):
        raise ValidationError(_("Enterprise"), _("is already paired in {year}; end that pair first").format(year=year))
    for other in others:
        if other.end_date is not None and start <= other.end_date:
            raise ValidationError(_("Start date"), _("must be after the earlier pair ended ({date})").format(
                date=other.end_date.isoformat()))
    if pair_id is not None:
        first_contact = session.scalar(select(func.min(ContactRow.contact_date)).where(ContactRow.pair_id == pair_id))
        if first_contact is not None and start > first_contact:
            raise ValidationError(_("Start date"), _("cannot be after the first contact ({date})").format(
                date=first_contact.isoformat()))


@requires(Permission.TWINNING_EDIT)
def pair_enterprise(ws: Workspace, enterprise_id: int, year: int, liaison_id: int, leader_id: int,
                    start_date: date, end_date: date | None = None) -> tuple[Pair, changes.Changes]:
    """A new pair, active from `start_date`; `end_date` is a planned end (the pair ends through end_pair)."""
    with ws.transaction() as session:
        _check_pair(session, enterprise_id, year, liaison_id, leader_id, start_date, end_date, None)
        row = PairRow(enterprise_id=enterprise_id, year=year, liaison_id=liaison_id, leader_id=leader_id,
                      start_date=start_date, end_date=end_date, status=PairStatus.ACTIVE.value, end_reason="")
        session.add(row)
        session.flush()
        value = _pair(row)
    return value, changes.Changes.of(TWINNING)


@requires(Permission.TWINNING_EDIT)
def update_pair(ws: Workspace, pair_id: int, liaison_id: int, leader_id: int, start_date: date,
                expected_version: int | None = None) -> tuple[Pair, changes.Changes]:
    """Change who serves an enterprise (a new liaison officer or leader) or when the pair started."""
    with ws.transaction() as session:
        row = _load(session, PairRow, pair_id, expected_version, _("The pair"))
        _check_pair(session, row.enterprise_id, row.year, liaison_id, leader_id, start_date, row.end_date, pair_id)
        row.liaison_id, row.leader_id, row.start_date = liaison_id, leader_id, start_date
        session.flush()
        session.refresh(row)
        value = _pair(row)
    return value, changes.Changes.of(TWINNING)


@requires(Permission.TWINNING_EDIT)
def end_pair(ws: Workspace, pair_id: int, end_date: date, reason: str, expected_version: int | None = None,
             today: date | None = None) -> tuple[Pair, changes.Changes]:
    reason = _required(reason, _("Reason"), 1000)
    with ws.transaction() as session:
        row = _load(session, PairRow, pair_id, expected_version, _("The pair"))
        if row.status == PairStatus.ENDED.value:
            raise ValidationError(_("Status"), _("the pair has already ended"))
        if end_date < row.start_date:
            raise ValidationError(_("End date"), _("cannot be before the start date"))
        if end_date.year != row.year:
            raise ValidationError(_("End date"), _("must fall in {year}").format(year=row.year))
        _not_future(end_date, _("End date"), today or date.today())  # a pair ends when it has ended
        last_contact = session.scalar(select(func.max(ContactRow.contact_date)).where(ContactRow.pair_id == pair_id))
        if last_contact is not None and end_date < last_contact:
            raise ValidationError(_("End date"), _("cannot be before the last contact ({date})").format(
                date=last_contact.isoformat()))
        row.end_date, row.end_reason, row.status = end_date, reason, PairStatus.ENDED.value
        session.flush()
        value = _pair(row)
    return value, changes.Changes.of(TWINNING)


@requires(Permission.VIEW)
def get_pair(ws: Workspace, pair_id: int) -> Pair:
    with ws.reading() as session:
        row = session.get(PairRow, pair_id)
        if row is None:
            raise NotFound(_("The pair no longer exists."))
        return _pair(row)


@requires(Permission.VIEW)
def years(ws: Workspace) -> list[int]:
    with ws.reading() as session:
        return list(session.scalars(select(PairRow.year).distinct().order_by(PairRow.year.desc())))


@requires(Permission.VIEW)
def year_list(ws: Workspace, year: int, today: date | None = None, *, town_id: int | None = None,
              liaison_id: int | None = None, enterprise_type: str | None = None, text: str = "",
              include_ended: bool = True) -> list[Pair]:
    """Every pair of a year with its liaison, leader, contacts this month, open items and last health check."""
    today = today or date.today()
    month_start = today.replace(day=1)
    with ws.reading() as session:
        contacts = (select(ContactRow.pair_id, func.count().label("n"))
                    .where(ContactRow.contact_date >= month_start, ContactRow.contact_date <= today)
                    .group_by(ContactRow.pair_id).subquery())
        items = (select(ServiceItemRow.enterprise_id, func.count().label("n"))
                 .where(ServiceItemRow.status.notin_([ItemStatus.CLOSED.value, ItemStatus.CANCELLED.value]))
                 .group_by(ServiceItemRow.enterprise_id).subquery())
        checks = (select(HealthCheckRow.enterprise_id, func.max(HealthCheckRow.check_date).label("last"))
                  .group_by(HealthCheckRow.enterprise_id).subquery())
        query = (select(PairRow, contacts.c.n, items.c.n, checks.c.last)
                 .join(EnterpriseRow, EnterpriseRow.id == PairRow.enterprise_id)
                 .outerjoin(contacts, contacts.c.pair_id == PairRow.id)
                 .outerjoin(items, items.c.enterprise_id == PairRow.enterprise_id)
                 .outerjoin(checks, checks.c.enterprise_id == PairRow.enterprise_id)
                 .where(PairRow.year == year)
                 .order_by(EnterpriseRow.name_zh, PairRow.id))
        if town_id is not None:
            query = query.where(EnterpriseRow.town_id == town_id)
        if liaison_id is not None:
            query = query.where(PairRow.liaison_id == liaison_id)
        if text.strip():
            query = query.where(EnterpriseRow.name_zh.like(contains(text.strip()), escape="\\"))
        if not include_ended:
            query = query.where(PairRow.status == PairStatus.ACTIVE.value)
        result = []
        for row, contacted, open_items, last_check in session.execute(query):
            if enterprise_type and enterprise_type not in (row.enterprise.types or ()):
                continue  # types are a short JSON list; a handful of pairs a year makes this cheap
            result.append(_pair(row, contacts_this_month=contacted or 0, open_items=open_items or 0,
                                last_health_check=last_check))
        return result


# --- contacts -----------------------------------------------------------------------------------

def _contact(row: ContactRow, raised: Sequence[int] = ()) -> Contact:
    return Contact(row.id, row.pair_id, row.contact_date, ContactMode(row.mode), _person(row.staff), row.summary,
                   tuple(row.problems or ()), tuple(raised), row.version)


@requires(Permission.TWINNING_EDIT)
def log_contact(ws: Workspace, pair_id: int, contact_date: date, mode: str, staff_id: int, summary: str,
                problems: Sequence[str] = (), today: date | None = None) -> tuple[Contact, changes.Changes]:
    """A visit, video call or phone call by which the liaison officer served the enterprise."""
    today = today or date.today()
    summary = _required(summary, _("Summary"), 4000)
    problems = [p.strip() for p in problems if p and p.strip()]
    try:
        mode_value = ContactMode.parse(mode).value
    except ValueError as error:
        raise ValidationError(_("Mode"), str(error)) from None
    _not_future(contact_date, _("Contact date"), today)
    with ws.transaction() as session:
        pair = session.get(PairRow, pair_id)
        if pair is None:
            raise NotFound(_("The pair no longer exists."))
        last_day = pair.end_date or date(pair.year, 12, 31)  # a contact counts in its pair's year
        if contact_date < pair.start_date or contact_date > last_day:
            raise ValidationError(_("Contact date"), _("must fall within the pair ({start} – {end})").format(
                start=pair.start_date.isoformat(), end=last_day.isoformat()))
        _staff(session, staff_id, _("Staff"))
        row = ContactRow(pair_id=pair_id, contact_date=contact_date, mode=mode_value, staff_id=staff_id,
                         summary=summary, problems=problems)
        session.add(row)
        session.flush()
        value = _contact(row)
    return value, changes.Changes.of(TWINNING)


@requires(Permission.VIEW)
def contacts(ws: Workspace, pair_id: int) -> list[Contact]:
    with ws.reading() as session:
        rows = session.scalars(select(ContactRow).where(ContactRow.pair_id == pair_id)
                               .order_by(ContactRow.contact_date.desc(), ContactRow.id.desc())).all()
        raised: dict[int, list[int]] = {}
        for contact_id, index in session.execute(
                select(ServiceItemRow.contact_id, ServiceItemRow.problem_index)
                .where(ServiceItemRow.contact_id.in_([r.id for r in rows]))):
            raised.setdefault(contact_id, []).append(index)
        return [_contact(row, raised.get(row.id, ())) for row in rows]


# --- health checks ------------------------------------------------------------------------------

@dataclass(frozen=True)
class FindingInput:
    description: str
    severity: str = "medium"
    treatment: str = ""


@requires(Permission.TWINNING_EDIT)
def record_health_check(ws: Workspace, enterprise_id: int, check_date: date, expert_team: str, scope: str,
                        findings: Sequence[FindingInput], today: date | None = None
                        ) -> tuple[HealthCheck, changes.Changes]:
    """An environmental health check (环保体检) by an expert team, with its findings and suggested treatment."""
    today = today or date.today()
    _not_future(check_date, _("Check date"), today)
    expert_team = _required(expert_team, _("Expert team"), 1000)
    scope = _optional(scope, _("Scope"), 2000)
    rows = []
    for number, finding in enumerate(findings, 1):
        label = _("Finding {n}").format(n=number)
        try:
            severity = Severity.parse(finding.severity).value
        except ValueError as error:
            raise ValidationError(label, str(error)) from None
        rows.append(FindingRow(description=_required(finding.description, label, 2000), severity=severity,
                               treatment=_optional(finding.treatment, label, 2000)))
    with ws.transaction() as session:
        if session.get(EnterpriseRow, enterprise_id) is None:
            raise ValidationError(_("Enterprise"), _("does not exist"))
        check = HealthCheckRow(enterprise_id=enterprise_id, check_date=check_date, expert_team=expert_team,
                               scope=scope, findings=rows)
        session.add(check)
        session.flush()
        value = _check(session, check)
    return value, changes.Changes.of(TWINNING)


def _check(session: Session, row: HealthCheckRow) -> HealthCheck:
    numbers = dict(session.execute(select(ServiceItemRow.finding_id, ServiceItemRow.number)
                                   .where(ServiceItemRow.finding_id.in_([f.id for f in row.findings]))).all())
    return HealthCheck(row.id, row.enterprise_id, row.check_date, row.expert_team, row.scope,
                       tuple(Finding(f.id, f.description, Severity(f.severity), f.treatment, numbers.get(f.id, ""))
                             for f in row.findings), row.version)


@requires(Permission.VIEW)
def health_checks(ws: Workspace, enterprise_id: int) -> list[HealthCheck]:
    with ws.reading() as session:
        rows = session.scalars(select(HealthCheckRow).where(HealthCheckRow.enterprise_id == enterprise_id)
                               .order_by(HealthCheckRow.check_date.desc(), HealthCheckRow.id.desc())).all()
        return [_check(session, row) for row in rows]


@requires(Permission.VIEW)
def get_health_check(ws: Workspace, check_id: int) -> HealthCheck:
    with ws.reading() as session:
        row = session.get(HealthCheckRow, check_id)
        if row is None:
            raise NotFound(_("The health check no longer exists."))
        return _check(session, row)


# --- service items ------------------------------------------------------------------------------

def _item(row: ServiceItemRow, session: Session, with_events: bool = False) -> ServiceItem:
    department = session.get(DepartmentRow, row.department_id) if row.department_id else None
    owner = session.get(StaffRow, row.owner_id) if row.owner_id else None
    events: tuple[ItemEvent, ...] = ()
    if with_events:
        names = {d.id: d.name_zh for d in session.scalars(select(DepartmentRow))}
        events = tuple(ItemEvent(e.event_date, e.action, ItemStatus(e.from_status) if e.from_status else None,
                                 ItemStatus(e.to_status), e.staff.name if e.staff else "",
                                 names.get(e.department_id, ""), e.note) for e in row.events)
    return ServiceItem(row.id, row.number, row.enterprise_id, row.enterprise.name_zh, ItemSource(row.source),
                       ItemCategory(row.category), row.description, row.department_id,
                       department.name_zh if department else "", row.owner_id, owner.name if owner else "",
                       row.due_date, ItemStatus(row.status), row.resolution, row.cancel_reason, row.version, events)


def _next_number(session: Session, year: int) -> str:
    prefix = ITEM_NUMBER.split("{seq")[0].format(year=year)
    last = session.scalar(select(func.max(ServiceItemRow.number)).where(ServiceItemRow.number.like(f"{prefix}%")))
    seq = int(last[len(prefix):]) + 1 if last else 1
    return ITEM_NUMBER.format(year=year, seq=seq)


def _new_item(session: Session, enterprise_id: int, source: ItemSource, category: str, description: str,
              due_date: date | None, actor_id: int, event_date: date, today: date, note: str = "",
              contact_id: int | None = None, finding_id: int | None = None) -> ServiceItemRow:
    description = _required(description, _("Description"), 4000)
    try:
        category_value = ItemCategory.parse(category).value
    except ValueError as error:
        raise ValidationError(_("Category"), str(error)) from None
    _not_future(event_date, _("Date"), today)
    if due_date is not None and due_date < event_date:
        raise ValidationError(_("Due date"), _("cannot be before the item was collected"))
    _staff(session, actor_id, _("Collected by"))
    if session.get(EnterpriseRow, enterprise_id) is None:
        raise ValidationError(_("Enterprise"), _("does not exist"))
    row = ServiceItemRow(number=_next_number(session, event_date.year), enterprise_id=enterprise_id,
                         source=source.value, contact_id=contact_id, finding_id=finding_id, category=category_value,
                         description=description, due_date=due_date, status=ItemStatus.COLLECTED.value,
                         resolution="", cancel_reason="")
    session.add(row)
    session.flush()
    session.add(ItemEventRow(item_id=row.id, event_date=event_date, action="collect", from_status=None,
                             to_status=ItemStatus.COLLECTED.value, staff_id=actor_id, note=note))
    return row


@requires(Permission.TWINNING_EDIT)
def create_item(ws: Workspace, enterprise_id: int, source: str, category: str, description: str, actor_id: int,
                event_date: date | None = None, due_date: date | None = None,
                today: date | None = None) -> tuple[ServiceItem, changes.Changes]:
    """Collect a matter raised by an enterprise or found otherwise: it gets its own number (一事一单)."""
    today = today or date.today()
    try:
        source_value = ItemSource.parse(source)
    except ValueError as error:
        raise ValidationError(_("Source"), str(error)) from None
    with ws.transaction() as session:
        row = _new_item(session, enterprise_id, source_value, category, description, due_date, actor_id,
                        event_date or today, today)
        value = _item(row, session)
    return value, changes.Changes.of(TWINNING)


@requires(Permission.TWINNING_EDIT)
def raise_from_contact(ws: Workspace, contact_id: int, problem_index: int, category: str, actor_id: int,
                       due_date: date | None = None, today: date | None = None) -> tuple[ServiceItem, changes.Changes]:
    """A problem raised during a contact becomes a service item in one step."""
    today = today or date.today()
    with ws.transaction() as session:
        contact = session.get(ContactRow, contact_id)
        if contact is None:
            raise NotFound(_("The contact no longer exists."))
        problems = contact.problems or []
        if not 0 <= problem_index < len(problems):
            raise ValidationError(_("Problem"), _("no such problem in this contact"))
        already = session.scalars(select(ServiceItemRow.number).where(
            ServiceItemRow.contact_id == contact_id, ServiceItemRow.problem_index == problem_index)).first()
        if already:
            raise ValidationError(_("Problem"), _("was already raised as item {number}").format(number=already))
        pair = session.get(PairRow, contact.pair_id)
        row = _new_item(session, pair.enterprise_id, ItemSource.CONTACT, category, problems[problem_index], due_date,
                        actor_id, contact.contact_date, today, contact_id=contact_id)
        row.problem_index = problem_index
        value = _item(row, session)
    return value, changes.Changes.of(TWINNING)


@requires(Permission.TWINNING_EDIT)
def raise_from_finding(ws: Workspace, finding_id: int, category: str, actor_id: int, due_date: date | None = None,
                       today: date | None = None) -> tuple[ServiceItem, changes.Changes]:
    """A health-check finding becomes a service item; its suggested treatment goes with it."""
    today = today or date.today()
    with ws.transaction() as session:
        finding = session.get(FindingRow, finding_id)
        if finding is None:
            raise NotFound(_("The finding no longer exists."))
        already = session.scalars(select(ServiceItemRow.number).where(ServiceItemRow.finding_id == finding_id)).first()
        if already:
            raise ValidationError(_("Finding"), _("was already raised as item {number}").format(number=already))
        check = finding.check
        # The item keeps the finding's own words; its suggested treatment stays with the finding (finding_id).
        row = _new_item(session, check.enterprise_id, ItemSource.HEALTH_CHECK, category, finding.description,
                        due_date, actor_id, check.check_date, today, finding_id=finding_id)
        value = _item(row, session)
    return value, changes.Changes.of(TWINNING)


@requires(Permission.TWINNING_EDIT)
def advance_item(ws: Workspace, item_id: int, action: str, actor_id: int, note: str = "", *,
                 event_date: date | None = None, department_id: int | None = None, owner_id: int | None = None,
                 due_date: date | None = None, resolution: str = "", reason: str = "",
                 expected_version: int | None = None, today: date | None = None
                 ) -> tuple[ServiceItem, changes.Changes]:
    """One step of the closed loop: hand over (to a department and owner), track, close (销号) or cancel."""
    today = today or date.today()
    event_date = event_date or today
    try:
        step = ItemAction.parse(action)
    except ValueError as error:
        raise ValidationError(_("Action"), str(error)) from None
    note = _optional(note, _("Note"), 4000)
    _not_future(event_date, _("Date"), today)
    with ws.transaction() as session:
        row = _load(session, ServiceItemRow, item_id, expected_version, _("The service item"))
        current = ItemStatus(row.status)
        try:
            target = next_status(current, step)
        except TransitionError as error:
            raise ValidationError(_("Status"), str(error)) from None
        last = max(e.event_date for e in row.events)
        if event_date < last:
            raise ValidationError(_("Date"), _("cannot be before the item's last step ({date})").format(
                date=last.isoformat()))
        _staff(session, actor_id, _("Done by"))
        if step is ItemAction.HAND_OVER:
            if department_id is None or session.get(DepartmentRow, department_id) is None:
                raise ValidationError(_("Department"), _("is required to hand an item over"))
            if owner_id is not None:
                _staff(session, owner_id, _("Owner"))
            if due_date is not None and due_date < event_date:
                raise ValidationError(_("Due date"), _("cannot be before the hand-over"))
            row.department_id, row.owner_id = department_id, owner_id
            if due_date is not None:
                row.due_date = due_date
        elif step is ItemAction.TRACK:
            note = _required(note, _("Progress"), 4000)
        elif step is ItemAction.CLOSE:
            row.resolution = _required(resolution, _("Resolution"), 4000)
        elif step is ItemAction.CANCEL:
            row.cancel_reason = _required(reason, _("Reason"), 4000)
        row.status = target.value
        row.updated_at = utcnow()  # every step changes the item, so its version moves even when its status stays
        session.add(ItemEventRow(item_id=row.id, event_date=event_date, action=step.value, from_status=current.value,
                                 to_status=target.value, staff_id=actor_id,
                                 department_id=department_id if step is ItemAction.HAND_OVER else None,
                                 note=note or row.resolution or row.cancel_reason))
        session.flush()
        session.refresh(row)
        value = _item(row, session, with_events=True)
    return value, changes.Changes.of(TWINNING)


@requires(Permission.VIEW)
def items(ws: Workspace, enterprise_id: int | None = None, open_only: bool = False,
          with_events: bool = False) -> list[ServiceItem]:
    with ws.reading() as session:
        query = select(ServiceItemRow).order_by(ServiceItemRow.number)
        if enterprise_id is not None:
            query = query.where(ServiceItemRow.enterprise_id == enterprise_id)
        if open_only:
            query = query.where(ServiceItemRow.status.notin_([ItemStatus.CLOSED.value, ItemStatus.CANCELLED.value]))
        return [_item(row, session, with_events) for row in session.scalars(query)]


@requires(Permission.VIEW)
def get_item(ws: Workspace, item_id: int) -> ServiceItem:
    with ws.reading() as session:
        row = session.get(ServiceItemRow, item_id)
        if row is None:
            raise NotFound(_("The service item no longer exists."))
        return _item(row, session, with_events=True)


# --- the compliance grid ------------------------------------------------------------------------

@dataclass(frozen=True)
class GridRow:
    pair: Pair
    marks: tuple[MonthMark, ...]

    @property
    def missed(self) -> int:
        return sum(1 for mark in self.marks if mark is MonthMark.MISSED)


@requires(Permission.VIEW)
def compliance_grid(ws: Workspace, year: int, today: date | None = None) -> list[GridRow]:
    """Per pair of the year, a mark per month: contacted, missed, due (this month), future, not paired."""
    today = today or date.today()
    pairs = year_list(ws, year, today)
    with ws.reading() as session:
        dates: dict[int, list[date]] = {}
        for pair_id, contact_date in session.execute(
                select(ContactRow.pair_id, ContactRow.contact_date).join(PairRow)
                .where(PairRow.year == year)):
            dates.setdefault(pair_id, []).append(contact_date)
    return [GridRow(pair, tuple(month_marks(year, PairPeriod(pair.start_date, pair.end_date),
                                            dates.get(pair.id, ()), today))) for pair in pairs]


@requires(Permission.VIEW)
def not_contacted_this_month(ws: Workspace, today: date | None = None) -> list[Pair]:
    today = today or date.today()
    return [pair for pair in year_list(ws, today.year, today, include_ended=False)
            if pair.contacts_this_month == 0 and pair.start_date <= today]



# --- the Overview -------------------------------------------------------------------------------

class TwinningDue:
    """Pairs the liaison officer has not served this month, and service items overdue or due soon."""

    def due_items(self, ws: Workspace, today: date, horizon_days: int):
        from envdesk.app.overview import DueItem
        from envdesk.app.overview import Severity as Urgency
        from envdesk.i18n import N_

        register = N_("Twinning enterprises")
        month_end = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        result = []
        for pair in not_contacted_this_month(ws, today):
            days = (month_end - today).days
            result.append(DueItem(register, pair.enterprise.name_zh,
                                  _("No contact yet this month (liaison officer {name})").format(name=pair.liaison.name),
                                  Urgency.DUE_SOON if days <= horizon_days else Urgency.NOTICE, month_end, days,
                                  _("At least one contact a month")))
        horizon = today + timedelta(days=horizon_days)
        with ws.reading() as session:
            query = (select(ServiceItemRow)
                     .where(ServiceItemRow.status.notin_([ItemStatus.CLOSED.value, ItemStatus.CANCELLED.value]),
                            ServiceItemRow.due_date.is_not(None), ServiceItemRow.due_date <= horizon)
                     .order_by(ServiceItemRow.due_date))
            for row in session.scalars(query):
                days = (row.due_date - today).days
                result.append(DueItem(register, row.number, f"{row.enterprise.name_zh}: {row.description}",
                                      Urgency.OVERDUE if days < 0 else Urgency.DUE_SOON, row.due_date, days,
                                      _("Service item due date")))
        return result

    def figures(self, ws: Workspace, today: date):
        from envdesk.app.overview import Figure
        from envdesk.i18n import N_

        with ws.reading() as session:
            pairs = session.scalar(select(func.count()).select_from(PairRow).where(
                PairRow.year == today.year, PairRow.status == PairStatus.ACTIVE.value))
            open_items = session.scalar(select(func.count()).select_from(ServiceItemRow).where(
                ServiceItemRow.status.notin_([ItemStatus.CLOSED.value, ItemStatus.CANCELLED.value])))
        return [Figure(N_("Paired enterprises this year"), pairs), Figure(N_("Open service items"), open_items)]


# --- import and export --------------------------------------------------------------------------

@requires(Permission.TWINNING_EDIT)
def import_pairs(ws: Workspace, rows, check_only: bool = False):
    """Pairs from the province's list as offices keep it in Excel: year, enterprise (name or credit code),
    liaison officer and contact leader by name. Unknown people are errors naming the row, never created."""
    from envdesk.app.reference import ImportSummary
    from envdesk.domain.credit_code import check_credit_code
    from envdesk.domain.importing import RowProblem, RowsRejected

    problems: list[RowProblem] = []
    with ws.transaction() as session:
        staff = {s.name: s for s in session.scalars(select(StaffRow).where(StaffRow.active.is_(True)))}
        prepared = []
        seen: dict[tuple[int, int], int] = {}
        for number, values in rows:
            year = values.get("year")
            enterprise = None
            code = (values.get("credit_code") or "").strip()
            name = (values.get("enterprise") or "").strip()
            if code:
                check = check_credit_code(code)
                if not check.valid:
                    problems.append(RowProblem(number, "credit_code", code, check.errors[0]))
                else:
                    enterprise = session.scalars(select(EnterpriseRow).where(
                        EnterpriseRow.credit_code == check.code)).first()
                    if enterprise is None:
                        problems.append(RowProblem(number, "credit_code", code, _(
                            "No enterprise with this credit code; import the enterprises first")))
            elif name:
                found = session.scalars(select(EnterpriseRow).where(EnterpriseRow.name_zh == name).limit(2)).all()
                if len(found) == 1:
                    enterprise = found[0]
                else:
                    problems.append(RowProblem(number, "enterprise", name, _(
                        "No enterprise with this name; import the enterprises first") if not found else _(
                        "Several enterprises have this name; give the credit code")))
            else:
                problems.append(RowProblem(number, "enterprise", "", _("Give the enterprise name or credit code")))
            liaison = staff.get((values.get("liaison") or "").strip())
            if liaison is None:
                problems.append(RowProblem(number, "liaison", values.get("liaison"),
                                           _("No active staff member of this name (Settings → Staff)")))
            leader = staff.get((values.get("leader") or "").strip())
            if leader is None or not leader.is_leader:
                problems.append(RowProblem(number, "leader", values.get("leader"),
                                           _("No bureau leader of this name (Settings → Staff)")))
            start = values.get("start_date") or (date(year, 1, 1) if year else None)
            end = values.get("end_date")
            if year and start and start.year != year:
                problems.append(RowProblem(number, "start_date", start, _("must fall in {year}").format(year=year)))
            if start and end and end < start:
                problems.append(RowProblem(number, "end_date", end, _("cannot be before the start date")))
            if enterprise is not None and year:
                key = (enterprise.id, year)
                if key in seen:
                    problems.append(RowProblem(number, "enterprise", enterprise.name_zh, _(
                        "appears twice in the file (also row {row})").format(row=seen[key])))
                seen[key] = number
            if enterprise is not None and liaison is not None and leader is not None and year and start:
                prepared.append((enterprise, year, liaison, leader, start, end, values.get("end_reason") or ""))
        if problems:
            raise RowsRejected(problems)
        if check_only:
            return ImportSummary(0, 0, changes.Changes())
        created = updated = 0
        for enterprise, year, liaison, leader, start, end, reason in prepared:
            row = session.scalars(select(PairRow).where(PairRow.enterprise_id == enterprise.id, PairRow.year == year)
                                  .order_by(PairRow.id.desc())).first()
            if row is None:
                row = PairRow(enterprise_id=enterprise.id, year=year, end_reason="")
                session.add(row)
                created += 1
            else:
                updated += 1
            row.liaison_id, row.leader_id, row.start_date, row.end_date = liaison.id, leader.id, start, end
            row.status = PairStatus.ENDED.value if end else PairStatus.ACTIVE.value
            row.end_reason = reason if end else ""
    return ImportSummary(created, updated, changes.Changes.of(TWINNING))


@requires(Permission.VIEW)
def pair_rows(ws: Workspace, year: int, language: str = "zh_CN") -> list[dict]:
    """The province's list as spreadsheet rows."""
    from envdesk.i18n import gettext_for

    lang = "zh_CN" if language == "bilingual" else language
    return [{
        "year": pair.year, "enterprise": pair.enterprise.name_zh, "credit_code": pair.enterprise.credit_code,
        "town": pair.enterprise.town_name,
        "types": tuple(gettext_for(lang, EnterpriseType(t).msgid) for t in pair.enterprise.types),
        "liaison": pair.liaison.name, "liaison_department": pair.liaison.department,
        "liaison_phone": pair.liaison.phone, "leader": pair.leader.name, "leader_title": pair.leader.title,
        "leader_phone": pair.leader.phone, "start_date": pair.start_date, "end_date": pair.end_date,
        "end_reason": pair.end_reason,
    } for pair in year_list(ws, year)]
