"""The responsibility matrix's paper: a plan's task decomposition table (任务分解表), with merged cells where
consecutive tasks share a department or leader, and the responsibility letters (目标责任书, 党风廉政建设责任书)
between a bureau leader and a department head, printed for wet signature.

A letter prints from its snapshot (`Letter.content`), never from the tasks as they are now: a signed letter
reprinted years later says what was signed.
"""

from __future__ import annotations

import re

from collections.abc import Hashable, Sequence
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table

from envdesk.domain.reference import Bureau
from envdesk.domain.responsibility import LETTER_SECTIONS, SECTION_TITLES, LetterKind, Role
from envdesk.i18n import N_, gettext_for
from envdesk.reports.engine import (
    BODY,
    BODY_EN,
    BODY_SECOND,
    CELL,
    CELL_HEAD,
    HEADING,
    LEDGER,
    NOTE,
    NOTE_RIGHT,
    SIGN,
    TITLE,
    TITLE_SECOND,
    DocumentSpec,
    Writer,
    _fit_row,
    cell,
    cell_lines,
    chinese_numeral,
    date_in,
    fill,
    fit_widths,
    grid_table,
    in_each,
    languages_of,
    para,
    text_width,
    texts,
)

if TYPE_CHECKING:  # the plain values the app hands over; importing them for real would load the database layer
    from envdesk.app.responsibility import Letter, Plan, Task

# --- labels shared by the documents -----------------------------------------------------------------------

# These msgids are also the register's own field labels (app/responsibility.py, the ui): one translation serves both.
NUMBER = N_("No.")
SECTION = N_("Section")
TASK = N_("Task")
DEPARTMENT = N_("Responsible department")
LEADER = N_("Responsible leader")
PERSON = N_("Responsible person")
DEADLINE = N_("Deadline")
REMARKS = N_("Remarks")
LEADING_OFFICE = N_("Leading group office")
PARTY_A = N_("Party A")
PARTY_B = N_("Party B")
DATE = N_("Date")
# Translators: a plan's period, above its task table: 「实施时间：{start}至{end}」.
PERIOD = N_("Plan period: {start} to {end}")

# --- labels: the task decomposition table ------------------------------------------------------------------

# Translators: the title of a plan's task table, {plan} its title: 「{plan}任务分解表」.
TABLE_TITLE = N_("Task decomposition table: {plan}")
TABLE_SUBJECT = N_("A plan's tasks with their responsible departments, leaders and persons, and deadlines")
# Translators: the line listing a plan's phases: 「工作阶段：{phases}」.
PHASES = N_("Phases: {phases}")
# Translators: one phase in that line: 「{name}（{start}至{end}）」; phases are joined with 「；」.
PHASE = N_("{name} ({start} to {end})")
# Translators: after the lead department in the task table, the departments assisting it: 「（配合：{departments}）」.
ASSISTING = N_("(assisting: {departments})")
NO_TASKS = N_("The plan has no tasks yet.")

# --- labels: the responsibility letters --------------------------------------------------------------------

# Translators: under a letter's title: 「{plan}（{year}年度）」.
LETTER_PLAN_YEAR = N_("{plan} ({year})")
LETTER_SUBJECT = N_("A responsibility letter between a bureau leader and a department head, for signing")
# Translators: a letter's number, top right: 「编号：MB-2026-001」.
LETTER_NUMBER = N_("Letter No.")
# Translators: the opening of a target responsibility letter: 「为全面完成{plan}各项目标任务，明确工作责任，确保任务落实，
# 经甲乙双方协商，签订本责任书。」 (the plan's title usually names its year already).
INTRO_TARGET = N_("To accomplish the targets of {plan}, make each department's responsibility clear and see the "
                  "work done, Party A and Party B have agreed on this letter.")
# Translators: the opening of a clean-government responsibility letter: 「为认真落实党风廉政建设责任制，确保{plan}各项工作
# 廉洁高效推进，经甲乙双方协商，签订本责任书。」.
INTRO_CLEAN = N_("To carry out the responsibility for party conduct and clean government, and to see the work of "
                 "{plan} done cleanly and well, Party A and Party B have agreed on this letter.")
# Translators: the first heading of a letter, numbered when printed: 「目标任务」.
TARGETS = N_("Targets")
# Translators: 「乙方承担以下目标任务：」.
TARGETS_LEAD = N_("Party B undertakes the following tasks:")
# Translators: a column of a letter's targets table: whether Party B leads the task or assists: 「责任方式」.
ROLE = N_("Role")
# Translators: the lines the two parties sign on: 「甲方（签字）」, 「乙方（签字）」.
PARTY_A_SIGNATURE = N_("Party A (signature)")
PARTY_B_SIGNATURE = N_("Party B (signature)")

_INTROS = {LetterKind.TARGET: INTRO_TARGET, LetterKind.CLEAN_GOVERNMENT: INTRO_CLEAN}


# --- the task decomposition table ---------------------------------------------------------------------------


def task_table_spec(bureau: Bureau, plan: Plan, tasks: Sequence[Task], language: str, issued: date) -> DocumentSpec:
    """The plan's task decomposition table (任务分解表), landscape: the plan's period and phases, then one row per task
    in the order given — No., section (when any task has one), task, responsible department (the lead one, those
    assisting after it), leader, person(s), deadline, remarks. Where consecutive tasks share a department or a
    leader the cell is merged across their rows, as the bureau's own Word tables do; a row never splits across
    pages, the header repeats on each page, and a merged cell cut by a page break starts again on the next."""
    title = texts(language, TABLE_TITLE, plan=_table_title(plan))[0]

    def write(w: Writer) -> None:
        _write_task_table(w, plan, tasks)

    return DocumentSpec(title=title, language=language, bureau=bureau, write=write, layout=LEDGER,
                        subject=texts(language, TABLE_SUBJECT)[0], file_name=f"{title}.pdf")


def _plan_title(plan: Plan):
    return lambda language: (plan.title_en or plan.title_zh) if language == "en" else plan.title_zh


def _table_title(plan: Plan):
    """The plan's title for "{plan}任务分解表": a title that already ends in 任务分解(表) is not said twice."""
    def title(language: str) -> str:
        if language == "en":
            return plan.title_en or plan.title_zh
        return re.sub(r"(任务分解表?|分解表)$", "", plan.title_zh) or plan.title_zh
    return title


def _write_task_table(w: Writer, plan: Plan, tasks: Sequence[Task]) -> None:
    w.title_block(TABLE_TITLE, plan=_table_title(plan))
    period = "\n".join(w.texts(PERIOD, start=date_in(plan.start_on), end=date_in(plan.end_on)))
    office = w.labelled(LEADING_OFFICE, plan.office) if plan.office else ""
    w.two_ends(period, office)
    if plan.phases:
        def phases(language: str) -> str:
            each = [fill(gettext_for(language, PHASE), PHASE, {
                "name": (p.name_en or p.name_zh) if language == "en" else p.name_zh,
                "start": date_in(p.start_on)(language), "end": date_in(p.end_on)(language)}) for p in plan.phases]
            return ("; " if language == "en" else "；").join(each)

        lines = in_each(w.language, lambda language: fill(gettext_for(language, PHASES), PHASES,
                                                          {"phases": phases(language)}))
        w.add(*(para(line, NOTE if i == 0 else _NOTE_SECOND) for i, line in enumerate(lines)), Spacer(1, 6))
    if not tasks:
        w.paragraph(NO_TASKS)
        return

    sections = any(t.section.strip() for t in tasks)
    rows = [_task_row(w, t, sections) for t in tasks]
    columns = _task_columns(w, sections)
    widths = fit_widths(w.layout.frame_width, [(w.label(h, stacked=True), low, high, wraps)
                                               for h, low, high, wraps, _align in columns],
                        rows, columns.index(next(c for c in columns if c[0] == TASK)), CELL, CELL_HEAD)
    header = [cell_lines(w.label(h, stacked=True), CELL_HEAD, width, "center")
              for (h, *_), width in zip(columns, widths, strict=True)]
    limit = w.layout.frame_height - _header_height(header, widths) - 2
    body: list[list] = []
    owners: list[int] = []  # the task each printed row shows: a task taller than a page goes on as further rows
    for index, values in enumerate(rows):
        cells = [cell(value, CELL, width, align)
                 for value, width, (*_, align) in zip(values, widths, columns, strict=True)]
        pieces = _fit_row(cells, values, widths, limit)
        body += pieces
        owners += [index] * len(pieces)
    merged = [i for i, (header, *_) in enumerate(columns) if header in _MERGED]
    section = columns.index(next(c for c in columns if c[0] == SECTION)) if sections else None

    def key(column: int, index: int) -> Hashable | None:
        # Equal neighbours merge, within a section only (the section column itself merges as well: that is what
        # a section is); an empty cell never merges.
        value = rows[index][column]
        if not value:
            return None
        return value if column == section else (rows[index][section] if section is not None else "", value)

    keys = {column: [key(column, index) for index in owners] for column in merged}
    w.add(MergedTable(header, body, widths, keys, _TABLE_STYLE))


_MERGED = (SECTION, DEPARTMENT, LEADER)


def _task_columns(w: Writer, sections: bool) -> list[tuple[str, float, float, bool, str]]:
    """(header, low, high, may wrap, alignment) of each column; the task column takes what is left."""
    day = max(text_width(w.value(date(2026, 12, 28)), CELL), text_width(w.value(date(2026, 9, 30)), CELL)) + 9
    columns = [(NUMBER, 26, 40, False, "center")]
    if sections:
        columns.append((SECTION, 48, 110, True, "center"))
    columns += [(TASK, 0, 0, True, "left"), (DEPARTMENT, 64, 110, True, "center"), (LEADER, 48, 80, True, "center"),
                (PERSON, 48, 100, True, "center"), (DEADLINE, day, day, False, "center"),
                (REMARKS, 56, 110, True, "left")]
    return columns


def _task_row(w: Writer, t: Task, sections: bool) -> list[str]:
    # One language in a cell this narrow: Chinese in a bilingual table, whose department names are Chinese too.
    language = "en" if w.language == "en" else "zh_CN"
    separator = ", " if language == "en" else "、"
    department = t.lead_department
    if t.assisting_departments:
        # On a line of its own: a narrow column must not break "assisting" in the middle.
        department += ("\n" if language == "en" else "") + fill(
            gettext_for(language, ASSISTING), ASSISTING, {"departments": separator.join(t.assisting_departments)})
    persons = separator.join(p for p in t.persons if p)
    row = [t.number.strip()]
    if sections:
        row.append(t.section.strip())
    row += [t.content.strip(), department, t.leader, persons, w.value(t.deadline) if t.deadline else "",
            t.remarks.strip()]
    return row


def _header_height(header: Sequence[object], widths: Sequence[float]) -> float:
    height = 0.0
    for item, width in zip(header, widths, strict=True):
        parts = item if isinstance(item, list) else [item]
        height = max(height, sum(part.wrap(width - 2 * _PAD, 1e6)[1] for part in parts))
    return height + 6


class MergedTable(Flowable):
    """A ruled table whose runs of equal cells in some columns print as one cell spanning their rows (the merged
    cells of a Word table). It splits between rows only, with the header on every page: ReportLab never splits
    a table inside a row span, so a long run would not fit anywhere; here a run cut by a page break is merged
    again, with its text, on the next page. `keys[column][row]` says which rows merge: equal neighbours do,
    None never does."""

    def __init__(self, header: list, rows: list[list], widths: Sequence[float],
                 keys: dict[int, list[Hashable | None]], commands: Sequence[tuple]) -> None:
        super().__init__()
        self.header = header
        self.rows = rows
        self.widths = list(widths)
        self.keys = keys
        self.commands = list(commands)
        self._whole: Table | None = None

    def _build(self, stop: int) -> Table:
        data = [self.header] + [list(row) for row in self.rows[:stop]]
        spans: list[tuple] = []
        for column, keys in self.keys.items():
            start = 0
            while start < stop:
                end = start + 1
                while end < stop and keys[start] is not None and keys[end] == keys[start]:
                    end += 1
                if end - start > 1:
                    spans.append(("SPAN", (column, start + 1), (column, end)))
                    for row in range(start + 2, end + 1):
                        data[row][column] = ""
                start = end
        return grid_table(data, self.widths, self.commands + spans)

    def _most(self, availHeight: float) -> int:
        # No row is lower than a line of cell text: more rows than this never fit, and need not be laid out to
        # find out (laying out all the rest on every page made a long table's time grow with its square).
        return min(len(self.rows), int(availHeight // CELL.leading) + 1)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._most(availHeight) < len(self.rows):
            self._whole = None
            return availWidth, 0xFFFFFF  # cannot fit: split
        self._whole = self._build(len(self.rows))
        return self._whole.wrapOn(self.canv, availWidth, availHeight)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        most = self._most(availHeight)
        first = self._whole if self._whole is not None and most == len(self.rows) else self._build(most)
        first.wrapOn(self.canv, availWidth, availHeight)
        heights = first._rowHeights
        used, fits = heights[0], 0
        for height in heights[1:]:
            if used + height > availHeight:
                break
            used += height
            fits += 1
        if fits == len(self.rows):
            return [first]
        while fits:  # a run merged across fewer rows may need more room: measure what would really print
            part = self._build(fits)
            if part.wrapOn(self.canv, availWidth, availHeight)[1] <= availHeight:
                rest = {column: keys[fits:] for column, keys in self.keys.items()}
                return [part, MergedTable(self.header, self.rows[fits:], self.widths, rest, self.commands)]
            fits -= 1
        return []  # not even one row here: on to the next page

    def draw(self) -> None:
        self._whole.drawOn(self.canv, 0, 0)


# --- the responsibility letters -----------------------------------------------------------------------------


def letter_spec(bureau: Bureau, letter: Letter, language: str, issued: date) -> DocumentSpec:
    """One responsibility letter (目标责任书 or 党风廉政建设责任书) for wet signature, from its snapshot
    `letter.content` as generated (or signed): the number top right; the title with the plan and year; the parties,
    Party A the bureau leader and Party B the department and its head; the opening; 一、the targets table; 二–五、the
    duties, assessment, rewards and penalties and term, in the wording the snapshot holds in each language; and the
    two parties' lines to sign and date by hand, side by side. `issued` is the day it is printed; a letter is
    dated when it is signed, so it does not show."""
    return _letter_spec(bureau, letter, language, issued, _Paragraphs())


def letters_batch_specs(bureau: Bureau, letters: Sequence[Letter], language: str, issued: date) -> list[DocumentSpec]:
    """The letters as one batch for render_batch: each starts on a new page and is numbered on its own."""
    paragraphs = _Paragraphs()
    return [_letter_spec(bureau, letter, language, issued, paragraphs) for letter in letters]


def _letter_spec(bureau: Bureau, letter: Letter, language: str, issued: date, paragraphs: _Paragraphs) -> DocumentSpec:
    content = letter.content
    kind = letter.kind
    department = _snapshot_field(content, "department")(language)
    title = f"{texts(language, kind.msgid)[0]} {department}".strip()

    def write(w: Writer) -> None:
        _write_letter(w, paragraphs, kind, letter.number, content, issued)

    return DocumentSpec(title=title, language=language, bureau=bureau, write=write,
                        subject=texts(language, LETTER_SUBJECT)[0], file_name=f"{title} {letter.number}.pdf")


class _Paragraphs:
    """para() for a batch of letters, each text parsed once. The labels, headings and section wording that every
    letter repeats are most of a letter, and parsing their markup was a fifth of the time a batch took."""

    def __init__(self) -> None:
        self._parsed: dict[tuple, Paragraph] = {}

    def __call__(self, value: str, style: ParagraphStyle) -> Paragraph:
        parsed = self._parsed.get((value, style))
        if parsed is None:
            parsed = self._parsed[(value, style)] = para(value, style)
        # A new Paragraph on the parsed fragments (the first is never placed in a story): ReportLab reads
        # fragments when it breaks and draws lines, and never changes them.
        return Paragraph(parsed.text, parsed.style, frags=parsed.frags)


def _write_letter(w: Writer, p: _Paragraphs, kind: LetterKind, number: str, content: dict, issued: date) -> None:
    plan = _snapshot_field(content, "plan_title")
    year = str(content.get("year") or issued.year)
    w.add(p(w.labelled(LETTER_NUMBER, number), NOTE_RIGHT), Spacer(1, 18))
    titles = w.texts(kind.msgid)
    subtitles = in_each(w.language, lambda language: _plan_year(language, plan(language), year))
    w.add(*(p(t, TITLE if i == 0 else TITLE_SECOND) for i, t in enumerate(titles)),
          *(p(t, _SUBTITLE if i == 0 else _SUBTITLE_SECOND) for i, t in enumerate(subtitles)), Spacer(1, 16))
    _parties(w, p, content)
    _prose(w, p, w.texts(_INTROS[kind], plan=plan, year=year))

    _heading(w, p, 1, TARGETS)
    _prose(w, p, w.texts(TARGETS_LEAD))
    _targets(w, content.get("targets") or [])

    sections = content.get("sections") or {}
    for index, section in enumerate(LETTER_SECTIONS, 2):
        start = len(w.story)
        _heading(w, p, index, SECTION_TITLES[section])
        wording = sections.get(section) or {}
        for i, language in enumerate(languages_of(w.language)):
            style = BODY_EN if w.language == "en" else (BODY if i == 0 else BODY_SECOND)
            for line in str(wording.get(language, "")).replace("\r\n", "\n").split("\n"):
                if line.strip():
                    w.add(p(line.strip(), style))
    # The last section, the lines to sign and the dates stay on one page: a signature never stands alone.
    w.sign_line([PARTY_A_SIGNATURE, PARTY_B_SIGNATURE])
    w.sign_line([DATE, DATE])
    w.keep(start)


def _prose(w: Writer, p: _Paragraphs, lines: Sequence[str]) -> None:
    """As Writer.paragraph prints a catalog text: in a bilingual letter the English after the Chinese, smaller."""
    first = BODY_EN if w.language == "en" else BODY
    w.add(*(p(line, first if i == 0 else BODY_SECOND) for i, line in enumerate(lines)))


def _heading(w: Writer, p: _Paragraphs, index: int, msgid: str) -> None:
    """'二、工作职责', '2. Duties', or in a bilingual letter '二、工作职责 Duties' on one line: a letter's headings are
    short, and two lines each would carry a bilingual letter onto a third page."""
    label = w.label(msgid)
    line = f"{index}. {label}" if w.language == "en" else f"{chinese_numeral(index)}、{label}"
    # A new page when little room is left, so that a heading never ends a page.
    w.add(CondPageBreak(_HEADING_ROOM), p(line, HEADING))


def _snapshot_field(content: dict, name: str):
    """A bilingual field of the snapshot (name_zh, name_en) as a field of a catalog message; English falls back
    to the Chinese."""
    zh = str(content.get(f"{name}_zh") or "")
    en = str(content.get(f"{name}_en") or "") or zh
    return lambda language: en if language == "en" else zh


def _plan_year(language: str, plan: str, year: str) -> str:
    # A plan titled after its year ('2026年度重点工作') does not say the year twice.
    return plan if year in plan else fill(gettext_for(language, LETTER_PLAN_YEAR), LETTER_PLAN_YEAR,
                                          {"plan": plan, "year": year})


def _parties(w: Writer, p: _Paragraphs, content: dict) -> None:
    """甲方：the bureau, its leader and their title; 乙方：the department, its head and their title. Each a paragraph
    hanging from its label, the English of a bilingual letter under it, smaller."""
    bureau = w.bureau
    sides = [(PARTY_A, lambda language: bureau.name("en" if language == "en" else "zh_CN"),
              content.get("party_a", ""), content.get("party_a_title", "")),
             (PARTY_B, _snapshot_field(content, "department"), content.get("party_b", ""),
              content.get("party_b_title", ""))]
    labels = [w.labelled(msgid, "") for msgid, *_ in sides]
    indent = round(max(text_width(label, _PARTY) for label in labels) + 2)
    for label, (_msgid, unit, name, title) in zip(labels, sides, strict=True):
        lines = in_each(w.language, lambda language, unit=unit, name=name, title=title:
                        _party_line(language, unit(language), name, title))
        w.add(p(label + lines[0], _hanging(_PARTY, indent)),
              *(p(line, _hanging(_PARTY_SECOND, indent, first=False)) for line in lines[1:]))
    w.add(Spacer(1, 8))


@lru_cache(maxsize=32)
def _hanging(style: ParagraphStyle, indent: float, first: bool = True) -> ParagraphStyle:
    """`style` set in by `indent`, its first line (where the label is) not."""
    return ParagraphStyle(f"{style.name}-{indent}-{first}", parent=style, leftIndent=indent,
                          firstLineIndent=-indent if first else 0)


def _party_line(language: str, unit: str, name: str, title: str) -> str:
    name, title = str(name).strip(), str(title).strip()
    if language == "en":
        person = f"{name} ({title})" if title else name
        return f"{unit}, {person}" if person else unit
    person = f"{name}（{title}）" if title else name
    return f"{unit}\u3000{person}" if person else unit


def _targets(w: Writer, targets: Sequence[dict]) -> None:
    """The targets table: No., (section,) task, role (lead or assisting), deadline, remarks."""
    sections = any(str(t.get("section") or "").strip() for t in targets)
    rows = []
    for number, target in enumerate(targets, 1):
        deadline = str(target.get("deadline") or "")
        try:
            deadline = w.value(date.fromisoformat(deadline)) if deadline else ""
        except ValueError:
            pass  # a snapshot holds what was there: print it as it is
        role = target.get("role") or ""
        try:
            role = w.label(Role(role).msgid, stacked=True) if role else ""
        except ValueError:
            pass
        row = [str(number)]
        if sections:
            row.append(str(target.get("section") or "").strip())
        row += [str(target.get("content") or "").strip(), role, deadline, str(target.get("remarks") or "").strip()]
        rows.append(row)
    day = max(text_width(w.value(date(2026, 12, 28)), CELL), text_width(w.value(date(2026, 9, 30)), CELL)) + 9
    spec = [(NUMBER, 26, 36, False, "center")]
    if sections:
        spec.append((SECTION, 44, 90, True, "center"))
    spec += [(TASK, 0, 0, True, "left"), (ROLE, 36, 60, False, "center"), (DEADLINE, day, day, False, "center"),
             (REMARKS, 48, 110, True, "left")]
    task = next(i for i, item in enumerate(spec) if item[0] == TASK)
    widths = fit_widths(w.layout.frame_width, [(w.label(h, stacked=True), low, high, wraps)
                                               for h, low, high, wraps, _align in spec], rows, task, CELL, CELL_HEAD,
                        fill_share=0.4)
    header = [cell_lines(w.label(h, stacked=True), CELL_HEAD, width, "center")
              for (h, *_), width in zip(spec, widths, strict=True)]
    limit = w.layout.frame_height - _header_height(header, widths) - 2
    data: list[list] = [header]
    for values in rows:
        # The role is a label, in both languages one above the other; the rest is what people typed.
        cells = [cell_lines(value, CELL, width, align) if header == ROLE else cell(value, CELL, width, align)
                 for value, width, (header, *_, align) in zip(values, widths, spec, strict=True)]
        data += _fit_row(cells, values, widths, limit)
    w.add(grid_table(data, widths, _TABLE_STYLE, repeat_header=True), Spacer(1, 4))


# --- styles -----------------------------------------------------------------------------------------------

_PAD = 4  # the engine's cell padding, points
_HEADING_ROOM = 30 * mm  # a heading and the first lines of its text
_SHADE = colors.HexColor("#e8e8e8")
_TABLE_STYLE = [("BACKGROUND", (0, 0), (-1, 0), _SHADE)]
_SUBTITLE = ParagraphStyle("letter-subtitle", parent=BODY, fontSize=15, leading=24, alignment=TA_CENTER,
                           firstLineIndent=0, spaceAfter=0)
_SUBTITLE_SECOND = ParagraphStyle("letter-subtitle-second", parent=BODY_SECOND, fontSize=11, leading=16,
                                  alignment=TA_CENTER, spaceAfter=0)
_PARTY = ParagraphStyle("letter-party", parent=SIGN, fontSize=13, leading=22)
_PARTY_SECOND = ParagraphStyle("letter-party-second", parent=SIGN, fontSize=10, leading=14, spaceAfter=4,
                               textColor=colors.HexColor("#333333"))
_NOTE_SECOND = ParagraphStyle("note-second", parent=NOTE, fontSize=9.5, leading=13,
                              textColor=colors.HexColor("#333333"))

__all__ = ["MergedTable", "letter_spec", "letters_batch_specs", "task_table_spec"]
