"""The audit trail: who did what, when, to which record, which fields from what to what.

Every create, update and delete made through the ORM is recorded by session hooks, in the same
transaction as the change, so a change and its audit entry commit or vanish together. Prints, exports,
imports, log-ins and identity views are recorded by `log` / `record`. Entries are only ever inserted:
each carries the hash of the one before and `audit_head` names the last, so `verify` finds an entry
changed, inserted or removed outside EnvDesk.

Complainants' identities never enter the trail in clear: those fields are recorded as changed, masked.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, event, func, inspect, or_, select, update
from sqlalchemy.orm import Session

from envdesk.app.access import Principal, check, requires
from envdesk.app.validation import contains
from envdesk.domain.users import GENESIS, Permission, entry_hash
from envdesk.i18n import N_, _
from envdesk.store.users import AuditHeadRow, AuditRow

if TYPE_CHECKING:
    from envdesk.app.workspace import Workspace

_PENDING = "audit_pending"
_PRINCIPAL = "principal"
MASK = "***"
_LONGEST_VALUE = 2000
_SKIPPED_FIELDS = {"id", "version", "created_at", "updated_at"}
VERSION = "version"  # the record's version after a change, kept with the change (not shown as a field)
# The fields a row is named by in the trail, in order of preference.
_LABEL_FIELDS = ("number", "document_number", "login", "title_zh", "name_zh", "name", "key", "year", "credit_code")
# Child records are listed in their owner's history: table -> the column pointing at the owner.
_OWNERS = {
    "complaint_pollution": "complaint_id", "complaint_link": "complaint_id", "complaint_handling": "complaint_id",
    "complaint_attachment": "complaint_id", "approval_pause": "approval_id", "twinning_pair": "enterprise_id",
    "twinning_contact": "pair_id", "health_check": "enterprise_id", "health_check_finding": "check_id",
    "service_item": "enterprise_id", "plan_phase": "plan_id", "task": "plan_id", "task_department": "task_id",
    "task_progress": "task_id", "letter": "plan_id",
}

# Actions, as the audit view shows them (translated where shown).
ACTIONS = {
    "create": N_("Created"), "update": N_("Changed"), "transition": N_("Status changed"), "delete": N_("Deleted"),
    "print": N_("Printed"), "export": N_("Exported"), "import": N_("Imported"), "login": N_("Logged in"),
    "login_failed": N_("Log-in refused"), "logout": N_("Logged out"), "view_identity": N_("Viewed identity"),
    "password": N_("Password changed"), "backup": N_("Backed up"), "restore": N_("Restored"),
}


# Record kinds (table names) as readers see them, in the history, the audit window, its export and the command.
ENTITY_LABELS = {
    "app_user": N_("User account"), "approval": N_("Approval"), "approval_event": N_("Approval event"),
    "approval_pause": N_("Approval pause"), "bureau": N_("Bureau"), "calendar_year": N_("Working calendar"),
    "complaint": N_("Complaint"), "complaint_attachment": N_("Attachment"), "complaint_event": N_("Complaint event"),
    "complaint_handling": N_("Handling step"), "complaint_link": N_("Related complaint"),
    "complaint_pollution": N_("Pollution type"), "department": N_("Department"), "enterprise": N_("Enterprise"),
    "health_check": N_("Health check"), "health_check_finding": N_("Finding"), "letter": N_("Letter"),
    "login_session": N_("Session"), "plan": N_("Plan"), "plan_phase": N_("Plan phase"),
    "service_item": N_("Service item"),
    "service_item_event": N_("Service item event"), "setting": N_("Setting"), "staff": N_("Staff member"),
    "task": N_("Task"), "task_department": N_("Task department"), "task_progress": N_("Task progress"),
    "town": N_("Town"), "twinning_contact": N_("Twinning contact"), "twinning_pair": N_("Twinning pair"),
    "audit_log": N_("Audit trail"),
}


def entity_label(entity: str) -> str:
    """A stored record kind in the reader's language (unknown kinds as stored)."""
    return _(ENTITY_LABELS[entity]) if entity in ENTITY_LABELS else entity


def workstation() -> str:
    try:
        return socket.gethostname()[:100]
    except OSError:
        return ""


_WORKSTATION = workstation()


@dataclass(frozen=True)
class Entry:
    seq: int
    at: datetime
    user_name: str
    workstation: str
    action: str
    entity: str
    record_id: int | None
    owner_entity: str
    owner_id: int | None
    label: str
    changes: dict[str, list]
    detail: str

    @property
    def action_label(self) -> str:
        return _(ACTIONS[self.action]) if self.action in ACTIONS else self.action

    @property
    def detail_text(self) -> str:
        """The detail in the reader's language (EnvDesk's own details are message ids; typed text stays)."""
        return _(self.detail) if self.detail else ""

    def describe_changes(self) -> str:
        """"field: old → new" per line, as the history view shows them."""
        return "\n".join(f"{name}: {_shown(old)} → {_shown(new)}" for name, (old, new) in self.changes.items()
                         if name != VERSION)

    @property
    def only_version(self) -> bool:
        """A change that moved the record's version and nothing else of its own (a step recorded in child
        records: the complaint's handling, an approval's pause…)."""
        return self.action == "update" and set(self.changes) <= {VERSION}


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return str(value)


# --- recording ----------------------------------------------------------------------------------------------

def install(sessions) -> None:
    """Audit every session the workspace's sessionmaker makes."""
    event.listen(sessions, "after_flush", _collect)
    event.listen(sessions, "before_commit", _write_pending)


def record(session: Session, action: str, *, entity: str = "", record_id: int | None = None, label: str = "",
           detail: str = "", owner: tuple[str, int | None] = ("", None),
           changes: dict[str, list] | None = None) -> None:
    """Add an explicit entry (a print, an export, an import…) to the session's transaction."""
    session.info.setdefault(_PENDING, []).append(dict(
        action=action, entity=entity, record_id=record_id, owner_entity=owner[0], owner_id=owner[1],
        label=label[:200], changes=changes or {}, detail=detail))


def record_bulk(session: Session, entity: str, ids: Sequence[int | None], values: Sequence[dict], label_field: str,
                owner_field: str = "", owner_entity: str = "") -> None:
    """Creations written in bulk (Core INSERTs the session hooks do not see), one entry per record. Columns the
    hooks leave out or mask (identities, secrets) are left out or masked here too."""
    from envdesk.store.models import Base

    table = Base.metadata.tables.get(entity)
    info = {column.key: column.info for column in table.c} if table is not None else {}
    pending = session.info.setdefault(_PENDING, [])
    for record_id, fields in zip(ids, values, strict=True):
        changes = {key: [None, MASK if info.get(key, {}).get("confidential") or info.get(key, {}).get("secret")
                         else _value(value)] for key, value in fields.items()
                   if key not in _SKIPPED_FIELDS and info.get(key, {}).get("audit") is not False
                   and value not in (None, "", [], False, 0)}
        pending.append(dict(action="create", entity=entity, record_id=record_id, owner_entity=owner_entity,
                            owner_id=fields.get(owner_field) if owner_field else None,
                            label=str(fields.get(label_field, ""))[:200], changes=changes, detail=""))


def log(ws: "Workspace", action: str, **fields) -> None:
    """Record an action that changes nothing else (a print, an export, a log-in) in its own transaction."""
    with ws.transaction() as session:
        record(session, action, **fields)


def _collect(session: Session, _flush_context) -> None:
    pending = session.info.setdefault(_PENDING, [])
    for obj in session.new:
        if _audited(obj):
            pending.append(_entry(obj, "create"))
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            entry = _entry(obj, "update")
            if entry["changes"]:
                if "status" in entry["changes"]:
                    entry["action"] = "transition"
                pending.append(entry)
    for obj in session.deleted:
        if _audited(obj):
            pending.append(_entry(obj, "delete"))


def _audited(obj: object) -> bool:
    return getattr(type(obj), "__audit__", True) and hasattr(type(obj), "__table__")


def _entry(obj: object, action: str) -> dict:
    state = inspect(obj)
    mapper = state.mapper
    table = mapper.local_table
    changes: dict[str, list] = {}
    unrecorded = False  # a column kept out of the trail changed (a log-in's bookkeeping)
    for column in mapper.columns:
        key = mapper.get_property_by_column(column).key
        if key in _SKIPPED_FIELDS:
            continue
        history = state.attrs[key].history
        if column.info.get("audit") is False:
            unrecorded = unrecorded or history.has_changes()
            continue
        if action == "create":
            old, new = None, _value(state.dict.get(key))
            changed = new not in (None, "", [], False, 0)
        elif action == "delete":
            old, new = _value(history.deleted[0] if history.deleted else state.dict.get(key)), None
            changed = old not in (None, "", [], False, 0)
        else:
            if not history.has_changes():
                continue
            old = _value(history.deleted[0]) if history.deleted else None
            new = _value(history.added[0]) if history.added else None
            changed = old != new
        if not changed:
            continue
        if column.info.get("confidential"):
            old, new = (MASK if old else old), (MASK if new else new)
        elif column.info.get("secret"):
            old, new = (MASK if old else old), (MASK if new else new)
        changes[key] = [old, new]
    if action == "update" and mapper.version_id_col is not None and (changes or not unrecorded):
        # The version this change made: a refused save can then list exactly the changes made since the version
        # its form was opened at (see changes_since). The flush has already moved the counter.
        version = state.dict.get(mapper.get_property_by_column(mapper.version_id_col).key)
        if isinstance(version, int):
            changes[VERSION] = [version - 1, version]
    owner_column = _OWNERS.get(table.name)
    owner = ("", None)
    if owner_column is not None:
        target = next(iter(table.c[owner_column].foreign_keys)).column.table.name
        owner = (target, state.dict.get(owner_column))
    identity = mapper.primary_key_from_instance(obj)
    primary = identity[0] if len(identity) == 1 else None
    return dict(action=action, entity=table.name, record_id=primary if isinstance(primary, int) else None,
                owner_entity=owner[0], owner_id=owner[1], label=_label(obj, state.dict, identity), changes=changes,
                detail="")


def _label(obj: object, values: dict, identity) -> str:
    preferred = getattr(type(obj), "__audit_label__", None)
    for name in ((preferred,) if preferred else ()) + _LABEL_FIELDS:
        value = values.get(name)
        if value not in (None, ""):
            return str(value)[:200]
    if identity:
        return "/".join(str(part) for part in identity)[:200]
    return ""


def _value(value: Any) -> Any:
    """A JSON value for the trail."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat(timespec="seconds") if value.tzinfo else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, (list, tuple, dict)):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        return value if len(text) <= _LONGEST_VALUE else text[:_LONGEST_VALUE] + "…"
    text = str(value)
    return text if len(text) <= _LONGEST_VALUE else text[:_LONGEST_VALUE] + "…"


def take_turn(session: Session) -> None:
    """Wait until other workstations' transactions that write have finished, and hold them off until this one
    ends: before taking the next free number (a complaint, an approval, a letter), so that two workstations
    numbering at the same moment get consecutive numbers instead of one refusal. PostgreSQL: the head row's lock,
    which every write takes at commit anyway; SQLite: the write lock, already held since BEGIN IMMEDIATE."""
    session.execute(update(AuditHeadRow).where(AuditHeadRow.id == 1).values(seq=AuditHeadRow.seq))


def _write_pending(session: Session) -> None:
    """Chain the transaction's entries onto the trail, under a lock on the head row so that two
    workstations committing together take turns."""
    session.flush()  # changes still pending are collected now
    pending = session.info.pop(_PENDING, [])
    if not pending:
        return
    who: Principal | None = session.info.get(_PRINCIPAL)
    user_id = who.user_id if who else None
    user_name = who.name if who else session.info.get("user_name", "EnvDesk")
    at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    connection = session.connection()
    # The UPDATE takes the head's row lock (PostgreSQL) or the write lock (SQLite) before the head is read.
    connection.execute(update(AuditHeadRow).where(AuditHeadRow.id == 1).values(seq=AuditHeadRow.seq))
    head = connection.execute(select(AuditHeadRow.seq, AuditHeadRow.hash).where(AuditHeadRow.id == 1)).first()
    seq, previous = (head.seq, head.hash) if head else (0, GENESIS)
    rows = []
    for item in pending:
        seq += 1
        row = dict(seq=seq, at=at, user_id=user_id, user_name=user_name[:100], workstation=_WORKSTATION,
                   action=item["action"], entity=item["entity"], record_id=item["record_id"],
                   owner_entity=item["owner_entity"], owner_id=item["owner_id"], label=item["label"],
                   changes=json.dumps(item["changes"], ensure_ascii=False, sort_keys=True) if item["changes"] else "",
                   detail=item["detail"], prev_hash=previous)
        row["hash"] = previous = entry_hash(previous, _hashed(row))
        rows.append(row)
    connection.execute(AuditRow.__table__.insert(), rows)
    if head is None:
        connection.execute(AuditHeadRow.__table__.insert(), [dict(id=1, seq=seq, hash=previous)])
    else:
        connection.execute(update(AuditHeadRow).where(AuditHeadRow.id == 1).values(seq=seq, hash=previous))


def _hashed(row: dict) -> dict:
    return {key: row[key] for key in ("seq", "at", "user_id", "user_name", "workstation", "action", "entity",
                                      "record_id", "owner_entity", "owner_id", "label", "changes", "detail",
                                      "prev_hash")}


# --- reading ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AuditFilter:
    text: str = ""  # in the label, the user, the detail
    user: str = ""
    action: str = ""
    entity: str = ""
    since: date | None = None
    until: date | None = None


def _entries(rows: Iterable[AuditRow]) -> list[Entry]:
    return [Entry(row.seq, datetime.fromisoformat(row.at), row.user_name, row.workstation, row.action, row.entity,
                  row.record_id, row.owner_entity, row.owner_id, row.label,
                  json.loads(row.changes) if row.changes else {}, row.detail) for row in rows]


# Records whose history belongs to the global trail (who logged in where and when), not to the registers.
_ADMINISTRATIVE = {"app_user", "workstation"}


@requires(Permission.VIEW)
def history(ws: "Workspace", entity: str, record_id: int) -> list[Entry]:
    """A record's history, its child records' included (a complaint's handling, a plan's tasks…), oldest first.
    An account's history (its log-ins, refused log-ins, password changes) needs the permission of the global
    trail."""
    if entity in _ADMINISTRATIVE:
        check(ws, Permission.AUDIT_VIEW)
    with ws.reading() as session:
        return [entry for entry in _entries(_record_rows(session, entity, record_id)) if not entry.only_version]


def _record_rows(session: Session, entity: str, record_id: int) -> list[AuditRow]:
    return list(session.scalars(select(AuditRow).where(or_(
        and_(AuditRow.entity == entity, AuditRow.record_id == record_id),
        and_(AuditRow.owner_entity == entity, AuditRow.owner_id == record_id))).order_by(AuditRow.seq)).all())


_CHANGING = ("create", "update", "transition", "delete")


def changes_since(session: Session, entity: str, record_id: int, version: int) -> list[Entry]:
    """What was done to a record (and its child records) after its version `version`, oldest first: the
    changes a refused save would have overwritten, read where the refusal is found. Each change made in one
    transaction shares its time; a change from before EnvDesk kept versions in the trail falls back to the
    record's last transaction."""
    entries = _entries(_record_rows(session, entity, record_id))
    own = [entry for entry in entries if entry.entity == entity and entry.record_id == record_id]
    stamps = {entry.at for entry in own if VERSION in entry.changes and entry.changes[VERSION][1] > version}
    if not stamps:
        changing = [entry for entry in entries if entry.action in _CHANGING]
        stamps = {changing[-1].at} if changing else set()
    return [entry for entry in entries if entry.at in stamps and not entry.only_version]


def _day_start(day: date) -> str:
    """Local midnight of `day` as stored times are written (UTC, ISO 8601): the reader's days, not UTC's."""
    return datetime.combine(day, time()).astimezone().astimezone(timezone.utc).isoformat(timespec="microseconds")


# An entry that only moved a record's version (a step kept in child records): kept in the chain for conflicts,
# left out of what readers see. Its changes are exactly {"version": [old, new]} (keys sorted when written).
_ONLY_VERSION = and_(AuditRow.action == "update", AuditRow.changes.like('{"version": [%]}'),
                     AuditRow.changes.not_like('%], "%'))


def _filtered(query, f: AuditFilter):
    query = query.where(~_ONLY_VERSION)
    # Without case and taken literally (% and _ are not wildcards), alike on SQLite and PostgreSQL.
    if f.text.strip():
        like = contains(f.text.strip())
        query = query.where(or_(*(column.ilike(like, escape="\\") for column in (
            AuditRow.label, AuditRow.detail, AuditRow.user_name, AuditRow.entity))))
    if f.user.strip():
        query = query.where(AuditRow.user_name.ilike(contains(f.user.strip()), escape="\\"))
    if f.action:
        query = query.where(AuditRow.action == f.action)
    if f.entity:
        query = query.where(or_(AuditRow.entity == f.entity, AuditRow.owner_entity == f.entity))
    if f.since:
        query = query.where(AuditRow.at >= _day_start(f.since))
    if f.until:
        query = query.where(AuditRow.at < _day_start(date.fromordinal(f.until.toordinal() + 1)))
    return query


@requires(Permission.AUDIT_VIEW)
def entries(ws: "Workspace", f: AuditFilter = AuditFilter(), offset: int = 0, limit: int = 200) -> list[Entry]:
    """The global trail, newest first, one page."""
    with ws.reading() as session:
        query = _filtered(select(AuditRow), f).order_by(AuditRow.seq.desc()).offset(offset).limit(limit)
        return _entries(session.scalars(query).all())


@requires(Permission.VIEW)
def last_change(ws: "Workspace") -> int:
    """The number of the newest audit entry: it moves with every change anyone makes on any workstation, so a
    window compares it (one row read) to know whether to refresh, instead of polling the registers."""
    with ws.reading() as session:
        return session.scalar(select(AuditHeadRow.seq).where(AuditHeadRow.id == 1)) or 0


@requires(Permission.AUDIT_VIEW)
def count(ws: "Workspace", f: AuditFilter = AuditFilter()) -> int:
    with ws.reading() as session:
        return session.scalar(_filtered(select(func.count()).select_from(AuditRow), f)) or 0


@requires(Permission.AUDIT_VIEW)
def entity_names(ws: "Workspace") -> list[str]:
    with ws.reading() as session:
        return sorted(n for n in session.scalars(select(AuditRow.entity).distinct()) if n)


@requires(Permission.AUDIT_VIEW)
def export_rows(ws: "Workspace", f: AuditFilter = AuditFilter()) -> Iterator[dict[str, Any]]:
    """Every matching entry, oldest first, as rows for the exchange writer; the export is audited."""
    with ws.reading() as session:
        query = _filtered(select(AuditRow), f).order_by(AuditRow.seq).execution_options(yield_per=2000)
        for entry in _entries(session.scalars(query)):
            yield {"seq": entry.seq, "at": entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                   "user": entry.user_name, "workstation": entry.workstation, "action": entry.action_label,
                   "record": f"{entity_label(entry.entity)} {entry.record_id or ''}".strip(), "label": entry.label,
                   "changes": entry.describe_changes(), "detail": entry.detail_text}


# --- verification ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verification:
    entries: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _verify(ws: "Workspace") -> Verification:
    problems: list[str] = []
    previous, expected_seq, checked = GENESIS, 1, 0
    with ws.reading() as session:
        if ws.dialect == "postgresql":
            # One snapshot for the entries and the head: under READ COMMITTED an entry committed by another
            # workstation between the two reads would look like a removed one.
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        rows = session.execute(select(AuditRow.__table__).order_by(AuditRow.seq).execution_options(yield_per=5000))
        for row in rows.mappings():
            checked += 1
            if row["seq"] != expected_seq:
                problems.append(_("entries {first} to {last} are missing").format(
                    first=expected_seq, last=row["seq"] - 1) if row["seq"] > expected_seq else
                    _("entry {n} is out of order").format(n=row["seq"]))
            if row["prev_hash"] != previous:
                problems.append(_("entry {n} does not follow the entry before it").format(n=row["seq"]))
            if entry_hash(row["prev_hash"], _hashed(dict(row))) != row["hash"]:
                problems.append(_("entry {n} was changed after it was written").format(n=row["seq"]))
            previous, expected_seq = row["hash"], row["seq"] + 1
            if len(problems) >= 50:
                break
        head = session.execute(select(AuditHeadRow.seq, AuditHeadRow.hash).where(AuditHeadRow.id == 1)).first()
    if len(problems) < 50:
        if head is None:
            problems.append(_("the record of the last entry is missing"))
        elif (head.seq, head.hash) != (expected_seq - 1, previous):
            problems.append(_("the trail ends at entry {n} but entry {last} was written").format(
                n=expected_seq - 1, last=head.seq))
    return Verification(checked, tuple(problems))


@requires(Permission.AUDIT_VIEW)
def verify(ws: "Workspace") -> Verification:
    """Walk the whole trail: every hash recomputed, every link and number checked, the head compared."""
    return _verify(ws)
