"""The complaints register's paper (环境信访, 信访工作条例 2022): the registration form (信访登记表), the notice
to the complainant that the matter was accepted, not accepted or transferred (受理 / 不予受理 / 转送告知书),
the written opinion (信访事项处理意见书), the ledger of a period or of the key cases (信访事项台账), and the
statistics of a period (信访统计报表).

Confidentiality (art. 30): the form and the ledger are internal and print the complainant as the values
hold them (the caller masks them or not); the notice and the opinion go to the complainant only, and say
nothing about the party complained about beyond what the complainant said.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, timezone
from enum import Enum
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, TableStyle

from envdesk.domain.complaints import POLLUTION_TYPES, Channel, HandlingKind, Status
from envdesk.domain.deadlines import URGENCY_LABELS, Unit, Urgency
from envdesk.domain.reference import Bureau
from envdesk.i18n import N_, gettext_for
from envdesk.reports.engine import (
    ADDRESSEE,
    BODY,
    BODY_EN,
    BODY_SECOND,
    CELL,
    CELL_HEAD,
    HEADING,
    LEDGER,
    OFFICIAL,
    QUOTE,
    DocumentSpec,
    Layout,
    Writer,
    amount,
    amount_in,
    catalog_in,
    cell,
    cell_lines,
    chinese_numeral,
    date_in,
    fill,
    fit_widths,
    grid_table,
    in_each,
    month_keys,
    para,
    plain_table,
    text_width,
    texts,
)

if TYPE_CHECKING:  # the plain values the app hands over; importing them for real would load the database layer
    from envdesk.app.complaints import Clock, Complaint, ComplaintSummary, Handling, Statistics
    from envdesk.domain.deadlines import Rule

# The registration form is filed, not sent: portrait A4 with a binding margin, the width going to its grids.
FORM = Layout("complaint-form", OFFICIAL.pagesize, top=20 * mm, bottom=22 * mm, left=25 * mm, right=15 * mm)

# --- labels shared by the documents ---------------------------------------------------------------

# These msgids are also the register's own field labels (app/complaints.py, the ui): one translation serves both.
CHANNEL = N_("Channel")
RECEIVED = N_("Received")
FIRST_RECEIVER = N_("First receiver")
COMPLAINANT = N_("Complainant")
SUBJECT = N_("Subject")
TOWN = N_("Town")
LOCATION = N_("Location")
POLLUTION_TYPES_LABEL = N_("Pollution types")
CONTENT = N_("Content")
CASE_LEADER = N_("Case leader")
LEAD_DEPARTMENT = N_("Lead department")
ANONYMOUS = N_("Anonymous")
STATUS = N_("Status")
OVERDUE = N_("Overdue")
NUMBER = N_("No.")
DATE = N_("Date")
ADDRESS = N_("Address")
CONTACT_PHONE = N_("Contact phone")
PREPARED_BY = N_("Prepared by")
REVIEWED_BY = N_("Reviewed by")
AS_OF = N_("As of {date}")
TIME_LIMIT = N_("Time limit")
BASIS = N_("Basis")
SAME_DAY = N_("Same day")

# Translators: the bureau's number of a complaint, 「信访编号」 (XF-2026-0001).
COMPLAINT_NUMBER = N_("Complaint number")
# Translators: one line under a legal text or a limit: 「依据：《信访工作条例》（2022年）第三十四条。」.
LEGAL_BASIS = N_("Legal basis: {basis}.")

# --- labels: the registration form ------------------------------------------------------------------

# Translators: 「信访登记表」.
FORM_TITLE = N_("Complaint Registration Form")
FORM_SUBJECT = N_("An environmental complaint as registered: receipt, complainant, matter, acceptance, time limits "
                  "and assignment")
# Translators: the date a form was printed, top right: 「打印日期」.
PRINTED_ON = N_("Printed on")
SECTION_RECEIPT = N_("I. Receipt")
SECTION_COMPLAINANT = N_("II. Complainant")
SECTION_MATTER = N_("III. The matter")
# Translators: 「四、重复、越级与重点信访」.
SECTION_FLAGS = N_("IV. Repeat, skip-level and key cases")
SECTION_ACCEPTANCE = N_("V. Acceptance and time limits")
SECTION_ASSIGNMENT = N_("VI. Assignment")
# Translators: the complainant's name: 「姓名」.
NAME = N_("Name")
# Translators: printed on the form instead of the complainant's name: 「匿名信访」.
ANONYMOUS_COMPLAINT = N_("Anonymous complaint")
MASKED_NOTE = N_("Parts of the complainant's identity are hidden, as the confidentiality rules require "
                 "(Regulations on Letters and Visits, art. 30).")
# Translators: 「重复信访」.
REPEAT = N_("Repeat complaint")
# Translators: the value of 「重复信访」 with the numbers of the earlier complaints: 「是（重复 {numbers}）」.
REPEATS = N_("Yes, repeats {numbers}")
# Translators: 「越级信访」.
SKIP_LEVEL = N_("Skip-level complaint")
# Translators: 「重点信访事项」, handled under "four ones" with a case leader (包案领导).
KEY_CASE = N_("Key case")
YES = N_("Yes")
NO = N_("No")
# Translators: 「受理意见」: accepted, not accepted, transferred, or not yet decided.
DECISION = N_("Acceptance decision")
# Translators: the acceptance decision before it is taken: 「待审查」.
PENDING = N_("Not decided yet")
DECIDED_ON = N_("Decided on")
# Translators: why a complaint was not accepted or transferred: 「理由」.
REASON = N_("Reason")
# Translators: the body a complaint was transferred to: 「转送单位」.
TRANSFERRED_TO = N_("Transferred to")
# Translators: a column of the form's time limits: acceptance, handling, review: 「办理环节」.
STAGE = N_("Stage")
# Translators: the day a time limit is counted from (that day itself not counted): 「起算日」.
COUNTED_FROM = N_("Counted from")
# Translators: the last day of a time limit: 「到期日」.
DUE_ON = N_("Due on")
# Translators: a column of the form's time limits: the day the step was done, or where the clock stands: 「完成情况」.
DONE = N_("Done")
# Translators: under a time limit that was extended: 「延长{amount}」.
EXTENDED_BY = N_("Extended by {amount}")
NO_CLOCKS = N_("No time limit is running yet.")
ASSIGNED_ON = N_("Assigned on")
# Translators: the member of staff in charge of handling a complaint: 「承办人」.
LEAD_PERSON = N_("Person in charge")
ASSISTING = N_("Assisting departments")
NOT_ASSIGNED = N_("Not assigned yet.")
# Translators: 「延期」: how long the handling limit was extended.
EXTENSION = N_("Extension")
EXTENSION_REASON = N_("Reason for extension")
# Translators: the leader who approved an extension, with the date under the name: 「批准人」.
APPROVED_BY = N_("Approved by")
# Translators: the clerk who registered the complaint signs here: 「登记人（签字）」.
REGISTRAR_SIGNS = N_("Registered by (signature)")

# --- labels: the notice to the complainant ----------------------------------------------------------

# Translators: 「信访事项受理告知书」.
ACCEPTANCE_TITLE = N_("Notice of Acceptance of a Complaint")
# Translators: 「信访事项不予受理告知书」.
NON_ACCEPTANCE_TITLE = N_("Notice of Non-acceptance of a Complaint")
# Translators: 「信访事项转送告知书」.
TRANSFER_TITLE = N_("Notice of Transfer of a Complaint")
NOTICE_SUBJECT = N_("The bureau's decision on accepting a complaint, for the complainant")
# Translators: the addressee line of a letter to a complainant: 「{name}：」.
SALUTATION = N_("Dear {name}:")
# Translators: the addressee line when the complainant is anonymous or their name may not be shown: 「信访人：」.
SALUTATION_ANONYMOUS = N_("Dear complainant:")
# Translators: the opening of a notice; {channel} is a channel's label (「12369环保举报热线」, 「来信」), {received} a
# date: 「您于{received}通过{channel}向本局反映的信访事项（编号：{number}）收悉。您反映的主要内容是：」.
NOTICE_OPENING = N_("On {received} you reported the following matter to this bureau (channel: {channel}; "
                    "complaint number {number}):")
# Translators: 「经审查，本局已于{decided}依法受理该信访事项。」.
ACCEPTED_TEXT = N_("Having examined it, this bureau accepted the matter on {decided}.")
# Translators: {limit} is an amount of days, 「60 个自然日」: 「本局将自受理之日起{limit}内办理完毕并出具书面处理意见，
# 即不迟于{due}。」.
HANDLING_LIMIT = N_("This bureau will handle it and give you a written opinion within {limit} of the day it was "
                    "accepted, that is by {due}.")
HANDLING_LIMIT_NO_DUE = N_("This bureau will handle it and give you a written opinion within {limit} of the day "
                           "it was accepted.")
HANDLING_NO_CLOCK = N_("This bureau will handle it and give you a written opinion within the time limit the law "
                       "sets.")
# Translators: 「经审查，本局于{decided}决定不予受理，理由如下：」.
NOT_ACCEPTED_TEXT = N_("Having examined it, this bureau decided on {decided} not to accept the matter, for the "
                       "following reason:")
NOT_ACCEPTED_NO_REASON = N_("Having examined it, this bureau decided on {decided} not to accept the matter.")
# Translators: 「经审查，该事项应由{body}处理，本局已于{decided}将其转送{body}。请您就该事项与{body}联系。」.
TRANSFERRED_TEXT = N_("Having examined it, this bureau found that the matter is for {body} to handle, and "
                      "transferred it there on {decided}. Please contact {body} about it from now on.")
# Translators: where a transferred complaint went, when the form does not name the body: 「有权处理的机关」.
BODY_RESPONSIBLE = N_("the body responsible")
# Translators: the last line of a notice: 「特此告知。」.
NOTIFY = N_("This is to notify you.")

# --- labels: the written opinion --------------------------------------------------------------------

# Translators: 「信访事项处理意见书」.
REPLY_TITLE = N_("Written Opinion on a Complaint")
REPLY_SUBJECT = N_("The bureau's written opinion on a complaint, with the complainant's right to a review")
# Translators: 「您于{received}通过{channel}向本局反映的信访事项（编号：{number}），本局已于{decided}受理。
# 您反映的主要内容是：」.
REPLY_OPENING = N_("On {received} you reported the following matter to this bureau (channel: {channel}; "
                   "complaint number {number}), and the bureau accepted it on {decided}:")
# Translators: 「现将处理意见答复如下：」.
REPLY_LEAD = N_("Our opinion on the matter is as follows.")
# Translators: a heading, numbered when printed: 「调查处理情况」.
SECTION_HANDLING = N_("Investigation and handling")
# Translators: a heading, numbered when printed: 「处理意见」.
SECTION_OPINION = N_("Opinion")
# Translators: art. 35; {limit} is an amount of days, 「30 个自然日」: 「如对本处理意见不服，可以自收到本意见书之日起
# {limit}内，向本局的上一级行政机关请求复查。」.
REVIEW_RIGHT = N_("If you disagree with this opinion, you may request a review by the administrative body at the "
                  "level above this bureau within {limit} of receiving it.")
# Translators: as the previous message, naming the reviewing body: 「……，向{body}请求复查。」.
REVIEW_RIGHT_BODY = N_("If you disagree with this opinion, you may request a review by {body} within {limit} of "
                       "receiving it.")
# Translators: the last line of a written opinion: 「特此答复。」.
REPLY_END = N_("This is our written reply.")

# --- labels: the ledger -------------------------------------------------------------------------------

# Translators: 「信访事项台账」.
LEDGER_TITLE = N_("Complaints Ledger")
# Translators: 「重点信访事项台账」; pass as title_msgid to ledger_spec.
KEY_CASES_TITLE = N_("Key Complaint Cases Ledger")
LEDGER_SUBJECT = N_("Complaints received in a period, with their status and time limits")
# Translators: 「收到日期：{start}至{end}」.
PERIOD = N_("Received from {start} to {end}")
# Translators: the last row of the ledger: 「合计：信访事项 {count} 件，其中办理中 {open} 件（逾期 {overdue} 件），已办结
# {closed} 件，不予受理或转送 {other} 件；重复信访 {repeat} 件，越级信访 {skip} 件，重点信访事项 {key} 件。」.
LEDGER_TOTAL = N_("Total: {count} complaints; open: {open}, of which overdue: {overdue}; closed: {closed}; not "
                  "accepted or transferred: {other}. Repeat: {repeat}; skip-level: {skip}; key cases: {key}.")
LEDGER_EMPTY = N_("No complaints were received in this period.")

# --- the registration form ------------------------------------------------------------------------------


def registration_form_spec(bureau: Bureau, complaint: Complaint, language: str, issued: date) -> DocumentSpec:
    """The registration form (信访登记表) of one complaint, for the file. It prints the complainant as
    `complaint` holds them: pass the value read with or without `reveal`, as the reader may see it."""
    title = texts(language, FORM_TITLE)[0]

    def write(w: Writer) -> None:
        _write_form(w, complaint, issued)

    return DocumentSpec(title=title, language=language, bureau=bureau, write=write,
                        subject=texts(language, FORM_SUBJECT)[0], layout=FORM,
                        file_name=f"{title} {complaint.number}.pdf")


def _write_form(w: Writer, c: Complaint, issued: date) -> None:
    w.title_block(FORM_TITLE)
    w.two_ends(w.labelled(COMPLAINT_NUMBER, c.number), w.labelled(PRINTED_ON, w.value(issued)))
    form = _Form(w)

    form.section(SECTION_RECEIPT, [
        [(COMPLAINT_NUMBER, c.number), (CHANNEL, _label(w, Channel, c.channel, stacked=True))],
        [(RECEIVED, _received(w, c)), (FIRST_RECEIVER, c.first_receiver)],
    ])

    person = c.complainant
    if person.anonymous:
        form.section(SECTION_COMPLAINANT, [[(NAME, w.label(ANONYMOUS_COMPLAINT, stacked=True))]])
    else:
        form.section(SECTION_COMPLAINANT, [[(NAME, person.name), (CONTACT_PHONE, person.phone)],
                                           [(ADDRESS, person.address)]],
                     notes=w.texts(MASKED_NOTE) if person.masked else ())

    form.section(SECTION_MATTER, [
        [(SUBJECT, _subject(c)), (TOWN, c.town)],
        [(LOCATION, c.location), (POLLUTION_TYPES_LABEL, _pollution(w, c.pollution_types, stacked=True))],
        [(CONTENT, c.content)],
    ])

    form.section(SECTION_FLAGS, [
        [(REPEAT, _repeat(w, c)), (SKIP_LEVEL, _yes_no(w, c.skip_level))],
        [(KEY_CASE, _yes_no(w, c.key_case)), (CASE_LEADER, c.case_leader)],
    ])

    decision = _decision(c.status)
    rows: list[list[tuple[str, object]]] = [
        [(DECISION, w.label(decision.msgid if decision else PENDING, stacked=True)), (DECIDED_ON, c.decided_on)]]
    if decision is Status.TRANSFERRED:
        rows.append([(TRANSFERRED_TO, c.transferred_to)])
    if c.decision_reason:
        rows.append([(REASON, c.decision_reason)])
    form.section(SECTION_ACCEPTANCE, rows, notes=() if c.clocks else w.texts(NO_CLOCKS))
    if c.clocks:
        form.clocks(c.clocks)
        w.keep(len(w.story) - 2)  # the decision and its clocks on one page

    rows = []
    if c.assigned_on or c.lead_department:
        rows += [[(ASSIGNED_ON, c.assigned_on), (LEAD_DEPARTMENT, c.lead_department)],
                 [(LEAD_PERSON, c.lead_person), (ASSISTING, _joined(w, c.assisting_departments))]]
    if c.extension_days:
        handling = _clock(c, "handling")
        unit = handling.deadline.rule.unit if handling else Unit.CALENDAR_DAYS
        approval = "\n".join(part for part in (c.extension_approved_by, w.value(c.extension_approved_on)) if part)
        rows += [[(EXTENSION, "\n".join(in_each(w.language, lambda one: amount(unit, c.extension_days, one)))),
                  (APPROVED_BY, approval)],
                 [(EXTENSION_REASON, c.extension_reason)]]
    form.section(SECTION_ASSIGNMENT, rows, notes=() if rows else w.texts(NOT_ASSIGNED))

    # The registrar signs under the form: the line goes with the last section rather than to a page of its own.
    start = len(w.story) - 1
    w.sign_line([REGISTRAR_SIGNS, DATE])
    w.keep(start)


class _Form:
    """The registration form as one ruled grid: a shaded title row for each section, then label | value |
    label | value rows (a long value spans the row); the sections are tables that meet edge to edge, so
    the page may turn between them."""

    def __init__(self, w: Writer) -> None:
        self.w = w
        width = w.layout.frame_width
        labels = [line for msgid in _FORM_LABELS for line in w.label(msgid, stacked=True).split("\n")]
        longest = max(text_width(line, CELL_HEAD) for line in labels) + 2 * _PAD + 1
        self.label_width = min(max(longest, width * 0.13), width * 0.19)
        value = (width - 2 * self.label_width) / 2
        self.widths = [self.label_width, value, self.label_width, value]

    def section(self, msgid: str, rows: Sequence[Sequence[tuple[str, object]]], notes: Sequence[str] = ()) -> None:
        w = self.w
        data: list[list[object]] = [[para(w.label(msgid), _SECTION_ROW), "", "", ""]]
        style: list[tuple] = [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), _SECTION_SHADE)]
        for row in rows:
            if len(row) == 1:
                (label, value), = row
                for index, piece in enumerate(_pieces(w.value(value))):
                    data.append([self._label(label if index == 0 else ""),
                                 cell_lines(piece, CELL, w.layout.frame_width - self.label_width), "", ""])
                    style += [("SPAN", (1, len(data) - 1), (-1, len(data) - 1)),
                              ("BACKGROUND", (0, len(data) - 1), (0, len(data) - 1), _SHADE)]
            else:
                cells: list[object] = []
                for column, (label, value) in enumerate(row):
                    cells += [self._label(label), cell_lines(w.value(value), CELL, self.widths[2 * column + 1])]
                    style.append(("BACKGROUND", (2 * column, len(data)), (2 * column, len(data)), _SHADE))
                data.append(cells)
        if notes:
            data.append([cell_lines("\n".join(notes), _FORM_NOTE, w.layout.frame_width), "", "", ""])
            style.append(("SPAN", (0, len(data) - 1), (-1, len(data) - 1)))
        w.add(CondPageBreak(30 * mm), grid_table(data, self.widths, style))

    def clocks(self, clocks: Sequence[Clock]) -> None:
        """The running and finished time limits, in a grid of their own under the acceptance decision."""
        w = self.w
        shares = [(STAGE, 0.2), (COUNTED_FROM, 0.16), (TIME_LIMIT, 0.32), (DUE_ON, 0.16), (DONE, 0.16)]
        widths = [share * w.layout.frame_width for _, share in shares]
        data: list[list[object]] = [[cell_lines(w.label(msgid, stacked=True), CELL_HEAD, width, "center")
                                     for (msgid, _), width in zip(shares, widths)]]
        for clock in clocks:
            values = [w.label(clock.label, stacked=True), w.value(clock.deadline.start), _rule_text(w, clock),
                      w.value(clock.due), _clock_state(w, clock)]
            data.append([cell_lines(value, CELL, width) for value, width in zip(values, widths)])
        w.add(grid_table(data, widths, [("BACKGROUND", (0, 0), (-1, 0), _SHADE)], repeat_header=True))

    def _label(self, msgid: str) -> object:
        return cell_lines(self.w.label(msgid, stacked=True), CELL_HEAD, self.label_width) if msgid else ""


_FORM_LABELS = (COMPLAINT_NUMBER, CHANNEL, RECEIVED, FIRST_RECEIVER, NAME, CONTACT_PHONE, ADDRESS, SUBJECT, TOWN,
                LOCATION, POLLUTION_TYPES_LABEL, CONTENT, REPEAT, SKIP_LEVEL, KEY_CASE, CASE_LEADER, DECISION,
                DECIDED_ON, TRANSFERRED_TO, REASON, ASSIGNED_ON, LEAD_DEPARTMENT, LEAD_PERSON, ASSISTING, EXTENSION,
                APPROVED_BY, EXTENSION_REASON)


def _pieces(value: str, size: int = 240) -> list[str]:
    """A long text in pieces of about `size` characters, cut after a line, a sentence or a word where it can
    be: each piece is a row of its own, so that a page may turn inside the text (a table row never splits)."""
    text = value.replace("\r\n", "\n").strip("\n")
    pieces: list[str] = []
    while len(text) > size:
        head = text[:size]
        cut = max(head.rfind("\n"), *(head.rfind(mark) for mark in "。！？；!?;"), head.rfind(" "))
        cut = cut + 1 if cut >= size // 2 else size
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip("\n ")
    return [*pieces, text]


def _rule_text(w: Writer, clock: Clock) -> str:
    """'60 个自然日' and its basis, in each document language; an extension on a line of its own."""
    deadline = clock.deadline
    rule = deadline.rule

    def one(language: str) -> str:
        lines = [amount(rule.unit, rule.limit, language)]
        if deadline.extension_days:
            lines.append(_fill(language, EXTENDED_BY, amount=amount(rule.unit, deadline.extension_days, language)))
        if rule.basis:
            lines.append(gettext_for(language, rule.basis))
        return "\n".join(lines)

    return "\n".join(in_each(w.language, one))


def _clock_state(w: Writer, clock: Clock) -> str:
    """The day the step was done, or where the clock stands (overdue, due soon…)."""
    state = w.label(URGENCY_LABELS.get(_member(Urgency, clock.urgency), str(clock.urgency)), stacked=True)
    if clock.done_on is None:
        return state
    return f"{w.value(clock.done_on)}\n{state}"


def _received(w: Writer, c: Complaint) -> str:
    """The day and, when known, the time of receipt, in the workstation's local time (stored as UTC)."""
    if c.received_at is None:
        return w.value(c.received_date)
    moment = c.received_at if c.received_at.tzinfo else c.received_at.replace(tzinfo=timezone.utc)
    local = moment.astimezone()
    return f"{w.value(local.date())} {local:%H:%M}"


def _repeat(w: Writer, c: Complaint) -> str:
    if not c.is_repeat:
        return _yes_no(w, False)
    if not c.repeats:
        return _yes_no(w, True)
    return "\n".join(w.texts(REPEATS, numbers=lambda one: ("; " if one == "en" else "、").join(c.repeats)))


def _yes_no(w: Writer, value: bool) -> str:
    return w.label(YES if value else NO)


# --- the notice to the complainant --------------------------------------------------------------------


def acceptance_notice_spec(bureau: Bureau, complaint: Complaint, language: str, issued: date,
                           number: str | None = None) -> DocumentSpec:
    """The notice to the complainant of the acceptance decision: 受理告知书 (with the handling limit and its
    legal basis from the complaint's handling clock), 不予受理告知书 (with the reason) or 转送告知书 (naming
    the body it went to). `number` is the notice's document number, if the bureau numbers them.

    It goes to the complainant only: it is addressed by name when `complaint` holds the name unmasked and
    the complainant is not anonymous, and it prints nothing of the party complained about beyond what the
    complainant said (the content). Raises ValueError for a complaint not decided yet."""
    decision = _decision(complaint.status)
    if decision is None:
        raise ValueError(f"complaint {complaint.number} has no acceptance decision yet")
    title_msgid = {Status.ACCEPTED: ACCEPTANCE_TITLE, Status.NOT_ACCEPTED: NON_ACCEPTANCE_TITLE,
                   Status.TRANSFERRED: TRANSFER_TITLE}[decision]
    title = texts(language, title_msgid)[0]

    def write(w: Writer) -> None:
        _write_notice(w, complaint, decision, title_msgid, issued, number)

    return DocumentSpec(title=title, language=language, bureau=bureau, write=write,
                        subject=texts(language, NOTICE_SUBJECT)[0], file_name=f"{title} {complaint.number}.pdf")


def _write_notice(w: Writer, c: Complaint, decision: Status, title_msgid: str, issued: date,
                  number: str | None) -> None:
    w.title_block(title_msgid, number)
    _salutation(w, c)
    w.paragraph(NOTICE_OPENING, received=date_in(c.received_date), channel=_label_in(Channel, c.channel),
                number=c.number)
    _quote(w, _summary(c.content))
    decided = date_in(c.decided_on) if c.decided_on else _blank
    if decision is Status.ACCEPTED:
        sentences: list[tuple[str, dict]] = [(ACCEPTED_TEXT, dict(decided=decided))]
        handling = _clock(c, "handling")
        if handling is None:
            sentences.append((HANDLING_NO_CLOCK, {}))
        else:
            rule = handling.deadline.rule
            limit = amount_in(rule.unit, rule.limit)
            if handling.deadline.extension_days:  # the due date is no longer the limit's: state the limit only
                sentences.append((HANDLING_LIMIT_NO_DUE, dict(limit=limit)))
            else:
                sentences.append((HANDLING_LIMIT, dict(limit=limit, due=date_in(handling.due))))
            if rule.basis:
                sentences.append((LEGAL_BASIS, dict(basis=catalog_in(rule.basis))))
        w.add(*w.sentences(sentences))
    elif decision is Status.NOT_ACCEPTED:
        if c.decision_reason.strip():
            w.paragraph(NOT_ACCEPTED_TEXT, decided=decided)
            _quote(w, c.decision_reason)
        else:
            w.paragraph(NOT_ACCEPTED_NO_REASON, decided=decided)
    else:
        body: Callable[[str], str] = (lambda one: c.transferred_to.strip()) if c.transferred_to.strip() else \
            catalog_in(BODY_RESPONSIBLE)
        w.paragraph(TRANSFERRED_TEXT, body=body, decided=decided)
        if c.decision_reason.strip():
            w.add(para(w.labelled(REASON, c.decision_reason), _body(w)))
    w.paragraph(NOTIFY)
    w.closing(issued, seal=True)


# --- the written opinion --------------------------------------------------------------------------------


def reply_letter_spec(bureau: Bureau, complaint: Complaint, language: str, issued: date, review_rule: Rule,
                      number: str | None = None, review_body: str = "") -> DocumentSpec:
    """The written opinion on a complaint (信访事项处理意见书), to the complainant: the matter, what was done
    (the handling records), the opinion (`complaint.reply_text`), and the right to request a review within
    `review_rule`'s limit (the settings' "complaints/review" rule, art. 35). `review_body` names the body
    that reviews (e.g. the city bureau); without it the letter says "the administrative body at the level
    above this bureau". Addressed like the notice. Raises ValueError when there is no reply text."""
    if not complaint.reply_text.strip():
        raise ValueError(f"complaint {complaint.number} has no written reply yet")
    title = texts(language, REPLY_TITLE)[0]

    def write(w: Writer) -> None:
        _write_reply(w, complaint, issued, review_rule, number, review_body)

    return DocumentSpec(title=title, language=language, bureau=bureau, write=write,
                        subject=texts(language, REPLY_SUBJECT)[0], file_name=f"{title} {complaint.number}.pdf")


def _write_reply(w: Writer, c: Complaint, issued: date, review_rule: Rule, number: str | None,
                 review_body: str) -> None:
    w.title_block(REPLY_TITLE, number)
    _salutation(w, c)
    fields: dict = dict(received=date_in(c.received_date), channel=_label_in(Channel, c.channel), number=c.number)
    if c.decided_on:
        w.paragraph(REPLY_OPENING, decided=date_in(c.decided_on), **fields)
    else:
        w.paragraph(NOTICE_OPENING, **fields)
    _quote(w, _summary(c.content))
    w.paragraph(REPLY_LEAD)
    sections = 0
    if c.handlings:
        sections += 1
        _numbered_heading(w, sections, SECTION_HANDLING)
        for index, handling in enumerate(c.handlings, 1):
            _handling_item(w, index, handling)
    sections += 1
    _numbered_heading(w, sections, SECTION_OPINION)
    for line in c.reply_text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            w.add(para(line.strip(), _body(w)))
    limit = amount_in(review_rule.unit, review_rule.limit)
    sentences: list[tuple[str, dict]] = [(REVIEW_RIGHT_BODY, dict(body=review_body.strip(), limit=limit))
                                         if review_body.strip() else (REVIEW_RIGHT, dict(limit=limit))]
    if review_rule.basis:
        sentences.append((LEGAL_BASIS, dict(basis=catalog_in(review_rule.basis))))
    # The right to a review and the last line are one block, which the closing keeps with the seal and date.
    w.add(*w.sentences(sentences), *w.sentences([(REPLY_END, {})]))
    w.closing(issued, seal=True)


def _handling_item(w: Writer, index: int, handling: Handling) -> None:
    """'（一）2026年3月5日，现场检查：……' — what was done, as the handling record says (no staff names)."""
    kind = w.label(_msgid(HandlingKind, handling.kind))
    if w.language == "en":
        line = f"({index}) {w.value(handling.handled_on)}, {kind}: {handling.text.strip()}"
    else:
        line = f"（{chinese_numeral(index)}）{w.value(handling.handled_on)}，{kind}：{handling.text.strip()}"
    w.add(para(line, _body(w)))


# --- the ledger -------------------------------------------------------------------------------------------


def ledger_spec(bureau: Bureau, complaints: Sequence[ComplaintSummary], start: date, end: date, language: str,
                issued: date, title_msgid: str | None = None) -> DocumentSpec:
    """The ledger (信访事项台账) of the complaints received from `start` to `end`, in the order given, with
    totals; landscape. The complainant prints as given: pass masked summaries unless the reader may see
    identities. A complaint is marked overdue when its running clock's due date is before `issued`.
    `title_msgid` replaces the title, e.g. KEY_CASES_TITLE for the key-case ledger."""
    title_msgid = title_msgid or LEDGER_TITLE
    title = texts(language, title_msgid)[0]

    def write(w: Writer) -> None:
        _write_ledger(w, title_msgid, complaints, start, end, issued)

    return DocumentSpec(title=title, language=language, bureau=bureau, write=write,
                        subject=texts(language, LEDGER_SUBJECT)[0], layout=LEDGER,
                        file_name=f"{title} {start.isoformat()}–{end.isoformat()}.pdf")


def _write_ledger(w: Writer, title_msgid: str, complaints: Sequence[ComplaintSummary], start: date, end: date,
                  issued: date) -> None:
    w.title_block(title_msgid)
    period = " / ".join(w.texts(PERIOD, start=date_in(start), end=date_in(end)))
    w.two_ends(period, " / ".join(w.texts(AS_OF, date=date_in(issued))))
    rows = [_ledger_row(w, n, s, issued) for n, s in enumerate(complaints, 1)]
    statuses = [_member(Status, s.status) for s in complaints]
    total = "\n".join(w.texts(
        LEDGER_TOTAL, count=str(len(complaints)), open=str(sum(1 for status in statuses if _is_open(status))),
        overdue=str(sum(1 for s in complaints if _overdue(s, issued))),
        closed=str(sum(1 for status in statuses if status is Status.CLOSED)),
        other=str(sum(1 for status in statuses if status in (Status.NOT_ACCEPTED, Status.TRANSFERRED))),
        repeat=str(sum(1 for s in complaints if s.is_repeat)), skip=str(sum(1 for s in complaints if s.skip_level)),
        key=str(sum(1 for s in complaints if s.key_case))))
    notes = [total] if rows else ["\n".join(w.texts(LEDGER_EMPTY)), total]
    columns = _ledger_columns(w, rows)
    widths = [width for _, width, _ in columns]
    data: list[list[object]] = [[cell_lines(w.label(msgid, stacked=True), _LEDGER_HEAD, width, "center")
                                 for msgid, width, _ in columns]]
    for row in rows:
        data.append([cell_lines(value, _LEDGER_CELL, width, align) for value, (_, width, align) in zip(row, columns)])
    style: list[tuple] = [("BACKGROUND", (0, 0), (-1, 0), _SHADE)]
    # The totals are the table's last rows, across its width: they never stand on a page of their own.
    for note in notes:
        data.append([para(note, _LEDGER_CELL), *[""] * (len(columns) - 1)])
        style.append(("SPAN", (0, len(data) - 1), (-1, len(data) - 1)))
    w.add(grid_table(data, widths, style, repeat_header=True), Spacer(1, 8))
    w.sign_line([PREPARED_BY, REVIEWED_BY, DATE])


def _ledger_row(w: Writer, number: int, s: ComplaintSummary, issued: date) -> list[str]:
    person = s.complainant
    who = w.label(ANONYMOUS, stacked=True) if person.anonymous else \
        "\n".join(part for part in (person.name, person.phone) if part)
    # A channel's label without its explanation in brackets (「12369环保举报热线」): the column is narrow.
    channel = "\n".join(in_each(w.language, lambda one: _BRACKETED.sub("", gettext_for(one, _msgid(Channel, s.channel)))))
    return [str(number), s.number, w.short_date(s.received_date), channel, who, _clip(s.subject, 80), s.town,
            _pollution(w, s.pollution_types, stacked=True), _label(w, Status, s.status, stacked=True),
            s.lead_department, w.short_date(s.due) if s.due else "",
            w.label(OVERDUE, stacked=True) if _overdue(s, issued) else ""]


_BRACKETED = re.compile(r"\s*[（(][^（）()]*[)）]\s*$")


def _ledger_columns(w: Writer, rows: Sequence[Sequence[str]]) -> list[tuple[str, float, str]]:
    """Each column as wide as its longest line (and its header's longest word), within bounds; the subject
    takes what is left, and when that is too little the columns that can wrap give up room first."""
    day = w.date_width(_LEDGER_CELL)
    # header, low, high, may wrap
    spec = [(NUMBER, 22, 30, False), (COMPLAINT_NUMBER, 50, 80, False), (RECEIVED, day, day, False),
            (CHANNEL, 48, 96, False), (COMPLAINANT, 46, 72, True), (SUBJECT, 0, 0, True), (TOWN, 34, 60, True),
            (POLLUTION_TYPES_LABEL, 48, 100, True), (STATUS, 40, 64, False), (LEAD_DEPARTMENT, 46, 80, True),
            (DUE_ON, day, day, False), (OVERDUE, 30, 48, False)]
    subject = next(n for n, item in enumerate(spec) if item[0] == SUBJECT)
    widths = fit_widths(w.layout.frame_width, [(w.label(header, stacked=True), *bounds) for header, *bounds in spec],
                        rows, subject, _LEDGER_CELL, _LEDGER_HEAD)
    return [(header, width, "center" if header in (NUMBER, OVERDUE) else "left")
            for (header, *_), width in zip(spec, widths)]


def _overdue(s: ComplaintSummary, issued: date) -> bool:
    return s.due is not None and _is_open(_member(Status, s.status)) and s.due < issued


def _is_open(status: object) -> bool:
    return status.is_open if isinstance(status, Status) else False


# --- shared pieces ----------------------------------------------------------------------------------------

_SHADE = colors.HexColor("#ececec")
_SECTION_SHADE = colors.HexColor("#d4d4d4")
_PAD = 4


def _numbered_heading(w: Writer, index: int, msgid: str) -> None:
    """'一、处理意见' / '2. Opinion': the letter numbers its sections by what it has to say."""
    def one(language: str) -> str:
        label = gettext_for(language, msgid)
        return f"{index}. {label}" if language == "en" else f"{chinese_numeral(index)}、{label}"

    # GB/T 9704: a first-level heading in the body is in the body's size, in a bold face, set in like a paragraph.
    lines = in_each(w.language, one)
    style = _LETTER_HEADING_EN if w.language == "en" else _LETTER_HEADING
    w.add(CondPageBreak(30 * mm), *(para(line, style if i == 0 else _LETTER_HEADING_SECOND)
                                    for i, line in enumerate(lines)))


def _salutation(w: Writer, c: Complaint) -> None:
    """The addressee: the complainant by name, unless anonymous or the name is masked for this reader."""
    person = c.complainant
    if person.anonymous or person.masked or not person.name.strip():
        lines = w.texts(SALUTATION_ANONYMOUS)
    else:
        lines = w.texts(SALUTATION, name=person.name.strip())
    w.add(*(para(line, ADDRESSEE) for line in lines))


def _quote(w: Writer, value: str) -> None:
    """What the complainant (or the bureau) wrote, as typed, set in from the margin."""
    w.add(*(para(line.strip(), QUOTE) for line in value.replace("\r\n", "\n").split("\n") if line.strip()))


def _summary(content: str, limit: int = 300) -> str:
    """The content, cut after a sentence near `limit` characters if it is longer."""
    content = content.strip()
    if len(content) <= limit:
        return content
    head = content[:limit]
    end = max(head.rfind(mark) for mark in "。！？!?；;")
    if end >= limit * 0.6:
        return head[:end + 1] + "……"
    return head.rstrip() + "……"


def _clip(value: str, limit: int) -> str:
    value = value.strip()
    return value if len(value) <= limit else value[:limit - 1] + "…"


def _subject(c: Complaint) -> str:
    return c.enterprise_name or c.free_subject or c.subject


def _pollution(w: Writer, keys: Sequence[str], *, stacked: bool) -> str:
    """The pollution types in each document language: '噪声、油烟' / 'Noise; Cooking fumes'."""
    def one(language: str) -> str:
        separator = "; " if language == "en" else "、"
        return separator.join(gettext_for(language, _POLLUTION_MSGIDS.get(key, key)) for key in keys)

    return ("\n" if stacked else " ").join(in_each(w.language, one)) if keys else ""


_POLLUTION_MSGIDS = {key: label for key, (label, kinds) in POLLUTION_TYPES.items()} | \
    {kind: label for _category, (_label, kinds) in POLLUTION_TYPES.items() for kind, label in kinds}


def _joined(w: Writer, values: Sequence[str]) -> str:
    return ("; " if w.language == "en" else "、").join(value for value in values if value)


def _clock(c: Complaint, key: str) -> Clock | None:
    return next((clock for clock in c.clocks if clock.key == key), None)


def _decision(status: object) -> Status | None:
    """What was decided on acceptance, from where the complaint stands: None while it is only registered."""
    member = _member(Status, status)
    if member is Status.REGISTERED or not isinstance(member, Status):
        return None
    if member in (Status.NOT_ACCEPTED, Status.TRANSFERRED):
        return member
    return Status.ACCEPTED


def _member(kind: type[Enum], value: object) -> object:
    """The enum member for a stored value (or the member itself); an unknown value stays as it is."""
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except ValueError:
        return value


def _msgid(kind: type[Enum], value: object) -> str:
    member = _member(kind, value)
    return member.msgid if isinstance(member, kind) else str(value)  # type: ignore[attr-defined]


def _label(w: Writer, kind: type[Enum], value: object, *, stacked: bool = False) -> str:
    return w.label(_msgid(kind, value), stacked=stacked)


def _label_in(kind: type[Enum], value: object) -> Callable[[str], str]:
    """An enum value's label as a field of a catalog message, in each document language."""
    return lambda language: gettext_for(language, _msgid(kind, value))


def _blank(language: str) -> str:
    return "____"


def _fill(language: str, msgid: str, **fields: str) -> str:
    return fill(gettext_for(language, msgid), msgid, fields)


def _body(w: Writer) -> ParagraphStyle:
    return BODY_EN if w.language == "en" else BODY


_LETTER_HEADING = ParagraphStyle("complaint-letter-heading", parent=BODY, fontName=HEADING.fontName, spaceBefore=4)
_LETTER_HEADING_EN = ParagraphStyle("complaint-letter-heading-en", parent=BODY_EN, fontName=HEADING.fontName,
                                    spaceBefore=4)
_LETTER_HEADING_SECOND = ParagraphStyle("complaint-letter-heading-second", parent=BODY_SECOND,
                                        fontName=HEADING.fontName)
_SECTION_ROW = ParagraphStyle("complaint-section", parent=CELL_HEAD, fontSize=11, leading=15, alignment=TA_LEFT)
_FORM_NOTE = ParagraphStyle("complaint-form-note", parent=CELL, fontSize=9.5, leading=13,
                            textColor=colors.HexColor("#333333"))
_LEDGER_CELL = ParagraphStyle("complaint-ledger-cell", parent=CELL, fontSize=9, leading=11.5)
_LEDGER_HEAD = ParagraphStyle("complaint-ledger-head", parent=CELL_HEAD, fontSize=9, leading=11.5)

# --- the statistics of a period ---------------------------------------------------------------------------

# Translators: 「信访统计报表」.
STATISTICS_TITLE = N_("Complaint Statistics Report")
STATISTICS_SUBJECT = N_("Complaints received in a period: on-time and satisfaction rates, and counts by pollution "
                        "type, channel, town and month")
# Translators: a heading of the statistics report, numbered when printed: 「总体情况」.
SECTION_OVERALL = N_("Overall figures")
# Translators: a heading of the statistics report, numbered when printed: 「按污染类型统计」.
SECTION_BY_TYPE = N_("Complaints by pollution type")
# Translators: a heading of the statistics report, numbered when printed: 「按来源渠道统计」.
SECTION_BY_CHANNEL = N_("Complaints by channel")
# Translators: a heading of the statistics report, numbered when printed: 「按乡镇统计」.
SECTION_BY_TOWN = N_("Complaints by town")
# Translators: a heading of the statistics report, numbered when printed: 「按月份统计」.
SECTION_BY_MONTH = N_("Complaints by month")
# Translators: the number of complaints received in the period: 「收到信访事项」.
COMPLAINTS_RECEIVED = N_("Complaints received")
# Translators: the share of acceptance decisions taken within the limit: 「按期受理率」.
ON_TIME_ACCEPTANCE = N_("On-time acceptance rate")
# Translators: the share of written replies given within the limit: 「按期答复率」.
ON_TIME_REPLY = N_("On-time reply rate")
# Translators: satisfied and basically satisfied, of the complainants followed up: 「满意率」.
SATISFACTION_RATE = N_("Satisfaction rate")
# These three are also the statistics window's own labels (ui/complaints/statistics.py): one translation serves both.
REPEAT_COMPLAINTS = N_("Repeat complaints")
KEY_CASES = N_("Key cases")
SKIP_LEVEL_COMPLAINTS = N_("Skip-level complaints")
POLLUTION_TYPE = N_("Pollution type")
MONTH = N_("Month")
COUNT = N_("Count")
TOTAL = N_("Total")
# Translators: a complaint without a town, in the statistics by town: 「（无）」.
NO_TOWN = N_("(none)")
# Translators: a column of the statistics report, a count's share of the complaints received: 「占比」.
SHARE = N_("Share")
# Translators: under the on-time acceptance rate: 「按期 {on_time} 件／已决定 {decided} 件」.
ACCEPTED_DETAIL = N_("{on_time} of {decided} decided on time")
# Translators: under the on-time reply rate: 「按期 {on_time} 件／已答复 {replied} 件」.
REPLIED_DETAIL = N_("{on_time} of {replied} replied on time")
# Translators: under the satisfaction rate; satisfied counts "basically satisfied" too:
# 「满意 {satisfied} 件／回访 {followed} 件」.
SATISFIED_DETAIL = N_("{satisfied} of {followed} followed up satisfied")
# Translators: {target} is a percentage, 「85.0%」: 「目标 {target}，达到目标」.
TARGET_MET = N_("Target {target}: meets the target")
# Translators: 「目标 {target}，未达到目标」.
TARGET_MISSED = N_("Target {target}: below the target")
# Translators: the satisfaction target when nobody was followed up yet: 「目标 {target}」.
TARGET_ONLY = N_("Target {target}")
# Translators: under the number of repeat, key or skip-level complaints; {share} is a percentage: 「占总数 {share}」.
SHARE_OF_ALL = N_("{share} of all")
POLLUTION_NOTE = N_("A complaint may concern more than one pollution type, or none: each share is of all the "
                    "complaints received, so the shares need not add up to 100%.")

_NO_RATE = "—"
_SHORT_TABLE = 15  # rows


def statistics_spec(bureau: Bureau, stats: Statistics, language: str, issued: date) -> DocumentSpec:
    """The statistics of the complaints received from `stats.start` to `stats.end` (信访统计报表): the
    headline figures (complaints received; the on-time acceptance and reply rates; the satisfaction rate
    against its target; repeat, key and skip-level complaints), then the counts and shares by pollution
    type, channel, town and month, with lines for who prepared and reviewed it. The rates are as they
    stood on `issued`; a rate with nothing to count prints as a dash."""
    title = texts(language, STATISTICS_TITLE)[0]

    def write(w: Writer) -> None:
        _write_statistics(w, stats, issued)

    return DocumentSpec(title=title, language=language, bureau=bureau, write=write,
                        subject=texts(language, STATISTICS_SUBJECT)[0],
                        file_name=f"{title} {stats.start.isoformat()}–{stats.end.isoformat()}.pdf")


def _write_statistics(w: Writer, s: Statistics, issued: date) -> None:
    w.title_block(STATISTICS_TITLE)
    # Portrait: in a bilingual report each language has a line of its own.
    period = "\n".join(w.texts(PERIOD, start=date_in(s.start), end=date_in(s.end)))
    w.two_ends(period, "\n".join(w.texts(AS_OF, date=date_in(issued))))
    w.numbered_heading(1, SECTION_OVERALL)
    _headline(w, s)
    if not s.total:
        w.paragraph(LEDGER_EMPTY)
    else:
        category_labels = {key: label for key, (label, _kinds) in POLLUTION_TYPES.items()}
        by_type = [(w.label(category_labels.get(key, key), stacked=True), count)
                   for key, count in _by_count(s.by_category, list(category_labels))]
        channels = {channel.value: channel.msgid for channel in Channel}
        by_channel = [(w.label(channels.get(key, key), stacked=True), count)
                      for key, count in _by_count(s.by_channel, list(channels))]
        towns = sorted(name for name in s.by_town if name) + [""]  # complaints without a town last
        by_town = [(name or w.label(NO_TOWN), count) for name, count in _by_count(s.by_town, towns)]
        sections = [(SECTION_BY_TYPE, POLLUTION_TYPE, by_type, False),
                    (SECTION_BY_CHANNEL, CHANNEL, by_channel, True),
                    (SECTION_BY_TOWN, TOWN, by_town, True),
                    (SECTION_BY_MONTH, MONTH, _months(w, s), True)]
        for index, (heading, header, rows, totals) in enumerate(sections, 2):
            start = len(w.story)
            w.numbered_heading(index, heading)
            _count_table(w, s, header, rows, totals)
            if not totals:
                w.add(*(para(line, _FORM_NOTE) for line in w.texts(POLLUTION_NOTE)))
            if len(rows) <= _SHORT_TABLE:  # a short table goes to the next page whole, with its heading
                w.keep(start)
    # The report is dated (as of): the two sign, without a date blank, which a portrait line has no room for.
    w.sign_line([PREPARED_BY, REVIEWED_BY])


def _headline(w: Writer, s: Statistics) -> None:
    """The headline figures as tiles in a ruled grid: the total and the three rates across the first row,
    the repeat, key and skip-level counts across the second; each tile a shaded label, its figure in
    large type, and what the figure is made of."""
    def rate(part: int, whole: int) -> str:
        value = s.rate(part, whole)
        return _NO_RATE if value is None else w.percent(value)

    satisfaction = s.rate(s.satisfied, s.followed_up)
    target = w.percent(s.satisfaction_target)
    verdict = TARGET_ONLY if satisfaction is None else \
        TARGET_MET if satisfaction >= s.satisfaction_target else TARGET_MISSED
    first = [
        (COMPLAINTS_RECEIVED, w.value(s.total), []),
        (ON_TIME_ACCEPTANCE, rate(s.accepted_on_time, s.decided),
         w.texts(ACCEPTED_DETAIL, on_time=w.value(s.accepted_on_time), decided=w.value(s.decided))),
        (ON_TIME_REPLY, rate(s.replied_on_time, s.replied),
         w.texts(REPLIED_DETAIL, on_time=w.value(s.replied_on_time), replied=w.value(s.replied))),
        (SATISFACTION_RATE, rate(s.satisfied, s.followed_up),
         w.texts(SATISFIED_DETAIL, satisfied=w.value(s.satisfied), followed=w.value(s.followed_up))
         + w.texts(verdict, target=target)),
    ]
    second = [(msgid, w.value(count), w.texts(SHARE_OF_ALL, share=rate(count, s.total)) if s.total else [])
              for msgid, count in ((REPEAT_COMPLAINTS, s.repeats), (KEY_CASES, s.key_cases),
                                   (SKIP_LEVEL_COMPLAINTS, s.skip_level))]
    columns = 12  # the first row's four tiles span three columns each, the second row's three span four
    width = w.layout.frame_width / columns
    data: list[list[object]] = []
    style: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 4),
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    for tiles in (first, second):
        top = len(data)
        span = columns // len(tiles)
        data += [[""] * columns for _ in range(3)]
        for n, (msgid, figure, details) in enumerate(tiles):
            left, right = n * span, (n + 1) * span - 1
            tile = span * width - 2 * _PAD
            data[top][left] = cell_lines(w.label(msgid, stacked=True), _TILE_LABEL, tile, "center")
            data[top + 1][left] = para(figure, _TILE_FIGURE)
            style += [("SPAN", (left, top), (right, top)), ("BACKGROUND", (left, top), (right, top), _SHADE),
                      ("LINEBELOW", (left, top), (right, top), 0.5, colors.black),
                      ("BOX", (left, top), (right, top + 2), 0.5, colors.black)]
            if details:
                data[top + 2][left] = [para(line, _TILE_DETAIL) for line in details]
                style += [("SPAN", (left, top + 1), (right, top + 1)), ("SPAN", (left, top + 2), (right, top + 2)),
                          ("VALIGN", (left, top + 2), (right, top + 2), "TOP")]
            else:  # the figure alone, in the middle of its tile
                style.append(("SPAN", (left, top + 1), (right, top + 2)))
    table = plain_table(data, [width] * columns, style)
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), _PAD), ("RIGHTPADDING", (0, 0), (-1, -1), _PAD)]))
    w.add(KeepTogether([table]), Spacer(1, 6))


def _count_table(w: Writer, s: Statistics, header: str, rows: Sequence[tuple[str, int]], totals: bool) -> None:
    """Item | count | share of the complaints received, with a total row when the counts add up to it."""
    frame = w.layout.frame_width
    widths = [frame * 0.6, frame * 0.2, frame * 0.2]
    heads = [(header, "left"), (COUNT, "right"), (SHARE, "right")]
    data: list[list[object]] = [[cell_lines(w.label(msgid, stacked=True), CELL_HEAD, width, align)
                                 for (msgid, align), width in zip(heads, widths)]]
    body = [(label, count) for label, count in rows]
    if totals:
        body.append((w.label(TOTAL), sum(count for _label, count in rows)))
    for label, count in body:
        share = s.rate(count, s.total)
        data.append([cell_lines(label, CELL, widths[0]), cell(w.value(count), CELL, widths[1], "right"),
                     cell(_NO_RATE if share is None else w.percent(share), CELL, widths[2], "right")])
    style: list[tuple] = [("BACKGROUND", (0, 0), (-1, 0), _SHADE)]
    if totals:
        style += [("BACKGROUND", (0, -1), (-1, -1), _TOTAL_SHADE), ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black)]
    w.add(grid_table(data, widths, style, repeat_header=True), Spacer(1, 4))


def _by_count(counts: dict[str, int], order: Sequence[str]) -> list[tuple[str, int]]:
    """The counts, largest first; equal counts in `order` (the domain's own), unknown keys last."""
    rank = {key: n for n, key in enumerate(order)}
    return sorted(counts.items(), key=lambda item: (-item[1], rank.get(item[0], len(rank)), str(item[0])))


def _months(w: Writer, s: Statistics) -> list[tuple[str, int]]:
    """Every month of the period in order, those without complaints too: '2026年1月', 'January 2026'."""
    return [(w.month_label(key), s.by_month.get(key, 0)) for key in month_keys(s.start, s.end, s.by_month)]


_TOTAL_SHADE = colors.HexColor("#f4f4f4")
_TILE_LABEL = ParagraphStyle("complaint-tile-label", parent=CELL_HEAD, fontSize=10, leading=13, alignment=TA_CENTER)
_TILE_FIGURE = ParagraphStyle("complaint-tile-figure", parent=CELL_HEAD, fontSize=20, leading=26, alignment=TA_CENTER)
_TILE_DETAIL = ParagraphStyle("complaint-tile-detail", parent=CELL, fontSize=8.5, leading=11, alignment=TA_CENTER,
                              textColor=colors.HexColor("#333333"))


__all__ = [
    "FORM", "KEY_CASES_TITLE", "LEDGER_TITLE", "acceptance_notice_spec", "ledger_spec", "registration_form_spec",
    "reply_letter_spec", "statistics_spec",
]
