"""The approvals register's paper (环评审批): the notice of acceptance (受理通知书), the one-time notification of
missing materials (补正材料一次性告知书), the notice that the time limit is suspended (暂停计时告知书), the ledger
of a period or of the key projects (环评审批台账), and the leader's summary of a period (环评审批工作情况汇总).

The three notices go to the builder (建设单位). Their time limits and legal bases are the case's clocks, as the
settings hold them: a default basis is a catalog message and prints in the document's language, a basis an
administrator typed prints as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Spacer

from envdesk.domain.approvals import OPEN, ClockKind, DocumentType, Status, Track
from envdesk.domain.reference import Bureau
from envdesk.i18n import N_, _, gettext_for
from envdesk.reports.engine import (
    ADDRESSEE,
    BODY,
    BODY_EN,
    CELL,
    CELL_HEAD,
    ITEM,
    LEDGER,
    DocumentSpec,
    TableAndFooter,
    Writer,
    amount_in,
    catalog_in,
    cell_lines,
    date_in,
    fit_widths,
    grid_table,
    in_each,
    month_keys,
    para,
    text_width,
    texts,
)

if TYPE_CHECKING:  # the plain values the app hands over; importing them for real would load the database layer
    from envdesk.app.approvals import (
        Case,
        CaseSummary,
        Group,
        PauseRecord,
        Summary,
        Timing,
    )
    from envdesk.domain.approvals import Clock

# --- labels shared by the documents ---------------------------------------------------------------

# These msgids are also the register's own field labels (app/approvals.py, the ui): one translation serves both.
PROJECT = N_("Project")
BUILDER = N_("Builder")
DOCUMENT_TYPE = N_("Document type")
TRACK = N_("Approval track")
APPROVAL_NO = N_("Approval No.")
STATUS = N_("Status")
REASON = N_("Reason")
# These are the complaint documents' own: one translation serves both registers.
NUMBER = N_("No.")
DATE = N_("Date")
OVERDUE = N_("Overdue")
PREPARED_BY = N_("Prepared by")
REVIEWED_BY = N_("Reviewed by")
AS_OF = N_("As of {date}")
TOTAL = N_("Total")
MONTH = N_("Month")
COUNT = N_("Count")
SHARE = N_("Share")
SECTION_OVERALL = N_("Overall figures")
# Translators: one line under a legal text or a limit: 「依据：《中华人民共和国行政许可法》第三十二条。」.
LEGAL_BASIS = N_("Legal basis: {basis}.")
# Translators: the last line of a notice: 「特此告知。」.
NOTIFY = N_("This is to notify you.")

# Translators: the bureau's number of an approval case, 「受理编号」 (SP-2026-0001).
CASE_NUMBER = N_("Case number")
# Translators: the addressee line of a notice to the builder (建设单位): 「{builder}：」.
SALUTATION = N_("To {builder}:")
# Translators: the note under the date of a notice: 「（联系人：{person}，联系电话：{phone}）」.
CONTACT_NOTE = N_("(Contact person: {person}; phone: {phone})")
# Translators: the law that stops the clock for expert review and the like, cited in the notices:
# 「《中华人民共和国行政许可法》第四十五条」.
ART_45 = N_("Administrative Licensing Law, art. 45")

# --- labels: the notice of acceptance -----------------------------------------------------------------

# Translators: 「建设项目环境影响评价文件受理通知书」.
ACCEPTANCE_TITLE = N_("Notice of Acceptance of an EIA Document")
ACCEPTANCE_SUBJECT = N_("The bureau's acceptance of an application for EIA approval, with the time limits for "
                        "the decision")
# Translators: the opening of the approvals notices; {document_type} is the label of "EIA report book" or "EIA
# report form" (「环境影响报告书」, 「环境影响报告表」): 「你单位于{received}报送的《{project}》{document_type}（受理编号：
# {number}）收悉。」.
RECEIVED_TEXT = N_("On {received} this bureau received your {document_type} for the project “{project}” (case "
                   "number {number}).")
# Translators: 「经审查，申请材料齐全、符合法定形式，本局已于{accepted}予以受理。」.
ACCEPTED_TEXT = N_("Having examined it, this bureau found the application complete and in the required form, "
                   "and accepted it on {accepted}.")
# Translators: 「你单位已按本局{notified}的一次性告知补正全部材料，本局已于{accepted}予以受理。」.
ACCEPTED_AFTER_MATERIALS = N_("You supplied the missing materials listed in this bureau's one-time notification "
                              "of {notified}, and this bureau accepted the application on {accepted}.")
# Translators: art. 32; {limit} is an amount of days, 「5 个自然日」: 「本局未在收到申请材料之日起{limit}内一次性告知需要补正
# 的全部内容，依法自收到申请材料之日（{received}）起即为受理。」.
DEEMED_ACCEPTED = N_("As this bureau did not list the missing materials within {limit} of receipt, the "
                     "application counts by law as accepted on the day it was received, {received}.")
# Translators: {statutory} and {promised} are amounts of days, 「30 个工作日」: 「本局将自受理之日起{statutory}内（即
# {statutory_due}前）作出审批决定；本局承诺{promised}内（即{promised_due}前）办结。」.
LIMITS = N_("This bureau will decide on the application within {statutory} of acceptance, that is by "
            "{statutory_due} (statutory limit), and has promised to decide within {promised}, that is by "
            "{promised_due}.")
# Translators: as the previous message, without the dates (a pause has moved them): 「本局将自受理之日起{statutory}
# 内作出审批决定；本局承诺{promised}内办结。」.
LIMITS_NO_DUE = N_("This bureau will decide on the application within {statutory} of acceptance (statutory "
                   "limit), and has promised to decide within {promised}.")
# Translators: 「法定时限依据：{statutory_basis}；承诺时限依据：{promised_basis}。」.
LIMITS_BASIS = N_("Basis of the statutory limit: {statutory_basis}; of the promised limit: {promised_basis}.")
# Translators: art. 45: 「专家评审、技术评估、公示以及你单位补正修改所需时间不计算在上述期限内，本局将书面告知所需时间
# （{basis}）。」.
NOT_COUNTED = N_("The time needed for expert review, technical evaluation, public notice and your revisions is "
                 "not counted in these limits; this bureau will tell you of it in writing ({basis}).")

# --- labels: the one-time notification -----------------------------------------------------------------

# Translators: 「补正材料一次性告知书」.
MATERIALS_TITLE = N_("One-time Notification of Missing Materials")
MATERIALS_SUBJECT = N_("Every material missing from an application for EIA approval, listed at once")
# Translators: 「经审查，申请材料不齐全。现将需要补正的全部内容一次性告知如下：」.
MATERIALS_LEAD = N_("Having examined it, this bureau found that the application lacks the materials below, "
                    "which it lists here all at once:")
# Translators: 「请你单位按上述要求补正全部材料。补正材料齐全后，本局将予以受理，审批时限自受理之日起计算。」.
MATERIALS_SUBMIT = N_("Please submit all of the materials listed above. Once you have submitted them all, this "
                      "bureau will accept the application, and the time limit for the decision runs from "
                      "acceptance.")
# Translators: {limit} is an amount of days, 「5 个自然日」: 「本告知于{notified}作出，在收到申请材料之日起{limit}内。」.
MATERIALS_ON_TIME = N_("This notification is given on {notified}, within {limit} of receipt.")
# Translators: 「本告知于{notified}作出。」.
MATERIALS_GIVEN = N_("This notification is given on {notified}.")

# --- labels: the notice of suspension ------------------------------------------------------------------

# Translators: 「暂停计时告知书」.
PAUSE_TITLE = N_("Notice of Suspension of the Time Limit")
PAUSE_SUBJECT = N_("A period not counted in the time limit for an EIA approval, for the applicant")
# Translators: 「本局已于{accepted}受理你单位报送的《{project}》{document_type}（受理编号：{number}）。」.
PAUSE_OPENING = N_("On {accepted} this bureau accepted your {document_type} for the project “{project}” (case "
                   "number {number}).")
# Translators: {kind} is 「专家评审」, 「技术评估」, 「公示」 or 「申请人补正」: 「自{start}起，该申请进入{kind}程序，
# 暂停计时。」.
PAUSE_FROM = N_("From {start} the application is in the following stage, and the time limit is suspended: "
                "{kind}.")
# Translators: 「{kind}已于{end}结束，自{resumed}起恢复计时。」.
PAUSE_ENDED = N_("This stage ended on {end}; the time limit runs again from {resumed}.")
# Translators: 「{kind}结束后，自次日起恢复计时，本局将另行告知。」.
PAUSE_OPEN = N_("The time limit runs again from the day after this stage ends; this bureau will tell you when "
                "it does.")
# Translators: art. 45: 「上述期间不计算在审批时限内（{basis}），本告知书即为书面告知。」.
PAUSE_NOT_COUNTED = N_("This period is not counted in the time limit for the decision ({basis}); this notice "
                       "tells you of it in writing, as the law requires.")
# Translators: 「据此，本局承诺时限顺延至{promised_due}，法定时限顺延至{statutory_due}。」.
PAUSE_NEW_DUE = N_("The decision is therefore now due by {promised_due} under the promised limit, and by "
                   "{statutory_due} under the statutory limit.")

# --- labels: the ledger -------------------------------------------------------------------------------

# Translators: 「环评审批台账」.
LEDGER_TITLE = N_("EIA Approvals Ledger")
# Translators: 「重点项目环评审批台账」.
KEY_LEDGER_TITLE = N_("Key Projects EIA Approvals Ledger")
LEDGER_SUBJECT = N_("Projects that entered the approvals register in a period, with their stages and time limits")
# Translators: the period of a ledger or summary: 「统计时段：{start}至{end}」.
PERIOD = N_("Period: {start} to {end}")
# Translators: ledger columns: the day the application arrived, 「收件日期」; the day it was accepted, 「受理日期」.
RECEIVED_ON = N_("Received on")
ACCEPTED_ON = N_("Accepted on")
# Translators: a ledger column, the day a case was decided, filed or withdrawn: 「办结日期」.
CLOSED_ON = N_("Closed on")
# Translators: a ledger column, the last day of the statutory limit: 「法定时限届满日」.
STATUTORY_DUE = N_("Statutory due date")
# Translators: a ledger column, the last day of the bureau's promised limit: 「承诺时限届满日」.
PROMISED_DUE = N_("Promised due date")
# Translators: a ledger column, working days from acceptance to decision, pauses not counted: 「审批用时（工作日）」.
DAYS_USED = N_("Working days used")
# Translators: the last row of the ledger: 「合计：项目 {count} 个，其中审查中 {open} 个（逾期 {overdue} 个），已批复
# {approved} 个，不予批复 {not_approved} 个，已备案 {filed} 个，豁免 {exempt} 个，编制中 {preparing} 个，已撤回
# {withdrawn} 个；重点项目 {key} 个。」.
LEDGER_TOTAL = N_("Total: {count} projects; under review: {open}, of which overdue: {overdue}; approved: "
                  "{approved}; not approved: {not_approved}; filed: {filed}; exempt: {exempt}; being prepared: "
                  "{preparing}; withdrawn: {withdrawn}. Key projects: {key}.")
LEDGER_EMPTY = N_("No project entered the register in this period.")

# --- labels: the summary ------------------------------------------------------------------------------

# Translators: 「环评审批工作情况汇总」.
SUMMARY_TITLE = N_("Summary of EIA Approvals")
# Translators: 「重点项目环评审批工作情况汇总」.
KEY_SUMMARY_TITLE = N_("Summary of EIA Approvals for Key Projects")
SUMMARY_SUBJECT = N_("Projects that entered the approvals register in a period: where they stand, and how fast "
                     "they were decided")
# Translators: the seeds' sentence: 「{total}个项目中，需编制环评报告书（表）的{reports}个，其中已批复{approved}个、
# 在审{under_review}个、编制中{preparing}个；需填报环评登记表的{registrations}个，其中已备案{filed}个、豁免{exempt}个。」.
HEADLINE = N_("Of {total} projects, {reports} need a report book or form: {approved} approved, {under_review} "
              "under review, {preparing} being prepared; {registrations} need a registration form: {filed} filed, "
              "{exempt} exempt.")
# Translators: as the previous message, of key projects: 「{total}个重点项目中，……」.
HEADLINE_KEY = N_("Of {total} key projects, {reports} need a report book or form: {approved} approved, "
                  "{under_review} under review, {preparing} being prepared; {registrations} need a registration "
                  "form: {filed} filed, {exempt} exempt.")
# Translators: {statutory_rate} and {promised_rate} are percentages: 「已办结{decided}件，其中在法定时限内办结
# {statutory}件（{statutory_rate}），在承诺时限内办结{promised}件（{promised_rate}）。」.
HEADLINE_TIMING = N_("{decided} applications were decided or filed: {statutory} within the statutory limit "
                     "({statutory_rate}), {promised} within the promised limit ({promised_rate}).")
# Translators: {faster} is a percentage: 「报告书（表）审批用时平均比法定时限缩短{faster}。」.
HEADLINE_FASTER = N_("Report books and forms were decided on average {faster} faster than the statutory limit.")
# Translators: 「尚有{overdue}件申请超过办理时限未办结。」.
HEADLINE_OVERDUE = N_("{overdue} open applications are past their time limit.")
# Translators: a heading of the summary, numbered when printed: 「按环评文件类型统计」.
SECTION_GROUPS = N_("Projects by document type")
# Translators: a heading of the summary, numbered when printed: 「审批用时」.
SECTION_TIMING = N_("Time taken by decided applications")
# Translators: a heading of the summary, numbered when printed: 「按月份统计」.
SECTION_MONTHS = N_("Projects by month")
# Translators: rows of the summary's first table: 「报告书」, 「报告表」, 「报告书（表）小计」, 「登记表」.
REPORT_BOOKS = N_("Report books")
REPORT_FORMS = N_("Report forms")
REPORTS = N_("Report books and forms")
REGISTRATION_FORMS = N_("Registration forms")
# Translators: columns of the summary's first table: 「已批复（备案）」, 「不予批复」, 「在审」, 「编制中」, 「豁免」,
# 「已撤回」.
APPROVED_OR_FILED = N_("Approved or filed")
NOT_APPROVED = N_("Not approved")
UNDER_REVIEW = N_("Under review")
BEING_PREPARED = N_("Being prepared")
EXEMPT = N_("Exempt")
WITHDRAWN = N_("Withdrawn")
# Translators: the first column of the summary's timing table: 「环评文件类型（审批通道）」.
DOCUMENT_TRACK = N_("Document type (track)")
# Translators: columns of the summary's timing table: 「办结件数」, 「平均用时（工作日）」, 「法定时限内办结」,
# 「承诺时限内办结」, 「较法定时限提速」.
DECIDED_COUNT = N_("Decided or filed")
AVERAGE_DAYS = N_("Average working days")
STATUTORY_ON_TIME = N_("Within the statutory limit")
PROMISED_ON_TIME = N_("Within the promised limit")
FASTER = N_("Faster than statutory")
TIMING_NOTE = N_("Working days from acceptance to decision (for a registration form, from receipt to filing), "
                 "pauses not counted. “Faster than statutory” is 1 − the average days used ÷ the statutory limit.")
NO_DECISIONS = N_("No application was decided in this period.")

_NO_RATE = "—"


# --- the notice of acceptance ----------------------------------------------------------------------------


def acceptance_notice_spec(bureau: Bureau, case: Case, language: str, issued: date) -> DocumentSpec:
    """The notice to the builder that the application was accepted (受理通知书), with both time limits of the
    decision and their legal bases, and what is not counted in them (art. 45). A case accepted by law on the day
    of receipt, because no one-time notification came in time (art. 32), says so. Raises ValueError (with a
    message in the interface language) for a case not accepted yet and for a registration form, which is filed."""
    statutory = case.clock(ClockKind.STATUTORY)
    if case.document_type is DocumentType.REGISTRATION_FORM:
        raise ValueError(_("Case {number} is a registration form: it is filed, not accepted, so there is no notice "
                           "of acceptance.").format(number=case.number))
    if statutory is None or case.track is Track.EXEMPT:
        raise ValueError(_("Case {number} has not been accepted yet: there is no notice of acceptance to print.")
                         .format(number=case.number))
    title = texts(language, ACCEPTANCE_TITLE)[0]

    def write(w: Writer) -> None:
        _write_acceptance(w, case, statutory, issued)

    return DocumentSpec(title=title, language=language, bureau=bureau, write=write,
                        subject=texts(language, ACCEPTANCE_SUBJECT)[0], file_name=f"{title} {case.number}.pdf")


def _write_acceptance(w: Writer, case: Case, statutory: Clock, issued: date) -> None:
    w.title_block(ACCEPTANCE_TITLE)
    _salutation(w, case)
    opening: list[tuple[str, dict]] = [(RECEIVED_TEXT, _received_fields(case))]
    missing = case.clock(ClockKind.MISSING_MATERIALS)
    if case.deemed_accepted_on_receipt:
        limit = amount_in(missing.rule.unit, missing.rule.limit) if missing else _blank
        opening.append((DEEMED_ACCEPTED, {"limit": limit, "received": date_in(statutory.deadline.start)}))
        if missing and missing.rule.basis:
            opening.append((LEGAL_BASIS, {"basis": catalog_in(missing.rule.basis)}))
    elif case.notified_on:
        opening.append((ACCEPTED_AFTER_MATERIALS, {"notified": date_in(case.notified_on),
                                                   "accepted": date_in(statutory.deadline.start)}))
    else:
        opening.append((ACCEPTED_TEXT, {"accepted": date_in(statutory.deadline.start)}))
    w.add(*w.sentences(opening))

    promised = case.clock(ClockKind.PROMISED)
    limits: dict = {"statutory": amount_in(statutory.rule.unit, statutory.rule.limit),
                    "promised": amount_in(promised.rule.unit, promised.rule.limit) if promised else _blank}
    # A pause moves the due dates on, and a date past the last known holiday schedule is a guess: then the
    # limits alone, which still hold.
    if case.pauses or promised is None or not _known(statutory, promised):
        sentences: list[tuple[str, dict]] = [(LIMITS_NO_DUE, limits)]
    else:
        sentences = [(LIMITS, {**limits, "statutory_due": date_in(statutory.due),
                               "promised_due": date_in(promised.due)})]
    sentences += _bases(statutory, promised)
    w.add(*w.sentences(sentences))
    w.paragraph(NOT_COUNTED, basis=catalog_in(ART_45))
    _closing(w, case, issued)


def _bases(statutory: Clock, promised: Clock | None) -> list[tuple[str, dict]]:
    """'Legal basis: …' of the two limits: both named when both have one."""
    first, second = statutory.rule.basis, promised.rule.basis if promised else ""
    if first and second and first != second:
        return [(LIMITS_BASIS, {"statutory_basis": catalog_in(first), "promised_basis": catalog_in(second)})]
    if first or second:
        return [(LEGAL_BASIS, {"basis": catalog_in(first or second)})]
    return []


# --- the one-time notification ---------------------------------------------------------------------------


def missing_materials_spec(bureau: Bureau, case: Case, language: str, issued: date) -> DocumentSpec:
    """The one-time notification of every missing material (补正材料一次性告知书, Administrative Licensing Law
    art. 32), as recorded on the case: the items, the days of receipt and of notification, and the rule that
    they be listed at once within its limit. Raises ValueError when no notification was recorded."""
    if case.notified_on is None or not case.missing_items:
        raise ValueError(_("No one-time notification of missing materials was recorded for case {number}.")
                         .format(number=case.number))
    title = texts(language, MATERIALS_TITLE)[0]

    def write(w: Writer) -> None:
        _write_materials(w, case, issued)

    return DocumentSpec(title=title, language=language, bureau=bureau, write=write,
                        subject=texts(language, MATERIALS_SUBJECT)[0], file_name=f"{title} {case.number}.pdf")


def _write_materials(w: Writer, case: Case, issued: date) -> None:
    w.title_block(MATERIALS_TITLE)
    _salutation(w, case)
    w.add(*w.sentences([(RECEIVED_TEXT, _received_fields(case)), (MATERIALS_LEAD, {})]))
    for number, item in enumerate(case.missing_items, 1):
        w.add(para(f"{number}. {item.strip()}", _ITEM if w.language != "en" else _ITEM_EN))
    w.add(Spacer(1, 4))
    sentences: list[tuple[str, dict]] = [(MATERIALS_SUBMIT, {})]
    notified = date_in(case.notified_on)
    clock = case.clock(ClockKind.MISSING_MATERIALS)
    if clock is not None and case.notified_on <= clock.due:
        sentences.append((MATERIALS_ON_TIME, {"notified": notified,
                                              "limit": amount_in(clock.rule.unit, clock.rule.limit)}))
    else:  # late: the application counted as accepted on receipt, and the notice does not claim otherwise
        sentences.append((MATERIALS_GIVEN, {"notified": notified}))
    if clock is not None and clock.rule.basis:
        sentences.append((LEGAL_BASIS, {"basis": catalog_in(clock.rule.basis)}))
    w.add(*w.sentences(sentences))
    _closing(w, case, issued)


# --- the notice of suspension ----------------------------------------------------------------------------


def pause_notice_spec(bureau: Bureau, case: Case, language: str, issued: date,
                      pause_id: int | None = None) -> DocumentSpec:
    """The written notice to the builder that the time limit stands still (暂停计时告知书, Administrative
    Licensing Law art. 45) for one pause of the case: the latest when `pause_id` is None. It names the stage,
    its start, its end when known, and the reason as recorded. Raises ValueError when the case has no pause
    (or none with that id)."""
    if not case.pauses:
        raise ValueError(_("Case {number} has no pause of its time limit.").format(number=case.number))
    if pause_id is None:
        pause = max(case.pauses, key=lambda p: (p.start, p.id))
    else:
        found = [p for p in case.pauses if p.id == pause_id]
        if not found:
            raise ValueError(_("Case {number} has no pause {pause}.").format(number=case.number, pause=pause_id))
        pause = found[0]
    title = texts(language, PAUSE_TITLE)[0]

    def write(w: Writer) -> None:
        _write_pause(w, case, pause, issued)

    return DocumentSpec(title=title, language=language, bureau=bureau, write=write,
                        subject=texts(language, PAUSE_SUBJECT)[0],
                        file_name=f"{title} {case.number} {pause.start.isoformat()}.pdf")


def _write_pause(w: Writer, case: Case, pause: PauseRecord, issued: date) -> None:
    w.title_block(PAUSE_TITLE)
    _salutation(w, case)
    statutory = case.clock(ClockKind.STATUTORY)
    accepted = case.accepted_on or (statutory.deadline.start if statutory else None)
    fields = _received_fields(case)
    del fields["received"]
    w.add(*w.sentences([(PAUSE_OPENING, {**fields, "accepted": date_in(accepted) if accepted else _blank}),
                        (PAUSE_FROM, {"start": date_in(pause.start), "kind": catalog_in(pause.kind.msgid)})]))
    if pause.reason.strip():
        w.add(para(w.labelled(REASON, pause.reason.strip()), _body(w)))
    sentences: list[tuple[str, dict]] = []
    if pause.end is not None:
        sentences.append((PAUSE_ENDED, {"end": date_in(pause.end), "resumed": date_in(pause.end + timedelta(days=1))}))
    else:
        sentences.append((PAUSE_OPEN, {}))
    sentences.append((PAUSE_NOT_COUNTED, {"basis": catalog_in(ART_45)}))
    promised = case.clock(ClockKind.PROMISED)
    latest = max(case.pauses, key=lambda p: (p.start, p.id))
    # The due dates after the pause: known once it is over, if no later pause moved them again.
    if (pause.end is not None and pause is latest and case.status is Status.UNDER_REVIEW and statutory
            and promised and _known(statutory, promised)):
        sentences.append((PAUSE_NEW_DUE, {"promised_due": date_in(promised.due),
                                          "statutory_due": date_in(statutory.due)}))
    w.add(*w.sentences(sentences))
    _closing(w, case, issued)


# --- pieces of the notices ---------------------------------------------------------------------------------


def _salutation(w: Writer, case: Case) -> None:
    w.add(*(para(line, ADDRESSEE) for line in w.texts(SALUTATION, builder=case.builder.strip())))


def _received_fields(case: Case) -> dict:
    return {"received": date_in(case.received_on) if case.received_on else _blank,
            "document_type": _inline(case.document_type.msgid), "project": case.name.strip(), "number": case.number}


def _closing(w: Writer, case: Case, issued: date) -> None:
    """'特此告知。', the bureau, seal and date, and under the date the note whom to ask (GB/T 9704 7.3.6: a note in
    brackets on the line below the date, set in two characters): the handler, and a blank for the phone number,
    which the register does not hold."""
    w.paragraph(NOTIFY)
    w.closing(issued, seal=True)
    start = len(w.story) - 1
    blank = "_" * 12
    w.add(Spacer(1, 6), *w.sentences([(CONTACT_NOTE, {"person": case.handler.strip() or blank, "phone": blank})]))
    w.keep(start)  # the note stays under the date


def _known(*clocks: Clock) -> bool:
    """Whether the due dates rest on known holiday schedules (a date past them is a guess, not for a notice)."""
    return not any(clock.deadline.warnings for clock in clocks)


def _inline(msgid: str) -> Callable[[str], str]:
    """A label inside an English sentence starts in lower case ('your expert review'), an acronym ('EIA report
    form') as it is."""
    def one(language: str) -> str:
        label = gettext_for(language, msgid)
        if language == "en" and label[:1].isupper() and label[1:2].islower():
            return label[:1].lower() + label[1:]
        return label

    return one


def _blank(language: str) -> str:
    return "____"


def _body(w: Writer) -> ParagraphStyle:
    return BODY_EN if w.language == "en" else BODY


# --- the ledger -------------------------------------------------------------------------------------------


def approvals_ledger_spec(bureau: Bureau, cases: Sequence[CaseSummary], start: date, end: date, language: str,
                          issued: date, key_only: bool = False) -> DocumentSpec:
    """The ledger (环评审批台账) of the projects that entered the register from `start` to `end`, one row each
    in the order given, with totals; landscape, the header on every page. A case is marked overdue when its
    running clock's due date is before `issued`. `key_only` titles it as the key projects' ledger (the caller
    passes the key projects only)."""
    title_msgid = KEY_LEDGER_TITLE if key_only else LEDGER_TITLE
    title = texts(language, title_msgid)[0]

    def write(w: Writer) -> None:
        _write_ledger(w, title_msgid, cases, start, end, issued)

    return DocumentSpec(title=title, language=language, bureau=bureau, write=write,
                        subject=texts(language, LEDGER_SUBJECT)[0], layout=LEDGER,
                        file_name=f"{title} {start.isoformat()}–{end.isoformat()}.pdf")


def _write_ledger(w: Writer, title_msgid: str, cases: Sequence[CaseSummary], start: date, end: date,
                  issued: date) -> None:
    w.title_block(title_msgid)
    w.two_ends(" / ".join(w.texts(PERIOD, start=date_in(start), end=date_in(end))),
               " / ".join(w.texts(AS_OF, date=date_in(issued))))
    rows = [_ledger_row(w, n, case, issued) for n, case in enumerate(cases, 1)]
    columns = _ledger_columns(w, rows)
    widths = [width for _, width, _ in columns]
    data: list[list[object]] = [[cell_lines(w.label(msgid, stacked=True), _LEDGER_HEAD, width, "center")
                                 for msgid, width, _ in columns]]
    for row in rows:
        data.append([cell_lines(value, _LEDGER_CELL, width, align) for value, (_, width, align) in zip(row, columns)])
    notes = [] if rows else ["\n".join(w.texts(LEDGER_EMPTY))]
    notes.append("\n".join(w.texts(LEDGER_TOTAL, **_totals(w, cases, issued))))
    style: list[tuple] = [("BACKGROUND", (0, 0), (-1, 0), _SHADE)]
    # The totals are the table's last rows, across its width: they never stand on a page of their own.
    for note in notes:
        data.append([para(note, _LEDGER_CELL), *[""] * (len(columns) - 1)])
        style.append(("SPAN", (0, len(data) - 1), (-1, len(data) - 1)))
    table = grid_table(data, widths, style, repeat_header=True)
    w.sign_line([PREPARED_BY, REVIEWED_BY, DATE])
    footer = w.story[-2:]
    del w.story[-2:]
    # The last entry and the totals go over to a new page with the lines to sign on, rather than those alone.
    w.add(TableAndFooter(table, [Spacer(1, 8), *footer], last_rows=len(notes) + min(len(rows), 1)))


def _ledger_row(w: Writer, number: int, s: CaseSummary, issued: date) -> list[str]:
    def day(value: date | None) -> str:
        return w.short_date(value) if value else ""

    status = w.label(s.status.msgid, stacked=True)
    if _overdue(s, issued):
        status += "\n" + w.label(OVERDUE, stacked=True)
    used = "" if s.working_days_used is None else str(s.working_days_used)
    return [str(number), s.number, _clip(s.name, 80), _clip(s.builder, 60),
            w.label(s.document_type.msgid, stacked=True), w.label(s.track.msgid, stacked=True),
            day(s.received_on), day(s.accepted_on), day(s.statutory_due),
            day(s.promised_due), day(s.decided_on or s.withdrawn_on), s.document_number, status, used]


def _ledger_columns(w: Writer, rows: Sequence[Sequence[str]]) -> list[tuple[str, float, str]]:
    """Each column as wide as its longest line, within bounds, the headers wrapping onto up to three lines; the
    project takes what is left, and when that is too little the columns that can wrap give up room first."""
    day = w.date_width(_LEDGER_CELL)
    # header, low, high, may wrap
    spec = [(NUMBER, 26, 30, False), (CASE_NUMBER, 50, 72, False), (PROJECT, 0, 0, True), (BUILDER, 56, 96, True),
            (DOCUMENT_TYPE, 34, 60, True), (TRACK, 34, 60, True), (RECEIVED_ON, day, day, False),
            (ACCEPTED_ON, day, day, False), (STATUTORY_DUE, day, day, False), (PROMISED_DUE, day, day, False),
            (CLOSED_ON, day, day, False), (APPROVAL_NO, 44, 96, False), (STATUS, 36, 64, True),
            (DAYS_USED, 28, 40, False)]
    # A column that wraps is still as wide as its longest English word ("Registration", "Approved"): only
    # Chinese may break anywhere.
    spec = [(header, max(low, _longest_word(rows, n)) if wraps and n else low, high, wraps)
            for n, (header, low, high, wraps) in enumerate(spec)]
    project = next(n for n, item in enumerate(spec) if item[0] == PROJECT)
    widths = fit_widths(w.layout.frame_width, [(w.label(header, stacked=True), *bounds) for header, *bounds in spec],
                        rows, project, _LEDGER_CELL, _LEDGER_HEAD, head_lines=3)
    centred = (NUMBER, DAYS_USED)
    return [(header, width, "center" if header in centred else "left") for (header, *_), width in zip(spec, widths)]


def _longest_word(rows: Sequence[Sequence[str]], column: int) -> float:
    words = [word for row in rows for line in row[column].split("\n") for word in line.split() if word.isascii()]
    return max((text_width(word, _LEDGER_CELL) + 2 * _PAD + 1 for word in words), default=0)


def _overdue(s: CaseSummary, issued: date) -> bool:
    return s.next_due is not None and s.status in OPEN and s.status is not Status.PAUSED and s.next_due < issued


def _totals(w: Writer, cases: Sequence[CaseSummary], issued: date) -> dict[str, str]:
    def count(*statuses: Status) -> str:
        return w.value(sum(1 for s in cases if s.status in statuses))

    return {"count": w.value(len(cases)),
            "open": count(Status.RECEIVED, Status.MATERIALS_REQUESTED, Status.UNDER_REVIEW, Status.PAUSED),
            "overdue": w.value(sum(1 for s in cases if _overdue(s, issued))), "approved": count(Status.APPROVED),
            "not_approved": count(Status.NOT_APPROVED), "filed": count(Status.FILED), "exempt": count(Status.EXEMPT),
            "preparing": count(Status.PREPARING), "withdrawn": count(Status.WITHDRAWN),
            "key": w.value(sum(1 for s in cases if s.key_project))}


def _clip(value: str, limit: int) -> str:
    value = value.strip()
    return value if len(value) <= limit else value[:limit - 1] + "…"


# --- the summary ------------------------------------------------------------------------------------------


def approvals_summary_spec(bureau: Bureau, summary: Summary, language: str, issued: date) -> DocumentSpec:
    """The leader's summary (环评审批工作情况汇总) of the projects that entered the register in the summary's
    period: the headline in the seeds' words ("of N projects, X need a report book or form: …"), the counts by
    document type, the time taken by document type and track (average working days, on time against the
    statutory and the promised limit, how much faster than the statutory limit), and the projects by month.
    The key projects' summary (summary.key_only) is titled so. A rate with nothing to count prints as a dash."""
    title_msgid = KEY_SUMMARY_TITLE if summary.key_only else SUMMARY_TITLE
    title = texts(language, title_msgid)[0]

    def write(w: Writer) -> None:
        _write_summary(w, title_msgid, summary, issued)

    return DocumentSpec(title=title, language=language, bureau=bureau, write=write,
                        subject=texts(language, SUMMARY_SUBJECT)[0],
                        file_name=f"{title} {summary.start.isoformat()}–{summary.end.isoformat()}.pdf")


def _write_summary(w: Writer, title_msgid: str, s: Summary, issued: date) -> None:
    w.title_block(title_msgid)
    w.two_ends("\n".join(w.texts(PERIOD, start=date_in(s.start), end=date_in(s.end))),
               "\n".join(w.texts(AS_OF, date=date_in(issued))))
    w.numbered_heading(1, SECTION_OVERALL)
    _headline(w, s)

    # The groups are the columns, the figures the rows: five narrow columns of figures leave each header room.
    start = len(w.story)
    w.numbered_heading(2, SECTION_GROUPS)
    groups = [(REPORT_BOOKS, s.report_books), (REPORT_FORMS, s.report_forms), (REPORTS, s.reports),
              (REGISTRATION_FORMS, s.registrations), (TOTAL, _sum_groups(s.reports, s.registrations))]
    heads = [("", 1.6, "left"), *((msgid, 1, "right") for msgid, _group in groups)]
    rows = [[w.label(label, stacked=True), *(w.value(getattr(group, name)) for _msgid, group in groups)]
            for name, label in _GROUP_ROWS]
    _table(w, heads, rows, shaded_columns=(3, 5))
    w.keep(start)

    start = len(w.story)
    w.numbered_heading(3, SECTION_TIMING)
    if s.timings:
        heads = [(DOCUMENT_TRACK, 1.6, "left"), (DECIDED_COUNT, 0.9, "right"), (AVERAGE_DAYS, 1, "right"),
                 (STATUTORY_ON_TIME, 1.2, "right"), (PROMISED_ON_TIME, 1.2, "right"), (FASTER, 1, "right")]
        rows = [[_document_and_track(w, t), *_timing_cells(w, s, t.decided, t.average_working_days,
                                                            t.statutory_on_time, t.promised_on_time,
                                                            t.faster_than_statutory)] for t in s.timings]
        rows.append([w.label(TOTAL), *_timing_cells(w, s, s.decided, _average_days(s.timings), s.statutory_on_time,
                                                    s.promised_on_time, _average_faster(s.timings))])
        _table(w, heads, rows, shaded=(len(rows),))
        w.add(*(para(line, _NOTE_STYLE) for line in w.texts(TIMING_NOTE)))
    else:
        w.paragraph(NO_DECISIONS)
    if len(s.timings) <= 12:  # a short table goes to the next page whole, with its heading
        w.keep(start)

    start = len(w.story)
    w.numbered_heading(4, SECTION_MONTHS)
    months = [(w.month_label(key), s.by_month.get(key, 0)) for key in month_keys(s.start, s.end, s.by_month)]
    total = sum(count for _label, count in months)
    rows = [[label, w.value(count), _rate(w, s, count, total)] for label, count in months]
    rows.append([w.label(TOTAL), w.value(total), _rate(w, s, total, total)])
    _table(w, [(MONTH, 3, "left"), (COUNT, 1, "right"), (SHARE, 1, "right")], rows, shaded=(len(rows),))
    if len(months) <= 15:
        w.keep(start)
    # The lines to sign on go with the last table rather than to a page of their own.
    start = len(w.story) - 1
    w.sign_line([PREPARED_BY, REVIEWED_BY])
    w.keep(start)


_GROUP_ROWS = (("total", TOTAL), ("approved", APPROVED_OR_FILED), ("not_approved", NOT_APPROVED),
               ("under_review", UNDER_REVIEW), ("preparing", BEING_PREPARED), ("exempt", EXEMPT),
               ("withdrawn", WITHDRAWN))


def _document_and_track(w: Writer, t: Timing) -> str:
    """'报告表（普通）' / 'Report form (Normal)', one line per language."""
    def one(language: str) -> str:
        doc, track = gettext_for(language, t.document_type.msgid), gettext_for(language, t.track.msgid)
        return f"{doc} ({track})" if language == "en" else f"{doc}（{track}）"

    return "\n".join(in_each(w.language, one))


def _headline(w: Writer, s: Summary) -> None:
    """The seeds' sentence, then how many were decided in time, how much faster, and how many are late."""
    reports, registrations = s.reports, s.registrations
    sentences: list[tuple[str, dict]] = [(HEADLINE_KEY if s.key_only else HEADLINE, {
        "total": w.value(s.total), "reports": w.value(reports.total), "approved": w.value(reports.approved),
        "under_review": w.value(reports.under_review), "preparing": w.value(reports.preparing),
        "registrations": w.value(registrations.total), "filed": w.value(registrations.approved),
        "exempt": w.value(registrations.exempt)})]
    if s.decided:
        sentences.append((HEADLINE_TIMING, {
            "decided": w.value(s.decided), "statutory": w.value(s.statutory_on_time),
            "statutory_rate": _rate(w, s, s.statutory_on_time, s.decided), "promised": w.value(s.promised_on_time),
            "promised_rate": _rate(w, s, s.promised_on_time, s.decided)}))
    faster = _average_faster([t for t in s.timings if t.document_type is not DocumentType.REGISTRATION_FORM])
    if faster is not None:
        sentences.append((HEADLINE_FASTER, {"faster": w.percent(faster)}))
    if s.overdue_open:
        sentences.append((HEADLINE_OVERDUE, {"overdue": w.value(s.overdue_open)}))
    w.add(*w.sentences(sentences))


def _timing_cells(w: Writer, s: Summary, decided: int, average: float | None, statutory: int, promised: int,
                  faster: float | None) -> list[str]:
    def on_time(count: int) -> str:
        return f"{w.value(count)} ({_rate(w, s, count, decided)})" if w.language == "en" else \
            f"{w.value(count)}（{_rate(w, s, count, decided)}）"

    return [w.value(decided), _NO_RATE if average is None else w.value(round(average, 1)), on_time(statutory),
            on_time(promised), _NO_RATE if faster is None else w.percent(faster)]


def _rate(w: Writer, s: Summary, part: int, whole: int) -> str:
    value = s.rate(part, whole)
    return _NO_RATE if value is None else w.percent(value)


def _average_days(timings: Sequence[Timing]) -> float | None:
    """The average over all decided applications, from the averages of each document type and track."""
    counted = [(t.average_working_days, t.decided) for t in timings if t.average_working_days is not None]
    total = sum(n for _average, n in counted)
    return sum(a * n for a, n in counted) / total if total else None


def _average_faster(timings: Sequence[Timing]) -> float | None:
    """1 − days used ÷ statutory limit, averaged over the decided applications that have a statutory limit."""
    counted = [(t.faster_than_statutory, t.decided) for t in timings if t.faster_than_statutory is not None]
    total = sum(n for _faster, n in counted)
    return sum(f * n for f, n in counted) / total if total else None


def _sum_groups(*groups: Group) -> Group:
    return type(groups[0])(*(sum(getattr(g, name) for g in groups) for name in type(groups[0]).__dataclass_fields__))


def _table(w: Writer, heads: Sequence[tuple[str, float, str]], rows: Sequence[Sequence[str]],
           shaded: Sequence[int] = (), shaded_columns: Sequence[int] = ()) -> None:
    """A ruled table of figures: heads are (msgid, share of the width, alignment); `shaded` rows (counted from
    1, under the header) and `shaded_columns` are subtotals or totals, shaded with a rule before them."""
    total = sum(share for _msgid, share, _align in heads)
    widths = [w.layout.frame_width * share / total for _msgid, share, _align in heads]
    data: list[list[object]] = [[cell_lines(w.label(msgid, stacked=True) if msgid else "", _TABLE_HEAD, width,
                                            "center") for (msgid, _share, _align), width in zip(heads, widths)]]
    for row in rows:
        data.append([cell_lines(value, CELL, width, align)
                     for value, (_msgid, _share, align), width in zip(row, heads, widths)])
    style: list[tuple] = [("BACKGROUND", (0, 0), (-1, 0), _SHADE)]
    for row in shaded:
        style += [("BACKGROUND", (0, row), (-1, row), _TOTAL_SHADE), ("LINEABOVE", (0, row), (-1, row), 1, colors.black)]
    for column in shaded_columns:
        style += [("BACKGROUND", (column, 1), (column, -1), _TOTAL_SHADE),
                  ("LINEBEFORE", (column, 0), (column, -1), 1, colors.black)]
    w.add(grid_table(data, widths, style, repeat_header=True), Spacer(1, 4))


_PAD = 4  # the engine's cell padding, points
_SHADE = colors.HexColor("#ececec")
_TOTAL_SHADE = colors.HexColor("#f4f4f4")
# Fourteen columns across a landscape page: a size smaller than the complaints ledger's.
_LEDGER_CELL = ParagraphStyle("approval-ledger-cell", parent=CELL, fontSize=8.5, leading=11)
_LEDGER_HEAD = ParagraphStyle("approval-ledger-head", parent=CELL_HEAD, fontSize=8.5, leading=11)
_TABLE_HEAD = ParagraphStyle("approval-table-head", parent=CELL_HEAD, fontSize=9.5, leading=12.5)
_NOTE_STYLE = ParagraphStyle("approval-note", parent=CELL, fontSize=9.5, leading=13, spaceBefore=2, spaceAfter=6,
                             textColor=colors.HexColor("#333333"))
# The missing materials: numbered, hanging, in the body's size.
_ITEM = ParagraphStyle("approval-item", parent=ITEM, leftIndent=42, firstLineIndent=-18, spaceAfter=4)
_ITEM_EN = ParagraphStyle("approval-item-en", parent=ITEM, leftIndent=18, firstLineIndent=-18, spaceAfter=4)

__all__ = [
    "KEY_LEDGER_TITLE", "KEY_SUMMARY_TITLE", "LEDGER_TITLE", "SUMMARY_TITLE", "acceptance_notice_spec",
    "approvals_ledger_spec", "approvals_summary_spec", "missing_materials_spec", "pause_notice_spec",
]
