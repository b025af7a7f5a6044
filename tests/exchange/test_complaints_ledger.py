"""The complaints ledger as a file: zh and en headers, every problem located by row and header as written,
masked exports, export → import into a fresh database, and a 2,000-row ledger in reasonable time."""

from __future__ import annotations

import time
from datetime import date, datetime

import openpyxl
import pytest
from exchange_helpers import make_csv, make_xlsx

from envdesk.app import complaints, reference
from envdesk.app.access import Principal
from envdesk.app.complaints_exchange import complaint_rows, import_complaints
from envdesk.app.workspace import Workspace
from envdesk.domain.complaints import Channel, Status
from envdesk.exchange import ImportFailed, import_file, write_table
from envdesk.exchange.complaints import COMPLAINTS, IMPORTED

TESTER = Principal.trusted("tester")

TODAY = date(2026, 6, 1)

ZH_HEADERS = ["编号", "来源渠道", "收到日期", "反映人", "联系电话", "被反映对象", "乡镇", "污染类型", "反映内容",
              "受理日期", "答复日期", "办结日期"]
EN_HEADERS = ["No.", "Channel", "Received", "Complainant", "Phone", "Subject", "Town", "Pollution types", "Content",
              "Accepted", "Replied", "Closed"]


@pytest.fixture
def office(ws):
    reference.save_town(ws, None, "白沙镇")
    reference.save_town(ws, None, "城关镇")
    return ws


def _import(ws, path):
    summary, result = import_file(path, COMPLAINTS,
                                  lambda rows, check_only: import_complaints(ws, rows, check_only, today=TODAY))
    return summary, result


def test_the_layout_has_the_issues_headers_in_both_languages_and_the_computed_clocks():
    zh = [column.header_zh for column in COMPLAINTS.columns]
    en = [column.header_en for column in COMPLAINTS.columns]
    assert [h for h in zh if h in ZH_HEADERS] == ZH_HEADERS
    assert [h for h in en if h in EN_HEADERS] == EN_HEADERS
    assert {"受理期限", "办结期限"} <= set(zh) and {"Acceptance due", "Handling due"} <= set(en)
    assert set(IMPORTED) < {column.key for column in COMPLAINTS.columns}


def test_a_chinese_ledger_as_bureaus_keep_it(office, tmp_path):
    path = make_xlsx(tmp_path / "信访台账.xlsx", [
        ["2026年环境信访台账"],                                             # a banner above the header row
        [*ZH_HEADERS[:7], "污染类别", *ZH_HEADERS[8:]],                     # an alias
        ["XF-2026-0001", "12345热线", datetime(2026, 3, 2, 10, 15), "张伟", 13812345678, "城西夜市烧烤摊", "白沙镇",
         "油烟、噪音", "夜市烧烤油烟直排", datetime(2026, 3, 3), datetime(2026, 3, 6), None],
        ["XF-2026-0002", "来信", "2026年3月5日", "匿名", None, "城关镇砖厂", "城关镇", "扬尘;噪声",
         "砖厂粉尘大", "2026-03-06", None, None],
    ], merges=["A1:L1"])
    summary, result = _import(office, path)
    assert (summary.created, summary.skipped) == (2, ())
    assert result.headers["pollution_types"] == "污染类别"
    first = complaints.get_complaint(office, complaints.find_by_number(office, "XF-2026-0001"), reveal=True,
                                     today=TODAY)
    assert (first.channel, first.status, first.replied_on) == (Channel.HANDOFF_12345, Status.REPLIED, date(2026, 3, 6))
    assert first.complainant.phone == "13812345678"
    assert first.pollution_types == ("cooking_fumes", "noise")
    second = complaints.get_complaint(office, complaints.find_by_number(office, "XF-2026-0002"), today=TODAY)
    assert second.complainant.anonymous and second.received_date == date(2026, 3, 5)


def test_an_english_ledger_in_csv(office, tmp_path):
    path = make_csv(tmp_path / "ledger.csv", [
        EN_HEADERS,
        ["C-1", "12369", "2026-04-01 08:30", "Li Na", "13900001111", "Riverside car wash", "白沙镇",
         "Domestic sewage, other", "Waste water into the river", "", "", ""],
    ], "utf-8-sig")
    summary, _result = _import(office, path)
    assert summary.created == 1
    complaint = complaints.get_complaint(office, complaints.find_by_number(office, "C-1"), today=TODAY)
    assert complaint.channel is Channel.HOTLINE_12369 and complaint.pollution_types == ("domestic_water", "other")


def test_problems_name_the_row_and_the_header_as_written_and_nothing_is_written(office, tmp_path):
    path = make_xlsx(tmp_path / "ledger.xlsx", [
        ZH_HEADERS,
        ["XF-2026-0001", "来信", "2026-03-02", "张伟", "", "某厂", "白沙镇", "噪声", "夜间噪声", "", "", ""],
        ["XF-2026-0002", "信鸽", "2026-03-02", "张伟", "", "某厂", "白沙镇", "噪声", "夜间噪声", "", "", ""],
        ["XF-2026-0003", "来信", "2026-03-10", "张伟", "", "某厂", "白沙镇", "噪声", "夜间噪声", "2026-03-10",
         "2026-03-01", ""],
        ["XF-2026-0001", "来信", "3月2日", "张伟", "", "某厂", "白沙镇", "噪声", "夜间噪声", "", "", ""],
    ])
    with pytest.raises(ImportFailed) as info:
        _import(office, path)
    found = [(e.row, e.column, e.value) for e in info.value.errors]
    assert found == [(3, "来源渠道", "信鸽"), (4, "答复日期", "2026-03-01"), (5, "收到日期", "3月2日")]
    assert "信鸽" in info.value.errors[0].reason
    assert complaints.count_complaints(office) == 0


def test_a_number_already_used_is_reported_on_its_row(office, tmp_path):
    header_and_row = [ZH_HEADERS, ["XF-2026-0001", "来信", "2026-03-02", "", "", "某厂", "白沙镇", "噪声", "夜间噪声"]]
    _import(office, make_xlsx(tmp_path / "a.xlsx", header_and_row))
    changed = [ZH_HEADERS, ["XF-2026-0001", "来信", "2026-03-09", "", "", "某厂", "白沙镇", "噪声", "白天噪声"]]
    with pytest.raises(ImportFailed) as info:
        _import(office, make_xlsx(tmp_path / "b.xlsx", changed))
    (error,) = info.value.errors
    assert (error.row, error.column, error.value) == (2, "编号", "XF-2026-0001")
    summary, _result = _import(office, make_xlsx(tmp_path / "c.xlsx", header_and_row))  # the same ledger again
    assert (summary.created, summary.skipped) == (0, ("XF-2026-0001",))


def _office_with_ledger(ws):
    reference.save_town(ws, None, "白沙镇")
    import_complaints(ws, [
        (2, {"number": "XF-2026-0001", "channel": "来信", "received": datetime(2026, 3, 2, 10, 15),
             "complainant": "张伟", "phone": "13812345678", "address": "白沙镇青溪路12号", "subject": "城西夜市",
             "town": "白沙镇", "location": "夜市东口", "pollution_types": ("油烟", "噪音"), "content": "油烟直排",
             "accepted": date(2026, 3, 5), "replied": date(2026, 4, 1), "closed": date(2026, 4, 20)}),
        (3, {"number": "XF-2026-0002", "channel": "12345", "received": date(2026, 4, 28), "complainant": "匿名",
             "subject": "砖厂", "pollution_types": ("扬尘",), "content": "粉尘大", "accepted": date(2026, 4, 29)}),
        (4, {"number": "XF-2026-0003", "channel": "phone", "received": datetime(2026, 5, 20, 21, 40),
             "complainant": "", "phone": "0571-88886666", "subject": "工地", "pollution_types": ("施工噪声",),
             "content": "夜间施工"}),
    ], today=TODAY)


@pytest.mark.parametrize(("suffix", "language"), [(".xlsx", "zh_CN"), (".csv", "en"), (".xlsx", "bilingual")])
def test_export_then_import_into_a_fresh_database(ws, tmp_path, suffix, language):
    _office_with_ledger(ws)
    exported = complaint_rows(ws, None, None, language, include_identity=True, today=TODAY)
    path = tmp_path / f"ledger{suffix}"
    assert write_table(path, COMPLAINTS, exported, language) == 3
    fresh = Workspace(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", user=TESTER)
    try:
        reference.save_town(fresh, None, "白沙镇")
        summary, result = _import(fresh, path)
        assert (summary.created, result.warnings) == (3, [])
        assert complaint_rows(fresh, None, None, language, include_identity=True, today=TODAY) == exported
        for number in ("XF-2026-0001", "XF-2026-0002", "XF-2026-0003"):
            before = complaints.get_complaint(ws, complaints.find_by_number(ws, number), reveal=True, today=TODAY)
            after = complaints.get_complaint(fresh, complaints.find_by_number(fresh, number), reveal=True,
                                             today=TODAY)
            assert (after.received_at, after.status, after.complainant, after.clocks) == (
                before.received_at, before.status, before.complainant, before.clocks)
    finally:
        fresh.close()


def test_the_exported_file_has_the_headers_and_the_computed_due_dates(ws, tmp_path):
    _office_with_ledger(ws)
    path = tmp_path / "ledger.xlsx"
    write_table(path, COMPLAINTS, complaint_rows(ws, date(2026, 1, 1), date(2026, 12, 31), "zh_CN", today=TODAY))
    sheet = openpyxl.load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    values = {h: cell.value for h, cell in zip(header, sheet[2])}
    assert header[:3] == ["编号", "来源渠道", "收到日期"]
    assert (values["反映人"], values["联系电话"], values["反映人地址"]) == ("（身份信息未导出）", None, None)
    assert (values["受理期限"].date(), values["办结期限"].date()) == (date(2026, 3, 17), date(2026, 5, 6))


def test_an_export_without_identities_is_not_taken_for_anonymous_complaints(ws, tmp_path):
    _office_with_ledger(ws)
    path = tmp_path / "masked.xlsx"
    write_table(path, COMPLAINTS, complaint_rows(ws, None, None, "zh_CN", today=TODAY))
    fresh = Workspace(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", user=TESTER)
    try:
        reference.save_town(fresh, None, "白沙镇")
        with pytest.raises(ImportFailed) as info:
            _import(fresh, path)
        assert {(e.row, e.column) for e in info.value.errors} == {(2, "反映人"), (4, "反映人")}
    finally:
        fresh.close()


def test_a_ledger_of_2000_rows_imports_in_reasonable_time(office, tmp_path):
    channels = ["12345热线", "来信", "12369", "来访", "电话", "网上信访"]
    kinds = ["油烟", "噪音、扬尘", "生活污水", "异味", "施工噪声", "危废"]
    rows = [ZH_HEADERS]
    for n in range(2000):
        received = datetime(2025, 1 + n % 12, 1 + n % 28, 8 + n % 10, n % 60)
        accepted = received.date() if n % 3 else None
        rows.append([f"XF-2025-{n + 1:04d}", channels[n % 6], received, "匿名" if n % 4 == 0 else f"群众{n}",
                     None if n % 4 == 0 else f"138{n:08d}", f"某企业{n % 50}", "白沙镇" if n % 2 else "城关镇",
                     kinds[n % 6], f"第{n}号反映：夜间生产噪声和异味扰民", accepted,
                     accepted if accepted and n % 2 else None, None])
    path = make_xlsx(tmp_path / "big.xlsx", rows)
    started = time.perf_counter()
    summary, _result = _import(office, path)
    elapsed = time.perf_counter() - started
    print(f"\n2,000-row complaints ledger imported in {elapsed:.2f} s")
    assert summary.created == 2000
    assert complaints.count_complaints(office) == 2000
    assert elapsed < 30  # about 2 s on a developer laptop; generous for CI
