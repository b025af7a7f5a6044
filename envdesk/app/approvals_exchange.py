"""The approvals ledger in and out of spreadsheets: import the ledger an approval unit already keeps in Excel
(creating the builders the enterprise register lacks), and export a year's ledger with the stored clocks."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from envdesk.app import approvals as approvals_app
from envdesk.app import audit, changes
from envdesk.app import calendar as calendar_app
from envdesk.app import settings as settings_app
from envdesk.app.access import requires
from envdesk.app.errors import ValidationError
from envdesk.app.reference import ImportRows, ImportSummary
from envdesk.app.workspace import Workspace
from envdesk.domain.approvals import (
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
)
from envdesk.domain.calendar import WorkingCalendar
from envdesk.domain.complaints import number_prefix, number_sequence
from envdesk.domain.credit_code import check_credit_code
from envdesk.domain.deadlines import Pause, Rule, Unit
from envdesk.domain.eia_categories import category as eia_category
from envdesk.domain.eia_categories import parse_category
from envdesk.domain.importing import RowProblem, RowsRejected
from envdesk.domain.twinning import Labelled
from envdesk.domain.users import Permission
from envdesk.i18n import N_, _, gettext_for
from envdesk.store.approvals import ApprovalEventRow, ApprovalRow, PauseRow
from envdesk.store.models import TownRow
from envdesk.store.twinning import EnterpriseRow

log = logging.getLogger("envdesk.approvals")

# The note of the "register" step of an imported case (translated where the steps are shown).
IMPORTED_NOTE = N_("Imported from a spreadsheet ledger")

NUMBER_LENGTH = 40          # ApprovalRow.number
DOCUMENT_NUMBER_LENGTH = 60  # ApprovalRow.document_number
BUILDER_LENGTH = 200        # EnterpriseRow.name_zh


@dataclass(frozen=True)
class ApprovalImportSummary(ImportSummary):
    """`skipped`: case numbers of rows already in the database for the same project (same name, same received
    date), left as they are, so that importing a ledger again after adding rows to it adds only the new rows.
    `new_enterprises`: builders that were not in the enterprise register and were added to it."""

    skipped: tuple[str, ...] = ()
    new_enterprises: tuple[str, ...] = ()

    @property
    def enterprises_created(self) -> int:
        return len(self.new_enterprises)


# --- what ledgers write in the label columns ------------------------------------------------------

def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


# Words approval units use, besides each member's key and its label in Chinese and English (Labelled.parse).
_WORD_TABLE: dict[type[Labelled], dict[Any, tuple[str, ...]]] = {
    DocumentType: {
        DocumentType.REPORT_BOOK: ("报告书", "环境影响报告书", "环评报告书", "EIA report", "report book", "EIS"),
        DocumentType.REPORT_FORM: ("报告表", "环境影响报告表", "环评报告表", "report form", "EIA form"),
        DocumentType.REGISTRATION_FORM: ("登记表", "环境影响登记表", "环评登记表", "登记表备案", "备案", "registration"),
    },
    Track: {
        Track.NORMAL: ("普通", "一般", "常规", "正常", "普通程序", "一般程序", "普通通道", "常规审批", "standard",
                       "regular", "ordinary"),
        Track.GREEN_CHANNEL: ("绿色通道", "绿通", "绿色", "绿色通道审批", "重点项目绿色通道", "green"),
        Track.NOTIFICATION_COMMITMENT: ("告知承诺制", "告知承诺", "承诺制", "告知承诺审批", "告知承诺制审批",
                                        "commitment", "notification commitment"),
        Track.EXEMPT: ("豁免", "豁免环评", "免于环评", "免环评", "名录外", "名录之外", "不纳入环评管理", "exempted"),
    },
    Nature: {
        Nature.NEW: ("新建", "新建项目", "new"),
        Nature.EXPANSION: ("扩建", "改扩建", "扩建项目", "expansion", "extension"),
        Nature.RENOVATION: ("技术改造", "技改", "改建", "技改项目", "renovation", "technical transformation"),
    },
    ApprovalLevel: {
        ApprovalLevel.OWN: ("本级", "本级审批", "县级", "own"),
        ApprovalLevel.DELEGATED: ("委托", "委托审批", "受委托", "下放", "delegated"),
        ApprovalLevel.PASSED_UP: ("初审上报", "初审后上报", "上报", "初审", "passed up"),
    },
    Outcome: {
        Outcome.APPROVED: ("准予批准", "批准", "同意", "准予", "予以批准", "通过", "准予许可", "approve"),
        Outcome.NOT_APPROVED: ("不予批准", "不批准", "不同意", "不予许可", "驳回", "否决", "refused", "rejected"),
    },
    PauseKind: {
        PauseKind.EXPERT_REVIEW: ("专家评审", "专家评审会", "专家审查", "专家论证", "技术评审", "评审", "expert"),
        PauseKind.TECHNICAL_EVALUATION: ("技术评估", "技术审查", "评估", "检测", "evaluation"),
        PauseKind.PUBLIC_NOTICE: ("公示", "公示期", "受理公示", "拟批准公示", "听证", "public notice", "notice"),
        PauseKind.APPLICANT_REVISION: ("补正", "补充材料", "修改", "修改完善", "补充修改", "报告修改", "revision",
                                       "applicant revision"),
    },
}
_WORDS: dict[type[Labelled], dict[str, Labelled]] = {
    enum: {_norm(word): member for member, words in table.items() for word in words}
    for enum, table in _WORD_TABLE.items()}


def parse_label(enum: type[Labelled], text: Any) -> Labelled:
    """A member of `enum` from its key, its label (Chinese or English) or a word ledgers use ('技改', '绿通')."""
    raw = str(text or "").strip()
    try:
        return enum.parse(raw)
    except ValueError as error:
        found = _WORDS.get(enum, {}).get(_norm(raw))
        if found is None:
            raise ValueError(str(error)) from None
        return found


# What ledgers put in a cell that has nothing to say.
_PLACEHOLDERS = frozenset(_norm(word) for word in ("-", "--", "—", "/", "无", "空", "n/a", "na", "none"))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return "" if _norm(text) in _PLACEHOLDERS else text


# --- the pauses cell ----------------------------------------------------------------------------

_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_PAUSE = re.compile(rf"(?P<kind>.*?)[\s:]*(?P<start>{_DATE})\s*(?:~|至|到|—+|–|--)\s*(?P<end>{_DATE})?\s*(?P<rest>.*)")
_DATE_PARTS = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def _date_text(text: str) -> date:
    year, month, day = (int(part) for part in _DATE_PARTS.match(text).groups())
    return date(year, month, day)


def parse_pause(text: str) -> tuple[PauseKind, date, date | None]:
    """A pause as a ledger writes it: '专家评审 2026-09-28~2026-10-09', 'public notice 2026-10-12~' (still
    paused), '2026-09-28至2026-10-09 专家评审'. The end is the last day the clock stood still."""
    normal = unicodedata.normalize("NFKC", str(text)).strip()
    match = _PAUSE.fullmatch(normal)
    if match is None:
        raise ValueError(_("“{value}” is not a pause; write it like “专家评审 2026-09-28~2026-10-09” (leave the end "
                           "out while still paused)").format(value=text))
    words = (match["kind"] or match["rest"]).strip(" :：,;，；()（）")
    try:
        start = _date_text(match["start"])
        end = _date_text(match["end"]) if match["end"] else None
    except ValueError:
        raise ValueError(_("“{value}” has a date that does not exist").format(value=text)) from None
    try:
        kind = parse_label(PauseKind, words)
    except ValueError:
        raise ValueError(_("“{value}”: say what stopped the clock, one of: {choices}").format(
            value=text, choices="、".join(k.label for k in PauseKind))) from None
    if end is not None and end < start:
        raise ValueError(_("A pause cannot end ({end}) before it starts ({start}).").format(
            start=start.isoformat(), end=end.isoformat()))
    return kind, start, end


def pause_text(kind: PauseKind, start: date, end: date | None, language: str) -> str:
    """A pause as the export writes it; `parse_pause` reads it back."""
    return f"{gettext_for(language, kind.msgid)} {start.isoformat()}~{end.isoformat() if end else ''}"


# --- import -------------------------------------------------------------------------------------

# A use case's error names its field by a translated label; the rows name columns by key. The columns are
# checked one by one before the use case's own validation, which is the last word and rarely has one.
def _field_keys() -> dict[str, str]:
    return {_("Project"): "name", _("Builder"): "builder", _("Document type"): "document_type", _("Track"): "track",
            _("Approval track"): "track", _("Investment project code"): "project_code", _("Town"): "town",
            _("EIA category"): "category", _("Total investment"): "total_investment",
            _("Environmental investment"): "env_investment", _("Approval level"): "level", _("Nature"): "nature",
            _("Contact person"): "contact_person", _("Contact phone"): "contact_phone", _("Location"): "location",
            _("Construction site"): "location", _("Construction content and scale"): "content_scale",
            _("Industry code"): "industry_code", _("Preparing institution"): "preparing_institution"}


# The longest text each column holds (ApprovalRow).
_LENGTHS = {"name": 300, "contact_person": 50, "contact_phone": 50, "location": 300, "content_scale": 5000,
            "industry_code": 10, "preparing_institution": 200}


@dataclass
class _Prepared:
    row: int
    number: str
    fields: dict[str, Any]          # as approvals._validated left them
    status: Status
    early_involvement: date | None
    received: date | None
    notified: date | None
    accepted: date | None
    pauses: list[tuple[PauseKind, date, date | None]]
    decided: date | None
    outcome: str
    document_number: str | None
    withdrawn: date | None
    builder: EnterpriseRow | None


class _Builders:
    """Builders by credit code, else by exact name (spacing and full-width forms aside); the ones the register
    lacks are created once, however many rows name them. A builder the register knows by name only gets the
    code the ledger gives it."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_code: dict[str, EnterpriseRow] = {}
        self.by_name: dict[str, list[EnterpriseRow]] = {}
        for e in session.scalars(select(EnterpriseRow)):
            self._index(e)
        self.created: list[EnterpriseRow] = []
        self.completed: list[EnterpriseRow] = []

    def _index(self, e: EnterpriseRow) -> None:
        if e.credit_code:
            self.by_code[e.credit_code] = e
        self.by_name.setdefault(_norm(e.name_zh), []).append(e)

    def find(self, name: str, code: str, problem) -> EnterpriseRow | None:
        """The builder of a row, created if need be; None (with the problem reported) when it cannot be told."""
        if code and code in self.by_code:
            return self.by_code[code]
        namesakes = self.by_name.get(_norm(name), [])
        if code and namesakes:
            coded = [e for e in namesakes if e.credit_code]
            if coded:
                problem("credit_code", code, _("“{name}” has the credit code {other} in the enterprise register or "
                                               "in an earlier row; check the code").format(
                    name=coded[0].name_zh, other=coded[0].credit_code))
                return None
            if len(namesakes) == 1:
                found = namesakes[0]
                found.credit_code = code
                self.by_code[code] = found
                self.completed.append(found)
                return found
        if len(namesakes) > 1:
            problem("builder", name, _("Several enterprises in the register are called “{name}”; give the "
                                       "builder's credit code").format(name=name))
            return None
        if namesakes:
            return namesakes[0]
        if len(name) > BUILDER_LENGTH:
            problem("builder", name, _("is longer than {n} characters").format(n=BUILDER_LENGTH))
            return None
        created = EnterpriseRow(name_zh=name, credit_code=code or None, name_en="", types=[])
        self.session.add(created)
        self.created.append(created)
        self._index(created)
        return created


class _Checked(Exception):
    """Raised inside the transaction to roll it back after a check-only run (new builders were flushed)."""

    def __init__(self, summary: ApprovalImportSummary) -> None:
        super().__init__()
        self.summary = summary


@requires(Permission.APPROVALS_EDIT)
def import_approvals(ws: Workspace, rows: ImportRows, check_only: bool = False,
                     today: date | None = None) -> ApprovalImportSummary:
    """Create the cases of an approvals ledger kept in Excel, keeping their numbers; all or nothing.

    Every row is checked before anything is written and every problem is reported at once (RowsRejected).
    The builder is found by credit code, else by exact name; one the enterprise register lacks is added to
    it. A row without a number gets the next one. A number already in the database is an error naming the
    row, unless it holds the same project (same name, same received date): then the row is skipped and
    reported in `skipped`, so a ledger imported again after new rows were added to it adds only those (a
    row without a number is matched the same way). The dates put each case at its step (received,
    materials requested, under review, paused, approved / not approved / filed, withdrawn; exempt by its
    track), with its steps, its pauses and its clocks stored as the use cases would leave them.
    """
    today = today or date.today()
    try:
        with ws.transaction() as session:
            summary = _Import(ws, session, today).run(rows, check_only)
            if check_only:
                raise _Checked(summary)  # roll back the builders flushed to check the rows
    except _Checked as checked:
        return checked.summary
    if summary.skipped:
        log.info("approvals import: %d rows already imported were left as they are", len(summary.skipped))
    if summary.new_enterprises:
        log.info("approvals import: %d builders added to the enterprise register", len(summary.new_enterprises))
    return summary


@dataclass
class _Row:
    """A row checked so far; its project is validated by the register's own rules once the builders exist."""

    number: int
    values: dict[str, Any]
    found: list[RowProblem]
    prepared: _Prepared
    data: dict[str, Any]


class _Import:
    def __init__(self, ws: Workspace, session: Session, today: date) -> None:
        self.ws, self.session, self.today = ws, session, today
        self.towns = {_norm(t.name_zh): t for t in session.scalars(select(TownRow))}
        self.builders = _Builders(session)
        self.existing = _Existing(session)
        self.seen_numbers: dict[str, int] = {}
        self.seen_projects: dict[tuple[str, date], int] = {}
        self.seen_documents: dict[str, int] = {}
        self.skipped: list[str] = []
        self._labels: dict[tuple[type, str], tuple[Any, str | None]] = {}

    def label(self, enum: type[Labelled], value: Any) -> Labelled:
        """parse_label, remembering its answers for the import (a ledger repeats a handful of labels)."""
        memo = (enum, str(value))
        if memo not in self._labels:
            try:
                self._labels[memo] = (parse_label(enum, value), None)
            except ValueError as error:
                self._labels[memo] = (None, str(error))
        member, error = self._labels[memo]
        if error is not None:
            raise ValueError(error)
        return member

    def run(self, rows: ImportRows, check_only: bool) -> ApprovalImportSummary:
        checked = [row for row in (self.check(number, values) for number, values in rows) if row is not None]
        self.session.flush()  # the builders created on the way get their ids
        keys = _field_keys()
        problems: list[RowProblem] = []
        prepared: list[_Prepared] = []
        for row in checked:
            if not row.found:
                try:
                    row.prepared.fields = approvals_app._validated(
                        self.session, approvals_app.ProjectInput(builder_id=row.prepared.builder.id, **row.data))
                except ValidationError as error:
                    key = keys.get(error.field, "name")
                    row.found.append(RowProblem(row.number, key, row.values.get(key), error.reason))
            if row.found:
                problems.extend(row.found)
            else:
                prepared.append(row.prepared)
        if problems:
            raise RowsRejected(problems)
        new_enterprises = tuple(e.name_zh for e in self.builders.created)
        if check_only:
            return ApprovalImportSummary(0, 0, changes.Changes(), tuple(self.skipped), new_enterprises)
        _write(self.ws, self.session, prepared, self.existing, self.today)
        kinds = [approvals_app.APPROVALS]
        if self.builders.created or self.builders.completed:
            kinds.append(changes.ENTERPRISE)
        return ApprovalImportSummary(len(prepared), 0, changes.Changes.of(*kinds), tuple(self.skipped),
                                     new_enterprises)

    def check(self, row_number: int, values: dict[str, Any]) -> _Row | None:
        """Every problem of one row; None for a row already imported."""
        found: list[RowProblem] = []

        def problem(key: str, value: Any, reason: str) -> None:
            found.append(RowProblem(row_number, key, value, reason))

        # The dates come first (an import recognises a project by its name and received date), their problems
        # after those of the columns before them.
        dated: list[RowProblem] = []
        stages = _Stages(values, self.today,
                         lambda key, value, reason: dated.append(RowProblem(row_number, key, value, reason)))
        name = _cell(values.get("name"))
        number = _cell(values.get("number"))
        entered = stages.received or stages.early
        project_key = (_norm(name), entered) if name and entered else None

        # Already imported? Then nothing else about the row matters.
        existing = self.existing
        if number and number in existing.by_number:
            stored = existing.by_number[number]
            if project_key is not None and stored.key == project_key:
                self.skipped.append(number)
                return None
            problem("number", number, _(
                "{number} is already used by another case ({name}, received {date}); give this row another "
                "number, or leave the cell empty to have the next one assigned").format(
                number=number, name=stored.name, date=stored.entered.isoformat() if stored.entered else "—"))
        elif project_key is not None and project_key in existing.by_project:
            stored_number = existing.by_project[project_key]
            if not number:
                self.skipped.append(stored_number)
                return None
            problem("number", number, _("This project (received {date}) is already case {case}; use that number "
                                        "or leave the cell empty").format(date=entered.isoformat(),
                                                                          case=stored_number))

        # The case number, the bureau's own, and the project: each once in the file.
        if number:
            if number in self.seen_numbers:
                problem("number", number, _("appears twice in the file (also row {row})").format(
                    row=self.seen_numbers[number]))
            else:
                self.seen_numbers[number] = row_number
            if len(number) > NUMBER_LENGTH:
                problem("number", number, _("is longer than {n} characters").format(n=NUMBER_LENGTH))
        if not name:
            problem("name", values.get("name"), _("A value is required"))
        elif project_key is not None:
            if project_key in self.seen_projects:
                problem("name", name, _("The same project, received the same day, appears twice in the file (also "
                                        "row {row})").format(row=self.seen_projects[project_key]))
            else:
                self.seen_projects[project_key] = row_number

        # The application.
        doc = track = None
        doc_text = _cell(values.get("document_type"))
        try:
            doc = self.label(DocumentType, doc_text) if doc_text else None
        except ValueError as error:
            problem("document_type", doc_text, str(error))
        if not doc_text:
            problem("document_type", values.get("document_type"), _("A value is required"))
        track_text = _cell(values.get("track"))
        try:
            track = self.label(Track, track_text) if track_text else Track.NORMAL
        except ValueError as error:
            problem("track", track_text, str(error))
        chosen: dict[str, Labelled] = {}
        for key, enum, default in (("nature", Nature, Nature.NEW), ("level", ApprovalLevel, ApprovalLevel.OWN)):
            text = _cell(values.get(key))
            try:
                chosen[key] = self.label(enum, text) if text else default
            except ValueError as error:
                problem(key, text, str(error))

        if doc is DocumentType.REGISTRATION_FORM and track in (Track.GREEN_CHANNEL, Track.NOTIFICATION_COMMITMENT):
            problem("track", track_text, _("a registration form is filed on the day; it has no {track}").format(
                track=track.label))

        # The project.
        for key, limit in _LENGTHS.items():
            if len(_cell(values.get(key))) > limit:
                problem(key, values.get(key), _("is longer than {n} characters").format(n=limit))
        code = _cell(values.get("project_code"))
        if code:
            try:
                code = check_project_code(code)
            except ValueError as error:
                problem("project_code", code, str(error))
        town = None
        town_name = _cell(values.get("town"))
        if town_name:
            town = self.towns.get(_norm(town_name))
            if town is None:
                problem("town", town_name, _("No such town; add it in Settings → Towns first"))
        category = None
        category_text = _cell(values.get("category"))
        if category_text:
            try:
                category = parse_category(category_text).number
            except ValueError as error:
                problem("category", category_text, str(error))
        amounts: dict[str, Decimal | None] = {}
        for key, what in (("total_investment", _("Total investment")),
                          ("env_investment", _("Environmental investment"))):
            try:
                amounts[key] = approvals_app._amount(values.get(key), what)
            except ValidationError as error:
                problem(key, values.get(key), error.reason)
        total, env = amounts.get("total_investment"), amounts.get("env_investment")
        if total is not None and env is not None and env > total:
            problem("env_investment", values.get("env_investment"),
                    _("cannot exceed the total investment ({total})").format(total=total))
        flags = {key: _flag(values.get(key), key, problem) for key in ("sensitive_area", "key_project")}

        # The builder: by credit code, else by exact name; added to the register when it is not there.
        builder_name = _cell(values.get("builder"))
        credit_code = _cell(values.get("credit_code"))
        if credit_code:
            check = check_credit_code(credit_code)
            if check.valid:
                credit_code = check.code
            else:
                problem("credit_code", credit_code, check.errors[0])
        if not builder_name:
            problem("builder", values.get("builder"), _("A value is required"))
        builder = None
        if builder_name and not any(p.key == "credit_code" for p in found):
            builder = self.builders.find(builder_name, credit_code, problem)

        found.extend(dated)
        stages.problem = problem

        # The decision.
        document_number = _cell(values.get("approval_no"))
        outcome_text = _cell(values.get("decision"))
        outcome = None
        if outcome_text:
            try:
                outcome = self.label(Outcome, outcome_text)
            except ValueError as error:
                problem("decision", outcome_text, str(error))
        if document_number:
            if len(document_number) > DOCUMENT_NUMBER_LENGTH:
                problem("approval_no", document_number, _("is longer than {n} characters").format(
                    n=DOCUMENT_NUMBER_LENGTH))
            if document_number in self.seen_documents:
                problem("approval_no", document_number, _("appears twice in the file (also row {row})").format(
                    row=self.seen_documents[document_number]))
            else:
                self.seen_documents[document_number] = row_number
            if document_number in existing.by_document:
                problem("approval_no", document_number, _("{number} is already used by case {case}").format(
                    number=document_number, case=existing.by_document[document_number]))
        status = stages.status(doc, track, document_number, outcome) if doc and track else None

        prepared = _Prepared(
            row_number, number, {}, status, stages.early, stages.received, stages.notified, stages.accepted,
            stages.pauses, stages.decided,
            (Status.FILED.value if doc is DocumentType.REGISTRATION_FORM else (outcome or Outcome.APPROVED).value)
            if stages.decided else "", document_number or None, stages.withdrawn, builder)
        data = {
            "name": name, "document_type": doc.value if doc else "", "track": track.value if track else "",
            "level": chosen["level"].value if "level" in chosen else "",
            "nature": chosen["nature"].value if "nature" in chosen else "",
            "contact_person": _cell(values.get("contact_person")), "contact_phone": _cell(values.get("contact_phone")),
            "project_code": code, "location": _cell(values.get("location")), "town_id": town.id if town else None,
            "content_scale": _cell(values.get("content_scale")), "category": category,
            "industry_code": _cell(values.get("industry_code")), "total_investment": total, "env_investment": env,
            "sensitive_area": flags["sensitive_area"], "planned_start": stages.date("planned_start"),
            "key_project": flags["key_project"], "preparing_institution": _cell(values.get("preparing_institution"))}
        if builder is None and not found:
            problem("builder", builder_name, _("A value is required"))
        return _Row(row_number, values, found, prepared, data)


_YES = frozenset(_norm(w) for w in ("是", "yes", "y", "true", "1", "√", "✓", "✔", "重点", "涉及"))
_NO = frozenset(_norm(w) for w in ("否", "no", "n", "false", "0", "×", "✗", "✘", "不涉及", "非重点"))


def _flag(value: Any, key: str, problem) -> bool:
    """A yes/no cell (the reader has already turned 是/否 into True/False; rows built by hand may not have)."""
    if value is None or isinstance(value, bool):
        return bool(value)
    text = _cell(value)
    if not text or _norm(text) in _NO:
        return False
    if _norm(text) in _YES:
        return True
    problem(key, value, _("Not yes or no; write 是/否, yes/no, Y/N, 1/0 or √"))
    return False


@dataclass(frozen=True)
class _Stored:
    name: str
    entered: date | None

    @property
    def key(self) -> tuple[str, date | None]:
        return _norm(self.name), self.entered


class _Existing:
    """The cases already in the database, as far as an import needs them: numbers, projects, document numbers."""

    def __init__(self, session: Session) -> None:
        self.by_number: dict[str, _Stored] = {}
        self.by_project: dict[tuple[str, date], str] = {}
        self.by_document: dict[str, str] = {}
        for number, name, received, early, document in session.execute(select(
                ApprovalRow.number, ApprovalRow.name, ApprovalRow.received_on, ApprovalRow.early_involvement_on,
                ApprovalRow.document_number)):
            stored = _Stored(name, received or early)
            self.by_number[number] = stored
            if stored.entered is not None:
                self.by_project.setdefault(stored.key, number)
            if document:
                self.by_document[document] = number


class _Stages:
    """The dates of a row, checked: in order, none in the future, each fitting the document type and track."""

    def __init__(self, values: dict[str, Any], today: date, problem) -> None:
        self.values, self.problem = values, problem
        self.early = self.date("early_involvement")
        self.received = self.date("received")
        self.notified = self.date("notified")
        self.accepted = self.date("accepted")
        self.decided = self.date("decided")
        self.withdrawn = self.date("withdrawn")
        self.pauses: list[tuple[PauseKind, date, date | None]] = []
        listed = values.get("pauses") or ()
        if isinstance(listed, str):
            listed = [part for part in re.split(r"[、;,；，\n]+", listed) if part.strip()]
        for item in listed:
            try:
                kind, start, end = parse_pause(item)
            except ValueError as error:
                problem("pauses", item, str(error))
                continue
            self.pauses.append((kind, start, end))
            if (end or start) > today:
                problem("pauses", item, _("cannot be in the future"))
        self.pauses.sort(key=lambda p: p[1])
        for key, value in (("early_involvement", self.early), ("received", self.received),
                           ("notified", self.notified), ("accepted", self.accepted), ("decided", self.decided),
                           ("withdrawn", self.withdrawn)):
            if value is not None and value > today:
                problem(key, values.get(key), _("cannot be in the future"))
        if self.received is None and self.early is None and values.get("received") is None:
            problem("received", None, _("Give the day the application arrived, or the day of early involvement "
                                        "for a project still being prepared"))
        earlier: tuple[date | None, str] = (None, "")
        for key, value, what in (("early_involvement", self.early, _("early involvement")),
                                 ("received", self.received, _("receipt")),
                                 ("notified", self.notified, _("the one-time notification")),
                                 ("accepted", self.accepted, _("acceptance"))):
            if value is not None:
                self._after(key, value, earlier)
                earlier = (value, what)
        last_end = max((end for _k, _s, end in self.pauses if end), default=None)
        if last_end is not None and (earlier[0] is None or last_end > earlier[0]):
            earlier = (last_end, _("the end of the last pause"))
        if self.decided is not None:
            self._after("decided", self.decided, earlier)
        if self.withdrawn is not None:
            # Withdrawal ends the case: no step and no pause comes after it.
            steps = [(day, what) for day, what in (
                (self.early, _("early involvement")), (self.received, _("receipt")),
                (self.notified, _("the one-time notification")), (self.accepted, _("acceptance")),
                *((end or start, _("the last pause")) for _k, start, end in self.pauses)) if day is not None]
            if steps:
                self._after("withdrawn", self.withdrawn, max(steps, key=lambda step: step[0]))

    def date(self, key: str) -> date | None:
        """A date cell: the reader gives dates; a row built by hand may give ISO text."""
        value = self.values.get(key)
        if value is None or isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return _date_text(str(value))
        except (AttributeError, ValueError):
            self.problem(key, value, _("Not a date; write it like 2026-03-05"))
            return None

    def _after(self, key: str, value: date, earlier: tuple[date | None, str]) -> None:
        if earlier[0] is not None and value < earlier[0]:
            self.problem(key, self.values.get(key), _("cannot be before {what} ({date})").format(
                what=earlier[1], date=earlier[0].isoformat()))

    def status(self, doc: DocumentType, track: Track, document_number: str, outcome: Outcome | None) -> Status:
        """The step the dates put the case at; problems for steps the case cannot have."""
        problem, values = self.problem, self.values
        later = {key: value for key, value in (("notified", self.notified), ("accepted", self.accepted),
                                               ("pauses", self.pauses or None), ("decided", self.decided),
                                               ("decision", outcome), ("approval_no", document_number or None))
                 if value is not None}
        if track is Track.EXEMPT:
            for key in later:
                problem(key, values.get(key), _("An exempt project needs no EIA approval: it has no acceptance, "
                                                "pause or decision; clear this cell or change the track"))
            if self.withdrawn is not None:
                problem("withdrawn", values.get("withdrawn"), _("An exempt project cannot be withdrawn"))
            if self.received is None:
                problem("received", None, _("An exempt project is recorded on the day it was assessed: give that "
                                            "day as the received date"))
            return Status.EXEMPT
        if self.received is None:
            already = self.early is None or values.get("received") is not None  # reported as missing or unreadable
            if later and not already:
                problem("received", None, _("is required: the case has later steps"))
            return Status.WITHDRAWN if self.withdrawn else Status.PREPARING
        if doc is DocumentType.REGISTRATION_FORM:
            for key in ("notified", "accepted", "pauses"):
                if key in later:
                    problem(key, values.get(key), _("a registration form is filed on the day it arrives, not "
                                                    "accepted for review; clear this cell"))
            if outcome is Outcome.NOT_APPROVED:
                problem("decision", values.get("decision"), _("a registration form is filed, not approved or "
                                                              "refused"))
            if document_number and self.decided is None:
                problem("decided", None, _("Give the filing date of the filing number"))
            if self.decided is not None:
                if self.withdrawn is not None:
                    problem("withdrawn", values.get("withdrawn"), _("A filed case cannot be withdrawn"))
                return Status.FILED
            return Status.WITHDRAWN if self.withdrawn else Status.RECEIVED
        # A report book or form.
        if self.pauses:
            if self.accepted is None:
                problem("pauses", values.get("pauses"), _("A pause needs the acceptance date: the clocks start "
                                                          "then"))
            else:
                closed_by = self.withdrawn if self.decided is None else None
                try:
                    check_pauses([Pause(start, end if end is not None or closed_by is None else max(start, closed_by))
                                  for _k, start, end in self.pauses], self.accepted, self.decided)
                except ValueError as error:
                    problem("pauses", values.get("pauses"), str(error))
        if self.decided is not None or document_number or outcome is not None:
            if self.accepted is None:
                problem("accepted", None, _("Give the acceptance date: a report book or form is decided only after "
                                            "it was accepted"))
            if self.decided is None:
                problem("decided", None, _("Give the date of the decision"))
            if not document_number:
                problem("approval_no", None, _("a decision needs its document number (批复文号)"))
            if self.withdrawn is not None:
                problem("withdrawn", values.get("withdrawn"), _("A decided case cannot be withdrawn"))
            return Status.NOT_APPROVED if outcome is Outcome.NOT_APPROVED else Status.APPROVED
        if self.withdrawn is not None:
            return Status.WITHDRAWN
        if self.pauses and self.pauses[-1][2] is None:
            return Status.PAUSED
        if self.accepted is not None:
            return Status.UNDER_REVIEW
        return Status.MATERIALS_REQUESTED if self.notified else Status.RECEIVED


# --- writing ------------------------------------------------------------------------------------

def _write(ws: Workspace, session: Session, prepared: Sequence[_Prepared], existing: _Existing,
           today: date) -> None:
    """The cases as the use cases would leave them after registering, receiving, requesting materials,
    accepting, pausing and resuming, deciding or filing, or withdrawing: the same fields, pauses, steps and
    stored clocks, inserted in bulk."""
    numbers = _Numbers(ws, [*existing.by_number, *(p.number for p in prepared if p.number)])
    dues = _Dues(ws, today)
    records: list[dict[str, Any]] = []
    pauses: list[list[tuple[PauseKind, Pause]]] = []
    for item in prepared:
        entered = item.received or item.early_involvement
        # A withdrawn case's open pause ends on the day it was withdrawn, as `approvals.withdraw` leaves it.
        closed_by = item.withdrawn if item.decided is None else None
        stopped = [(kind, Pause(start, end if end is not None or closed_by is None else max(start, closed_by)))
                   for kind, start, end in item.pauses]
        record = {
            **item.fields, "number": item.number or numbers.next(entered.year), "status": item.status.value,
            "early_involvement_on": item.early_involvement, "received_on": item.received,
            "notified_on": item.notified, "missing_items": [], "accepted_on": item.accepted,
            "decided_on": item.decided, "outcome": item.outcome, "document_number": item.document_number,
            "decision_note": "", "withdrawn_on": item.withdrawn}
        record.update(dues.of(record, [p for _kind, p in stopped]))
        records.append(record)
        pauses.append(stopped)
    # Plain executemany INSERTs in the import's one transaction: sqlite3 runs them in C and psycopg pipelines
    # them (measured on PostgreSQL, 10,000 cases with their steps: 7 s, against 14-17 s for multi-row INSERTs
    # that psycopg must parse, and more for ORM objects). None is sent as NULL rather than the column being
    # left out, which would split the rows into one batch per set of filled columns. Case numbers are unique:
    # they give each new case its id.
    def insert_all(model: type, values: list[dict[str, Any]]) -> None:
        statement = insert(model).execution_options(render_nulls=True)
        for start in range(0, len(values), 5000):
            session.execute(statement, values[start:start + 5000])

    insert_all(ApprovalRow, records)
    by_number: dict[str, int] = {}
    for start in range(0, len(records), 1000):
        batch = [record["number"] for record in records[start:start + 1000]]
        by_number.update(session.execute(select(ApprovalRow.number, ApprovalRow.id)
                                         .where(ApprovalRow.number.in_(batch))).all())
    ids = [by_number[record["number"]] for record in records]
    audit.record_bulk(session, "approval", ids, records, label_field="number")
    pause_rows = [{"approval_id": case_id, "kind": kind.value, "start_on": p.start, "end_on": p.end, "reason": ""}
                  for case_id, stopped in zip(ids, pauses, strict=True) for kind, p in stopped]
    insert_all(PauseRow, pause_rows)
    audit.record_bulk(session, "approval_pause", [None] * len(pause_rows), pause_rows, label_field="kind",
                      owner_field="approval_id", owner_entity="approval")
    insert_all(ApprovalEventRow, [step for case_id, item in zip(ids, prepared, strict=True)
                                  for step in _steps(case_id, item)])


def _steps(case_id: int, item: _Prepared) -> list[dict[str, Any]]:
    """The steps the use cases record, each with the status it led to."""
    steps: list[tuple[date, str, Status, str]] = []
    first = item.early_involvement or item.received
    after_register = Status.EXEMPT if item.status is Status.EXEMPT else \
        Status.PREPARING if item.received is None or item.early_involvement else Status.RECEIVED
    steps.append((first, "register", after_register, IMPORTED_NOTE))
    if item.early_involvement and item.received:
        steps.append((item.received, "receive", Status.RECEIVED, ""))
    if item.notified:
        steps.append((item.notified, "request_materials", Status.MATERIALS_REQUESTED, ""))
    if item.accepted:
        steps.append((item.accepted, "accept", Status.UNDER_REVIEW, ""))
    for kind, start, end in item.pauses:
        steps.append((start, "pause", Status.PAUSED, kind.label))
        if end is not None:
            steps.append((end + timedelta(days=1), "resume", Status.UNDER_REVIEW, ""))
    if item.decided:
        action = "file" if item.status is Status.FILED else "decide"
        steps.append((item.decided, action, item.status, item.document_number or ""))
    if item.withdrawn:
        steps.append((item.withdrawn, "withdraw", Status.WITHDRAWN, ""))
    return [{"approval_id": case_id, "event_date": on, "action": action, "status": status.value, "staff_id": None,
             "note": note} for on, action, status, note in steps]


class _Numbers:
    """The next case numbers of each year after the highest in the database and in the file (the setting's
    format read once, not once per row)."""

    def __init__(self, ws: Workspace, taken: Sequence[str]) -> None:
        self.pattern = settings_app.get_value(ws, "approvals/number_format")
        self.taken = set(taken)
        self.last: dict[int, int] = {}

    def next(self, year: int) -> str:
        if year not in self.last:
            prefix = number_prefix(self.pattern, year)
            self.last[year] = max((seq for seq in (number_sequence(self.pattern, year, n)
                                                   for n in self.taken if n.startswith(prefix)) if seq is not None),
                                  default=0)
        while True:
            self.last[year] += 1
            number = self.pattern.format(year=year, seq=self.last[year])
            if number not in self.taken:
                self.taken.add(number)
                return number


class _Days(WorkingCalendar):
    """The workspace's calendar, answering for each day once per import: the clocks of 10,000 cases ask about
    the same few hundred days millions of times."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        super().__init__(calendar.schedules)
        self._answers: dict[date, tuple[bool, bool]] = {}

    def day_info(self, day: date) -> tuple[bool, bool]:
        answer = self._answers.get(day)
        if answer is None:
            answer = self._answers[day] = super().day_info(day)
        return answer


class _Dues:
    """What `approvals._store_dues` keeps on a row, with the rules, the calendar and the due-soon horizon read
    once per import rather than once per case (each read is a settings or calendar query)."""

    def __init__(self, ws: Workspace, today: date) -> None:
        self.ws, self.today = ws, today
        self.calendar: WorkingCalendar = _Days(calendar_app.calendar(ws))
        self.soon_days = approvals_app._due_soon_calendar_days(ws, today)
        self.rules: dict[tuple[DocumentType, Track], dict[ClockKind, Rule]] = {}

    def of(self, case: dict[str, Any], pauses: Sequence[Pause]) -> dict[str, Any]:
        """The stored clock columns of a case (a record of ApprovalRow's columns)."""
        doc, track, status = DocumentType(case["document_type"]), Track(case["track"]), Status(case["status"])
        result: dict[str, Any] = dict.fromkeys(("statutory_due", "promised_due", "next_due", "statutory_used",
                                                "working_days_used"))
        if track is Track.EXEMPT:  # no clocks (and no promised rule to read for an exempt report book or form)
            return result
        rules = self.rules.get((doc, track))
        if rules is None:
            rules = self.rules[(doc, track)] = approvals_app.rules(self.ws, doc, track)
        stages = Stages(doc, track, case["received_on"], case["notified_on"], case["accepted_on"], tuple(pauses),
                        case["decided_on"], case["withdrawn_on"])
        found: dict[ClockKind, Clock] = {c.kind: c for c in clocks(stages, rules, self.calendar, self.today,
                                                                   self.soon_days)}
        statutory, promised = found.get(ClockKind.STATUTORY), found.get(ClockKind.PROMISED)
        result["statutory_due"] = statutory.due if statutory else None
        result["promised_due"] = promised.due if promised else None
        if status in OPEN and status not in (Status.PAUSED, Status.MATERIALS_REQUESTED):
            candidate = nearer(list(found.values()))
            result["next_due"] = candidate.due if candidate is not None and candidate.done_on is None else None
        if stages.decided_on is not None and statutory is not None:
            result["statutory_used"] = statutory.used
            result["working_days_used"] = days_counted(statutory.deadline.start, stages.decided_on,
                                                       Unit.WORKING_DAYS, self.calendar, stages.pauses)
        return result


# --- export -------------------------------------------------------------------------------------

@requires(Permission.VIEW)
def approval_rows(ws: Workspace, year: int | None = None, language: str = "zh_CN") -> list[dict[str, Any]]:
    """The ledger of cases that entered the register in `year` (received, or involved early; every year when
    None) as spreadsheet rows by the APPROVALS layout, labels in `language` (bilingual: Chinese), the clocks as
    stored. An import of the file recreates the same cases with the same clocks."""
    lang = "zh_CN" if language == "bilingual" else language
    entered = approvals_app._entered()
    query = select(ApprovalRow).options(selectinload(ApprovalRow.pauses)).order_by(entered, ApprovalRow.id)
    if year is not None:
        query = query.where(entered >= date(year, 1, 1), entered <= date(year, 12, 31))

    def labels(enum: type[Labelled]) -> dict[str, str]:
        return {member.value: gettext_for(lang, member.msgid) for member in enum}

    docs, tracks, levels, natures, statuses, outcomes = (labels(e) for e in (DocumentType, Track, ApprovalLevel,
                                                                                 Nature, Status, Outcome))
    categories: dict[int, str] = {}
    result = []
    with ws.reading() as session:
        for row in session.scalars(query):
            if row.category is not None and row.category not in categories:
                categories[row.category] = eia_category(row.category).label(lang)
            result.append({
                "number": row.number, "name": row.name, "project_code": row.project_code,
                "builder": row.builder.name_zh, "credit_code": row.builder.credit_code or "",
                "contact_person": row.contact_person, "contact_phone": row.contact_phone, "location": row.location,
                "town": row.town.name_zh if row.town else "", "nature": natures.get(row.nature, row.nature),
                "content_scale": row.content_scale,
                "category": categories[row.category] if row.category is not None else "",
                "industry_code": row.industry_code, "total_investment": row.total_investment,
                "env_investment": row.env_investment, "sensitive_area": row.sensitive_area,
                "planned_start": row.planned_start, "key_project": row.key_project,
                "preparing_institution": row.preparing_institution,
                "document_type": docs.get(row.document_type, row.document_type),
                "track": tracks.get(row.track, row.track), "level": levels.get(row.level, row.level),
                "early_involvement": row.early_involvement_on, "received": row.received_on,
                "notified": row.notified_on, "accepted": row.accepted_on,
                "pauses": tuple(pause_text(PauseKind(p.kind), p.start_on, p.end_on, lang) for p in row.pauses),
                "decided": row.decided_on,
                "decision": outcomes.get(row.outcome, "") if row.status != Status.FILED.value else "",
                "approval_no": row.document_number or "", "withdrawn": row.withdrawn_on,
                "statutory_due": row.statutory_due, "promised_due": row.promised_due,
                "status": statuses.get(row.status, row.status), "working_days": row.working_days_used,
            })
    return result
