"""Importing ledgers: headers in any language and order, title rows, merged cells, encodings, errors."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from envdesk.domain.progress import Cancelled, Progress
from envdesk.exchange import ImportFailed, RowError, read_rows, write_errors, write_table
from envdesk.exchange import sources
from exchange_helpers import LEDGER, make_csv, make_xlsx

ZH_HEADER = ["企业名称", "责任部门", "受理日期", "走访次数", "投资额（万元）", "是否重点", "问题类型", "乡镇"]
EN_HEADER = ["Enterprise name", "Department", "Date received", "Visits", "Investment", "Key case", "Problems", "Town"]
ROW = ["绿源化工有限公司", "执法大队", "2026-03-05", "2", "1,250.5", "是", "噪声、油烟", "城关镇"]
EXPECTED = {
    "name": "绿源化工有限公司",
    "department": "执法大队",
    "received_on": date(2026, 3, 5),
    "visits": 2,
    "investment": Decimal("1250.5"),
    "key_case": True,
    "problems": ("噪声", "油烟"),
    "town": "城关镇",
}


def test_chinese_headers(tmp_path: Path) -> None:
    result = read_rows(make_xlsx(tmp_path / "zh.xlsx", [ZH_HEADER, ROW]), LEDGER)
    assert [(row.row_number, row.values) for row in result.rows] == [(2, EXPECTED)]
    assert result.warnings == [] and result.header_row == 1


def test_english_headers_in_another_case_and_spacing(tmp_path: Path) -> None:
    header = [f"  {name.upper()} " for name in EN_HEADER]
    result = read_rows(make_xlsx(tmp_path / "en.xlsx", [header, ROW]), LEDGER)
    assert result.rows[0].values == EXPECTED


def test_aliases_and_any_order_and_absent_optional_columns(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "order.xlsx", [["乡镇", "受理日期", "单位名称"], ["白沙乡", "2026年3月5日", "甲厂"]])
    result = read_rows(path, LEDGER)
    assert result.rows[0].values == {
        **dict.fromkeys(EXPECTED), "town": "白沙乡", "received_on": date(2026, 3, 5), "name": "甲厂",
    }
    assert set(result.columns) == {"town", "received_on", "name"}


def test_unknown_columns_are_ignored_with_a_warning_naming_them(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "extra.xlsx", [["序号", *ZH_HEADER, "备注"], [1, *ROW, "已回访"]])
    result = read_rows(path, LEDGER)
    assert result.rows[0].values == EXPECTED
    assert len(result.warnings) == 1
    assert "序号" in result.warnings[0] and "备注" in result.warnings[0]


def test_missing_required_columns_are_reported_at_once(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "missing.xlsx", [["标题"], ["责任部门", "乡镇"], ["执法大队", "城关镇"]])
    with pytest.raises(ImportFailed) as failed:
        read_rows(path, LEDGER)
    assert [(error.row, error.column) for error in failed.value.errors] == [(2, "企业名称"), (2, "受理日期")]
    assert all(error.file == "missing.xlsx" for error in failed.value.errors)


def test_missing_columns_are_named_in_the_language_of_the_file(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "missing.xlsx", [["Department", "Town"], ["执法大队", "城关镇"]])
    with pytest.raises(ImportFailed) as failed:
        read_rows(path, LEDGER)
    assert [error.column for error in failed.value.errors] == ["Enterprise name", "Date received"]
    assert "Required column is missing" in str(failed.value)


def test_a_column_given_twice_is_an_error(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "twice.xlsx", [["企业名称", "受理日期", "Enterprise name"], ["甲", "2026-3-5", "乙"]])
    with pytest.raises(ImportFailed) as failed:
        read_rows(path, LEDGER)
    assert [(error.row, error.column) for error in failed.value.errors] == [(1, "Enterprise name")]


def test_no_header_row_is_an_error_naming_expected_columns(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "none.xlsx", [["甲", "乙"], ["1", "2"]])
    with pytest.raises(ImportFailed, match="Enterprise name, Department") as failed:
        read_rows(path, LEDGER)
    assert failed.value.errors[0].row is None


def test_merged_banner_and_merged_department_cells_fill_down(tmp_path: Path) -> None:
    rows = [
        ["2026年度结对服务企业名单"],  # row 1, merged A1:F1
        ["填报单位：某县生态环境分局"],  # row 2, a subtitle
        ["序号", "责任部门", "企业名称", "受理日期", "是否重点", "问题类型"],  # row 3
        [1, "执法大队", "甲化工", "2026-03-01", "是", "噪声"],  # rows 4-6 under one merged department
        [2, None, "乙印染", "2026-03-02", "否", "废水"],
        [3, None, "丙建材", "2026-03-03", "否", "扬尘"],
        [4, "监测站", "丁食品", "2026-03-04", "否", None],  # rows 7-9 merged, row 9 has nothing typed
        [5, None, "戊制药", "2026-03-05", "是", "异味"],
        [6],
        [None, "审批科", "己电镀", "2026-03-06", "是", "重金属、废水"],  # problems merged across F10:G10
    ]
    path = make_xlsx(tmp_path / "merged.xlsx", rows, merges=["A1:F1", "B4:B6", "B7:B9", "F10:G10"])
    result = read_rows(path, LEDGER)
    assert result.header_row == 3
    assert [(row.row_number, row.values["department"], row.values["name"]) for row in result.rows] == [
        (4, "执法大队", "甲化工"),
        (5, "执法大队", "乙印染"),
        (6, "执法大队", "丙建材"),
        (7, "监测站", "丁食品"),
        (8, "监测站", "戊制药"),
        (10, "审批科", "己电镀"),
    ]
    assert result.rows[-1].values["problems"] == ("重金属", "废水")


def test_merge_scan_agrees_with_openpyxl_normal_mode_across_chunk_boundaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    merges = ["A1:F1", "B4:B6", "B7:B9", "F10:G10", "C20:E25"]
    path = make_xlsx(tmp_path / "scan.xlsx", [[f"r{row}c{col}" for col in range(8)] for row in range(30)], merges)
    monkeypatch.setattr(sources, "_CHUNK", 7)  # every element is cut by a chunk boundary somewhere
    with sources.open_tables(path):
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        scanned = sources._merges(path, book.active)
        book.close()
    assert sorted(scanned, key=repr) == sorted(sources._merges_normal_mode(path, "Sheet1"), key=repr)
    assert len(scanned) == len(merges)


def test_merge_elements_with_a_namespace_prefix_are_found() -> None:
    xml = b'<x:mergeCells count="2"><x:mergeCell ref="A1:C1"/><mergeCell ref="B2:B9" /></x:mergeCells>'
    assert sources._MERGE_CELL.findall(xml) == [b"A1:C1", b"B2:B9"]


def test_blank_rows_are_skipped_and_row_numbers_stay_excel_row_numbers(tmp_path: Path) -> None:
    rows = [[], ["企业名称", "受理日期", "序号"], [], ["甲", "2026-03-05", 1], ["  ", None, 2], [], ["乙", "2026-03-06", 3]]
    result = read_rows(make_xlsx(tmp_path / "gaps.xlsx", rows), LEDGER)
    assert result.header_row == 2
    assert [row.row_number for row in result.rows] == [4, 7]


def test_every_failing_row_is_reported_with_its_excel_row_and_header(tmp_path: Path) -> None:
    header = ["Enterprise Name", "Date received", "Visits", "Key case", "乡镇"]
    rows = [
        ["某县重点企业名单"],
        header,
        ["甲", "2026-03-05", "1", "是", "城关镇"],
        ["", "2026-13-05", "2.5", "是", "城关镇"],  # row 4: three problems
        ["丙", "2026-03-07", "3", "也许", "城关镇"],  # row 5
        ["丁", "2026-03-08", "4", "否", "火星镇"],  # row 6: the column's own parser refuses it
        ["戊", "2026-03-09", "5", "否", "白沙乡"],
    ]
    path = make_xlsx(tmp_path / "bad.xlsx", rows, merges=["A1:E1"])
    with pytest.raises(ImportFailed) as failed:
        read_rows(path, LEDGER)
    found = [(error.row, error.column, error.value) for error in failed.value.errors]
    assert found == [
        (4, "Enterprise Name", ""),
        (4, "Date received", "2026-13-05"),
        (4, "Visits", "2.5"),
        (5, "Key case", "也许"),
        (6, "乡镇", "火星镇"),
    ]
    assert "unknown town 火星镇" in failed.value.errors[-1].reason
    message = str(failed.value)
    assert message.splitlines()[0].startswith("bad.xlsx") and "5" in message.splitlines()[0]
    assert "row 4, column Date received" in message and "2026-13-05" in message


def test_the_error_list_can_be_saved_and_read_back(tmp_path: Path) -> None:
    errors = [RowError("bad.xlsx", 4, "受理日期", "2026-13-05", "不是日期"), RowError("bad.xlsx", None, "", "", "无表头")]
    for name in ("errors.csv", "errors.xlsx"):
        assert write_errors(tmp_path / name, errors, language="zh_CN") == 2
    with (tmp_path / "errors.csv").open(encoding="utf-8-sig", newline="") as stream:
        assert list(csv.reader(stream)) == [
            ["文件", "行", "列", "内容", "问题"],
            ["bad.xlsx", "4", "受理日期", "2026-13-05", "不是日期"],
            ["bad.xlsx", "", "", "", "无表头"],
        ]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8", "utf-16"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    path = make_csv(tmp_path / f"{encoding}.csv", [ZH_HEADER, ROW], encoding)
    assert read_rows(path, LEDGER).rows[0].values == EXPECTED


def test_tab_separated_utf16_as_excel_saves_unicode_text(tmp_path: Path) -> None:
    path = make_csv(tmp_path / "unicode.txt", [EN_HEADER, ROW], "utf-16", delimiter="\t")
    assert read_rows(path, LEDGER).rows[0].values == EXPECTED


def test_csv_rows_count_records_not_lines(tmp_path: Path) -> None:
    path = tmp_path / "multiline.csv"
    path.write_text('企业名称,受理日期\r\n"甲厂\r\n二车间",2026-03-05\r\n乙厂,2026-13-01\r\n', encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        read_rows(path, LEDGER)
    assert failed.value.errors[0].row == 3


def test_a_sheet_after_a_notes_sheet_is_found(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "填表说明"
    book.active.append(["请按模板填写"])
    data = book.create_sheet("企业名单")
    data.append(ZH_HEADER)
    data.append(ROW)
    book.save(tmp_path / "two.xlsx")
    result = read_rows(tmp_path / "two.xlsx", LEDGER)
    assert result.sheet == "企业名单" and result.rows[0].values == EXPECTED
    assert any("企业名单" in warning for warning in result.warnings)


def test_a_wrong_used_range_in_the_file_does_not_cut_rows(tmp_path: Path) -> None:
    import zipfile

    source = make_xlsx(tmp_path / "source.xlsx", [ZH_HEADER, ROW, ROW])
    broken = tmp_path / "dimension.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(broken, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:H3"', b'<dimension ref="A1:B2"')
                assert b'ref="A1:B2"' in data
            new.writestr(item, data)
    assert [row.values for row in read_rows(broken, LEDGER).rows] == [EXPECTED, EXPECTED]


def test_progress_is_reported_and_cancel_stops_the_import(tmp_path: Path) -> None:
    rows = [dict(EXPECTED, name=f"企业{index}") for index in range(1000)]
    path = tmp_path / "big.csv"
    write_table(path, LEDGER, rows)
    seen: list[tuple[int, int]] = []
    read_rows(path, LEDGER, Progress(lambda done, total, _text: seen.append((done, total))))
    assert seen[-1][0] == 1000 and seen[-1][1] >= 1000

    progress = Progress(lambda done, _total, _text: done >= 400 and progress.cancel())
    with pytest.raises(Cancelled):
        read_rows(path, LEDGER, progress)
