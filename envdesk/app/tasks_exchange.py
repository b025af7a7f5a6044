"""The task table in and out of spreadsheets and Word tables: import a plan's task decomposition table as bureaus
circulate it (departments, leaders and people found by name, or created on request; deadlines as staff type
them), and export a plan's table."""

from __future__ import annotations

import calendar
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envdesk.app import changes
from envdesk.app import responsibility as responsibility_app
from envdesk.app.access import check, requires
from envdesk.app.errors import NotFound, ValidationError
from envdesk.app.reference import ImportRows, ImportSummary
from envdesk.app.responsibility import PlanInput, TaskInput, find_plan, list_tasks
from envdesk.app.validation import required
from envdesk.app.workspace import Workspace
from envdesk.domain.importing import RowProblem, RowsRejected
from envdesk.domain.responsibility import PlanKind
from envdesk.domain.users import Permission
from envdesk.i18n import _, gettext_for
from envdesk.store.models import DepartmentRow, StaffRow
from envdesk.store.responsibility import PlanRow, TaskRow

log = logging.getLogger("envdesk.responsibility")

DEPARTMENT_LENGTH = 100  # DepartmentRow.name_zh
STAFF_LENGTH = 50        # StaffRow.name


@dataclass(frozen=True)
class TaskImportSummary(ImportSummary):
    """`skipped`: rows already in the plan (same No., same task), left as they are, each as “No. task”.
    `new_departments`, `new_staff`: names created because the table named them (with create_missing).
    `plan_id`: the plan the tasks went into (created with the import when it was given as a PlanInput)."""

    skipped: tuple[str, ...] = ()
    new_departments: tuple[str, ...] = ()
    new_staff: tuple[str, ...] = ()
    plan_id: int | None = None


# --- text as tables write it ----------------------------------------------------------------------

def _key(text: str) -> str:
    """The form names are compared in: NFKC (full-width letters), case-folded, without any spaces (a two-character
    name is often padded to the width of three: “王　伟”)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).casefold()


# What tables put in a cell that has nothing to say.
_PLACEHOLDERS = frozenset(_key(word) for word in ("-", "--", "—", "——", "/", "无", "空", "n/a", "na", "none"))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    return "" if _key(text) in _PLACEHOLDERS else text


# A note in brackets after a name: “王明（局长）”, “环评科（牵头）”.
_BRACKETED = re.compile(r"[（(【\[]([^）)】\]]*)[）)】\]]")
_LEAD_MARK = re.compile(r"牵头|主办|lead", re.IGNORECASE)
# Separators between names in one cell: 、，,/；; and new lines (tables also use spaces between people).
_NAME_SEPARATORS = re.compile(r"[、，,/／;；\r\n]+")
# Words that name a group of departments, never one: a task for “各科室” needs its lead department named.
_COLLECTIVE = re.compile(r"^(各|全局|局属|局机关各|相关|有关|所有|全体|其他)")


def _split(text: str) -> list[str]:
    return [part.strip() for part in _NAME_SEPARATORS.split(text) if _cell(part)]


# --- deadlines as staff type them -----------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_N = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})"
_Y = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
_TIME = r"(?:\d{1,2}:\d{2}(?::\d{2})?)?"
# One day, month or year end, with or without the year, each as a whole text.
_FULL = re.compile(rf"(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}}){_TIME}|"
                   rf"(?P<y8>\d{{4}})(?P<m8>\d{{2}})(?P<d8>\d{{2}})")
_DAY = re.compile(rf"(?:(?P<y>{_Y})年)?(?P<m>{_N})月(?P<d>{_N})[日号]?{_TIME}")
_MONTH = re.compile(rf"(?:(?P<y>{_Y})年)?(?P<m>{_N})月份?(?P<part>底|末|下旬|中旬|上旬|初|中)?")
_YEAR = re.compile(rf"(?:(?P<y>{_Y})年)?(?P<part>年底|年末|年内|年终|底|末|内)?")
_DAY_ONLY = re.compile(rf"(?P<d>{_N})[日号]")
_PREFIX = re.compile(r"^(?:截至|截止至|截止到|截止|截至到|于|在|到|至)")
_SUFFIX = re.compile(r"(?:前|之前|以前|止|为止)?(?:完成|完工|结束|办结|落实|到位|全面完成)?$")
_RANGE = re.compile(r"至|到|~|～|—+|–|－|-{1,2}")
# No date, by design: the task runs on. Kept in the remarks so that the table still says so.
_ONGOING = re.compile(r"长期|持续|常态|长效|经常性|ongoing|long[- ]?term|continuous|permanent", re.IGNORECASE)
# “6月前”: by the end of May, or of June? Staff mean both.
_AMBIGUOUS = re.compile(rf"(?:{_Y}年)?{_N}月份?(?:前|之前|以前)(?:完成|完工|结束|办结|落实|到位)?")
# What a month part means as a day: early, middle and late month (上旬 ends on the 10th, 中旬 on the 20th).
_PART_DAY = {"上旬": 10, "初": 10, "中旬": 20, "中": 20}


def _number(text: str) -> int:
    """1-31 (or a year) in Arabic or Chinese numerals: 6, 六, 十二, 二十五, 三十一, 二〇二六."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[char]) for char in text))
    tens, _sep, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


class _Backwards(ValueError):
    """A period that ends before it starts."""


def _in_year(year: int | None, month: int, day: int | None, start: date, end: date | None) -> date:
    """The date (the month's last day when `day` is None). A year left out is the plan's (the year it starts);
    in a plan running into the next year, a day before its start is in that next year."""
    def make(y: int) -> date:
        return date(y, month, day if day is not None else calendar.monthrange(y, month)[1])

    if year is not None:
        return make(year)
    found = make(start.year)
    if found < start and end is not None and end.year > start.year:
        return make(start.year + 1)
    return found


def _single(text: str, start: date, end: date | None, context: date | None = None) -> date | None:
    """A text naming one day, or None; ValueError for a day that does not exist (2月30日)."""
    if match := _FULL.fullmatch(text):
        parts = match.groupdict()
        return date(int(parts["y"] or parts["y8"]), int(parts["m"] or parts["m8"]), int(parts["d"] or parts["d8"]))
    if match := _DAY.fullmatch(text):
        year = _number(match["y"]) if match["y"] else context.year if context else None
        return _in_year(year, _number(match["m"]), _number(match["d"]), context or start, end)
    if match := _MONTH.fullmatch(text):
        year = _number(match["y"]) if match["y"] else context.year if context else None
        return _in_year(year, _number(match["m"]), _PART_DAY.get(match["part"] or ""), context or start, end)
    if context is not None and (match := _DAY_ONLY.fullmatch(text)):
        return _in_year(context.year, context.month, _number(match["d"]), context, end)
    if text and (match := _YEAR.fullmatch(text)) and (match["y"] or (match["part"] or "").startswith("年")):
        return date(_number(match["y"]) if match["y"] else start.year, 12, 31)
    return None


def parse_deadline(value: Any, start: date, end: date | None = None) -> tuple[date | None, str]:
    """A deadline cell as staff type it: (the date, or None; the words to keep in the remarks).

    Reads 2026-06-30, 2026/6/30, 2026年6月30日, 6月30日, 6月30号, 六月三十日; a month end for 6月底, 6月底前, 6月末,
    下旬 and a bare month (6月); the 10th for 上旬, the 20th for 中旬; 31 December for 年底 / 年内 / 2026年;
    the end of a period written as one (4月15日—4月30日, 5月1日至20日); “前完成” and the like after it. A year left
    out is the year of `start` (the plan's start), or the next one for a day before `start` when the plan (`start`
    to `end`) runs into it. “长期”, “持续推进”, “常态化” have no date and come back
    as the words to keep. Anything else is a ValueError with a translated reason.
    """
    if isinstance(value, datetime):
        return value.date(), ""
    if isinstance(value, date):
        return value, ""
    original = _cell(value)
    if not original:
        return None, ""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", original)).rstrip("。.;；,，")
    if _AMBIGUOUS.fullmatch(text):
        raise ValueError(_("“{value}” can be read two ways; write the day, such as 6月30日 or 6月底").format(
            value=original))
    core = _SUFFIX.sub("", _PREFIX.sub("", text), count=1)
    try:
        found = _single(core, start, end) if core else None
        if found is None:
            found = _range(core, start, end)
    except _Backwards:
        raise ValueError(_("“{value}” ends before it starts").format(value=original)) from None
    except ValueError:
        raise ValueError(_("“{value}” is a day that does not exist").format(value=original)) from None
    if found is not None:
        return found, ""
    if _ONGOING.search(text):
        return None, original
    raise ValueError(_("“{value}” is not a deadline; write a date such as 2026-06-30, 6月30日 or 6月底, or 长期 for "
                       "a task that runs on").format(value=original))


def _range(text: str, start: date, end: date | None) -> date | None:
    """The end of a period written as one: 4月15日—4月30日, 2026年5月1日至20日, 2026-05-01~2026-05-20."""
    for separator in _RANGE.finditer(text):
        first = _single(text[:separator.start()], start, end)
        if first is None:
            continue
        after = _SUFFIX.sub("", text[separator.end():], count=1)
        last = _single(after, start, end, context=first)
        if last is None:
            continue
        if last < first and not re.search(_Y, after) and end is not None and end.year > first.year:
            last = last.replace(year=last.year + 1)  # 12月20日—1月10日 in a plan running into the next year
        if last < first:
            raise _Backwards()
        return last
    return None


# --- import -------------------------------------------------------------------------------------

def new_plan(title: str, year: int | None = None) -> PlanInput:
    """The campaign `--plan TITLE` creates when no plan has that title: the whole of `year` (this year if None).
    Handed to `import_tasks`, it is created in the import's own transaction, so a failed import leaves none."""
    year = year or date.today().year
    return PlanInput(title_zh=str(title).strip(), kind=PlanKind.CAMPAIGN.value, start_on=date(year, 1, 1),
                     end_on=date(year, 12, 31))


@requires(Permission.PLANS_EDIT)
def plan_for_import(ws: Workspace, title: str, year: int | None = None) -> int:
    """The id of the plan titled `title` (Chinese or English title, or its id), created as a campaign over `year`
    when there is none. It is created at once: to leave nothing behind when the import then fails, pass
    `find_plan(ws, title) or new_plan(title, year)` to `import_tasks` instead."""
    found = find_plan(ws, title)
    if found is not None:
        return found
    plan, _changes = responsibility_app.save_plan(ws, None, new_plan(title, year))
    return plan.id


class _Checked(Exception):
    """Raised inside the transaction to roll it back after a check-only run (names created on the way)."""

    def __init__(self, summary: TaskImportSummary) -> None:
        super().__init__()
        self.summary = summary


@requires(Permission.PLANS_EDIT)
def import_tasks(ws: Workspace, rows: ImportRows, plan_id: int | PlanInput, check_only: bool = False,
                 create_missing: bool = False) -> TaskImportSummary:
    """Add the rows of a task table to a plan, after its existing tasks, in the table's order; all or nothing.

    Every row is checked before anything is written and every problem is reported at once (RowsRejected), by
    row and column. Each row is one task. The 责任部门 cell names the lead department, then any assisting ones
    (“环评科、监察大队”; 配合部门 adds more); departments are found by Chinese or English name, leaders and
    persons by staff name. A name the database lacks is a problem, unless `create_missing`: then the department,
    or the person (in the task's lead department), or the leader (a bureau leader) is created and listed in the
    summary. Deadlines are read as staff type them (`parse_deadline`); “长期” and the like go to the remarks.
    A row whose cells all say the same (a banner merged across the table: “一、动员部署阶段”) is a heading: the
    tasks below it get it as their section, and the plan's phase it names. A row already in the plan (same No.,
    same task) is skipped and reported, so importing the same file again adds nothing.
    `plan_id` may be a PlanInput: the plan is then created with the tasks, in the same transaction.
    """
    if create_missing:
        check(ws, Permission.REFERENCE_EDIT)  # adding departments and staff is an administrator's
    if isinstance(plan_id, PlanInput):
        required(plan_id.title_zh, _("Plan"), 200)
    try:
        with ws.transaction() as session:
            summary = _Import(session, plan_id, create_missing).run(rows, check_only)
            if check_only:
                raise _Checked(summary)  # roll back the names created to check the rows
    except _Checked as checked:
        return checked.summary
    if summary.skipped:
        log.info("task import: %d rows already in the plan were left as they are", len(summary.skipped))
    return summary


@dataclass
class _Prepared:
    row: int
    values: dict[str, Any]
    number: str
    content: str
    section: str
    phase_id: int | None
    lead: DepartmentRow | None
    assisting: list[DepartmentRow]
    leader: StaffRow | None
    persons: list[StaffRow]
    deadline: date | None
    remarks: str


class _Import:
    def __init__(self, session: Session, plan: int | PlanInput, create_missing: bool) -> None:
        self.session, self.create_missing = session, create_missing
        if isinstance(plan, PlanInput):
            if session.scalar(select(PlanRow.id).where(PlanRow.title_zh == plan.title_zh.strip())) is not None:
                raise ValidationError(_("Plan"), _("another plan has this title"))
            self.plan = PlanRow(title_zh=plan.title_zh.strip(), title_en=plan.title_en.strip(), kind=plan.kind,
                                year=plan.start_on.year, start_on=plan.start_on, end_on=plan.end_on,
                                office_id=plan.office_id, notes=plan.notes)
            session.add(self.plan)
            existing: list[TaskRow] = []
        else:
            found = session.get(PlanRow, plan)
            if found is None:
                raise NotFound(_("The plan no longer exists (it was deleted by someone else)."))
            self.plan = found
            existing = list(session.scalars(select(TaskRow).where(TaskRow.plan_id == plan)))
        self.done = {(_key(task.number), _key(task.content)) for task in existing}
        self.departments: dict[str, DepartmentRow] = {}
        for department in session.scalars(select(DepartmentRow).order_by(DepartmentRow.sort_order,
                                                                          DepartmentRow.id)):
            for name in (department.name_zh, department.name_en):
                if name:
                    self.departments.setdefault(_key(name), department)
        self.staff: dict[str, list[StaffRow]] = {}
        for person in session.scalars(select(StaffRow).order_by(StaffRow.id)):
            self.staff.setdefault(_key(person.name), []).append(person)
        self.phases = [(phase.id, [_key(name) for name in _phase_names(phase.name_zh, phase.name_en)])
                       for phase in self.plan.phases]
        self.new_departments: list[DepartmentRow] = []
        self.new_staff: list[StaffRow] = []
        self.skipped: list[str] = []
        self.heading = ""

    def run(self, rows: ImportRows, check_only: bool) -> TaskImportSummary:
        problems: list[RowProblem] = []
        prepared: list[_Prepared] = []
        for number, values in rows:
            item, found = self.check(number, values)
            problems += found
            if item is not None and not found:
                prepared.append(item)
        if problems:
            raise RowsRejected(problems)
        self.session.flush()  # the plan, departments and staff created on the way get their ids
        tasks = self._validated(prepared)
        summary = dict(skipped=tuple(self.skipped), new_departments=tuple(d.name_zh for d in self.new_departments),
                       new_staff=tuple(s.name for s in self.new_staff), plan_id=self.plan.id)
        kinds = [responsibility_app.RESPONSIBILITY]
        if self.new_departments:
            kinds.append(changes.DEPARTMENT)
        if self.new_staff:
            kinds.append(changes.STAFF)
        if check_only:
            return TaskImportSummary(0, 0, changes.Changes(), **summary)
        last = self.session.scalar(select(func.max(TaskRow.sort_order)).where(TaskRow.plan_id == self.plan.id)) or 0
        for offset, (data, fields) in enumerate(tasks, start=1):
            row = TaskRow(plan_id=self.plan.id, sort_order=last + offset, **fields)
            responsibility_app._set_departments(row, data)
            self.session.add(row)
        self.session.flush()
        return TaskImportSummary(len(tasks), 0, changes.Changes.of(*kinds), **summary)

    def _validated(self, prepared: list[_Prepared]) -> list[tuple[TaskInput, dict]]:
        """Each task checked by the register's own rules (the same as a form's), every problem at once."""
        keys = _field_keys()
        problems: list[RowProblem] = []
        tasks = []
        for item in prepared:
            data = TaskInput(content=item.content, lead_department_id=item.lead.id if item.lead else None,
                             number=item.number, section=item.section,
                             assisting_department_ids=tuple(d.id for d in item.assisting),
                             leader_id=item.leader.id if item.leader else None,
                             person_ids=tuple(p.id for p in item.persons), deadline=item.deadline,
                             remarks=item.remarks, phase_id=item.phase_id)
            try:
                tasks.append((data, responsibility_app._task_fields(self.session, data, self.plan)))
            except ValidationError as error:
                key = keys.get(error.field, "content")
                problems.append(RowProblem(item.row, key, item.values.get(key), error.reason))
        if problems:
            raise RowsRejected(problems)
        return tasks

    # --- one row --------------------------------------------------------------------------------

    def check(self, row: int, values: dict[str, Any]) -> tuple[_Prepared | None, list[RowProblem]]:
        """The task of a row with its names found (or created), and the row's problems; no task for a heading or
        a row already imported."""
        found: list[RowProblem] = []

        def problem(key: str, value: Any, reason: str) -> None:
            found.append(RowProblem(row, key, value, reason))

        content = _cell(values.get("content"))
        department_text = _cell(values.get("department"))
        if content and content == department_text:
            self.heading = content  # a banner merged across the table, filled into every cell
            return None, found
        number = _cell(values.get("number"))
        if (_key(number), _key(content)) in self.done:
            self.skipped.append(f"{number} {content}".strip())
            return None, found
        section = _cell(values.get("section")) or self.heading
        phase_id = self._phase(section) or self._phase(self.heading)

        lead, assisting = self._departments(department_text, values.get("assisting"), problem)
        leader = self._leader(_cell(values.get("leader")), problem)
        persons = self._persons(values.get("persons"), lead, problem)
        remarks = _cell(values.get("remarks"))
        deadline = None
        try:
            deadline, ongoing = parse_deadline(values.get("deadline"), self.plan.start_on, self.plan.end_on)
        except ValueError as error:
            problem("deadline", values.get("deadline"), str(error))
        else:
            if ongoing and ongoing not in remarks:
                remarks = f"{remarks}；{ongoing}" if remarks else ongoing
        return _Prepared(row, values, number, content, section, phase_id, lead, assisting, leader, persons,
                         deadline, remarks), found

    def _phase(self, text: str) -> int | None:
        wanted = _key(text)
        if not wanted:
            return None
        for phase_id, names in self.phases:
            if any(name and name in wanted for name in names):
                return phase_id
        return None

    def _departments(self, text: str, more: Any, problem) -> tuple[DepartmentRow | None, list[DepartmentRow]]:
        """The lead department (the first named, or the one marked 牵头) and the assisting ones."""
        named = self._names(text, self.departments)
        marked = [name for name in named if any(_LEAD_MARK.search(note) for note in _BRACKETED.findall(name))]
        if marked:
            named.remove(marked[0])
            named.insert(0, marked[0])
        wanted = [("department", text, name) for name in named]
        wanted += [("assisting", more, name) for item in more or () for name in self._names(item, self.departments)]
        found: list[DepartmentRow] = []
        for key, cell, name in wanted:
            department = self._department(name, key, cell, problem)
            if department is not None and department not in found:
                found.append(department)
        if not named:
            if text:  # only placeholders or separators
                problem("department", text, _("Name the lead department"))
            return None, []
        return (found[0] if found else None), found[1:]

    def _names(self, text: str, index: dict[str, Any]) -> list[str]:
        """The names in a cell: the whole cell when it is one known name (an English name may hold a comma),
        else its parts."""
        text = _cell(text)
        if not text:
            return []
        if _key(_BRACKETED.sub("", text)) in index:
            return [text]
        return _split(text)

    def _department(self, name: str, key: str, cell: Any, problem) -> DepartmentRow | None:
        plain = _BRACKETED.sub("", name).strip() or name
        found = self.departments.get(_key(plain))
        if found is not None:
            if not found.active:
                problem(key, cell, _("The department {name} is no longer active").format(name=found.name_zh))
                return None
            return found
        if _COLLECTIVE.match(plain):
            problem(key, cell, _("“{name}” names no single department; name the departments (the first leads, the "
                                 "others assist)").format(name=plain))
            return None
        if not self.create_missing:
            problem(key, cell, _("No department is called “{name}”; add it in Settings → Departments, or let the "
                                 "import create the names it does not know").format(name=plain))
            return None
        if len(plain) > DEPARTMENT_LENGTH:
            problem(key, cell, _("is longer than {n} characters").format(n=DEPARTMENT_LENGTH))
            return None
        created = DepartmentRow(name_zh=plain, name_en="", sort_order=0, active=True)
        self.session.add(created)
        self.departments[_key(plain)] = created
        self.new_departments.append(created)
        return created

    def _people(self, text: str) -> list[str]:
        """People in one item of a cell: “张三/李四”, also “张三 李四”; but “王　伟” is one name padded with a space."""
        names = []
        for part in re.split(r"[/／]", text):
            part = _BRACKETED.sub("", part).strip()
            if not _cell(part):
                continue
            words = part.split()
            if len(words) > 1 and _key(part) not in self.staff and all(len(word) >= 2 for word in words):
                names += words
            else:
                names.append(part)
        return names

    def _leader(self, text: str, problem) -> StaffRow | None:
        if not text:
            return None
        names = [name for item in self._names(text, self.staff) for name in self._people(item)]
        if len(names) > 1:
            problem("leader", text, _("A task has one responsible leader; name one (the others can be responsible "
                                      "persons)"))
            return None
        return self._person(names[0], "leader", text, None, problem) if names else None

    def _persons(self, cells: Any, lead: DepartmentRow | None, problem) -> list[StaffRow]:
        if isinstance(cells, str):
            cells = (cells,)
        found: list[StaffRow] = []
        for item in cells or ():
            for name in self._people(item):
                person = self._person(name, "persons", cells, lead, problem)
                if person is not None and person not in found:
                    found.append(person)
        return found

    def _person(self, name: str, key: str, cell: Any, department: DepartmentRow | None, problem) -> StaffRow | None:
        """A staff member by name: the active one, the leader among namesakes for a leader, the one in the task's
        lead department among namesakes for a person; created (with create_missing) when nobody has the name."""
        leader = key == "leader"
        namesakes = self.staff.get(_key(name), [])
        active = [s for s in namesakes if s.active]
        if len(active) > 1:
            active = [s for s in active if (s.is_leader if leader else
                                            department is not None and s.department is department)] or active
        if len(active) == 1:
            if leader and active[0] in self.new_staff:
                active[0].is_leader = True  # created for an earlier row as a person, named a leader here
            return active[0]
        if active:
            problem(key, cell, _("Several staff members are called {name}; tell them apart in Settings → Staff "
                                 "(for example by a department)").format(name=name))
            return None
        if namesakes:
            problem(key, cell, _("{name} is no longer active").format(name=name))
            return None
        if not self.create_missing:
            problem(key, cell, _("No staff member is called “{name}”; add them in Settings → Staff, or let the import "
                                 "create the names it does not know").format(name=name))
            return None
        if len(name) > STAFF_LENGTH:
            problem(key, cell, _("is longer than {n} characters").format(n=STAFF_LENGTH))
            return None
        # A bureau leader leads the bureau, not a department; a person works in the task's lead department.
        created = StaffRow(name=name, title="", phone="", is_leader=leader, active=True,
                           department=None if leader else department)
        self.session.add(created)
        self.staff[_key(name)] = [created]
        self.new_staff.append(created)
        return created


def _phase_names(name_zh: str, name_en: str) -> list[str]:
    """A phase as a heading may name it: “动员部署阶段” also as “动员部署”."""
    names = [name_zh, name_en]
    if name_zh.endswith("阶段") and len(name_zh) > 3:
        names.append(name_zh[:-2])
    return [name for name in names if name]


# A use case's error names its field by a translated label; the rows name columns by key.
def _field_keys() -> dict[str, str]:
    return {_("Task"): "content", _("Responsible department"): "department",
            _("Assisting departments"): "assisting", _("Responsible leader"): "leader",
            _("Responsible person"): "persons", _("Phase"): "section", _("Deadline"): "deadline",
            _("No."): "number", _("Section"): "section", _("Remarks"): "remarks"}


# --- export -------------------------------------------------------------------------------------

@requires(Permission.VIEW)
def task_rows(ws: Workspace, plan_id: int, language: str = "zh_CN", today: date | None = None) -> list[dict[str, Any]]:
    """The plan's task table as spreadsheet rows by the TASKS layout: departments by their English name in an
    English export (when they have one), the status as shown (overdue included) in `language` (bilingual:
    Chinese). An import of the file into another plan recreates the same tasks."""
    lang = "zh_CN" if language == "bilingual" else language
    tasks = list_tasks(ws, plan_id, today=today)
    with ws.reading() as session:
        english = dict(session.execute(select(DepartmentRow.id, DepartmentRow.name_en)).all())

    def department(department_id: int | None, name_zh: str) -> str:
        return (english.get(department_id) or name_zh) if lang == "en" else name_zh

    return [{"number": task.number, "section": task.section, "content": task.content,
             "department": department(task.lead_department_id, task.lead_department),
             "assisting": tuple(department(i, name) for i, name in zip(task.assisting_department_ids,
                                                                        task.assisting_departments, strict=True)),
             "leader": task.leader, "persons": task.persons, "deadline": task.deadline, "remarks": task.remarks,
             "status": gettext_for(lang, task.status.msgid), "progress": task.progress}
            for task in tasks]
