"""Importing the approvals ledger a bureau keeps in Excel, and exporting a year's ledger: all or nothing, every
problem by row and column, builders found or added to the enterprise register, each case at the step its dates
say with the clocks the use cases compute, re-imports that add only new rows, and 10,000 rows in seconds."""

import time
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from envdesk.app import approvals, changes, enterprises, reference
from envdesk.app.access import Principal
from envdesk.app.approvals import ProjectInput
from envdesk.app.approvals_exchange import (
    IMPORTED_NOTE,
    approval_rows,
    import_approvals,
    parse_label,
    parse_pause,
)
from envdesk.app.enterprises import EnterpriseInput
from envdesk.app.workspace import Workspace
from envdesk.domain.approvals import (
    ApprovalLevel,
    ClockKind,
    DocumentType,
    Nature,
    Outcome,
    PauseKind,
    Status,
    Track,
)
from envdesk.domain.credit_code import check_character
from envdesk.domain.importing import RowsRejected
from envdesk.exchange.approvals import APPROVALS, IMPORTED
from envdesk.i18n import gettext_for
from envdesk.store.approvals import ApprovalEventRow, ApprovalRow, PauseRow
from envdesk.store.twinning import EnterpriseRow

TESTER = Principal.trusted("tester")

D = date.fromisoformat
TODAY = D("2026-11-30")
HONGDA = "青溪县宏达化工有限公司"
HONGDA_CODE = "91350100M000100Y43"
OTHER_CODE = "914403001922038216"


def _office(ws):
    town, _c = reference.save_town(ws, None, "城关镇")
    hongda, _c = enterprises.save_enterprise(ws, None, EnterpriseInput(HONGDA, credit_code=HONGDA_CODE,
                                                                       town_id=town.id))
    return SimpleNamespace(ws=ws, town=town, hongda=hongda)


@pytest.fixture
def o(ws):
    return _office(ws)


@pytest.fixture
def o_any(any_ws):
    """The same office on each first-class database (the bulk insert differs)."""
    return _office(any_ws)


def ledger_row(**kw):
    """One row as the exchange layer hands it over: every column key, None for an empty cell. Rows numbered
    otherwise name their own project."""
    row = dict.fromkeys(column.key for column in APPROVALS.columns)
    row.update(number="SP-2026-0101", name="年产5万吨饲料加工项目", builder=HONGDA, credit_code=HONGDA_CODE,
               document_type="报告表", track="普通", received=D("2026-09-21"))
    row.update(kw)
    if "name" not in kw and row["number"] != "SP-2026-0101":
        row["name"] = f"年产5万吨饲料加工项目（{row['number']}）"  # a file holds each project once
    return row


def rows(*values):
    return [(n + 2, value) for n, value in enumerate(values)]


def rejected(ws, *values, **kw):
    before = counts(ws)
    with pytest.raises(RowsRejected) as info:
        import_approvals(ws, rows(*values), today=TODAY, **kw)
    assert counts(ws) == before  # nothing written: no case, step, pause or builder
    return info.value.problems


def where(problems):
    return [(p.row, p.key) for p in problems]


def counts(ws):
    with ws.reading() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))
                     for model in (ApprovalRow, ApprovalEventRow, PauseRow, EnterpriseRow))


def case(ws, number):
    return approvals.get_case(ws, approvals.find_case(ws, number), today=TODAY)


# --- the words ledgers use ------------------------------------------------------------------------

@pytest.mark.parametrize(("enum", "text", "member"), [
    (DocumentType, "报告书", DocumentType.REPORT_BOOK), (DocumentType, "环境影响报告表", DocumentType.REPORT_FORM),
    (DocumentType, "登记表", DocumentType.REGISTRATION_FORM), (DocumentType, "Report form", DocumentType.REPORT_FORM),
    (DocumentType, DocumentType.REPORT_FORM.msgid.upper(), DocumentType.REPORT_FORM),
    (DocumentType, "report_book", DocumentType.REPORT_BOOK), (Track, "普通", Track.NORMAL),
    (Track, "绿色通道", Track.GREEN_CHANNEL), (Track, "告知承诺制", Track.NOTIFICATION_COMMITMENT),
    (Track, "告知承诺", Track.NOTIFICATION_COMMITMENT), (Track, "豁免", Track.EXEMPT),
    (Track, "Green channel", Track.GREEN_CHANNEL), (Nature, "技改", Nature.RENOVATION), (Nature, "扩建", Nature.EXPANSION),
    (Nature, "新建", Nature.NEW), (Outcome, "准予批准", Outcome.APPROVED), (Outcome, "不予批准", Outcome.NOT_APPROVED),
    (ApprovalLevel, "委托", ApprovalLevel.DELEGATED), (PauseKind, "专家评审", PauseKind.EXPERT_REVIEW),
    (PauseKind, "公示", PauseKind.PUBLIC_NOTICE)])
def test_labels_as_ledgers_write_them(enum, text, member):
    assert parse_label(enum, text) is member


def test_an_unknown_label_names_the_choices():
    with pytest.raises(ValueError, match=f"报告册.*{DocumentType.REPORT_BOOK.msgid}"):
        parse_label(DocumentType, "报告册")


@pytest.mark.parametrize(("text", "expected"), [
    ("专家评审 2026-09-28~2026-10-09", (PauseKind.EXPERT_REVIEW, D("2026-09-28"), D("2026-10-09"))),
    ("Public notice 2026-10-12~", (PauseKind.PUBLIC_NOTICE, D("2026-10-12"), None)),
    ("2026年9月28日至2026年10月9日 专家评审会", (PauseKind.EXPERT_REVIEW, D("2026-09-28"), D("2026-10-09"))),
    ("补正：2026/10/1～2026/10/8", (PauseKind.APPLICANT_REVISION, D("2026-10-01"), D("2026-10-08"))),
])
def test_pauses_as_ledgers_write_them(text, expected):
    assert parse_pause(text) == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("专家评审", "is not a pause"), ("开会 2026-09-28~2026-10-09", "say what stopped the clock"),
    ("公示 2026-10-12~2026-10-01", "cannot end"), ("公示 2026-02-30~", "does not exist")])
def test_pauses_that_cannot_be_read(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_pause(text)


def test_the_layout_reads_every_column_but_the_computed_ones():
    keys = [column.key for column in APPROVALS.columns]
    assert [k for k in keys if k not in IMPORTED] == ["statutory_due", "promised_due", "status", "working_days"]
    assert [APPROVALS.column(k).required for k in ("name", "builder", "document_type", "number")] == [
        True, True, True, False]


# --- each row at its step -----------------------------------------------------------------------

def test_rows_become_cases_at_the_step_their_dates_say(o_any):
    o = o_any
    summary = import_approvals(o.ws, rows(
        ledger_row(number="A-01"),
        ledger_row(number="A-02", notified=D("2026-09-23")),
        ledger_row(number="A-03", accepted=D("2026-09-24"), town="城关镇", category="8", total_investment=3200,
                   env_investment="180.5", key_project=True, nature="扩建", level="委托",
                   project_code="2026-350100-13-03-000123"),
        ledger_row(number="A-04", accepted=D("2026-09-24"), pauses=("公示 2026-10-12~",)),
        ledger_row(number="A-05", notified=D("2026-09-23"), accepted=D("2026-09-24"),
                   pauses=("专家评审 2026-09-28~2026-10-09",), decided=D("2026-10-13"), approval_no="青环审〔2026〕41号"),
        ledger_row(number="A-06", accepted=D("2026-09-24"), decided=D("2026-10-30"), decision="不予批准",
                   approval_no="青环审〔2026〕42号"),
        ledger_row(number="A-07", document_type="登记表", received=D("2026-10-10"), decided=D("2026-10-10"),
                   approval_no="202635010000000123"),
        ledger_row(number="A-08", document_type="登记表", track="豁免", received=D("2026-03-02")),
        ledger_row(number="A-09", accepted=D("2026-09-24"), pauses=("补正 2026-09-28~",), withdrawn=D("2026-10-15")),
        ledger_row(number="A-10", received=None, early_involvement=D("2026-11-02")),
        ledger_row(number="A-11", track=None, document_type="报告书", received=D("2026-11-27"),
                   early_involvement=D("2026-08-03"))), today=TODAY)
    assert (summary.created, summary.updated, summary.skipped, summary.enterprises_created) == (11, 0, (), 0)
    assert summary.changes.concerns(changes.APPROVALS)
    assert not summary.changes.concerns(changes.ENTERPRISE)

    statuses = {n: case(o.ws, n).status for n in (f"A-{i:02d}" for i in range(1, 12))}
    assert statuses == {
        "A-01": Status.RECEIVED, "A-02": Status.MATERIALS_REQUESTED, "A-03": Status.UNDER_REVIEW,
        "A-04": Status.PAUSED, "A-05": Status.APPROVED, "A-06": Status.NOT_APPROVED, "A-07": Status.FILED,
        "A-08": Status.EXEMPT, "A-09": Status.WITHDRAWN, "A-10": Status.PREPARING, "A-11": Status.RECEIVED}

    project = case(o.ws, "A-03")
    assert (project.builder_id, project.town, project.category, project.total_investment, project.env_investment,
            project.key_project, project.nature, project.level, project.project_code, project.track) == (
        o.hongda.id, "城关镇", 8, 3200, approvals._amount("180.5", ""), True, Nature.EXPANSION,
        ApprovalLevel.DELEGATED, "2026-350100-13-03-000123", Track.NORMAL)

    decided = case(o.ws, "A-05")
    assert [(e.action, e.on, e.status) for e in decided.events] == [
        ("register", D("2026-09-21"), Status.RECEIVED), ("request_materials", D("2026-09-23"),
                                                         Status.MATERIALS_REQUESTED),
        ("accept", D("2026-09-24"), Status.UNDER_REVIEW), ("pause", D("2026-09-28"), Status.PAUSED),
        ("resume", D("2026-10-10"), Status.UNDER_REVIEW), ("decide", D("2026-10-13"), Status.APPROVED)]
    assert decided.events[0].note == IMPORTED_NOTE
    assert (decided.outcome, decided.document_number) == ("approved", "青环审〔2026〕41号")
    # The worked example of the use-case tests: the pause Sep 28–Oct 9 stops both clocks.
    assert (decided.statutory_due, decided.promised_due, decided.working_days_used) == (
        D("2026-11-19"), D("2026-10-19"), 3)

    assert (case(o.ws, "A-06").outcome, case(o.ws, "A-07").outcome) == ("not_approved", "filed")
    paused = case(o.ws, "A-04")
    assert [(p.kind, p.start, p.end) for p in paused.pauses] == [(PauseKind.PUBLIC_NOTICE, D("2026-10-12"), None)]
    withdrawn = case(o.ws, "A-09")
    # Withdrawing ends an open pause on that day, as the use case does.
    assert [(p.start, p.end) for p in withdrawn.pauses] == [(D("2026-09-28"), D("2026-10-15"))]
    assert [e.action for e in withdrawn.events][-1] == "withdraw"
    assert case(o.ws, "A-08").clocks == ()
    prepared = case(o.ws, "A-11")
    assert [(e.action, e.on, e.status) for e in prepared.events] == [
        ("register", D("2026-08-03"), Status.PREPARING), ("receive", D("2026-11-27"), Status.RECEIVED)]


def test_the_stored_clocks_are_those_the_use_cases_store(o_any):
    """Every stored due date and count is what `approvals._store_dues` writes for the same case."""
    o = o_any
    import_approvals(o.ws, rows(
        ledger_row(number="C-1", received=D("2026-11-25")),
        ledger_row(number="C-2", received=D("2026-10-08"), accepted=D("2026-10-20"), document_type="报告书",
                   track="绿色通道"),   # no one-time notification in 5 days: accepted on receipt by law
        ledger_row(number="C-3", notified=D("2026-09-23")),
        ledger_row(number="C-4", accepted=D("2026-09-24"), pauses=("公示 2026-10-12~",)),
        ledger_row(number="C-5", accepted=D("2026-09-24"), pauses=("专家评审 2026-09-28~2026-10-09",
                                                                   "补正 2026-10-14~2026-10-20"),
                   decided=D("2026-11-03"), approval_no="N-5"),
        ledger_row(number="C-6", document_type="登记表", received=D("2026-10-10"), decided=D("2026-10-12")),
        ledger_row(number="C-7", track="告知承诺制", accepted=D("2026-09-22"), decided=D("2026-09-22"),
                   approval_no="N-7"),
        ledger_row(number="C-8", accepted=D("2026-09-24"), withdrawn=D("2026-10-15")),
        ledger_row(number="C-9", document_type="登记表", track="豁免", received=D("2026-03-02"))), today=TODAY)
    columns = ("statutory_due", "promised_due", "next_due", "statutory_used", "working_days_used")

    def stored():
        with o.ws.reading() as session:
            return {row.number: tuple(getattr(row, c) for c in columns) for row in session.scalars(select(ApprovalRow))}

    imported = stored()
    with o.ws.transaction() as session:
        for row in session.scalars(select(ApprovalRow)):
            approvals._store_dues(o.ws, row, TODAY)
    assert stored() == imported
    assert imported["C-2"][0] == D("2026-12-30")  # 60 working days from receipt (Oct 8), not from Oct 20
    assert imported["C-4"][2] is None and imported["C-3"][2] is None  # paused / waiting: no clock runs
    assert imported["C-1"][2] == D("2026-11-30")  # the one-time notification is due (5 days)


def test_an_imported_case_has_the_clocks_of_the_same_case_entered_step_by_step(o, tmp_path):
    import_approvals(o.ws, rows(ledger_row(notified=D("2026-09-23"), accepted=D("2026-09-24"),
                                           pauses=("专家评审 2026-09-28~2026-10-09",))), today=TODAY)
    fresh = Workspace(f"sqlite:///{tmp_path / 'by-hand.sqlite3'}", user=TESTER)
    try:
        office = _office(fresh)
        step, _c = approvals.register(fresh, ProjectInput("年产5万吨饲料加工项目", office.hongda.id, "report_form"),
                                      received_on=D("2026-09-21"), number="SP-2026-0101", today=TODAY)
        step, _c = approvals.request_materials(fresh, step.id, D("2026-09-23"), ["盖章版报告表"], today=TODAY)
        step, _c = approvals.accept(fresh, step.id, D("2026-09-24"), today=TODAY)
        step, _c = approvals.pause(fresh, step.id, "expert_review", D("2026-09-28"), "专家技术评审会", today=TODAY)
        step, _c = approvals.resume(fresh, step.id, D("2026-10-09"), today=TODAY)
        by_hand = approvals.get_case(fresh, step.id, today=TODAY)
    finally:
        fresh.close()
    imported = case(o.ws, "SP-2026-0101")
    assert imported.clocks == by_hand.clocks
    assert (imported.status, imported.statutory_due, imported.promised_due, imported.next_due) == (
        by_hand.status, by_hand.statutory_due, by_hand.promised_due, by_hand.next_due)
    assert [(e.action, e.on, e.status) for e in imported.events] == [
        (e.action, e.on, e.status) for e in by_hand.events]
    # The imported case goes on through the use cases like any other.
    decided, _c = approvals.decide(o.ws, imported.id, "approved", D("2026-10-13"), "青环审〔2026〕41号",
                                   expected_version=imported.version, today=TODAY)
    assert decided.clock(ClockKind.STATUTORY).used == 3


# --- builders -----------------------------------------------------------------------------------

def test_the_builder_is_found_by_credit_code_whatever_the_name(o):
    import_approvals(o.ws, rows(ledger_row(builder="宏达化工", credit_code=HONGDA_CODE.lower())), today=TODAY)
    assert case(o.ws, "SP-2026-0101").builder_id == o.hongda.id
    assert enterprises.count_enterprises(o.ws) == 1


def test_without_a_code_the_builder_is_found_by_its_exact_name(o):
    summary = import_approvals(o.ws, rows(ledger_row(builder=" 青溪县宏达化工有限公司 ", credit_code=None)), today=TODAY)
    assert case(o.ws, "SP-2026-0101").builder_id == o.hongda.id
    assert summary.new_enterprises == ()


def test_a_builder_not_in_the_register_is_added_once_and_reported(o):
    summary = import_approvals(o.ws, rows(
        ledger_row(number="N-1", name="光伏支架项目", builder="青溪县新能科技有限公司", credit_code=OTHER_CODE),
        ledger_row(number="N-2", name="二期项目", builder="青溪县新能科技有限公司", credit_code=None),
        ledger_row(number="N-3", name="砂石加工项目", builder="青溪县某砂石场", credit_code=None)), today=TODAY)
    assert summary.new_enterprises == ("青溪县新能科技有限公司", "青溪县某砂石场")
    assert summary.enterprises_created == 2
    assert summary.changes.concerns(changes.ENTERPRISE)
    new = enterprises.find_enterprise(o.ws, OTHER_CODE)
    assert (new.name_zh, new.credit_code) == ("青溪县新能科技有限公司", OTHER_CODE)
    assert case(o.ws, "N-1").builder_id == case(o.ws, "N-2").builder_id == new.id
    assert enterprises.find_enterprise(o.ws, "青溪县某砂石场").credit_code == ""
    assert enterprises.count_enterprises(o.ws) == 3


def test_a_builder_known_by_name_only_gets_the_ledgers_code(o):
    known, _c = enterprises.save_enterprise(o.ws, None, EnterpriseInput("青溪县新能科技有限公司"))
    summary = import_approvals(o.ws, rows(ledger_row(builder="青溪县新能科技有限公司", credit_code=OTHER_CODE)),
                               today=TODAY)
    assert summary.new_enterprises == () and summary.changes.concerns(changes.ENTERPRISE)
    assert enterprises.get_enterprise(o.ws, known.id).credit_code == OTHER_CODE


def test_the_credit_code_is_checked(o):
    problems = rejected(o.ws, ledger_row(credit_code="914403001922038217"),
                        ledger_row(number="X", name="另一项目", builder="新公司", credit_code="9135"))
    assert where(problems) == [(2, "credit_code"), (3, "credit_code")]
    assert "check character" in problems[0].reason and "18" in problems[1].reason


def test_a_code_that_contradicts_the_register_or_an_ambiguous_name_is_an_error(o):
    enterprises.save_enterprise(o.ws, None, EnterpriseInput("青溪县砂石场"))
    enterprises.save_enterprise(o.ws, None, EnterpriseInput("青溪县砂石场"), allow_duplicate_name=True)
    problems = rejected(o.ws, ledger_row(credit_code=OTHER_CODE),
                        ledger_row(number="X", name="砂石加工", builder="青溪县砂石场", credit_code=None))
    assert where(problems) == [(2, "credit_code"), (3, "builder")]
    assert HONGDA_CODE in problems[0].reason
    assert "Several enterprises" in problems[1].reason


# --- bad rows -----------------------------------------------------------------------------------

def test_dates_out_of_order_name_their_column(o):
    problems = rejected(
        o.ws,
        ledger_row(number="B1", accepted=D("2026-09-20")),                                   # before receipt
        ledger_row(number="B2", accepted=D("2026-09-24"), decided=D("2026-09-23"), approval_no="N2"),
        ledger_row(number="B3", accepted=D("2026-09-24"), pauses=("专家评审 2026-09-28~2026-10-09",),
                   decided=D("2026-10-05"), approval_no="N3"),                                 # inside the pause
        ledger_row(number="B4", notified=D("2026-09-25"), accepted=D("2026-09-24")),
        ledger_row(number="B5", received=D("2026-12-01")),                                    # tomorrow
        ledger_row(number="B6", early_involvement=D("2026-09-22")),
        ledger_row(number="B7", accepted=D("2026-09-24"), withdrawn=D("2026-09-23")))
    assert where(problems) == [(2, "accepted"), (3, "decided"), (4, "decided"), (4, "pauses"), (5, "accepted"),
                               (6, "received"), (7, "received"), (8, "withdrawn")]
    assert "cannot be before receipt (2026-09-21)" in problems[0].reason
    assert "2026-09-24" in problems[1].reason
    assert "cannot be in the future" in problems[5].reason


def test_a_decision_needs_its_number_its_date_and_an_acceptance(o):
    problems = rejected(
        o.ws,
        ledger_row(number="D1", accepted=D("2026-09-24"), decided=D("2026-10-13")),
        ledger_row(number="D2", accepted=D("2026-09-24"), approval_no="青环审〔2026〕1号"),
        ledger_row(number="D3", decided=D("2026-10-13"), approval_no="青环审〔2026〕2号"),
        ledger_row(number="D4", accepted=D("2026-09-24"), decision="不予批准"))
    assert where(problems) == [(2, "approval_no"), (3, "decided"), (4, "accepted"), (5, "decided"),
                               (5, "approval_no")]
    assert "批复文号" in problems[0].reason


def test_steps_a_registration_form_or_an_exempt_project_cannot_have(o):
    problems = rejected(
        o.ws,
        ledger_row(number="R1", document_type="登记表", accepted=D("2026-09-21"), decided=D("2026-09-21")),
        ledger_row(number="R2", document_type="登记表", approval_no="备案号1"),
        ledger_row(number="R3", track="豁免", accepted=D("2026-09-22"), decided=D("2026-09-23"), approval_no="N"),
        ledger_row(number="R4", document_type="登记表", track="绿色通道", decided=D("2026-09-21")))
    assert where(problems) == [(2, "accepted"), (3, "decided"), (4, "accepted"), (4, "decided"), (4, "approval_no"),
                               (5, "track")]
    assert "filed on the day it arrives" in problems[0].reason
    assert "exempt" in problems[2].reason.casefold()
    assert "registration form" in problems[5].reason


def test_pauses_that_do_not_fit_the_case(o):
    problems = rejected(
        o.ws,
        ledger_row(number="P1", pauses=("专家评审 2026-09-28~2026-10-09",)),                  # never accepted
        ledger_row(number="P2", accepted=D("2026-09-24"), pauses=("专家评审 2026-09-28~2026-10-09",
                                                                  "公示 2026-10-05~2026-10-12")),
        ledger_row(number="P3", accepted=D("2026-09-24"), pauses=("公示 2026-09-28~",), decided=D("2026-10-20"),
                   approval_no="N3"),
        ledger_row(number="P4", accepted=D("2026-09-24"), pauses=("开会 2026-09-28~2026-10-09", "专家评审")))
    assert where(problems) == [(2, "pauses"), (3, "pauses"), (4, "pauses"), (5, "pauses"), (5, "pauses")]
    assert "overlap" in problems[1].reason and "past the decision" in problems[2].reason
    assert problems[3].value == "开会 2026-09-28~2026-10-09"


def test_labels_and_project_fields_are_checked(o):
    problems = rejected(
        o.ws,
        ledger_row(number="L1", document_type="报告册", track="快速通道", nature="迁建"),
        ledger_row(number="L2", project_code="2026-35-13", category="999", town="不存在镇"),
        ledger_row(number="L3", total_investment=100, env_investment=180),
        ledger_row(number="L4", total_investment=-5, key_project="也许"),
        ledger_row(number="L5", name=None, builder="  ", document_type=None))
    assert where(problems) == [(2, "document_type"), (2, "track"), (2, "nature"), (3, "project_code"),
                               (3, "town"), (3, "category"), (4, "env_investment"), (5, "total_investment"),
                               (5, "key_project"), (6, "name"), (6, "document_type"), (6, "builder")]
    assert "报告册" in problems[0].reason and DocumentType.REPORT_BOOK.msgid in problems[0].reason
    assert "999" in problems[5].reason


def test_every_problem_of_every_row_is_reported_at_once_and_nothing_is_written(o_any):
    o = o_any
    problems = rejected(
        o.ws,
        ledger_row(number="OK-1", builder="一家新公司", credit_code=None),   # good, and would add a builder
        ledger_row(number="E-2", document_type="报告册", accepted=D("2026-09-20"), approval_no="N-1"),
        ledger_row(number="OK-3", name="另一项目"),
        ledger_row(number="E-4", name="第三项目", credit_code="91350100M000100Y4Z", town="不存在镇",
                   decided=D("2026-10-01"), approval_no="N-1"))
    assert where(problems) == [(3, "document_type"), (3, "accepted"), (5, "town"), (5, "credit_code"),
                               (5, "approval_no"), (5, "accepted")]
    assert "also row 3" in problems[4].reason
    assert enterprises.find_enterprise(o.ws, "一家新公司") is None


def test_numbers_used_twice_in_the_file_or_already_in_the_database(o):
    approvals.register(o.ws, ProjectInput("已登记项目", o.hongda.id, "report_form"), received_on=D("2026-08-03"),
                       number="SP-2026-0007", today=TODAY)
    existing, = approvals.list_cases(o.ws, today=TODAY)
    approvals.accept(o.ws, existing.id, D("2026-08-04"), today=TODAY)
    approvals.decide(o.ws, existing.id, "approved", D("2026-08-20"), "青环审〔2026〕7号", today=TODAY)
    problems = rejected(
        o.ws,
        ledger_row(number="SP-2026-0007"),                                   # another project's number
        ledger_row(number="SP-2026-0102", name="已登记项目", received=D("2026-08-03")),   # known as SP-2026-0007
        ledger_row(number="SP-2026-0103", name="甲", accepted=D("2026-09-22"), decided=D("2026-10-09"),
                   approval_no="青环审〔2026〕7号"),
        ledger_row(number="SP-2026-0104", name="乙"), ledger_row(number="SP-2026-0104", name="丙"),
        ledger_row(number="SP-2026-0105", name="乙"))                      # the same project twice
    assert where(problems) == [(2, "number"), (3, "number"), (4, "approval_no"), (6, "number"), (7, "name")]
    assert "已登记项目" in problems[0].reason and "SP-2026-0007" in problems[1].reason
    assert "SP-2026-0007" in problems[2].reason
    assert "also row 5" in problems[3].reason and "also row 5" in problems[4].reason


# --- importing again ----------------------------------------------------------------------------

def test_importing_a_grown_ledger_adds_only_the_new_rows(o_any):
    o = o_any
    first = [ledger_row(number="G-1"), ledger_row(number="G-2", name="二号项目", accepted=D("2026-09-24"))]
    import_approvals(o.ws, rows(*first), today=TODAY)
    # The clerk went on with G-2 in EnvDesk; the ledger gained a row and is imported again.
    g2 = case(o.ws, "G-2")
    approvals.decide(o.ws, g2.id, "approved", D("2026-10-13"), "青环审〔2026〕50号", expected_version=g2.version,
                     today=TODAY)
    before = counts(o.ws)
    summary = import_approvals(o.ws, rows(*first, ledger_row(number="G-3", name="三号项目",
                                                             received=D("2026-11-02"))), today=TODAY)
    assert (summary.created, summary.skipped) == (1, ("G-1", "G-2"))
    assert case(o.ws, "G-2").status is Status.APPROVED  # left as it is
    assert counts(o.ws)[0] == before[0] + 1


def test_a_ledger_without_numbers_is_matched_by_project_and_received_date(o):
    ledger = [ledger_row(number=None), ledger_row(number=None, name="二号项目", received=D("2026-10-08"))]
    first = import_approvals(o.ws, rows(*ledger), today=TODAY)
    again = import_approvals(o.ws, rows(*ledger, ledger_row(number=None, name="年产5万吨 饲料加工项目",
                                                            received=D("2026-11-02"))), today=TODAY)
    assert (first.created, again.created, again.skipped) == (2, 1, ("SP-2026-0001", "SP-2026-0002"))
    assert approvals.count_cases(o.ws) == 3


def test_rows_without_a_number_follow_the_highest_of_their_year(o):
    approvals.register(o.ws, ProjectInput("已登记项目", o.hongda.id, "report_form"), received_on=D("2026-08-03"),
                       number="SP-2026-0007", today=TODAY)
    import_approvals(o.ws, rows(ledger_row(number=None), ledger_row(number="SP-2026-0041", name="乙"),
                                ledger_row(number=None, name="丙", received=D("2025-12-30"))), today=TODAY)
    assert sorted(c.number for c in approvals.list_cases(o.ws, today=TODAY)) == [
        "SP-2025-0001", "SP-2026-0007", "SP-2026-0041", "SP-2026-0042"]


def test_check_only_writes_nothing_not_even_a_builder(o):
    known, _c = enterprises.save_enterprise(o.ws, None, EnterpriseInput("青溪县新能科技有限公司"))
    before = counts(o.ws)
    summary = import_approvals(o.ws, rows(ledger_row(builder="一家新公司", credit_code=None),
                                          ledger_row(number="X", name="乙", builder="青溪县新能科技有限公司",
                                                     credit_code=OTHER_CODE)), check_only=True, today=TODAY)
    assert (summary.created, summary.new_enterprises) == (0, ("一家新公司",))
    assert counts(o.ws) == before
    assert enterprises.get_enterprise(o.ws, known.id).credit_code == ""


# --- export -------------------------------------------------------------------------------------

def _by_the_use_cases(ws):
    """A bureau's year, entered step by step through the use cases."""
    o = _office(ws)

    def project(name, doc="report_form", **kw):
        return ProjectInput(name, o.hongda.id, doc, **kw)

    def new(data, received=None, early=None, number=""):
        return approvals.register(ws, data, received_on=received, early_involvement_on=early, number=number,
                                  today=TODAY)[0].id

    first = new(project("年产5万吨饲料加工项目", project_code="2026-350100-13-03-000123", location="城关镇工业园",
                        town_id=o.town.id, category=8, total_investment="3200", env_investment="180.5",
                        key_project=True, nature="expansion", contact_person="王工", preparing_institution="某环科院"),
                D("2026-09-21"), number="SP-2026-0101")
    approvals.request_materials(ws, first, D("2026-09-23"), ["盖章版报告表"], today=TODAY)
    approvals.accept(ws, first, D("2026-09-24"), today=TODAY)
    approvals.pause(ws, first, "expert_review", D("2026-09-28"), "专家技术评审会", today=TODAY)
    approvals.resume(ws, first, D("2026-10-09"), today=TODAY)
    approvals.decide(ws, first, "approved", D("2026-10-13"), "青环审〔2026〕41号", today=TODAY)
    book = new(project("化工园区扩建项目", "report_book", track="green_channel", sensitive_area=True), D("2026-10-08"))
    approvals.accept(ws, book, D("2026-10-20"), today=TODAY)
    paused = new(project("污水处理厂提标项目"), D("2026-11-02"))
    approvals.accept(ws, paused, D("2026-11-03"), today=TODAY)
    approvals.pause(ws, paused, "public_notice", D("2026-11-10"), "拟批准公示", today=TODAY)
    refused = new(project("小冶炼项目", level="delegated"), D("2026-06-01"))
    approvals.accept(ws, refused, D("2026-06-02"), today=TODAY)
    approvals.decide(ws, refused, "not_approved", D("2026-06-20"), "青环审〔2026〕12号", today=TODAY)
    filed = new(project("加油站改造", "registration_form", nature="renovation"), D("2026-10-10"))
    approvals.file_registration(ws, filed, D("2026-10-10"), "202635010000000123", today=TODAY)
    new(project("仓储项目", "registration_form", track="exempt"), D("2026-03-02"))
    gone = new(project("撤回项目"), D("2026-07-01"))
    approvals.accept(ws, gone, D("2026-07-02"), today=TODAY)
    approvals.pause(ws, gone, "applicant_revision", D("2026-07-06"), "补充监测", today=TODAY)
    approvals.withdraw(ws, gone, D("2026-07-20"), "建设单位撤回", today=TODAY)
    new(project("前期项目"), early=D("2026-11-02"))
    new(project("收件项目"), D("2026-11-25"))
    older = new(project("去年项目"), D("2025-12-29"), early=D("2025-11-03"))
    approvals.accept(ws, older, D("2025-12-30"), today=TODAY)
    return o


def test_the_export_carries_labels_dates_and_the_stored_clocks(ws):
    _by_the_use_cases(ws)
    exported = approval_rows(ws, 2026, "en")
    assert len(exported) == 9 and all(r["received"] or r["early_involvement"] for r in exported)
    assert exported[0]["name"] == "仓储项目"  # in the order cases entered the register
    first = next(r for r in exported if r["number"] == "SP-2026-0101")
    assert (first["document_type"], first["track"], first["nature"], first["status"], first["decision"]) == (
        DocumentType.REPORT_FORM.msgid, Track.NORMAL.msgid, Nature.EXPANSION.msgid, Status.APPROVED.msgid,
        Outcome.APPROVED.msgid)
    assert (first["builder"], first["credit_code"], first["town"], first["category"].split()[0]) == (
        HONGDA, HONGDA_CODE, "城关镇", "8")
    assert first["pauses"] == (f"{PauseKind.EXPERT_REVIEW.msgid} 2026-09-28~2026-10-09",)
    assert (first["statutory_due"], first["promised_due"], first["working_days"]) == (
        D("2026-11-19"), D("2026-10-19"), 3)
    assert (first["notified"], first["accepted"], first["decided"], first["approval_no"]) == (
        D("2026-09-23"), D("2026-09-24"), D("2026-10-13"), "青环审〔2026〕41号")
    filed = next(r for r in exported if r["name"] == "加油站改造")
    assert (filed["status"], filed["decision"], filed["approval_no"]) == (Status.FILED.msgid, "", "202635010000000123")
    assert [r["number"] for r in approval_rows(ws, 2025, "en")] == ["SP-2025-0001"]
    assert len(approval_rows(ws, None, "en")) == 10

    zh = approval_rows(ws, 2026, "zh_CN")
    first_zh = next(r for r in zh if r["number"] == "SP-2026-0101")
    assert first_zh["document_type"] == gettext_for("zh_CN", DocumentType.REPORT_FORM.msgid)
    assert first_zh["status"] == gettext_for("zh_CN", Status.APPROVED.msgid)
    assert approval_rows(ws, 2026, "bilingual") == zh


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_export_then_import_into_a_fresh_database_gives_the_same_cases_and_clocks(any_ws, tmp_path, language):
    _by_the_use_cases(any_ws)
    exported = approval_rows(any_ws, None, language)
    fresh = Workspace(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", user=TESTER)
    try:
        reference.save_town(fresh, None, "城关镇")
        summary = import_approvals(fresh, rows(*exported), today=TODAY)
        assert (summary.created, summary.new_enterprises) == (10, (HONGDA,))
        assert approval_rows(fresh, None, language) == exported
        for row in exported:
            before, after = case(any_ws, row["number"]), case(fresh, row["number"])
            assert (after.status, after.clocks, after.next_due, after.statutory_used, after.working_days_used) == (
                before.status, before.clocks, before.next_due, before.statutory_used, before.working_days_used)
            assert [(p.kind, p.start, p.end) for p in after.pauses] == [(p.kind, p.start, p.end)
                                                                        for p in before.pauses]
        again = import_approvals(fresh, rows(*exported), today=TODAY)  # the same file once more
        assert (again.created, len(again.skipped)) == (0, 10)
    finally:
        fresh.close()


# --- scale --------------------------------------------------------------------------------------

def _credit_code(n: int) -> str:
    first = f"91330100MA{n:07d}"
    return first + check_character(first)


def test_ten_thousand_rows_import_in_seconds(o):
    """A year of a large county: 10,000 applications from 2,000 builders (all new to the register)."""
    ledger = []
    docs = ("报告表", "报告书", "登记表")
    for n in range(10_000):
        received = D("2025-01-02") + timedelta(days=n * 360 // 10_000)
        recent = received > D("2025-11-20")
        row = ledger_row(number=None, name=f"建设项目{n}", builder=f"青溪县企业{n % 2000}",
                         credit_code=_credit_code(n % 2000), document_type=docs[n % 3],
                         track="绿色通道" if n % 5 == 0 and n % 3 != 2 else "普通", received=received, town="城关镇",
                         category=str(1 + n % 50), total_investment=1000 + n, env_investment=50)
        if docs[n % 3] == "登记表":
            if not recent or n % 2:
                row["decided"] = received
        else:
            row["accepted"] = received + timedelta(days=2)
            if n % 7 == 0:
                row["pauses"] = (f"专家评审 {received + timedelta(days=5)}~{received + timedelta(days=12)}",)
            if not recent:
                row.update(decided=received + timedelta(days=25), approval_no=f"青环审〔2025〕{n}号")
        ledger.append(row)
    started = time.perf_counter()
    summary = import_approvals(o.ws, rows(*ledger), today=D("2026-01-20"))
    elapsed = time.perf_counter() - started
    print(f"\n10,000-row approvals ledger imported in {elapsed:.2f} s ({10_000 / elapsed:,.0f} rows/s)")
    assert (summary.created, summary.enterprises_created) == (10_000, 2000)
    assert approvals.count_cases(o.ws) == 10_000
    assert elapsed < 60  # 3-6 s on a developer laptop; generous for CI
