"""The complaints ledger in and out of spreadsheets: import the ledger a bureau already keeps in Excel, and
export a period's ledger with the computed clocks (identities left out unless explicitly included)."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any, TypeVar

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from envdesk.app import audit, changes
from envdesk.app import calendar as calendar_app
from envdesk.app.access import check, requires
from envdesk.app.complaints import (
    COMPLAINTS,
    ComplaintInput,
    _clocks,
    _index_many,
    _Numbers,
    _rules,
    _validated,
)
from envdesk.app.errors import ValidationError
from envdesk.app.reference import ImportRows, ImportSummary
from envdesk.app.workspace import Workspace
from envdesk.domain.complaints import (
    Channel,
    Status,
    parse_pollution,
    pollution_msgid,
)
from envdesk.domain.deadlines import Rule, compute_deadline
from envdesk.domain.importing import RowProblem, RowsRejected
from envdesk.domain.users import Permission
from envdesk.i18n import N_, _, gettext_for
from envdesk.store.complaints import ComplaintEventRow, ComplaintPollutionRow, ComplaintRow
from envdesk.store.models import DepartmentRow, TownRow
from envdesk.store.twinning import EnterpriseRow
from envdesk.store.types import utcnow

log = logging.getLogger("envdesk.complaints")
T = TypeVar("T")

# The note of the "register" step of an imported complaint (translated where the steps are shown).
IMPORTED_NOTE = N_("Imported from a spreadsheet ledger")

NUMBER_LENGTH = 40  # ComplaintRow.number


@dataclass(frozen=True)
class ComplaintImportSummary(ImportSummary):
    """`skipped`: numbers already in the database for the same complaint (same received date and content),
    left as they are, so that importing a ledger again after adding rows to it adds only the new rows."""

    skipped: tuple[str, ...] = ()


# --- what ledgers write in the channel and pollution type columns --------------------------------

def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


# Words offices use for a channel, besides its key and its label in Chinese and English (Channel.parse).
_CHANNEL_WORDS: dict[str, Channel] = {_norm(word): channel for channel, words in {
    Channel.HOTLINE_12369: ("环保热线", "环保举报热线", "举报热线", "微信举报", "12369 hotline"),
    Channel.HANDOFF_12345: ("市长热线", "政务服务热线", "便民热线", "政务热线", "12345 hotline", "hotline hand-off"),
    Channel.LETTER: ("来信", "信件", "书信", "信函", "邮寄", "mail"),
    Channel.VISIT: ("来访", "上访", "接访", "当面", "visit"),
    Channel.ONLINE: ("网上信访", "网上", "网络", "网络平台", "网上平台", "网上信访平台", "网站", "留言板", "online"),
    Channel.PHONE: ("电话", "来电", "电话举报", "telephone", "tel"),
    Channel.FAX: ("传真",),
    Channel.MAILBOX: ("局长信箱", "局长邮箱", "领导信箱", "mailbox", "director's mail"),
    Channel.ASSIGNED: ("上级交办", "上级转办", "交办", "转办", "督办", "上级督办", "上级", "higher level",
                       "assigned by higher level"),
}.items() for word in words}


def parse_channel(text: Any) -> Channel:
    """A channel from its key, its label (Chinese or English) or a word ledgers use ('12345热线', '来信')."""
    if isinstance(text, Channel):
        return text
    raw = str(text or "").strip()
    try:
        return Channel.parse(raw)
    except ValueError:
        pass
    word = _norm(raw)
    # "12345热线", "12345政务服务便民热线", "12369网络举报": the hotline's number says which it is.
    for channel in (Channel.HANDOFF_12345, Channel.HOTLINE_12369):
        if word.startswith(channel.value):
            return channel
    if word in _CHANNEL_WORDS:
        return _CHANNEL_WORDS[word]
    raise ValueError(_("“{value}” is not a channel; use one of: {choices}").format(
        value=raw, choices="、".join(channel.label for channel in Channel)))


# Words ledgers use for pollution types, besides their keys and labels (parse_pollution).
_POLLUTION_WORDS: dict[str, str] = {_norm(word): key for key, words in {
    "air": ("大气", "废气", "空气", "大气污染", "air pollution"),
    "odour": ("异味", "臭味", "恶臭", "气味", "odor"),
    "dust": ("扬尘", "粉尘", "灰尘"),
    "industrial_gas": ("工业废气",),
    "cooking_fumes": ("油烟", "餐饮油烟"),
    "vehicle_exhaust": ("尾气", "机动车尾气", "汽车尾气"),
    "noise": ("噪声", "噪音"),
    "construction_noise": ("施工噪声", "施工噪音", "建筑施工噪声", "建筑噪声"),
    "industrial_noise": ("工业噪声", "工业噪音", "企业噪声", "生产噪声"),
    "social_noise": ("社会生活噪声", "生活噪声", "社会噪声", "生活噪音"),
    "water": ("水", "水污染", "废水"),
    "industrial_water": ("工业废水", "生产废水"),
    "domestic_water": ("生活污水", "污水"),
    "solid_waste": ("固废", "固体废物", "固体废弃物", "废物"),
    "household_waste": ("生活垃圾", "垃圾"),
    "industrial_waste": ("一般工业固废", "一般工业固体废物", "工业固废", "工业固体废物"),
    "hazardous_waste": ("危废", "危险废物", "危险废弃物"),
    "ecology": ("生态", "生态破坏", "生态环境破坏"),
    "radiation": ("辐射", "电磁辐射", "电磁"),
    "soil": ("土壤", "土壤污染"),
    "other": ("其他", "其它"),
}.items() for word in words}


def parse_pollution_type(text: str) -> str:
    """A pollution type's key from its key, label or a word ledgers use ('噪音', '油烟', '大气污染')."""
    try:
        return parse_pollution(text)
    except ValueError as error:
        word = _norm(text)
        for candidate in (word, word.removesuffix("污染"), word.removesuffix("扰民")):
            if candidate in _POLLUTION_WORDS:
                return _POLLUTION_WORDS[candidate]
        raise error from None


# --- the complainant -----------------------------------------------------------------------------

_ANONYMOUS = frozenset(_norm(word) for word in ("匿名", "匿名者", "匿名人", "匿名群众", "anonymous", "anon."))
# What ledgers put in a cell that has nothing to say.
_PLACEHOLDERS = frozenset(_norm(word) for word in ("-", "--", "—", "/", "无", "空", "n/a", "na", "none"))
# Fixed per export language, like yes/no: data the importer must read back, whatever a translator chooses.
_ANONYMOUS_WORD = {"en": "Anonymous"}
# What an export without identities says in the complainant column of a complaint that was not anonymous, so
# that re-importing it cannot turn a named complainant into an anonymous one.
_WITHHELD_WORD = {"en": "(identity withheld)", "zh_CN": "（身份信息未导出）"}
_WITHHELD = frozenset(_norm(word) for word in _WITHHELD_WORD.values())


def _cell(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    return "" if _norm(text) in _PLACEHOLDERS else text


def _masked(text: str) -> bool:
    return "*" in text or "＊" in text


# --- import --------------------------------------------------------------------------------------

# A use case's error names its field by a translated label; the rows name columns by key.
def _field_keys() -> dict[str, str]:
    return {_("Channel"): "channel", _("Received"): "received", _("Content"): "content",
            _("Pollution types"): "pollution_types", _("Subject"): "subject", _("Town"): "town",
            _("Complainant"): "complainant", _("Phone"): "phone", _("Address"): "address",
            _("Location"): "location", _("No."): "number"}


@dataclass
class _Prepared:
    row: int
    number: str
    fields: dict[str, Any]  # as the register use case validated them
    enterprise: EnterpriseRow | None
    town: TownRow | None
    accepted: date | None
    replied: date | None
    closed: date | None


def _received(value: Any) -> datetime | None:
    """The receipt time as the file has it (a local time; a date alone is taken as its midnight), made aware."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.astimezone()
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day).astimezone()
    return None


def _memo(parse: Callable[[Any], T]) -> Callable[[Any], T]:
    """`parse` remembering its answers for one import (a ledger repeats a handful of channels and types)."""
    answers: dict[str, tuple[Any, str | None]] = {}

    def parsed(text: Any) -> T:
        key = str(text)
        if key not in answers:
            try:
                answers[key] = (parse(text), None)
            except ValueError as error:
                answers[key] = (None, str(error))
        value, error = answers[key]
        if error is not None:
            raise ValueError(error)
        return value

    return parsed


def _day(value: Any) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _same_matter(row: ComplaintRow, received_date: date, content: str) -> bool:
    """The same complaint: received the same day, with the same content (spacing and full-width forms aside)."""
    return row.received_date == received_date and _norm(row.content) == _norm(content)


@requires(Permission.COMPLAINTS_EDIT)
def import_complaints(ws: Workspace, rows: ImportRows, check_only: bool = False,
                      today: date | None = None) -> ComplaintImportSummary:
    """Create the complaints of a ledger kept in Excel, keeping their numbers; all or nothing.

    Every row is checked before anything is written and every problem is reported at once (RowsRejected).
    A row without a number gets the next one. A number already in the database is an error naming the row,
    unless it holds the same complaint (same received date and content): then the row is skipped and
    reported in `skipped`, so a ledger imported again after new rows were added to it adds only those.
    Acceptance, reply and closing dates put the complaint at that step, with its steps and clocks.
    """
    today = today or date.today()
    problems: list[RowProblem] = []
    prepared: list[_Prepared] = []
    skipped: list[str] = []
    keys = _field_keys()
    channel_of, pollution_of = _memo(parse_channel), _memo(parse_pollution_type)
    with ws.transaction() as session:
        towns = {t.name_zh: t for t in session.scalars(select(TownRow))}
        by_name: dict[str, list[EnterpriseRow]] = {}
        by_english: dict[str, list[EnterpriseRow]] = {}
        for e in session.scalars(select(EnterpriseRow)):
            by_name.setdefault(e.name_zh.strip(), []).append(e)
            if e.name_en:
                by_english.setdefault(_norm(e.name_en), []).append(e)
        numbers = [_cell(values.get("number")) for _n, values in rows]
        existing = _existing(session, [n for n in numbers if n])
        seen: dict[str, int] = {}
        for (row_number, values), number in zip(rows, numbers):
            found: list[RowProblem] = []

            def problem(key: str, value: Any, reason: str, found=found, row_number=row_number) -> None:
                found.append(RowProblem(row_number, key, value, reason))

            received_at = _received(values.get("received"))
            if received_at is None:
                problem("received", values.get("received"), _("A value is required"))
            received_date = received_at.date() if received_at else None
            content = values.get("content") or ""

            # The number: the bureau's own, unique in the file and in the database.
            if number:
                if number in seen:
                    problem("number", number, _("appears twice in the file (also row {row})").format(row=seen[number]))
                    number = ""
                else:
                    seen[number] = row_number
                    if len(number) > NUMBER_LENGTH:
                        problem("number", number, _("is longer than {n} characters").format(n=NUMBER_LENGTH))
                if number in existing:
                    stored = existing[number]
                    if received_date is not None and _same_matter(stored, received_date, content):
                        skipped.append(number)
                        continue  # already imported: nothing will be written for this row
                    problem("number", number, _(
                        "{number} is already used by another complaint (received {date}); give this row another "
                        "number, or leave the cell empty to have the next one assigned").format(
                        number=number, date=stored.received_date.isoformat()))

            channel = None
            try:
                channel = channel_of(values.get("channel"))
            except ValueError as error:
                problem("channel", values.get("channel"), str(error))

            town = None
            town_name = _cell(values.get("town"))
            if town_name:
                town = towns.get(town_name)
                if town is None:
                    problem("town", town_name, _("No such town; add it in Settings → Towns first"))

            types: list[str] = []
            listed = values.get("pollution_types") or ()
            if isinstance(listed, str):
                listed = [part for part in re.split(r"[、;,；，\n]+", listed) if part]
            for item in listed:
                try:
                    types.append(pollution_of(item))
                except ValueError as error:
                    problem("pollution_types", item, str(error))
            if not listed:
                problem("pollution_types", "", _("Give at least one pollution type"))

            # The complainant: "匿名" or nothing at all is an anonymous complaint.
            name, phone, address = (_cell(values.get(key)) for key in ("complainant", "phone", "address"))
            anonymous = _norm(name) in _ANONYMOUS or not (name or phone or address)
            if _norm(name) in _ANONYMOUS:
                name = ""
                if phone or address:
                    problem("phone" if phone else "address", phone or address, _(
                        "An anonymous complaint keeps no contact details; clear this cell or give the name"))
            if _norm(name) in _WITHHELD:
                problem("complainant", name, _("The identity was left out of this export; import a ledger "
                                               "exported with the complainants' identity included"))
            for key, value in (("complainant", name), ("phone", phone), ("address", address)):
                if _masked(value):
                    problem(key, value, _("This looks masked (*); import a ledger exported with the complainants' "
                                          "identity included, or clear the cell"))

            # The subject: an enterprise of the register by its exact name, or free text.
            subject = _cell(values.get("subject"))
            matches = by_name.get(subject) or by_english.get(_norm(subject)) if subject else None
            enterprise = matches[0] if matches and len(matches) == 1 else None
            if enterprise is not None and town is None and not town_name:
                town = enterprise.town

            # The steps: each on or after the one before, none in the future.
            accepted, replied, closed = (_day(values.get(key)) for key in ("accepted", "replied", "closed"))
            if received_date is not None and received_date > today:
                problem("received", values.get("received"), _("cannot be in the future"))
            earlier: tuple[date | None, str] = (received_date, _("the complaint was received"))
            for key, value, what in (("accepted", accepted, _("the acceptance")), ("replied", replied, _("the reply")),
                                     ("closed", closed, _("the closing"))):
                if value is None:
                    continue
                if value > today:
                    problem(key, value, _("cannot be in the future"))
                if earlier[0] is not None and value < earlier[0]:
                    problem(key, value, _("cannot be before {what} ({date})").format(
                        what=earlier[1], date=earlier[0].isoformat()))
                earlier = (value, what)
            if (replied or closed) and accepted is None:
                problem("accepted", None, _("Give the acceptance date: a complaint is replied to and closed only "
                                            "after it was accepted"))

            data = ComplaintInput(
                channel=channel.value if channel else "", received_at=received_at or datetime.now().astimezone(),
                first_receiver_id=None, content=content, pollution_types=tuple(types), anonymous=anonymous,
                complainant_name=name, complainant_phone=phone, complainant_address=address,
                enterprise_id=enterprise.id if enterprise else None, subject="" if enterprise else subject,
                town_id=town.id if town else None, location=_cell(values.get("location")), number=number)
            fields: dict[str, Any] = {}
            if not found:
                try:
                    fields = _validated(session, data, today)
                except ValidationError as error:
                    key = keys.get(error.field, "content")
                    problem(key, values.get(key), error.reason)
            if found:
                problems.extend(found)
            else:
                prepared.append(_Prepared(row_number, number, fields, enterprise, town, accepted, replied, closed))
        if problems:
            raise RowsRejected(problems)
        if check_only:
            return ComplaintImportSummary(0, 0, changes.Changes(), tuple(skipped))
        _write(ws, session, prepared, today)
    if skipped:
        log.info("complaints import: %d rows already imported were left as they are", len(skipped))
    return ComplaintImportSummary(len(prepared), 0, changes.Changes.of(COMPLAINTS), tuple(skipped))


def _existing(session: Session, numbers: Sequence[str]) -> dict[str, ComplaintRow]:
    found: dict[str, ComplaintRow] = {}
    unique = sorted(set(numbers))
    for start in range(0, len(unique), 500):
        chunk = unique[start:start + 500]
        found.update((row.number, row) for row in session.scalars(
            select(ComplaintRow).where(ComplaintRow.number.in_(chunk))))
    return found


def _write(ws: Workspace, session: Session, prepared: Sequence[_Prepared], today: date) -> None:
    """The complaints as the use cases would leave them after registering, accepting, replying and closing:
    the same fields, pollution type rows, steps, search index, stored due dates and audit entries; written in
    bulk (a 10,000-row ledger: 6.7 s row by row through the ORM)."""
    if not prepared:
        return
    session.flush()  # enterprises the import added get their ids
    dues = _Dues(ws, today)
    numbers = _Numbers(ws, session)
    for item in prepared:  # the bureau's own numbers count before any is assigned
        if item.number:
            numbers.taken(item.number, item.fields["received_date"].year)
    now = utcnow()
    complaints: list[dict[str, Any]] = []
    for item in sorted(prepared, key=lambda p: not p.number):
        status = Status.CLOSED if item.closed else Status.REPLIED if item.replied else \
            Status.ACCEPTED if item.accepted else Status.REGISTERED
        row = dict(item.fields, number=item.number or numbers.next(item.fields["received_date"].year),
                   status=status.value, decided_on=item.accepted, replied_on=item.replied, closed_on=item.closed,
                   extension_days=0, version=1, created_at=now, updated_at=now)
        if item.enterprise is not None:
            row["enterprise_id"] = item.enterprise.id
        if item.town is not None:
            row["town_id"] = item.town.id
        stored = SimpleNamespace(**row)
        dues.store(stored)
        row["acceptance_due"], row["handling_due"] = stored.acceptance_due, stored.handling_due
        complaints.append((row, item))
    table = ComplaintRow.__table__
    values = [row for row, _item in complaints]
    ids = list(session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), values).scalars())
    audit.record_bulk(session, table.name, ids, values, "number")
    pollution = [dict(complaint_id=i, pollution_type=p) for i, row in zip(ids, values, strict=True)
                 for p in row.get("pollution_types") or ()]
    if pollution:
        session.execute(insert(ComplaintPollutionRow.__table__), pollution)
        audit.record_bulk(session, "complaint_pollution", [None] * len(pollution), pollution, "pollution_type",
                          owner_field="complaint_id", owner_entity="complaint")
    events = []
    for complaint_id, (row, item) in zip(ids, complaints, strict=True):
        events.append(dict(complaint_id=complaint_id, event_date=row["received_date"], action="register",
                           status=Status.REGISTERED.value, staff_id=None, note=IMPORTED_NOTE, recorded_at=now))
        for action, on, reached in (("decide", item.accepted, Status.ACCEPTED),
                                    ("reply", item.replied, Status.REPLIED), ("close", item.closed, Status.CLOSED)):
            if on is not None:
                events.append(dict(complaint_id=complaint_id, event_date=on, action=action, status=reached.value,
                                   staff_id=None, note="", recorded_at=now))
    session.execute(insert(ComplaintEventRow.__table__), events)
    _index_many(session, [(complaint_id, row["content"], item.enterprise.name_zh if item.enterprise
                           else row.get("subject", ""), row.get("location", ""))
                          for complaint_id, (row, item) in zip(ids, complaints, strict=True)])


class _Dues:
    """The acceptance and handling due dates `complaints._store_dues` keeps on a row, with the rules read once
    per channel rather than once per complaint (each read is a settings query: 2,000 rows took 14 s)."""

    def __init__(self, ws: Workspace, today: date) -> None:
        self.ws, self.today = ws, today
        self.calendar = calendar_app.calendar(ws)
        self.rules: dict[str, dict[str, Rule]] = {}

    def store(self, row: ComplaintRow) -> None:
        rules = self.rules.get(row.channel)
        if rules is None:
            rules = self.rules[row.channel] = _rules(self.ws, row.channel)
        row.acceptance_due = compute_deadline(row.received_date, rules["acceptance"], self.calendar,
                                              as_of=self.today).due
        handled = row.decided_on and row.status not in (Status.NOT_ACCEPTED.value, Status.TRANSFERRED.value)
        row.handling_due = compute_deadline(row.decided_on, rules["handling"], self.calendar,
                                            extension_days=row.extension_days or 0, as_of=self.today).due \
            if handled else None


# --- export --------------------------------------------------------------------------------------

@requires(Permission.VIEW)
def complaint_rows(ws: Workspace, start: date | None, end: date | None, language: str = "zh_CN",
                   include_identity: bool = False, today: date | None = None) -> list[dict[str, Any]]:
    """The ledger of complaints received from `start` to `end` (either open) as spreadsheet rows, by the
    COMPLAINTS layout. The complainant's name, phone and address are left out (信访工作条例 art. 30) unless
    `include_identity`, which needs the permission to see identities; the export is audited by its writer
    (envdesk.app.outputs.exported, which says whether identities were included)."""
    return list(ledger(ws, start, end, language, include_identity, today))


@requires(Permission.VIEW)
def ledger(ws: Workspace, start: date | None, end: date | None, language: str = "zh_CN",
           include_identity: bool = False, today: date | None = None) -> "Ledger":
    """complaint_rows for an export: rows read in batches as the file is written, so that exporting 100,000
    complaints holds a thousand of them in memory at a time (and a garbage collection never has to walk them
    all while the window waits); its len() is a count query, for the progress bar."""
    if include_identity:
        check(ws, Permission.COMPLAINANT_IDENTITY)
    query = select(ComplaintRow).order_by(ComplaintRow.received_date, ComplaintRow.number, ComplaintRow.id)
    if start is not None:
        query = query.where(ComplaintRow.received_date >= start)
    if end is not None:
        query = query.where(ComplaintRow.received_date <= end)
    return Ledger(ws, query, "zh_CN" if language == "bilingual" else language, include_identity,
                  today or date.today())


class Ledger:
    def __init__(self, ws: Workspace, query, lang: str, include_identity: bool, today: date) -> None:
        self.ws, self.query, self.lang, self.include_identity, self.today = ws, query, lang, include_identity, today

    def __len__(self) -> int:
        with self.ws.reading() as session:
            return session.scalar(select(func.count()).select_from(self.query.order_by(None).subquery()))

    def __iter__(self) -> Iterator[dict[str, Any]]:
        ws, lang, today = self.ws, self.lang, self.today
        anonymous = _ANONYMOUS_WORD.get(lang, "匿名")
        channels = {c.value: gettext_for(lang, c.msgid) for c in Channel}
        statuses = {s.value: gettext_for(lang, s.msgid) for s in Status}
        pollution: dict[str, str] = {}
        with ws.reading() as session:
            departments = {d.id: d.name_zh for d in session.scalars(select(DepartmentRow))}
            for row in session.scalars(self.query.execution_options(yield_per=1000)):
                if row.anonymous:
                    name, phone, address = anonymous, "", ""
                elif self.include_identity:
                    name, phone, address = row.complainant_name, row.complainant_phone, row.complainant_address
                else:
                    # A spreadsheet leaves the office: the identity is left out, not just masked (a masked phone
                    # still tells its first and last digits).
                    name, phone, address = _WITHHELD_WORD.get(lang, _WITHHELD_WORD["zh_CN"]), "", ""
                acceptance_due, handling_due = row.acceptance_due, row.handling_due
                if acceptance_due is None:  # never stored (rows written outside the use cases)
                    clocks = {clock.key: clock.due for clock in _clocks(ws, row, today)}
                    acceptance_due, handling_due = clocks.get("acceptance"), clocks.get("handling")
                for key in row.pollution_types or ():
                    if key not in pollution:
                        pollution[key] = gettext_for(lang, pollution_msgid(key))
                yield {
                    "number": row.number, "channel": channels.get(row.channel, row.channel),
                    "received": row.received_at, "complainant": name, "phone": phone, "address": address,
                    "subject": row.enterprise.name_zh if row.enterprise else row.subject,
                    "town": row.town.name_zh if row.town else "", "location": row.location,
                    "pollution_types": tuple(pollution[key] for key in row.pollution_types or ()),
                    "content": row.content, "accepted": row.decided_on if row.status not in (
                        Status.NOT_ACCEPTED.value, Status.TRANSFERRED.value) else None,
                    "replied": row.replied_on, "closed": row.closed_on,
                    "acceptance_due": acceptance_due, "handling_due": handling_due,
                    "status": statuses.get(row.status, row.status),
                    "lead_department": departments.get(row.lead_department_id, ""),
                }
