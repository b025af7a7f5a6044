"""The approvals ledger as a file: zh and en headers and the aliases offices use, a title banner over merged cells,
every problem located by row and header as written with nothing written, and export → import into a fresh
database with the same cases and clocks."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest
from exchange_helpers import make_csv, make_xlsx
from sqlalchemy import func, select

from envdesk.app import approvals, enterprises, reference
from envdesk.app.access import Principal
from envdesk.app.approvals_exchange import approval_rows, import_approvals
from envdesk.app.enterprises import EnterpriseInput
from envdesk.app.workspace import Workspace
from envdesk.domain.approvals import ClockKind, DocumentType, Status, Track
from envdesk.exchange import ImportFailed, import_file, write_table
from envdesk.exchange.approvals import APPROVALS, IMPORTED
from envdesk.store.approvals import ApprovalRow
from envdesk.store.twinning import EnterpriseRow

TESTER = Principal.trusted("tester")

TODAY = date(2026, 11, 30)

# The issue's columns, in both languages.
ZH_HEADERS = ["编号", "项目名称", "建设单位", "统一社会信用代码", "文件类型", "审批通道", "收到日期", "受理日期", "审批日期",
              "批复文号"]
EN_HEADERS = ["No.", "Project", "Builder", "Credit code", "Document type", "Track", "Received", "Accepted", "Decided",
              "Approval No."]


@pytest.fixture
def office(ws):
    reference.save_town(ws, None, "城关镇")
    enterprises.save_enterprise(ws, None, EnterpriseInput("青溪县宏达化工有限公司", credit_code="91350100M000100Y43"))
    return ws


def _import(ws, path):
    return import_file(path, APPROVALS, lambda rows, check_only: import_approvals(ws, rows, check_only, today=TODAY))


def _counts(ws):
    with ws.reading() as session:
        return (session.scalar(select(func.count()).select_from(ApprovalRow)),
                session.scalar(select(func.count()).select_from(EnterpriseRow)))


def test_the_layout_has_the_issues_headers_in_both_languages_and_the_computed_clocks():
    zh = [column.header_zh for column in APPROVALS.columns]
    en = [column.header_en for column in APPROVALS.columns]
    assert [h for h in zh if h in ZH_HEADERS] == ZH_HEADERS
    assert [h for h in en if h in EN_HEADERS] == EN_HEADERS
    assert zh[-4:] == ["法定期限", "承诺期限", "状态", "用时（工作日）"]
    assert en[-4:] == ["Statutory due", "Promised due", "Status", "Working days used"]
    assert set(IMPORTED) < {column.key for column in APPROVALS.columns}


@pytest.mark.parametrize(("alias", "key"), [
    ("建设项目名称", "name"), ("审批文号", "approval_no"), ("批复日期", "decided"), ("环评文件类型", "document_type"),
    ("审批方式", "track"), ("项目总投资(万元)", "total_investment"), ("总投资（万元）", "total_investment"),
    ("一次性告知日期", "notified"), ("是否重点项目", "key_project"), ("*建设单位", "builder"),
    ("统一社会\n信用代码", "credit_code"), ("投资项目代码", "project_code"), ("approval no.", "approval_no")])
def test_headers_offices_use(alias, key):
    assert APPROVALS.match(alias).key == key


def test_a_chinese_ledger_with_a_title_banner_and_aliases(office, tmp_path):
    path = make_xlsx(tmp_path / "环评审批台账.xlsx", [
        ["2026年建设项目环评审批台账"],                                            # a banner over merged cells
        ["填报单位：青溪县生态环境分局"],
        ["编号", "建设项目名称", "建设单位", "统一社会信用代码", "环评文件类型", "审批方式", "收到日期", "受理日期",
         "专家评审", "批复日期", "审批文号", "总投资（万元）", "是否重点项目", "乡镇"],
        ["SP-2026-0101", "年产5万吨饲料加工项目", "青溪县宏达化工有限公司", "91350100M000100Y43", "报告表", "普通",
         datetime(2026, 9, 21), "2026-09-24", None, "2026年10月13日", "青环审〔2026〕41号", 3200, "是", "城关镇"],
        ["SP-2026-0102", "化工园区扩建项目", "青溪县新材料有限公司", "914403001922038216", "报告书", "绿色通道",
         "2026/10/8", None, None, None, None, "12,000", "否", None],
        ["SP-2026-0103", "加油站改造", "青溪县某加油站", None, "登记表", None, "2026-10-10", None, None, "2026-10-10",
         None, None, None, None],
    ], merges=["A1:N1", "A2:N2"])
    summary, result = _import(office, path)
    assert (summary.created, summary.skipped, summary.new_enterprises) == (
        3, (), ("青溪县新材料有限公司", "青溪县某加油站"))
    assert (result.header_row, result.headers["name"], result.headers["approval_no"]) == (3, "建设项目名称", "审批文号")
    assert any("专家评审" in warning for warning in result.warnings)  # a column EnvDesk does not know
    first = approvals.get_case(office, approvals.find_case(office, "SP-2026-0101"), today=TODAY)
    assert (first.status, first.decided_on, first.document_number, first.key_project, first.town) == (
        Status.APPROVED, date(2026, 10, 13), "青环审〔2026〕41号", True, "城关镇")
    assert first.builder_credit_code == "91350100M000100Y43"
    book = approvals.get_case(office, approvals.find_case(office, "SP-2026-0102"), today=TODAY)
    assert (book.document_type, book.track, book.status, book.total_investment) == (
        DocumentType.REPORT_BOOK, Track.GREEN_CHANNEL, Status.RECEIVED, 12000)
    filed = approvals.get_case(office, approvals.find_case(office, "SP-2026-0103"), today=TODAY)
    assert (filed.status, filed.track, filed.document_number) == (Status.FILED, Track.NORMAL, "")


def test_an_english_ledger_in_csv(office, tmp_path):
    path = make_csv(tmp_path / "approvals.csv", [
        EN_HEADERS + ["Pauses"],
        ["", "Riverside sewage plant upgrade", "青溪县宏达化工有限公司", "", "Report form", "Green channel",
         "2026-09-21", "2026-09-24", "", "", "Expert review 2026-09-28~2026-10-09"],
    ], "utf-8-sig")
    summary, _result = _import(office, path)
    assert summary.created == 1
    case = approvals.get_case(office, approvals.find_case(office, "SP-2026-0001"), today=TODAY)
    assert (case.track, case.status, case.builder) == (Track.GREEN_CHANNEL, Status.UNDER_REVIEW,
                                                       "青溪县宏达化工有限公司")
    assert [(p.start, p.end) for p in case.pauses] == [(date(2026, 9, 28), date(2026, 10, 9))]
    assert case.clock(ClockKind.PROMISED).deadline.paused_days > 0


def test_problems_name_the_row_and_the_header_as_written_and_nothing_is_written(office, tmp_path):
    path = make_xlsx(tmp_path / "ledger.xlsx", [
        ["编号", "建设项目名称", "建设单位", "统一社会信用代码", "文件类型", "审批通道", "收到日期", "受理日期", "批复日期",
         "审批文号"],
        ["A1", "甲项目", "一家新公司", None, "报告表", "普通", "2026-09-21", None, None, None],            # fine
        ["A2", "乙项目", "青溪县宏达化工有限公司", None, "报告册", "普通", "2026-09-21", "2026-09-20", None, None],
        ["A3", "丙项目", "青溪县宏达化工有限公司", "914403001922038217", "报告表", "普通", "9月21日", None, None,
         None],
        ["A4", "丁项目", "青溪县宏达化工有限公司", None, "报告表", "普通", "2026-09-21", "2026-09-22", "2026-10-09",
         None],
    ])
    before = _counts(office)
    with pytest.raises(ImportFailed) as info:
        _import(office, path)
    found = [(e.row, e.column, e.value) for e in info.value.errors]
    assert found == [(3, "文件类型", "报告册"), (3, "受理日期", "2026-09-20"), (4, "收到日期", "9月21日"),
                     (5, "审批文号", "")]
    assert "批复文号" in info.value.errors[-1].reason
    assert _counts(office) == before  # not even the new builder of the good row


def test_importing_the_same_file_again_skips_its_rows(office, tmp_path):
    header_and_row = [ZH_HEADERS, ["SP-2026-0101", "年产5万吨饲料加工项目", "青溪县宏达化工有限公司", None, "报告表", "普通",
                                   "2026-09-21"]]
    _import(office, make_xlsx(tmp_path / "a.xlsx", header_and_row))
    summary, _result = _import(office, make_xlsx(tmp_path / "b.xlsx", [
        *header_and_row, ["", "新项目", "青溪县宏达化工有限公司", None, "登记表", "普通", "2026-11-02", None, "2026-11-02"]]))
    assert (summary.created, summary.skipped) == (1, ("SP-2026-0101",))
    changed = [ZH_HEADERS, ["SP-2026-0101", "另一个项目", "青溪县宏达化工有限公司", None, "报告表", "普通", "2026-09-22"]]
    with pytest.raises(ImportFailed) as info:
        _import(office, make_xlsx(tmp_path / "c.xlsx", changed))
    (error,) = info.value.errors
    assert (error.row, error.column, error.value) == (2, "编号", "SP-2026-0101")


def _a_year(ws):
    """Cases at every step, imported (the use cases' own path is compared in the unit tests)."""
    reference.save_town(ws, None, "城关镇")
    D = date.fromisoformat
    base = {"builder": "青溪县宏达化工有限公司", "credit_code": "91350100M000100Y43", "document_type": "report_form"}
    import_approvals(ws, [(n + 2, {**base, **row}) for n, row in enumerate([
        {"number": "SP-2026-0101", "name": "年产5万吨饲料加工项目", "received": D("2026-09-21"),
         "notified": D("2026-09-23"), "accepted": D("2026-09-24"), "pauses": ("专家评审 2026-09-28~2026-10-09",),
         "decided": D("2026-10-13"), "approval_no": "青环审〔2026〕41号", "town": "城关镇", "category": "8",
         "total_investment": 3200, "env_investment": "180.50", "key_project": True, "nature": "扩建",
         "project_code": "2026-350100-13-03-000123", "location": "城关镇工业园", "contact_person": "王工",
         "contact_phone": "0571-88886666", "sensitive_area": True, "planned_start": D("2027-03-01")},
        {"number": "SP-2026-0102", "name": "化工园区扩建项目", "document_type": "报告书", "track": "绿色通道",
         "received": D("2026-10-08"), "accepted": D("2026-10-20")},
        {"number": "SP-2026-0103", "name": "污水处理厂提标项目", "received": D("2026-11-02"),
         "accepted": D("2026-11-03"), "pauses": ("公示 2026-11-10~",)},
        {"number": "SP-2026-0104", "name": "小冶炼项目", "received": D("2026-06-01"), "accepted": D("2026-06-02"),
         "decided": D("2026-06-20"), "decision": "不予批准", "approval_no": "青环审〔2026〕12号", "level": "委托"},
        {"number": "SP-2026-0105", "name": "加油站改造", "document_type": "登记表", "received": D("2026-10-10"),
         "decided": D("2026-10-10"), "approval_no": "202635010000000123"},
        {"number": "SP-2026-0106", "name": "仓储项目", "document_type": "登记表", "track": "豁免",
         "received": D("2026-03-02")},
        {"number": "SP-2026-0107", "name": "撤回项目", "received": D("2026-07-01"), "accepted": D("2026-07-02"),
         "pauses": ("补正 2026-07-06~",), "withdrawn": D("2026-07-20")},
        {"number": "SP-2026-0108", "name": "前期项目", "early_involvement": D("2026-11-02")},
        {"number": "SP-2026-0109", "name": "收件项目", "received": D("2026-11-25"), "notified": D("2026-11-26")},
    ])], today=TODAY)


@pytest.mark.parametrize(("suffix", "language"), [(".xlsx", "zh_CN"), (".csv", "en"), (".xlsx", "bilingual")])
def test_export_then_import_into_a_fresh_database(ws, tmp_path, suffix, language):
    _a_year(ws)
    exported = approval_rows(ws, 2026, language)
    path = tmp_path / f"approvals{suffix}"
    assert write_table(path, APPROVALS, exported, language) == 9
    fresh = Workspace(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", user=TESTER)
    try:
        reference.save_town(fresh, None, "城关镇")
        summary, result = _import(fresh, path)
        assert (summary.created, result.warnings) == (9, [])
        assert approval_rows(fresh, 2026, language) == exported
        for row in exported:
            before = approvals.get_case(ws, approvals.find_case(ws, row["number"]), today=TODAY)
            after = approvals.get_case(fresh, approvals.find_case(fresh, row["number"]), today=TODAY)
            assert (after.status, after.clocks) == (before.status, before.clocks)
            assert [(p.kind, p.start, p.end) for p in after.pauses] == [(p.kind, p.start, p.end)
                                                                        for p in before.pauses]
        again, _result = _import(fresh, path)
        assert (again.created, len(again.skipped)) == (0, 9)
    finally:
        fresh.close()


def test_the_exported_file_has_the_headers_and_the_stored_due_dates(ws, tmp_path):
    _a_year(ws)
    path = tmp_path / "approvals.xlsx"
    write_table(path, APPROVALS, approval_rows(ws, 2026, "zh_CN"), "zh_CN")
    sheet = openpyxl.load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["编号", "项目名称", "项目代码"]
    values = {number: dict(zip(header, (c.value for c in row), strict=True))
              for number, row in ((row[0].value, row) for row in sheet.iter_rows(min_row=2))}
    first = values["SP-2026-0101"]
    assert (first["法定期限"].date(), first["承诺期限"].date(), first["用时（工作日）"]) == (
        date(2026, 11, 19), date(2026, 10, 19), 3)
    assert (first["重点项目"], first["涉及环境敏感区"], first["总投资（万元）"]) == ("是", "是", 3200)
    assert first["暂停计时"].endswith("2026-09-28~2026-10-09")
    assert values["SP-2026-0108"]["法定期限"] is None  # still being prepared: no clock yet
