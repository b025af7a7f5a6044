"""Use cases of the complaints register: register, decide, assign, handle, extend, reply, follow up, close,
review; the statutory clocks; confidential identities; search; statistics."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Integer, and_, any_, bindparam, column, exists, func, literal_column, or_, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from envdesk import paths
from envdesk.app import audit, changes, files
from envdesk.app import calendar as calendar_app
from envdesk.app import settings as settings_app
from envdesk.app.access import can, check, requires
from envdesk.app.errors import NotFound, ValidationError
from envdesk.app.reference import _load
from envdesk.app.validation import active_staff as _staff
from envdesk.app.validation import contains, optional, required
from envdesk.app.validation import not_future as _not_future
from envdesk.app.workspace import Workspace
from envdesk.domain.complaints import (
    NEXT,
    Candidate,
    Channel,
    Decision,
    FollowUpMethod,
    HandlingKind,
    Satisfaction,
    Status,
    bigrams,
    mask_address,
    mask_name,
    mask_phone,
    number_prefix,
    number_sequence,
    parse_pollution,
    pollution_category,
    query_bigrams,
    same_phone,
    similarity,
)
from envdesk.domain.deadlines import Deadline, Rule, Urgency, compute_deadline
from envdesk.domain.users import Permission
from envdesk.i18n import N_, _
from envdesk.store.complaints import (
    AttachmentRow,
    ComplaintEventRow,
    ComplaintLinkRow,
    ComplaintPollutionRow,
    ComplaintRow,
    HandlingRow,
)
from envdesk.store.models import DepartmentRow, TownRow
from envdesk.store.twinning import EnterpriseRow
from envdesk.store.types import utcnow

COMPLAINTS = "complaints"
log = logging.getLogger("envdesk.complaints")

ALLOWED_ATTACHMENTS = {  # what staff attach: photos, scans, office documents; checked by content, not only name
    ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG",), ".gif": (b"GIF8",),
    ".pdf": (b"%PDF",), ".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",), ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",), ".txt": (b"",),
}


# --- values -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Complainant:
    anonymous: bool
    name: str
    phone: str
    address: str
    masked: bool  # True when the identity was hidden for the reader (信访工作条例 art. 30)

    def display(self) -> str:
        if self.anonymous:
            return _("Anonymous")
        return " ".join(part for part in (self.name, self.phone) if part)


def _complainant(row: ComplaintRow, reveal: bool) -> Complainant:
    if row.anonymous:
        return Complainant(True, "", "", "", False)
    if reveal:
        return Complainant(False, row.complainant_name, row.complainant_phone, row.complainant_address, False)
    return Complainant(False, mask_name(row.complainant_name), mask_phone(row.complainant_phone),
                       mask_address(row.complainant_address), True)


@dataclass(frozen=True)
class Clock:
    """One statutory clock of a complaint: its rule, due date, and where it stands."""

    key: str            # acceptance | handling | review | second_review
    label: str          # N_-marked
    deadline: Deadline
    done_on: date | None
    urgency: Urgency
    days_left: int

    @property
    def due(self) -> date:
        return self.deadline.due

    def describe(self) -> str:
        return self.deadline.rule.describe()


CLOCK_LABELS = {
    "acceptance": N_("Acceptance"),
    "handling": N_("Handling and written reply"),
    "review": N_("First review"),
    "second_review": N_("Second review"),
}


@dataclass(frozen=True)
class Handling:
    id: int
    handled_on: date
    kind: HandlingKind
    staff: str
    text: str


@dataclass(frozen=True)
class Event:
    event_date: date
    action: str
    status: Status
    staff: str
    note: str


@dataclass(frozen=True)
class Attachment:
    id: int
    file_name: str
    sha256: str
    size: int
    media_type: str

    @property
    def path(self) -> Path:
        return attachment_dir() / self.sha256[:2] / self.sha256


@dataclass(frozen=True)
class ComplaintSummary:
    """A row of the ledger (identity masked unless revealed)."""

    id: int
    number: str
    channel: Channel
    received_date: date
    status: Status
    complainant: Complainant
    subject: str
    town: str
    pollution_types: tuple[str, ...]
    content: str
    is_repeat: bool
    skip_level: bool
    key_case: bool
    lead_department: str
    due: date | None        # the running clock's due date (acceptance, then handling)
    urgency: Urgency | None
    version: int


@dataclass(frozen=True)
class Complaint(ComplaintSummary):
    received_at: datetime | None = None
    first_receiver: str = ""
    first_receiver_id: int | None = None
    enterprise_id: int | None = None
    enterprise_name: str = ""
    free_subject: str = ""
    town_id: int | None = None
    location: str = ""
    case_leader: str = ""
    case_leader_id: int | None = None
    decided_on: date | None = None
    decision_reason: str = ""
    transferred_to: str = ""
    assigned_on: date | None = None
    lead_department_id: int | None = None
    lead_person: str = ""
    lead_person_id: int | None = None
    assisting_departments: tuple[str, ...] = ()
    extension_days: int = 0
    extension_reason: str = ""
    extension_approved_by: str = ""
    extension_approved_on: date | None = None
    replied_on: date | None = None
    reply_text: str = ""
    followed_up_on: date | None = None
    follow_up_method: str = ""
    satisfaction: str = ""
    follow_up_notes: str = ""
    closed_on: date | None = None
    review_requested_on: date | None = None
    review_answered_on: date | None = None
    second_review_requested_on: date | None = None
    second_review_answered_on: date | None = None
    clocks: tuple[Clock, ...] = ()
    handlings: tuple[Handling, ...] = ()
    events: tuple[Event, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    repeats: tuple[str, ...] = ()  # numbers of the earlier complaints this one repeats

    @property
    def next_actions(self) -> tuple[str, ...]:
        return NEXT[self.status]


# --- rules and clocks ---------------------------------------------------------------------------

def _rules(ws: Workspace, channel: str) -> dict[str, Rule]:
    handling = "complaints/handling/12345" if channel == Channel.HANDOFF_12345.value else "complaints/handling"
    return {"acceptance": settings_app.rule(ws, "complaints/acceptance"),
            "handling": settings_app.rule(ws, handling),
            "review": settings_app.rule(ws, "complaints/review"),
            "second_review": settings_app.rule(ws, "complaints/second_review")}


@requires(Permission.VIEW)
def max_extension(ws: Workspace, channel: str) -> int:
    key = "complaints/extension/12345/max_days" if channel == Channel.HANDOFF_12345.value else \
        "complaints/extension/max_days"
    return settings_app.get_value(ws, key)


def _clocks(ws: Workspace, row: ComplaintRow, today: date) -> tuple[Clock, ...]:
    """Every clock that has started: acceptance from receipt; handling from acceptance (extended if
    approved); review and second review from their requests."""
    rules = _rules(ws, row.channel)
    calendar = calendar_app.calendar(ws)
    soon = settings_app.get_value(ws, "calendar/due_soon_days")
    starts = [("acceptance", row.received_date, row.decided_on, 0)]
    if row.decided_on and row.status not in (Status.NOT_ACCEPTED.value, Status.TRANSFERRED.value):
        # Reopened after a dissatisfied follow-up: a new handling period starts from the reopening.
        starts.append(("handling", row.reopened_on or row.decided_on, row.replied_on, row.extension_days))
    if row.review_requested_on:
        starts.append(("review", row.review_requested_on, row.review_answered_on, 0))
    if row.second_review_requested_on:
        starts.append(("second_review", row.second_review_requested_on, row.second_review_answered_on, 0))
    clocks = []
    for key, start, done, extension in starts:
        deadline = compute_deadline(start, rules[key], calendar, extension_days=extension, as_of=today)
        clocks.append(Clock(key, CLOCK_LABELS[key], deadline, done, deadline.urgency(today, soon, done),
                            deadline.days_left(today)))
    return tuple(clocks)


def _store_dues(ws: Workspace, row: ComplaintRow, today: date) -> None:
    """Keep the running clocks' due dates on the row, for filtering and sorting in SQL."""
    clocks = {clock.key: clock for clock in _clocks(ws, row, today)}
    row.acceptance_due = clocks["acceptance"].due
    row.handling_due = clocks["handling"].due if "handling" in clocks else None


def _running(row: ComplaintRow) -> date | None:
    if row.status == Status.REGISTERED.value:
        return row.acceptance_due
    if row.status in (Status.ACCEPTED.value, Status.ASSIGNED.value):
        return row.handling_due
    return None


def _urgency(due: date | None, today: date, soon: int) -> Urgency | None:
    if due is None:
        return None
    left = (due - today).days
    if left < 0:
        return Urgency.OVERDUE
    if left == 0:
        return Urgency.DUE_TODAY
    return Urgency.DUE_SOON if left <= soon else Urgency.ON_TRACK


@requires(Permission.SETTINGS_EDIT)
def refresh_due_dates(ws: Workspace, today: date | None = None) -> int:
    """Recompute the stored due dates of open complaints (after a limit or the holiday calendar changed)."""
    today = today or date.today()
    count = 0
    with ws.transaction() as session:
        for row in session.scalars(select(ComplaintRow).where(ComplaintRow.status.in_(
                [Status.REGISTERED.value, Status.ACCEPTED.value, Status.ASSIGNED.value]))):
            _store_dues(ws, row, today)
            count += 1
    return count


# --- reading ------------------------------------------------------------------------------------

def _subject(row: ComplaintRow) -> str:
    return row.enterprise.name_zh if row.enterprise else row.subject


def _summary_fields(row: ComplaintRow, reveal: bool, today: date, soon: int, department: str) -> dict:
    due = _running(row)
    return dict(id=row.id, number=row.number, channel=Channel(row.channel), received_date=row.received_date,
                status=Status(row.status), complainant=_complainant(row, reveal), subject=_subject(row),
                town=row.town.name_zh if row.town else "", pollution_types=tuple(row.pollution_types or ()),
                content=row.content, is_repeat=row.is_repeat, skip_level=row.skip_level, key_case=row.key_case,
                lead_department=department, due=due, urgency=_urgency(due, today, soon), version=row.version)


@requires(Permission.VIEW)
def get_complaint(ws: Workspace, complaint_id: int, reveal: bool = False, today: date | None = None) -> Complaint:
    """One complaint with its history. The complainant is masked unless `reveal`, which needs the permission to
    see identities and is audited (who looked at whose identity, and when)."""
    if reveal:
        check(ws, Permission.COMPLAINANT_IDENTITY)
    complaint = _read(ws, complaint_id, reveal, today)
    if reveal and not complaint.complainant.anonymous:
        audit.log(ws, "view_identity", entity="complaint", record_id=complaint_id, label=complaint.number)
    return complaint


@requires(Permission.VIEW)
def as_reader_may_see(ws: Workspace, complaint_id: int, today: date | None = None) -> Complaint:
    """The complaint for a document the user asked for: identity shown only to those who may see it, and then
    recorded as viewed (the print itself is audited too, see envdesk.app.outputs)."""
    reveal = can(ws, Permission.COMPLAINANT_IDENTITY)
    complaint = _read(ws, complaint_id, reveal, today)
    if reveal and not complaint.complainant.anonymous:
        audit.log(ws, "view_identity", entity="complaint", record_id=complaint_id, label=complaint.number)
    return complaint


def _read(ws: Workspace, complaint_id: int, reveal: bool, today: date | None) -> Complaint:
    today = today or date.today()
    soon = settings_app.get_value(ws, "calendar/due_soon_days")
    with ws.reading() as session:
        row = session.get(ComplaintRow, complaint_id)
        if row is None:
            raise NotFound(_("The complaint no longer exists."))
        departments = {d.id: d.name_zh for d in session.scalars(select(DepartmentRow))}
        handlings = session.scalars(select(HandlingRow).where(HandlingRow.complaint_id == row.id)
                                    .order_by(HandlingRow.handled_on, HandlingRow.id)).all()
        events = session.scalars(select(ComplaintEventRow).where(ComplaintEventRow.complaint_id == row.id)
                                 .order_by(ComplaintEventRow.id)).all()
        attachments = session.scalars(select(AttachmentRow).where(AttachmentRow.complaint_id == row.id)
                                      .order_by(AttachmentRow.id)).all()
        repeats = session.scalars(select(ComplaintRow.number).join(
            ComplaintLinkRow, ComplaintLinkRow.earlier_id == ComplaintRow.id)
            .where(ComplaintLinkRow.complaint_id == row.id).order_by(ComplaintRow.number)).all()
        name = (lambda staff: staff.name if staff else "")
        return Complaint(
            **_summary_fields(row, reveal, today, soon, departments.get(row.lead_department_id, "")),
            received_at=row.received_at, first_receiver=name(row.first_receiver),
            first_receiver_id=row.first_receiver_id, enterprise_id=row.enterprise_id,
            enterprise_name=row.enterprise.name_zh if row.enterprise else "", free_subject=row.subject,
            town_id=row.town_id, location=row.location, case_leader=name(row.case_leader),
            case_leader_id=row.case_leader_id, decided_on=row.decided_on, decision_reason=row.decision_reason,
            transferred_to=row.transferred_to, assigned_on=row.assigned_on,
            lead_department_id=row.lead_department_id, lead_person=name(row.lead_person),
            lead_person_id=row.lead_person_id,
            assisting_departments=tuple(departments.get(d, "") for d in row.assisting_departments or ()),
            extension_days=row.extension_days, extension_reason=row.extension_reason,
            extension_approved_by=name(row.extension_approved_by), extension_approved_on=row.extension_approved_on,
            replied_on=row.replied_on, reply_text=row.reply_text, followed_up_on=row.followed_up_on,
            follow_up_method=row.follow_up_method, satisfaction=row.satisfaction,
            follow_up_notes=row.follow_up_notes, closed_on=row.closed_on,
            review_requested_on=row.review_requested_on, review_answered_on=row.review_answered_on,
            second_review_requested_on=row.second_review_requested_on,
            second_review_answered_on=row.second_review_answered_on,
            clocks=_clocks(ws, row, today),
            handlings=tuple(Handling(h.id, h.handled_on, HandlingKind(h.kind), name(h.staff), h.text)
                            for h in handlings),
            events=tuple(Event(e.event_date, e.action, Status(e.status), name(e.staff), e.note) for e in events),
            attachments=tuple(Attachment(a.id, a.file_name, a.sha256, a.size, a.media_type) for a in attachments),
            repeats=tuple(repeats))


@requires(Permission.VIEW)
def find_by_number(ws: Workspace, number: str) -> int | None:
    with ws.reading() as session:
        return session.scalar(select(ComplaintRow.id).where(ComplaintRow.number == number.strip()))


@dataclass(frozen=True)
class ComplaintFilter:
    """What the ledger is narrowed to; every part becomes SQL (indexes on status, channel, town, dates, types)."""

    text: str = ""
    statuses: tuple[str, ...] = ()
    channel: str | None = None
    town_id: int | None = None
    pollution_type: str | None = None
    department_id: int | None = None
    repeat: bool = False
    key_case: bool = False
    skip_level: bool = False
    overdue: bool = False
    open_only: bool = False
    received_from: date | None = None
    received_to: date | None = None
    enterprise_id: int | None = None


SORTS = {
    "received": ComplaintRow.received_date,
    "number": ComplaintRow.number,
    "town": TownRow.name_zh,
    "status": ComplaintRow.status,
    "due": ComplaintRow.handling_due,
}


def _search_ids(ws: Workspace, query: str):
    """A subquery of the complaints whose content, subject or location contain every word typed.

    The bigram index narrows the candidates (SQLite FTS5 phrase query; PostgreSQL array containment with a
    GIN index); a LIKE on those few rows confirms the exact text. A single character has no bigram: LIKE alone.
    """
    words = [word for word in query.split() if word]
    phrases = query_bigrams(query)
    exact = and_(*[or_(ComplaintRow.content.ilike(contains(w), escape="\\"),
                       ComplaintRow.subject.ilike(contains(w), escape="\\"),
                       ComplaintRow.location.ilike(contains(w), escape="\\"),
                       ComplaintRow.enterprise_id.in_(select(EnterpriseRow.id).where(
                           EnterpriseRow.name_zh.ilike(contains(w), escape="\\")))) for w in words])
    if not phrases or any(len(w) < 2 for w in words):
        return select(ComplaintRow.id).where(exact)
    if ws.dialect == "sqlite":
        # An FTS5 phrase of consecutive bigrams is the typed word itself: the index answers exactly.
        match = " AND ".join('"' + " ".join(p) + '"' for p in phrases)
        return text("SELECT rowid AS id FROM complaint_fts WHERE complaint_fts MATCH :match") \
            .bindparams(match=match).columns(column("id", Integer))
    tokens = sorted({token for phrase in phrases for token in phrase})
    candidates = text("SELECT complaint_id AS id FROM complaint_search WHERE tokens @> CAST(:tokens AS text[])") \
        .bindparams(tokens=tokens).columns(column("id", Integer))
    if all(len(phrase) == 1 for phrase in phrases):
        return candidates  # each word is one bigram (噪声, 油烟) or one Latin word: the index is exact
    # Array containment does not know the bigrams' order: confirm the longer words on the candidates only. Read
    # first and passed as one array: the planner takes a word's bigrams as independent, expects a few dozen
    # candidates where there are thousands, and would rather test every complaint's text (300 ms at 100,000
    # complaints for 偷排废水 against about 40 ms this way).
    with ws.reading() as session:
        ids = list(session.scalars(candidates))
    return select(ComplaintRow.id).where(
        ComplaintRow.id == any_(bindparam("candidate_ids", ids, type_=postgresql.ARRAY(Integer))), exact)


def _any_token_ids(ws: Workspace, tokens: Sequence[str]):
    """Complaints whose index holds any of `tokens`."""
    if ws.dialect == "sqlite":
        match = " OR ".join(f'"{token}"' for token in tokens)
        return text("SELECT rowid AS id FROM complaint_fts WHERE complaint_fts MATCH :match") \
            .bindparams(match=match).columns(column("id", Integer))
    return text("SELECT complaint_id AS id FROM complaint_search WHERE tokens && CAST(:tokens AS text[])") \
        .bindparams(tokens=list(tokens)).columns(column("id", Integer))


def _filtered(ws: Workspace, f: ComplaintFilter, today: date, walk_received: bool = False):
    query = select(ComplaintRow).outerjoin(TownRow, TownRow.id == ComplaintRow.town_id)
    if f.text.strip():
        # With walk_received, "+id" keeps SQLite from driving the query by the search matches: it walks the
        # received-date index and probes the matches instead, so a page of a frequent word (噪声, a third of
        # all complaints) comes at once rather than after sorting every match (4 ms against 39 ms).
        key = literal_column("+complaint.id") if walk_received else ComplaintRow.id
        query = query.where(key.in_(_search_ids(ws, f.text.strip())))
    if f.statuses:
        query = query.where(ComplaintRow.status.in_(f.statuses))
    if f.open_only:
        query = query.where(ComplaintRow.status.in_([s.value for s in Status if s.is_open]))
    if f.channel:
        query = query.where(ComplaintRow.channel == f.channel)
    if f.town_id is not None:
        query = query.where(ComplaintRow.town_id == f.town_id)
    if f.department_id is not None:
        query = query.where(ComplaintRow.lead_department_id == f.department_id)
    if f.enterprise_id is not None:
        query = query.where(ComplaintRow.enterprise_id == f.enterprise_id)
    if f.pollution_type:
        query = query.where(exists().where(ComplaintPollutionRow.complaint_id == ComplaintRow.id,
                                           ComplaintPollutionRow.pollution_type == f.pollution_type))
    if f.repeat:
        query = query.where(ComplaintRow.is_repeat.is_(True))
    if f.key_case:
        query = query.where(ComplaintRow.key_case.is_(True))
    if f.skip_level:
        query = query.where(ComplaintRow.skip_level.is_(True))
    if f.received_from:
        query = query.where(ComplaintRow.received_date >= f.received_from)
    if f.received_to:
        query = query.where(ComplaintRow.received_date <= f.received_to)
    if f.overdue:
        query = query.where(or_(
            and_(ComplaintRow.status == Status.REGISTERED.value, ComplaintRow.acceptance_due < today),
            and_(ComplaintRow.status.in_([Status.ACCEPTED.value, Status.ASSIGNED.value]),
                 ComplaintRow.handling_due < today)))
    return query


@requires(Permission.VIEW)
def list_complaints(ws: Workspace, f: ComplaintFilter = ComplaintFilter(), offset: int = 0, limit: int = 100,
                    sort: str = "received", descending: bool = True, reveal: bool = False,
                    today: date | None = None) -> list[ComplaintSummary]:
    """A page of the ledger, filtered and sorted in SQL; `reveal` needs the permission to see identities."""
    if reveal:
        check(ws, Permission.COMPLAINANT_IDENTITY)
    today = today or date.today()
    soon = settings_app.get_value(ws, "calendar/due_soon_days")
    column = SORTS.get(sort, ComplaintRow.received_date)
    order = [column.desc() if descending else column.asc(), ComplaintRow.id.desc() if descending else ComplaintRow.id]
    with ws.reading() as session:
        departments = {d.id: d.name_zh for d in session.scalars(select(DepartmentRow))}
        # Ids first: sorting narrow (key, id) pairs of every match is fast; only the page's rows are then
        # loaded whole, with their joins.
        walk = ws.dialect == "sqlite" and sort == "received"
        query = _filtered(ws, f, today, walk_received=walk).with_only_columns(ComplaintRow.id) \
            .order_by(*order).offset(offset).limit(limit)
        ids = list(session.scalars(query))
        rows = {row.id: row for row in session.scalars(select(ComplaintRow).where(ComplaintRow.id.in_(ids)))
                .unique()} if ids else {}
        return [ComplaintSummary(**_summary_fields(rows[i], reveal, today, soon,
                                                   departments.get(rows[i].lead_department_id, ""))) for i in ids]


@requires(Permission.VIEW)
def count_complaints(ws: Workspace, f: ComplaintFilter = ComplaintFilter(), today: date | None = None) -> int:
    today = today or date.today()
    text_only = f.text.strip() and replace(f, text="") == ComplaintFilter()
    phrases = query_bigrams(f.text) if text_only else []
    exact_index = ws.dialect == "sqlite" or all(len(phrase) == 1 for phrase in phrases)
    if text_only and phrases and exact_index and all(len(w) >= 2 for w in f.text.split()):
        # Only a search the index answers exactly (any word on SQLite, two-character words on PostgreSQL): the
        # index counts its own matches (SQLite: 1 ms against 29 ms through the table; PostgreSQL, 噪声 at 100,000
        # complaints: about 10 ms against 43 ms).
        with ws.reading() as session:
            return session.scalar(select(func.count()).select_from(_search_ids(ws, f.text.strip()).subquery()))
    with ws.reading() as session:
        return session.scalar(select(func.count()).select_from(
            _filtered(ws, f, today).with_only_columns(ComplaintRow.id).subquery()))


# --- writing helpers ----------------------------------------------------------------------------

def _on_or_after(value: date, earlier: date | None, label: str, what: str) -> None:
    if earlier is not None and value < earlier:
        raise ValidationError(label, _("cannot be before {what} ({date})").format(what=what, date=earlier.isoformat()))


def _expect(row: ComplaintRow, action: str) -> None:
    status = Status(row.status)
    if action not in NEXT[status]:
        raise ValidationError(_("Status"), _("A complaint that is “{status}” cannot be {action} now").format(
            status=status.label, action=_(ACTION_LABELS.get(action, action))))


ACTION_LABELS = {
    "decide": N_("decided"), "assign": N_("assigned"), "handle": N_("handled"), "extend": N_("extended"),
    "reply": N_("replied to"), "follow_up": N_("followed up"), "close": N_("closed"), "reopen": N_("reopened"),
    "review": N_("reviewed"),
}


def _event(session: Session, row: ComplaintRow, action: str, on: date, staff_id: int | None, note: str = "") -> None:
    session.add(ComplaintEventRow(complaint_id=row.id, event_date=on, action=action, status=row.status,
                                  staff_id=staff_id, note=note))


def _index_many(session: Session, complaints: Sequence[tuple[int, str, str, str]]) -> None:
    """Index new complaints, given as (id, content, subject or enterprise name, location), in one statement."""
    rows = [(complaint_id, bigrams(" ".join((content or "", subject or "", location or ""))))
            for complaint_id, content, subject, location in complaints]
    if not rows:
        return
    if session.bind.dialect.name == "sqlite":
        session.execute(text("INSERT INTO complaint_fts (rowid, tokens) VALUES (:id, :tokens)"),
                        [{"id": complaint_id, "tokens": tokens} for complaint_id, tokens in rows])
    else:
        session.execute(text("INSERT INTO complaint_search (complaint_id, tokens) VALUES (:id, :tokens)"),
                        [{"id": complaint_id, "tokens": sorted(set(tokens.split()))} for complaint_id, tokens in rows])


def _index(session: Session, row: ComplaintRow) -> None:
    """Keep the search index of one complaint up to date (content, subject, location)."""
    tokens = bigrams(" ".join((row.content or "", _subject(row) or "", row.location or "")))
    if session.bind.dialect.name == "sqlite":
        session.execute(text("DELETE FROM complaint_fts WHERE rowid = :id"), {"id": row.id})
        session.execute(text("INSERT INTO complaint_fts (rowid, tokens) VALUES (:id, :tokens)"),
                        {"id": row.id, "tokens": tokens})
    else:
        session.execute(text("DELETE FROM complaint_search WHERE complaint_id = :id"), {"id": row.id})
        session.execute(text("INSERT INTO complaint_search (complaint_id, tokens) VALUES (:id, :tokens)"),
                        {"id": row.id, "tokens": sorted(set(tokens.split()))})


def _write(ws: Workspace, complaint_id: int, expected_version: int | None, action: str | None,
           work, today: date | None = None) -> tuple[Complaint, changes.Changes]:
    """Load the complaint, check the step is allowed, apply `work(session, row)`, recompute its clocks."""
    today = today or date.today()
    with ws.transaction() as session:
        row = _load(session, ComplaintRow, complaint_id, expected_version, _("The complaint"))
        if action is not None:
            _expect(row, action)
        work(session, row)
        _store_dues(ws, row, today)
        row.updated_at = utcnow()  # every step moves the version, so a stale form is refused
    # The user just made the change: the complaint comes back as they may see it, without a "viewed" entry.
    return _read(ws, complaint_id, can(ws, Permission.COMPLAINANT_IDENTITY), today), changes.Changes.of(COMPLAINTS)


# --- registering --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ComplaintInput:
    channel: str
    received_at: datetime            # aware; its local date is the legal received date
    first_receiver_id: int | None
    content: str
    pollution_types: tuple[str, ...] = ()
    anonymous: bool = False
    complainant_name: str = ""
    complainant_phone: str = ""
    complainant_address: str = ""
    enterprise_id: int | None = None
    subject: str = ""
    town_id: int | None = None
    location: str = ""
    skip_level: bool = False
    key_case: bool = False
    case_leader_id: int | None = None
    repeats: tuple[int, ...] = ()    # ids of earlier complaints this one repeats
    number: str = ""                 # imports keep the bureau's own numbers; new ones are assigned


def _validated(session: Session, data: ComplaintInput, today: date) -> dict:
    try:
        channel = Channel.parse(data.channel).value
    except ValueError as error:
        raise ValidationError(_("Channel"), str(error)) from None
    if data.received_at.tzinfo is None:
        raise ValidationError(_("Received"), "naive datetime")
    received_date = data.received_at.astimezone().date()
    _not_future(received_date, _("Received"), today)
    content = required(data.content, _("Content"), 20000)
    try:
        types = sorted({parse_pollution(t) for t in data.pollution_types})
    except ValueError as error:
        raise ValidationError(_("Pollution types"), str(error)) from None
    if not types:
        raise ValidationError(_("Pollution types"), _("choose at least one"))
    _staff(session, data.first_receiver_id, _("First receiver"), optional_=True)
    if data.enterprise_id is not None and session.get(EnterpriseRow, data.enterprise_id) is None:
        raise ValidationError(_("Subject"), _("the enterprise does not exist"))
    if data.enterprise_id is None and not data.subject.strip():
        raise ValidationError(_("Subject"), _("name the enterprise or describe who or what is complained about"))
    if data.town_id is not None and session.get(TownRow, data.town_id) is None:
        raise ValidationError(_("Town"), _("does not exist"))
    if data.key_case:
        _staff(session, data.case_leader_id, _("Case leader"), leader=True)
    anonymous = data.anonymous
    return dict(
        channel=channel, received_at=data.received_at, received_date=received_date,
        first_receiver_id=data.first_receiver_id, anonymous=anonymous,
        complainant_name="" if anonymous else optional(data.complainant_name, _("Complainant"), 100),
        # Stored without the spaces people type ("138 1234 5678"), so that it is found and matched again.
        complainant_phone="" if anonymous else optional("".join(data.complainant_phone.split()), _("Phone"), 50),
        complainant_address="" if anonymous else optional(data.complainant_address, _("Address"), 300),
        enterprise_id=data.enterprise_id, subject=optional(data.subject, _("Subject"), 300),
        town_id=data.town_id, location=optional(data.location, _("Location"), 300), pollution_types=types,
        content=content, skip_level=data.skip_level, key_case=data.key_case,
        case_leader_id=data.case_leader_id if data.key_case else None, is_repeat=bool(data.repeats))


def _next_number(ws: Workspace, session: Session, year: int) -> str:
    return _Numbers(ws, session).next(year)


class _Numbers:
    """The next free numbers of a transaction: the year's highest number is read once (after waiting for other
    workstations' numbering to finish), then counted on, so that an import numbering 10,000 rows reads it once."""

    def __init__(self, ws: Workspace, session: Session) -> None:
        self.session = session
        self.pattern = settings_app.get_value(ws, "complaints/number_format")
        self.last: dict[int, int] = {}

    def _read(self, year: int) -> None:
        if year not in self.last:
            audit.take_turn(self.session)
            prefix = number_prefix(self.pattern, year)
            numbers = self.session.scalars(select(ComplaintRow.number).where(ComplaintRow.number.like(f"{prefix}%")))
            self.last[year] = max((seq for seq in (number_sequence(self.pattern, year, n) for n in numbers)
                                   if seq is not None), default=0)

    def taken(self, number: str, year: int) -> None:
        """A number about to be written (an imported ledger's own): numbers assigned later follow it."""
        self._read(year)
        seq = number_sequence(self.pattern, year, number)
        if seq is not None:
            self.last[year] = max(self.last[year], seq)

    def next(self, year: int) -> str:
        self._read(year)
        self.last[year] += 1
        return self.pattern.format(year=year, seq=self.last[year])


@requires(Permission.COMPLAINTS_EDIT)
def register(ws: Workspace, data: ComplaintInput, today: date | None = None) -> tuple[Complaint, changes.Changes]:
    """Register a complaint from any channel; it gets the next number, which is never reused."""
    today = today or date.today()
    with ws.transaction() as session:
        fields = _validated(session, data, today)
        number = data.number.strip() or _next_number(ws, session, fields["received_date"].year)
        if session.scalar(select(ComplaintRow.id).where(ComplaintRow.number == number)) is not None:
            raise ValidationError(_("No."), _("{number} is already used").format(number=number))
        row = ComplaintRow(number=number, status=Status.REGISTERED.value, **fields)
        session.add(row)
        session.flush()
        _after_insert(ws, session, row, data.repeats, today)
        _event(session, row, "register", row.received_date, data.first_receiver_id)
        complaint_id = row.id
    # The user just made the change: the complaint comes back as they may see it, without a "viewed" entry.
    return _read(ws, complaint_id, can(ws, Permission.COMPLAINANT_IDENTITY), today), changes.Changes.of(COMPLAINTS)


def _after_insert(ws: Workspace, session: Session, row: ComplaintRow, repeats: Sequence[int], today: date) -> None:
    for pollution in row.pollution_types:
        session.add(ComplaintPollutionRow(complaint_id=row.id, pollution_type=pollution))
    for earlier in repeats:
        if session.get(ComplaintRow, earlier) is None:
            raise ValidationError(_("Repeats"), _("the earlier complaint does not exist"))
        session.add(ComplaintLinkRow(complaint_id=row.id, earlier_id=earlier))
    session.flush()
    session.refresh(row)
    _index(session, row)
    _store_dues(ws, row, today)


@requires(Permission.COMPLAINTS_EDIT)
def suggest_repeats(ws: Workspace, phone: str = "", enterprise_id: int | None = None, town_id: int | None = None,
                    location: str = "", content: str = "", exclude_id: int | None = None,
                    limit: int = 8) -> list[Candidate]:
    """Earlier complaints that may be the same matter: same phone, same enterprise, same place, similar text."""
    found: dict[int, tuple[ComplaintRow, list[str], float]] = {}
    with ws.reading() as session:
        def consider(rows, reason: str, weight: float) -> None:
            for row in rows:
                if row.id == exclude_id:
                    continue
                entry = found.setdefault(row.id, (row, [], 0.0))
                found[row.id] = (row, entry[1] + [reason], entry[2] + weight)

        recent = select(ComplaintRow).order_by(ComplaintRow.received_date.desc()).limit(50)
        digits = "".join(ch for ch in phone if ch.isdigit())
        if len(digits) >= 7:
            rows = session.scalars(recent.where(ComplaintRow.complainant_phone.like(f"%{digits[-7:]}%"))).all()
            consider([r for r in rows if same_phone(r.complainant_phone, phone)], _("same phone"), 3.0)
        if enterprise_id is not None:
            consider(session.scalars(recent.where(ComplaintRow.enterprise_id == enterprise_id)).all(),
                     _("same enterprise"), 2.0)
        if location.strip():
            rows = session.scalars(recent.where(ComplaintRow.town_id == town_id) if town_id is not None
                                   else recent).all()
            consider([r for r in rows if similarity(r.location, location) >= 0.5], _("same place"), 1.5)
        if content.strip():
            # Complaints sharing any of the text's first bigrams, then judged by how much text they share.
            tokens = list(dict.fromkeys(bigrams(content).split()))[:12]
            if tokens:
                rows = session.scalars(recent.where(ComplaintRow.id.in_(_any_token_ids(ws, tokens)))).all()
                consider([r for r in rows if similarity(r.content, content) >= 0.35], _("similar text"), 1.0)
        ranked = sorted(found.values(), key=lambda entry: (-entry[2], -entry[0].received_date.toordinal()))
        return [Candidate(row.id, row.number, row.received_date, score, tuple(reasons))
                for row, reasons, score in ranked[:limit]]


# --- the workflow -------------------------------------------------------------------------------

@requires(Permission.COMPLAINTS_EDIT)
def decide(ws: Workspace, complaint_id: int, decision: str, decided_on: date, actor_id: int, reason: str = "",
           transferred_to: str = "", expected_version: int | None = None,
           today: date | None = None) -> tuple[Complaint, changes.Changes]:
    """Accept it, refuse it with a reason, or transfer it to the body whose remit it is."""
    today = today or date.today()
    try:
        choice = Decision.parse(decision)
    except ValueError as error:
        raise ValidationError(_("Decision"), str(error)) from None

    def work(session, row):
        _staff(session, actor_id, _("Decided by"))
        _not_future(decided_on, _("Decision date"), today)
        _on_or_after(decided_on, row.received_date, _("Decision date"), _("the complaint was received"))
        row.decided_on = decided_on
        if choice is Decision.ACCEPT:
            row.status = Status.ACCEPTED.value
        elif choice is Decision.NOT_ACCEPT:
            row.decision_reason = required(reason, _("Reason"), 4000)
            row.status = Status.NOT_ACCEPTED.value
        else:
            row.transferred_to = required(transferred_to, _("Transferred to"), 200)
            row.decision_reason = optional(reason, _("Reason"), 4000)
            row.status = Status.TRANSFERRED.value
        _event(session, row, "decide", decided_on, actor_id, row.decision_reason or row.transferred_to)

    return _write(ws, complaint_id, expected_version, "decide", work, today)


@requires(Permission.COMPLAINTS_EDIT)
def assign(ws: Workspace, complaint_id: int, department_id: int, person_id: int | None, assigned_on: date,
           actor_id: int, assisting: Sequence[int] = (), expected_version: int | None = None,
           today: date | None = None) -> tuple[Complaint, changes.Changes]:
    """Hand it to the lead department and person, with any assisting departments."""
    today = today or date.today()

    def work(session, row):
        _staff(session, actor_id, _("Assigned by"))
        if session.get(DepartmentRow, department_id) is None:
            raise ValidationError(_("Lead department"), _("is required"))
        _staff(session, person_id, _("Person responsible"), optional_=True)
        for other in assisting:
            if session.get(DepartmentRow, other) is None:
                raise ValidationError(_("Assisting departments"), _("does not exist"))
        _not_future(assigned_on, _("Assignment date"), today)
        _on_or_after(assigned_on, row.decided_on, _("Assignment date"), _("the complaint was accepted"))
        row.lead_department_id, row.lead_person_id, row.assigned_on = department_id, person_id, assigned_on
        row.assisting_departments = [d for d in assisting if d != department_id]
        row.status = Status.ASSIGNED.value
        _event(session, row, "assign", assigned_on, actor_id)

    return _write(ws, complaint_id, expected_version, "assign", work, today)


@requires(Permission.COMPLAINTS_EDIT)
def record_handling(ws: Workspace, complaint_id: int, handled_on: date, kind: str, staff_id: int, note: str,
                    expected_version: int | None = None,
                    today: date | None = None) -> tuple[Complaint, changes.Changes]:
    """What was done: site inspection, monitoring, enforcement action…"""
    today = today or date.today()
    try:
        kind_value = HandlingKind.parse(kind).value
    except ValueError as error:
        raise ValidationError(_("Kind"), str(error)) from None

    def work(session, row):
        _staff(session, staff_id, _("Staff"))
        _not_future(handled_on, _("Date"), today)
        _on_or_after(handled_on, row.assigned_on, _("Date"), _("the complaint was assigned"))
        session.add(HandlingRow(complaint_id=row.id, handled_on=handled_on, kind=kind_value, staff_id=staff_id,
                                text=required(note, _("What was done"), 8000)))
        _event(session, row, "handle", handled_on, staff_id, HandlingKind(kind_value).msgid)

    return _write(ws, complaint_id, expected_version, "handle", work, today)


@requires(Permission.APPROVE_EXTENSION)
def extend(ws: Workspace, complaint_id: int, days: int, reason: str, approved_by: int, approved_on: date,
           expected_version: int | None = None, today: date | None = None) -> tuple[Complaint, changes.Changes]:
    """Extend the handling limit once, approved by a leader, at most the set number of days (art. 34)."""
    today = today or date.today()

    def work(session, row):
        if row.extension_days:
            raise ValidationError(_("Extension"), _("the handling limit was already extended once"))
        longest = max_extension(ws, row.channel)
        if not 1 <= days <= longest:
            raise ValidationError(_("Extension"), _("must be 1 to {n} days").format(n=longest))
        _staff(session, approved_by, _("Approved by"), leader=True)
        _not_future(approved_on, _("Approval date"), today)
        _on_or_after(approved_on, row.decided_on, _("Approval date"), _("the complaint was accepted"))
        clocks = {c.key: c for c in _clocks(ws, row, today)}
        if approved_on > clocks["handling"].due:
            raise ValidationError(_("Approval date"), _("an extension must be approved before the limit runs out "
                                                       "({date})").format(date=clocks["handling"].due.isoformat()))
        row.extension_days, row.extension_approved_by_id, row.extension_approved_on = days, approved_by, approved_on
        row.extension_reason = required(reason, _("Reason"), 4000)
        _event(session, row, "extend", approved_on, approved_by, row.extension_reason)

    return _write(ws, complaint_id, expected_version, "extend", work, today)


@requires(Permission.COMPLAINTS_EDIT)
def reply(ws: Workspace, complaint_id: int, replied_on: date, text_: str, actor_id: int,
          expected_version: int | None = None, today: date | None = None) -> tuple[Complaint, changes.Changes]:
    """The written handling opinion (处理意见书) sent to the complainant."""
    today = today or date.today()

    def work(session, row):
        _staff(session, actor_id, _("Replied by"))
        _not_future(replied_on, _("Reply date"), today)
        _on_or_after(replied_on, row.received_date, _("Reply date"), _("the complaint was received"))
        _on_or_after(replied_on, row.assigned_on, _("Reply date"), _("the complaint was assigned"))
        row.replied_on, row.reply_text = replied_on, required(text_, _("Reply"), 20000)
        row.status = Status.REPLIED.value
        _event(session, row, "reply", replied_on, actor_id)

    return _write(ws, complaint_id, expected_version, "reply", work, today)


@requires(Permission.COMPLAINTS_EDIT)
def follow_up(ws: Workspace, complaint_id: int, on: date, method: str, satisfaction: str, notes: str,
              actor_id: int, expected_version: int | None = None,
              today: date | None = None) -> tuple[Complaint, changes.Changes]:
    """The return visit (回访): how the complainant judges the outcome."""
    today = today or date.today()
    try:
        method_value = FollowUpMethod.parse(method).value
        satisfied = Satisfaction.parse(satisfaction).value
    except ValueError as error:
        raise ValidationError(_("Follow-up"), str(error)) from None

    def work(session, row):
        _staff(session, actor_id, _("Visited by"))
        _not_future(on, _("Follow-up date"), today)
        _on_or_after(on, row.replied_on, _("Follow-up date"), _("the reply"))
        row.followed_up_on, row.follow_up_method, row.satisfaction = on, method_value, satisfied
        row.follow_up_notes = optional(notes, _("Notes"), 4000)
        row.status = Status.FOLLOWED_UP.value
        _event(session, row, "follow_up", on, actor_id, Satisfaction(satisfied).msgid)

    return _write(ws, complaint_id, expected_version, "follow_up", work, today)


@requires(Permission.COMPLAINTS_EDIT)
def close(ws: Workspace, complaint_id: int, closed_on: date, actor_id: int, expected_version: int | None = None,
          today: date | None = None) -> tuple[Complaint, changes.Changes]:
    today = today or date.today()

    def work(session, row):
        _staff(session, actor_id, _("Closed by"))
        _not_future(closed_on, _("Closing date"), today)
        _on_or_after(closed_on, row.followed_up_on, _("Closing date"), _("the follow-up"))
        row.closed_on, row.status = closed_on, Status.CLOSED.value
        _event(session, row, "close", closed_on, actor_id)

    return _write(ws, complaint_id, expected_version, "close", work, today)


@requires(Permission.COMPLAINTS_EDIT)
def reopen(ws: Workspace, complaint_id: int, on: date, reason: str, actor_id: int,
           expected_version: int | None = None, today: date | None = None) -> tuple[Complaint, changes.Changes]:
    """A dissatisfied complainant: the case goes back to its department for handling and a new reply."""
    today = today or date.today()

    def work(session, row):
        if row.satisfaction != Satisfaction.DISSATISFIED.value:
            raise ValidationError(_("Status"), _("only a complaint whose follow-up was dissatisfied is reopened"))
        _staff(session, actor_id, _("Reopened by"))
        _not_future(on, _("Date"), today)
        _on_or_after(on, row.followed_up_on, _("Date"), _("the follow-up"))
        note = required(reason, _("Reason"), 4000)
        row.status = Status.ASSIGNED.value
        row.replied_on, row.followed_up_on, row.closed_on = None, None, None
        row.satisfaction, row.follow_up_method = "", ""
        row.reopened_on = on
        # The new period has the ordinary limit; an extension of the first one does not carry over.
        row.extension_days, row.extension_reason = 0, ""
        row.extension_approved_by_id, row.extension_approved_on = None, None
        _event(session, row, "reopen", on, actor_id, note)

    return _write(ws, complaint_id, expected_version, "reopen", work, today)


@requires(Permission.COMPLAINTS_EDIT)
def request_review(ws: Workspace, complaint_id: int, requested_on: date, second: bool = False,
                   expected_version: int | None = None,
                   today: date | None = None) -> tuple[Complaint, changes.Changes]:
    """A request for first review (复查, within 30 days of the reply) or second review (复核, of the review)."""
    today = today or date.today()

    def work(session, row):
        _not_future(requested_on, _("Request date"), today)
        limit = settings_app.rule(ws, "complaints/review").limit
        if second:
            if row.review_answered_on is None:
                raise ValidationError(_("Second review"), _("comes after the answer to a first review"))
            if row.second_review_requested_on:
                raise ValidationError(_("Second review"), _("was already requested"))
            start = row.review_answered_on
            row.second_review_requested_on = requested_on
        else:
            if row.replied_on is None and row.closed_on is None:
                raise ValidationError(_("Review"), _("comes after the written reply"))
            if row.review_requested_on:
                raise ValidationError(_("Review"), _("was already requested"))
            start = row.replied_on
            row.review_requested_on = requested_on
        _on_or_after(requested_on, start, _("Request date"), _("the answer it disputes"))
        if start and (requested_on - start).days > limit:
            raise ValidationError(_("Request date"), _("must be within {n} days of the answer it disputes").format(
                n=limit))
        _event(session, row, "second_review" if second else "review", requested_on, None)

    return _write(ws, complaint_id, expected_version, "review", work, today)


@requires(Permission.COMPLAINTS_EDIT)
def answer_review(ws: Workspace, complaint_id: int, answered_on: date, second: bool = False,
                  expected_version: int | None = None,
                  today: date | None = None) -> tuple[Complaint, changes.Changes]:
    today = today or date.today()

    def work(session, row):
        requested = row.second_review_requested_on if second else row.review_requested_on
        if requested is None:
            raise ValidationError(_("Review"), _("no request to answer"))
        _not_future(answered_on, _("Answer date"), today)
        _on_or_after(answered_on, requested, _("Answer date"), _("the request"))
        if second:
            row.second_review_answered_on = answered_on
        else:
            row.review_answered_on = answered_on
        _event(session, row, "second_review_answer" if second else "review_answer", answered_on, None)

    return _write(ws, complaint_id, expected_version, None, work, today)


@requires(Permission.COMPLAINTS_EDIT)
def set_flags(ws: Workspace, complaint_id: int, key_case: bool, case_leader_id: int | None, skip_level: bool,
              repeats: Sequence[int] | None = None, expected_version: int | None = None,
              today: date | None = None) -> tuple[Complaint, changes.Changes]:
    """Key case with its case leader (包案领导), skip-level, and the earlier complaints it repeats."""
    def work(session, row):
        if key_case:
            _staff(session, case_leader_id, _("Case leader"), leader=True)
        row.key_case, row.case_leader_id, row.skip_level = key_case, case_leader_id if key_case else None, skip_level
        if repeats is not None:
            # Through the ORM, link by link, so that the audit trail sees each one removed or added.
            current = {link.earlier_id: link for link in session.scalars(
                select(ComplaintLinkRow).where(ComplaintLinkRow.complaint_id == row.id))}
            for earlier, link in current.items():
                if earlier not in repeats:
                    session.delete(link)
            for earlier in dict.fromkeys(repeats):
                if earlier == row.id or session.get(ComplaintRow, earlier) is None:
                    raise ValidationError(_("Repeats"), _("the earlier complaint does not exist"))
                if earlier not in current:
                    session.add(ComplaintLinkRow(complaint_id=row.id, earlier_id=earlier))
            row.is_repeat = bool(repeats)

    return _write(ws, complaint_id, expected_version, None, work, today)


# --- attachments --------------------------------------------------------------------------------

def attachment_dir() -> Path:
    return paths.data_dir() / "attachments"


@requires(Permission.COMPLAINTS_EDIT)
def add_attachment(ws: Workspace, complaint_id: int, source: Path) -> tuple[Complaint, changes.Changes]:
    """Copy a photo or document into the data directory (content-addressed by SHA-256), after checking it."""
    source = Path(source)
    suffix = source.suffix.lower()
    files.check(source, _("Attachment"), ALLOWED_ATTACHMENTS,
                settings_app.get_value(ws, "complaints/attachment/max_mb"),
                _("only photos (jpg, png, gif), PDF, Word, Excel and text files are kept"))
    kept = files.keep(source, _("Attachment"), attachment_dir(), lambda sha: attachment_dir() / sha[:2] / sha)
    name, size, sha = kept.name, kept.size, kept.sha256
    media = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
             ".pdf": "application/pdf", ".txt": "text/plain"}.get(suffix, "application/octet-stream")

    def work(session, row):
        session.add(AttachmentRow(complaint_id=row.id, file_name=name, sha256=sha, size=size, media_type=media))

    return _write(ws, complaint_id, None, None, work)


# --- statistics ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Statistics:
    start: date
    end: date
    total: int
    by_category: dict[str, int]
    by_channel: dict[str, int]
    by_town: dict[str, int]
    by_month: dict[str, int]
    accepted_on_time: int
    decided: int
    replied_on_time: int
    replied: int
    satisfied: int          # satisfied + basically satisfied
    followed_up: int
    satisfaction_target: float
    repeats: int
    key_cases: int
    skip_level: int

    @staticmethod
    def rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None


@requires(Permission.VIEW)
def statistics(ws: Workspace, start: date, end: date) -> Statistics:
    """Counts and rates for complaints received in a period (every figure computed in SQL or from clocks)."""
    with ws.reading() as session:
        period = and_(ComplaintRow.received_date >= start, ComplaintRow.received_date <= end)

        def grouped(column, *joins):
            query = select(column, func.count()).select_from(ComplaintRow)
            for join in joins:
                query = query.join(*join)
            return dict(session.execute(query.where(period).group_by(column)).all())

        total = session.scalar(select(func.count()).select_from(ComplaintRow).where(period))
        by_type = grouped(ComplaintPollutionRow.pollution_type,
                          (ComplaintPollutionRow, ComplaintPollutionRow.complaint_id == ComplaintRow.id))
        by_category: dict[str, int] = {}
        for key, count in by_type.items():
            category = pollution_category(key)
            by_category[category] = by_category.get(category, 0) + count
        by_town = {name or "": count for name, count in session.execute(
            select(TownRow.name_zh, func.count()).select_from(ComplaintRow)
            .outerjoin(TownRow, TownRow.id == ComplaintRow.town_id).where(period).group_by(TownRow.name_zh)).all()}
        months = func.substr(func.cast(ComplaintRow.received_date, type_=ComplaintRow.number.type), 1, 7)
        by_month = dict(session.execute(select(months, func.count()).where(period).group_by(months)).all())
        flags = session.execute(select(
            func.count().filter(ComplaintRow.is_repeat.is_(True)), func.count().filter(ComplaintRow.key_case.is_(True)),
            func.count().filter(ComplaintRow.skip_level.is_(True)),
            func.count().filter(ComplaintRow.satisfaction.in_([Satisfaction.SATISFIED.value,
                                                               Satisfaction.BASICALLY.value])),
            func.count().filter(ComplaintRow.satisfaction != "")).where(period)).one()
        decided = session.execute(select(ComplaintRow.decided_on, ComplaintRow.acceptance_due).where(
            period, ComplaintRow.decided_on.is_not(None))).all()
        replied = session.execute(select(ComplaintRow.replied_on, ComplaintRow.handling_due).where(
            period, ComplaintRow.replied_on.is_not(None))).all()
        by_channel = grouped(ComplaintRow.channel)
    return Statistics(
        start, end, total, by_category, by_channel, by_town, by_month,
        accepted_on_time=sum(1 for on, due in decided if due is None or on <= due), decided=len(decided),
        replied_on_time=sum(1 for on, due in replied if due is None or on <= due), replied=len(replied),
        satisfied=flags[3], followed_up=flags[4],
        satisfaction_target=settings_app.get_value(ws, "complaints/satisfaction_target"),
        repeats=flags[0], key_cases=flags[1], skip_level=flags[2])


# --- the Overview -------------------------------------------------------------------------------

class ComplaintsDue:
    """Complaints whose acceptance or handling clock is overdue or due within the horizon."""

    def due_items(self, ws: Workspace, today: date, horizon_days: int):
        from datetime import timedelta

        from envdesk.app.overview import DueItem
        from envdesk.app.overview import Severity as Level

        horizon = today + timedelta(days=horizon_days)
        register_name = N_("Complaints")
        items = []
        with ws.reading() as session:
            for status, column, label in (
                    ((Status.REGISTERED.value,), ComplaintRow.acceptance_due, _("Acceptance due")),
                    ((Status.ACCEPTED.value, Status.ASSIGNED.value), ComplaintRow.handling_due,
                     _("Reply due"))):
                rows = session.execute(select(ComplaintRow.number, ComplaintRow.content, column)
                                       .where(ComplaintRow.status.in_(status), column <= horizon)
                                       .order_by(column).limit(200)).all()
                for number, content, due in rows:
                    days = (due - today).days
                    items.append(DueItem(register_name, number, f"{label}: {content[:60]}",
                                         Level.OVERDUE if days < 0 else Level.DUE_SOON, due, days,
                                         _("Regulations on Letters and Visits")))
        return items

    def figures(self, ws: Workspace, today: date):
        from envdesk.app.overview import Figure

        with ws.reading() as session:
            open_count = session.scalar(select(func.count()).select_from(ComplaintRow).where(
                ComplaintRow.status.in_([s.value for s in Status if s.is_open])))
        return [Figure(N_("Open complaints"), open_count)]
