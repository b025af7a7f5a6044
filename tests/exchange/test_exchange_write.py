"""Exporting ledgers: typed cells, header styling, languages, CSV for Excel, round trips, cancel."""

from __future__ import annotations

import csv
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from envdesk.domain.progress import Cancelled, Progress
from envdesk.exchange import Column, ColumnType, Layout, read_rows, write_table
from exchange_helpers import LEDGER

ROWS = [
    {
        "name": "绿源化工有限公司",
        "department": "执法大队",
        "received_on": date(2026, 3, 5),
        "visits": 2,
        "investment": Decimal("1250.5"),
        "key_case": True,
        "problems": ("噪声", "油烟"),
        "town": "城关镇",
    },
    {"name": "=HYPERLINK(\"http://x\")", "received_on": datetime(2026, 3, 6, 9, 30), "key_case": False, "town": "白沙乡"},
]


def sheet_of(path: Path):
    return openpyxl.load_workbook(path).active


def test_xlsx_cells_are_typed_and_the_header_is_bold_frozen_and_filtered(tmp_path: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    assert write_table(path, LEDGER, ROWS) == 2
    sheet = sheet_of(path)
    assert sheet.title == "结对服务企业"
    assert [cell.value for cell in sheet[1]] == [column.header_zh for column in LEDGER.columns]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:H3"
    received = sheet["C2"]
    assert received.is_date and received.value == datetime(2026, 3, 5) and received.number_format == "yyyy-mm-dd"
    assert sheet["C3"].value == datetime(2026, 3, 6)  # a date column keeps the date of a timestamp
    assert sheet["D2"].value == 2 and sheet["D2"].data_type == "n"
    assert sheet["E2"].value == 1250.5 and sheet["E2"].data_type == "n"
    assert (sheet["F2"].value, sheet["F3"].value) == ("是", "否")
    assert sheet["G2"].value == "噪声、油烟"
    # Text typed by the public never becomes a formula.
    assert sheet["A3"].data_type == "s" and sheet["A3"].value.startswith("=HYPERLINK")


def test_column_widths_count_chinese_characters_double(tmp_path: Path) -> None:
    layout = Layout(
        (Column("zh", "名称", "Name"), Column("en", "Code", "Code"), Column("fixed", "备注", "Notes", width=30)),
    )
    path = tmp_path / "widths.xlsx"
    write_table(path, layout, [{"zh": "某某县生态环境局执法大队", "en": "ABCDEFGHIJKL", "fixed": "x"}])
    widths = sheet_of(path).column_dimensions
    assert widths["A"].width == 2 * 12 + 2
    assert widths["B"].width == 12 + 2
    assert widths["C"].width == 30


def test_datetime_columns_are_date_times_in_local_time(tmp_path: Path) -> None:
    layout = Layout((Column("at", "接收时间", "Received at", type=ColumnType.DATETIME),))
    stored = datetime(2026, 3, 5, 6, 30, tzinfo=timezone.utc)
    path = tmp_path / "times.xlsx"
    write_table(path, layout, [{"at": stored}])
    cell = sheet_of(path)["A2"]
    assert cell.value == stored.astimezone().replace(tzinfo=None)
    assert cell.number_format == "yyyy-mm-dd hh:mm"


@pytest.mark.parametrize(
    ("language", "header"),
    [("zh_CN", "受理日期"), ("en", "Date received"), ("bilingual", "受理日期 Date received"), ("zh", "受理日期")],
)
def test_headers_in_the_chosen_language_read_back(tmp_path: Path, language: str, header: str) -> None:
    path = tmp_path / f"{language}.xlsx"
    write_table(path, LEDGER, ROWS, language=language)
    assert sheet_of(path)["C1"].value == header
    result = read_rows(path, LEDGER)
    assert result.rows[0].values == ROWS[0]
    assert result.rows[1].values["name"] == ROWS[1]["name"]


def test_csv_is_utf8_with_bom_escapes_formulas_and_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    assert write_table(path, LEDGER, ROWS, language="en") == 2
    assert path.read_bytes().startswith(b"\xef\xbb\xbfEnterprise name,")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        records = list(csv.reader(stream))
    assert records[1] == ["绿源化工有限公司", "执法大队", "2026-03-05", "2", "1250.5", "Yes", "噪声; 油烟", "城关镇"]
    assert records[2][0] == "'=HYPERLINK(\"http://x\")"
    result = read_rows(path, LEDGER)
    assert [row.values for row in result.rows] == [ROWS[0], {**dict.fromkeys(ROWS[0]), **ROWS[1], "received_on": date(2026, 3, 6)}]


def test_ten_thousand_rows_round_trip_quickly(tmp_path: Path) -> None:
    start = date(2026, 1, 1)
    rows = [
        {
            "name": f"示例环保科技有限公司{index}",
            "department": ("执法大队", "监测站", "审批科")[index % 3],
            "received_on": start + timedelta(days=index % 365),
            "visits": index % 9,
            "investment": Decimal(index) / 4,
            "key_case": index % 2 == 0,
            "problems": ("噪声", "废水")[: index % 3],
            "town": ("城关镇", "新桥镇", "白沙乡")[index % 3],
        }
        for index in range(10_000)
    ]
    path = tmp_path / "large.xlsx"
    began = time.perf_counter()
    assert write_table(path, LEDGER, rows) == 10_000
    result = read_rows(path, LEDGER)
    elapsed = time.perf_counter() - began
    assert len(result.rows) == 10_000
    assert result.rows[-1].row_number == 10_001
    expected = [{**row, "problems": row["problems"] or None} for row in rows]
    assert [row.values for row in result.rows] == expected
    assert elapsed < 10  # 2.3 s when written; generous, yet a per-cell slowdown would show here


def test_cancel_leaves_no_file_and_keeps_the_previous_one(tmp_path: Path) -> None:
    rows = [dict(ROWS[0], visits=index) for index in range(2_000)]
    for name in ("cancelled.xlsx", "cancelled.csv"):
        path = tmp_path / name
        progress = Progress(lambda done, _total, _text: done >= 600 and progress.cancel())
        with pytest.raises(Cancelled):
            write_table(path, LEDGER, rows, progress=progress)
        assert not path.exists()

    previous = tmp_path / "previous.csv"
    write_table(previous, LEDGER, ROWS)
    before = previous.read_bytes()
    progress = Progress(lambda done, _total, _text: done >= 600 and progress.cancel())
    with pytest.raises(Cancelled):
        write_table(previous, LEDGER, rows, progress=progress)
    assert previous.read_bytes() == before
    assert sorted(item.name for item in tmp_path.iterdir()) == ["previous.csv"]


def test_progress_counts_every_row_written(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    rows = [ROWS[0]] * 450
    write_table(tmp_path / "p.xlsx", LEDGER, rows, progress=Progress(lambda done, total, _text: seen.append((done, total))))
    assert seen[0] == (0, 450) and seen[-1] == (450, 450)


def test_rows_from_a_generator_are_written(tmp_path: Path) -> None:
    assert write_table(tmp_path / "g.csv", LEDGER, (dict(ROWS[0]) for _index in range(3))) == 3


def test_control_characters_pasted_into_text_do_not_break_the_export(tmp_path: Path) -> None:
    path = tmp_path / "control.xlsx"
    write_table(path, LEDGER, [dict(ROWS[0], name="甲\x07公司\x1b")])
    assert sheet_of(path)["A2"].value == "甲公司"


def test_cancel_removes_openpyxl_own_temporary_file(tmp_path: Path) -> None:
    from openpyxl.worksheet import _writer

    before = set(_writer.ALL_TEMP_FILES)
    progress = Progress(lambda done, _total, _text: done >= 400 and progress.cancel())
    with pytest.raises(Cancelled):
        write_table(tmp_path / "c.xlsx", LEDGER, [ROWS[0]] * 1000, progress=progress)
    left = set(_writer.ALL_TEMP_FILES) - before
    assert not [name for name in left if Path(name).exists()]
