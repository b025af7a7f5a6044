"""The twinning register's paper: the province's list of paired enterprises, an enterprise's service account
(一企一档 服务台账) and a health-check report (环保体检报告)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from envdesk.domain.reference import Bureau
from envdesk.domain.twinning import (
    EnterpriseType,
    ItemAction,
    ItemCategory,
    ItemSource,
    ItemStatus,
    PairStatus,
    Scale,
    Severity,
)
from envdesk.i18n import N_, format_date, gettext_for
from envdesk.reports import fonts
from envdesk.reports.engine import (
    CELL,
    CELL_HEAD,
    HEADING,
    LEDGER,
    OFFICIAL,
    SIGN,
    Column,
    DocumentSpec,
    Layout,
    Writer,
    in_each,
    para,
    text_width,
    texts,
)

if TYPE_CHECKING:  # the plain values the app hands over; importing them for real would load the database layer
    from envdesk.app.enterprises import Enterprise
    from envdesk.app.twinning import HealthCheck, ItemEvent, Pair, Person, ServiceItem

# The account and the report are forms that are filed, not official documents (GB/T 9704 margins are for
# those): portrait A4 with a binding margin on the left, the rest of the width going to their tables.
FORM = Layout("twinning-form", OFFICIAL.pagesize, top=20 * mm, bottom=22 * mm, left=25 * mm, right=15 * mm)

# --- labels: the province's list -----------------------------------------------------------------

# Translators: the title of the list the county sends to the province: 「{year}年度环保服务结对企业名单」.
LIST_TITLE = N_("Paired enterprises {year}")
LIST_SUBJECT = N_("Enterprises paired with the bureau for environmental services, with their liaison officers "
                  "and contact leaders")
# Translators: the unit that fills in a form for a higher authority: 「填报单位」.
FILLED_IN_BY = N_("Filled in by")
# Translators: 「填报日期」.
DATE_FILLED_IN = N_("Date filled in")
# Translators: the person who filled in the form, signing under it: 「填表人」.
PREPARED_BY = N_("Prepared by")
# Translators: the leader who checked the form, signing under it: 「审核人」.
REVIEWED_BY = N_("Reviewed by")
CONTACT_PHONE = N_("Contact phone")
# Translators: 「合计：结对企业 {count} 家」.
LIST_TOTAL = N_("Total: {count} paired enterprises")
LIST_EMPTY = N_("No enterprise is paired in {year}.")

NUMBER = N_("No.")
CREDIT_CODE = N_("Credit code")
# Translators: the town, township or subdistrict an enterprise is in: 「乡镇」 (「所在乡镇（街道）」).
TOWN = N_("Town")
# Translators: a column of the list: the kinds an enterprise is (traditional industry, key discharger…): 「企业类型」.
ENTERPRISE_TYPE = N_("Enterprise type")
LIAISON = N_("Liaison officer")
LEADER = N_("Contact leader")
# Translators: a column of the list: the day the pair started, and when it ended: 「结对时间」.
PAIRED_SINCE = N_("Paired since")
# Translators: under the start date of a pair that has ended: 「{date}终止」.
ENDED_ON = N_("Ended {date}")
# Translators: under the start date of a pair with a planned end: 「至{date}」.
UNTIL = N_("Until {date}")

# --- labels: the service account -----------------------------------------------------------------

# Translators: 「环保服务台账」, the account the bureau keeps of its services to one enterprise.
ACCOUNT_TITLE = N_("Environmental Service Account")
# Translators: the motto of the account: 「一企一档 · 一事一单」.
ACCOUNT_MOTTO = N_("One enterprise, one account; one matter, one order")
ACCOUNT_SUBJECT = N_("Services to a paired enterprise, each matter from collection to closing")
# Translators: the date an account was printed, whatever came after is not in it: 「截至{date}」.
AS_OF = N_("As of {date}")
SECTION_ENTERPRISE = N_("I. The enterprise")
SECTION_PAIRS = N_("II. Pairing")
SECTION_CHECKS = N_("III. Health checks")
SECTION_ITEMS = N_("IV. Service items")
NOT_PAIRED = N_("The enterprise has not been paired.")
NO_CHECKS = N_("No health check has been recorded.")
NO_ITEMS = N_("No service items have been recorded for this enterprise.")
ITEMS_TOTAL = N_("Service items in total: {count}; closed: {closed}; open: {open}, of which overdue: {overdue}; "
                 "cancelled: {cancelled}.")

ENTERPRISE_NAME = N_("Enterprise name")
ADDRESS = N_("Address")
INDUSTRY = N_("Industry")
SCALE = N_("Scale")
# The enterprise's contact person, with the telephone beside the name.
CONTACT = N_("Contact person")
YEAR = N_("Year")

CHECK_DATE = N_("Check date")
EXPERT_TEAM = N_("Expert team")
SCOPE = N_("Scope")
FINDINGS = N_("Findings")
# Translators: a column: the numbers of the service items raised from a check's findings.
ITEMS_RAISED = N_("Service items raised")

SERVICE_ITEM = N_("Service item")
SOURCE = N_("Source")
CATEGORY = N_("Category")
STATUS = N_("Status")
DUE_DATE = N_("Due date")
OVERDUE = N_("Overdue")
# Translators: the department a service item was handed over to: 「交办部门」.
HANDED_OVER_TO = N_("Handed over to")
# Translators: the member of staff responsible for a service item: 「责任人」.
OWNER = N_("Owner")
DESCRIPTION = N_("Description")
# Translators: how a service item was closed (销号): 「办结情况」.
RESOLUTION = N_("Resolution")
REASON_CANCELLED = N_("Reason for cancelling")
DATE = N_("Date")
# Translators: a column of an item's history: what was done (collect, hand over, track, close).
STEP = N_("Step")
# Translators: a column of an item's history: the status before and after the step, 「已交办 → 跟踪中」.
STATUS_CHANGE = N_("Status change")
DONE_BY = N_("Done by")
DEPARTMENT = N_("Department")
NOTE = N_("Note")
# Translators: the first step of a service item, when the matter is taken down: 「收集」.
COLLECT = N_("Collect")
NO_STEPS = N_("No steps have been recorded.")

# --- labels: the health-check report --------------------------------------------------------------

# Translators: 「环保体检报告」.
REPORT_TITLE = N_("Environmental Health Check Report")
REPORT_SUBJECT = N_("Findings of an environmental health check and the suggested treatment")
SECTION_CHECK = N_("II. The check")
SECTION_FINDINGS = N_("III. Findings")
SECTION_PLAN = N_("IV. Treatment plan")
REPORT_DATE = N_("Report date")
FINDING = N_("Finding")
SEVERITY = N_("Severity")
TREATMENT = N_("Suggested treatment")
NO_FINDINGS = N_("No problems were found in this check.")
# Translators: 「专家组组长（签字）」.
EXPERT_LEADER_SIGNS = N_("Expert team leader (signature)")
# Translators: 「企业负责人（签字）」.
ENTERPRISE_SIGNS = N_("Enterprise representative (signature)")
PLAN_FIGURES = N_("Findings in total: {count}; of high severity: {high}; medium: {medium}; low: {low}. "
                  "Entered in the bureau's service account: {raised}.")
PLAN = N_(
    "The enterprise treats each finding as suggested above, those of high severity first, and tells its "
    "liaison officer how the work progresses. Each finding entered in the service account has its own order: "
    "the bureau hands it to the department responsible and follows it until it is closed."
)
NO_FINDINGS_PLAN = N_(
    "No treatment is needed. The enterprise keeps its pollution-control facilities running and its records "
    "complete, and its liaison officer keeps serving it at least once a month."
)

# --- the province's list ----------------------------------------------------------------------------


def twinning_list_spec(bureau: Bureau, year: int, pairs: Sequence[Pair], language: str,
                       issued: date) -> DocumentSpec:
    """The list of the year's paired enterprises with their liaison officers and contact leaders, as the
    province asks for it (the "attached table"); `pairs` in the order they are to be numbered."""
    title = texts(language, LIST_TITLE, year=str(year))[0]

    def write(w: Writer) -> None:
        _write_list(w, year, pairs, issued)

    return DocumentSpec(title=title, language=language, bureau=bureau, write=write,
                        subject=texts(language, LIST_SUBJECT)[0], layout=LEDGER)


def _write_list(w: Writer, year: int, pairs: Sequence[Pair], issued: date) -> None:
    w.title_block(LIST_TITLE, year=str(year))
    _fill_line(w, [(FILLED_IN_BY, in_each(w.language, w.bureau.name)), (DATE_FILLED_IN, w.dates(issued))])
    count = len({pair.enterprise.id for pair in pairs})  # an enterprise paired again within the year counts once
    total = "\n".join(w.texts(LIST_TOTAL, count=str(count)))
    if not pairs:
        w.paragraph(LIST_EMPTY, year=str(year))
        _note(w, [total])
    else:
        rows = [_list_row(w, number, pair) for number, pair in enumerate(pairs, 1)]
        columns = _list_columns(w, rows)
        # The total is the table's last row, so it never lands on a page of its own.
        w.ledger(columns, [*rows, ["", total, *[""] * (len(columns) - 2)]])
    _sign_line(w, [PREPARED_BY, CONTACT_PHONE, REVIEWED_BY])


def _list_columns(w: Writer, rows: Sequence[Sequence[object]]) -> list[Column]:
    headers = (NUMBER, ENTERPRISE_NAME, CREDIT_CODE, TOWN, ENTERPRISE_TYPE, LIAISON, LEADER, PAIRED_SINCE)
    day = text_width(w.value(date(2026, 12, 31)), CELL) + 10
    return _fitted(w, headers, rows, [(24, 30), None, (60, 120), (56, 90), (80, 135), (70, 96), (70, 96), (day, 100)])


def _list_row(w: Writer, number: int, pair: Pair) -> list[object]:
    enterprise = pair.enterprise
    return [number, _enterprise_name(w, enterprise), enterprise.credit_code, enterprise.town_name,
            _types(w, enterprise.types, "\n", stacked=True),
            _liaison(pair.liaison), _leader(pair.leader), _period(w, pair)]


def _liaison(person: Person | None) -> str:
    """Name, department and phone, a line each."""
    return "\n".join(part for part in (person.name, person.department, person.phone) if part) if person else ""


def _leader(person: Person | None) -> str:
    """Name, title and phone, a line each."""
    return "\n".join(part for part in (person.name, person.title, person.phone) if part) if person else ""


def _period(w: Writer, pair: Pair) -> str:
    lines = [w.value(pair.start_date)]
    if pair.status == PairStatus.ENDED:  # a str enum: the stored value compares equal too
        if pair.end_date is not None:
            lines += w.texts(ENDED_ON, date=_date_in(pair.end_date))
        else:
            lines.append(w.label(PairStatus.ENDED.msgid))
        if pair.end_reason:
            lines.append(pair.end_reason)
    elif pair.end_date is not None:
        lines += w.texts(UNTIL, date=_date_in(pair.end_date))
    return "\n".join(lines)


# --- the service account -----------------------------------------------------------------------------


def service_account_spec(bureau: Bureau, enterprise: Enterprise, items: Sequence[ServiceItem],
                         checks: Sequence[HealthCheck], pairs: Sequence[Pair], language: str,
                         issued: date) -> DocumentSpec:
    """An enterprise's service account: the enterprise, its pairs, its health checks, and every service
    item with its history. `items` must carry their events (`twinning.items(…, with_events=True)`);
    `issued` is the "as of" date that decides which open items are overdue."""
    title = texts(language, ACCOUNT_TITLE)[0]

    def write(w: Writer) -> None:
        _write_account(w, enterprise, items, checks, pairs, issued)

    return DocumentSpec(title=title, language=language, bureau=bureau, write=write,
                        subject=texts(language, ACCOUNT_SUBJECT)[0], layout=FORM,
                        file_name=f"{title} {enterprise.name_zh}.pdf")


def _write_account(w: Writer, enterprise: Enterprise, items: Sequence[ServiceItem], checks: Sequence[HealthCheck],
                   pairs: Sequence[Pair], issued: date) -> None:
    w.title_block(ACCOUNT_TITLE)
    _motto(w, w.texts(ACCOUNT_MOTTO), [_as_of(w, issued)])

    _section(w, SECTION_ENTERPRISE)
    _enterprise_grid(w, enterprise)

    _section(w, SECTION_PAIRS)
    if pairs:
        ordered = sorted(pairs, key=lambda p: (p.year, p.start_date, p.id))
        width = w.layout.frame_width
        w.ledger([Column(YEAR, 0.09 * width, "center"), Column(LIAISON, 0.3 * width),
                  Column(LEADER, 0.3 * width), Column(PAIRED_SINCE, 0.31 * width)],
                 [[str(p.year), _liaison(p.liaison), _leader(p.leader), _period(w, p)]
                  for p in ordered])
    else:
        w.paragraph(NOT_PAIRED)

    _section(w, SECTION_CHECKS)
    if checks:
        ordered_checks = sorted(checks, key=lambda c: (c.check_date, c.id))
        width = w.layout.frame_width
        w.ledger([Column(CHECK_DATE, 0.17 * width), Column(EXPERT_TEAM, 0.25 * width), Column(SCOPE, 0.25 * width),
                  Column(FINDINGS, 0.16 * width), Column(ITEMS_RAISED, 0.17 * width)],
                 [[c.check_date, c.expert_team, c.scope, _severity_counts(w, c),
                   "\n".join(f.item_number for f in c.findings if f.item_number)] for c in ordered_checks])
    else:
        w.paragraph(NO_CHECKS)

    _section(w, SECTION_ITEMS)
    if not items:
        w.paragraph(NO_ITEMS)
        return
    statuses = Counter(_member(ItemStatus, item.status) for item in items)
    open_count = sum(n for status, n in statuses.items() if isinstance(status, ItemStatus) and status.is_open)
    w.paragraph(ITEMS_TOTAL, count=str(len(items)), closed=str(statuses[ItemStatus.CLOSED]), open=str(open_count),
                overdue=str(sum(1 for item in items if _overdue(item, issued))),
                cancelled=str(statuses[ItemStatus.CANCELLED]))
    for index, item in enumerate(items, 1):
        _item_block(w, index, item, issued)


def _item_block(w: Writer, index: int, item: ServiceItem, issued: date) -> None:
    start = len(w.story)
    w.add(para(f"{index}. {w.label(SERVICE_ITEM)}  {item.number}", _ITEM_HEADING))
    status = w.label(_label_of(ItemStatus, item.status))
    if _overdue(item, issued):
        status += f" ({w.label(OVERDUE)})" if w.language == "en" else f"（{w.label(OVERDUE)}）"
    w.field_grid([
        (SOURCE, w.label(_label_of(ItemSource, item.source))),
        (CATEGORY, w.label(_label_of(ItemCategory, item.category))),
        (HANDED_OVER_TO, item.department),
        (OWNER, item.owner),
        (DUE_DATE, item.due_date),
        (STATUS, status),
    ])
    # How the matter ended stands beside what it was, above the history: a line of its own after a long
    # history would often be carried over to a page by itself.
    summary: list[tuple[str, object]] = [(DESCRIPTION, item.description)]
    summary += [(RESOLUTION, item.resolution)] if item.resolution else []
    summary += [(REASON_CANCELLED, item.cancel_reason)] if item.cancel_reason else []
    w.field_grid(summary, columns=1)
    # "One matter, one order": the item's heading and summary start on a page with room for the head of
    # its history too, so that they are never parted from it by a page break.
    w.story.insert(start, CondPageBreak(min(_height(w, w.story[start:]) + _HISTORY_HEAD, w.layout.frame_height)))
    if item.events:
        _history(w, item.events)
    else:
        w.paragraph(NO_STEPS)


_HISTORY_HEAD = 25 * mm  # a history's header row and its first row or two, bilingual


def _height(w: Writer, flowables: Sequence[Flowable]) -> float:
    """How tall flowables lay out in the frame, spacing included."""
    return sum(f.wrap(w.layout.frame_width, w.layout.frame_height)[1] + f.getSpaceBefore() + f.getSpaceAfter()
               for f in flowables)


def _history(w: Writer, events: Sequence[ItemEvent]) -> None:
    # Short dates (2026/1/20, 20/01/2026) leave the room to the notes.
    language = "en" if w.language == "en" else "zh_CN"
    rows = [[format_date(event.event_date, "short", language), _step(w, event.action), _status_change(w, event),
             event.staff, event.department, _note_text(event)] for event in events]
    headers = (DATE, STEP, STATUS_CHANGE, DONE_BY, DEPARTMENT, NOTE)
    w.ledger(_fitted(w, headers, rows, [(40, 70), (36, 70), (60, 125), (40, 60), (40, 80), None]), rows)


def _step(w: Writer, action: str) -> str:
    if action == "collect":
        return w.label(COLLECT, stacked=True)
    return w.label(_label_of(ItemAction, action), stacked=True)


def _status_change(w: Writer, event: ItemEvent) -> str:
    """'已交办 → 跟踪中'; in bilingual documents the English under the Chinese."""
    def one(language: str) -> str:
        to = gettext_for(language, _label_of(ItemStatus, event.to_status))
        if event.from_status is None:
            return to
        return f"{gettext_for(language, _label_of(ItemStatus, event.from_status))} → {to}"

    return "\n".join(in_each(w.language, one))


def _note_text(event: ItemEvent) -> str:
    return event.note or ""


def _overdue(item: ServiceItem, today: date) -> bool:
    status = _member(ItemStatus, item.status)
    is_open = status.is_open if isinstance(status, ItemStatus) else False
    return is_open and item.due_date is not None and item.due_date < today


def _severity_counts(w: Writer, check: HealthCheck) -> str:
    if not check.findings:
        return "0"
    counts = Counter(_member(Severity, f.severity) for f in check.findings)
    parts = [f"{w.label(_label_of(Severity, severity))} {counts[severity]}" for severity in Severity
             if counts[severity]]
    return "\n".join([str(len(check.findings)), *parts])


# --- the health-check report -------------------------------------------------------------------------


def health_check_report_spec(bureau: Bureau, enterprise: Enterprise, check: HealthCheck, language: str,
                             issued: date) -> DocumentSpec:
    """The report of one health check: the enterprise, the check, its findings with the treatment
    suggested for each and the service item raised from it, a treatment plan, and signatures."""
    title = texts(language, REPORT_TITLE)[0]

    def write(w: Writer) -> None:
        _write_report(w, enterprise, check, issued)

    return DocumentSpec(title=title, language=language, bureau=bureau, write=write,
                        subject=texts(language, REPORT_SUBJECT)[0], layout=FORM,
                        file_name=f"{title} {enterprise.name_zh} {check.check_date.isoformat()}.pdf")


def _write_report(w: Writer, enterprise: Enterprise, check: HealthCheck, issued: date) -> None:
    w.title_block(REPORT_TITLE)
    _section(w, SECTION_ENTERPRISE)
    _enterprise_grid(w, enterprise)

    _section(w, SECTION_CHECK)
    w.field_grid([(CHECK_DATE, check.check_date), (REPORT_DATE, issued)])
    w.field_grid([(EXPERT_TEAM, check.expert_team), (SCOPE, check.scope)], columns=1)

    _section(w, SECTION_FINDINGS)
    findings = check.findings
    if findings:
        width = w.layout.frame_width
        number = text_width("FW-2026-0000", CELL) + 12
        w.ledger([Column(NUMBER, 30, "center"), Column(FINDING, (width - 30 - 52 - number) * 0.5),
                  Column(SEVERITY, 52, "center"), Column(TREATMENT, (width - 30 - 52 - number) * 0.5),
                  Column(SERVICE_ITEM, number, "center")],
                 [[n, f.description, w.label(_label_of(Severity, f.severity), stacked=True), f.treatment,
                   f.item_number] for n, f in enumerate(findings, 1)])
    else:
        w.paragraph(NO_FINDINGS)

    start = len(w.story)
    _section(w, SECTION_PLAN)
    if findings:
        counts = Counter(_member(Severity, f.severity) for f in findings)
        w.paragraph(PLAN_FIGURES, count=str(len(findings)), high=str(counts[Severity.HIGH]),
                    medium=str(counts[Severity.MEDIUM]), low=str(counts[Severity.LOW]),
                    raised=str(sum(1 for f in findings if f.item_number)))
        w.paragraph(PLAN)
    else:
        w.paragraph(NO_FINDINGS_PLAN)
    _signatures(w, [EXPERT_LEADER_SIGNS, ENTERPRISE_SIGNS])
    # The signatures close the plan: they go to the next page together rather than stand alone there.
    # Without the conditional page breaks of the section: KeepTogether takes its space before from its
    # first flowable, and with a CondPageBreak first the heading's space went unmeasured, so a block that
    # "just fitted" did not, and the signatures were cut from their date lines at the foot of the page.
    closing = [flowable for flowable in w.story[start:] if not isinstance(flowable, CondPageBreak)]
    del w.story[start:]
    w.add(KeepTogether(closing))


# --- shared pieces -----------------------------------------------------------------------------------


def _fitted(w: Writer, headers: Sequence[str], rows: Sequence[Sequence[object]],
            bounds: Sequence[tuple[float, float] | None]) -> list[Column]:
    """Ledger columns as wide as their longest line and their header's, within (low, high) points; the
    column whose bound is None takes the rest of the frame. A cell mixing Chinese and English wraps in
    CJK mode, which may cut an English word anywhere: so labels known in advance (headers, enterprise
    types, statuses) get lines wide enough not to wrap, where the bounds allow."""
    widths: list[float] = []
    for column, (header, bound) in enumerate(zip(headers, bounds)):
        if bound is None:
            widths.append(0)
            continue
        low, high = bound
        head = max(text_width(line, CELL_HEAD) + 10 for line in w.label(header, stacked=True).split("\n"))
        lines = [line for row in rows for line in w.value(row[column]).split("\n")]
        widths.append(max(min(max([text_width(line, CELL) + 10 for line in lines] + [low]), high), head))
    rest = bounds.index(None)
    widths[rest] = max(w.layout.frame_width - sum(widths), w.layout.frame_width * 0.16)
    return [Column(header, width, "center" if header == NUMBER else "left") for header, width in zip(headers, widths)]


def _section(w: Writer, msgid: str) -> None:
    # The engine keeps a few lines with a heading; a heading here is followed by a table whose first
    # row (bilingual, several lines a cell) needs more, so it moves on earlier rather than stand alone.
    w.add(CondPageBreak(55 * mm))
    w.heading(msgid)


def _enterprise_grid(w: Writer, enterprise: Enterprise) -> None:
    contact = "  ".join(part for part in (enterprise.contact_person, enterprise.contact_phone) if part)
    w.field_grid([
        (ENTERPRISE_NAME, _enterprise_name(w, enterprise)),
        (CREDIT_CODE, enterprise.credit_code),
        (TOWN, enterprise.town_name),
        (ADDRESS, enterprise.address),
        (INDUSTRY, enterprise.industry),
        (SCALE, w.label(_label_of(Scale, enterprise.scale)) if enterprise.scale else ""),
        (ENTERPRISE_TYPE, _types(w, enterprise.types, {"zh_CN": "、", "en": "; "}.get(w.language, "\n"),
                                 stacked=w.language == "bilingual")),
        (CONTACT, contact),
    ])


def _enterprise_name(w: Writer, enterprise: Enterprise) -> str:
    """The registered (Chinese) name, and in English and bilingual papers the English name under it."""
    if w.language != "zh_CN" and enterprise.name_en:
        return f"{enterprise.name_zh}\n{enterprise.name_en}"
    return enterprise.name_zh


def _types(w: Writer, types: Sequence[str], separator: str, *, stacked: bool = False) -> str:
    return separator.join(w.label(_label_of(EnterpriseType, kind), stacked=stacked) for kind in types)


def _member(kind: type[Enum], value: object) -> object:
    """The enum member for a stored value (or the member itself); an unknown value stays as it is."""
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        return value


def _label_of(kind: type[Enum], value: object) -> str:
    """The msgid of an enum value's label; a value no member has prints as stored (no catalog has it)."""
    member = _member(kind, value)
    return member.msgid if isinstance(member, kind) else str(value)  # type: ignore[attr-defined]


def _date_in(value: date, style: str = "") -> Callable[[str], str]:
    """A date as a field of a catalog message, written in each document language as Writer.value does
    (or in `style`)."""
    return lambda language: format_date(value, style or ("long" if language == "zh_CN" else "medium"), language)


def _as_of(w: Writer, issued: date) -> str:
    return " / ".join(w.texts(AS_OF, date=_date_in(issued, "long")))


_ITEM_HEADING = ParagraphStyle("twinning-item", parent=HEADING, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4)
_MOTTO = ParagraphStyle("twinning-motto", parent=SIGN, fontSize=11, leading=16, alignment=TA_CENTER,
                        textColor=colors.HexColor("#333333"))
_AS_OF = ParagraphStyle("twinning-as-of", parent=SIGN, fontSize=10.5, leading=15, alignment=TA_RIGHT)
_NOTE = ParagraphStyle("twinning-note", parent=SIGN, fontSize=11, leading=16)


def _motto(w: Writer, lines: Sequence[str], right: Sequence[str]) -> None:
    """The motto centred under the title, and the date on the right."""
    w.add(*(para(line, _MOTTO) for line in lines), *(para(line, _AS_OF) for line in right), Spacer(1, 6))


def _note(w: Writer, lines: Sequence[str]) -> None:
    w.add(*(para(line, _NOTE) for line in lines), Spacer(1, 4))


def _fill_line(w: Writer, fields: Sequence[tuple[str, Sequence[str]]]) -> None:
    """'填报单位：青溪县生态环境局      填报日期：2026年3月2日' above a form's table, the unit on the left."""
    cells = [para(w.labelled(msgid, " / ".join(values)), _NOTE) for msgid, values in fields]
    first = w.layout.frame_width * 0.62
    widths = [first, *[(w.layout.frame_width - first) / max(len(cells) - 1, 1)] * (len(cells) - 1)]
    w.add(_plain_table([cells], widths, [("VALIGN", (0, 0), (-1, -1), "BOTTOM")]), Spacer(1, 4))


def _sign_line(w: Writer, msgids: Sequence[str]) -> None:
    """'填表人：______  联系电话：______  审核人：______' under a form, to fill in by hand."""
    share = w.layout.frame_width / len(msgids)
    gap = 18  # between one line to write on and the next label
    row: list[object] = []
    widths: list[float] = []
    for msgid in msgids:
        label = w.labelled(msgid, "")
        label_width = min(text_width(label, _NOTE) + 4, share * 0.6)
        row += [para(label, _NOTE), "", ""]
        widths += [label_width, share - label_width - gap, gap]
    lines = [("LINEBELOW", (3 * column + 1, 0), (3 * column + 1, 0), 0.6, colors.black)
             for column in range(len(msgids))]
    w.add(Spacer(1, 16), _plain_table([row], widths, [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), *lines]))


def _signatures(w: Writer, msgids: Sequence[str]) -> None:
    """A column for each signer: who signs, room to sign above a line, and the date, in Chinese as
    「　　年　　月　　日」 to fill in, in English on a line of its own."""
    gap = 30
    width = (w.layout.frame_width - gap * (len(msgids) - 1)) / len(msgids)
    day = w.labelled(DATE, "" if w.language == "en" else _BLANK_DATE)
    rows: list[list[object]] = [[], [], []]
    widths: list[float] = []
    for column, msgid in enumerate(msgids):
        if column:
            for row in rows:
                row.append("")
            widths.append(gap)
        rows[0].append(para(w.label(msgid, stacked=True), _NOTE))
        rows[1].append("")
        rows[2].append(para(day, _NOTE))
        widths.append(width)
    lines = [("LINEBELOW", (column, row), (column, row), 0.6, colors.black)
             for column in range(0, len(widths), 2) for row in ((1, 2) if w.language == "en" else (1,))]
    heights = [None, 34, None]  # the middle row is the room to sign in
    w.add(Spacer(1, 24), _plain_table(rows, widths, [("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                                     ("TOPPADDING", (0, 2), (-1, 2), 10), *lines], heights))


# Where a date is written by hand on Chinese forms. No-break spaces, because a Paragraph collapses a run of
# ideographic spaces (U+3000) into one space as it does any whitespace.
_BLANK_DATE = "\xa0" * 10 + "年" + "\xa0" * 8 + "月" + "\xa0" * 8 + "日"


def _plain_table(data: list, widths: Sequence[float], commands: list[tuple],
                 heights: Sequence[float | None] | None = None) -> Table:
    # Empty cells take the table's font: left at ReportLab's default it would put a non-embedded
    # Helvetica into the PDF.
    style = [("FONT", (0, 0), (-1, -1), fonts.SERIF, CELL.fontSize, CELL.leading),
             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0), *commands]
    return Table(data, colWidths=list(widths), rowHeights=heights, style=TableStyle(style), hAlign="LEFT")


__all__ = ["FORM", "health_check_report_spec", "service_account_spec", "twinning_list_spec"]
