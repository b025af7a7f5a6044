"""Times the exchange reader and writer against bare openpyxl on a 10,000-row, 10-column sheet."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl

from envdesk.exchange import Column, ColumnType, Layout, read_rows, write_table
from envdesk.exchange.sources import _merges

LAYOUT = Layout(
    columns=(
        Column("code", "编号", "Code", required=True),
        Column("name", "企业名称", "Enterprise", required=True),
        Column("town", "乡镇", "Town"),
        Column("department", "责任部门", "Department"),
        Column("received", "受理日期", "Date received", type=ColumnType.DATE),
        Column("due", "办结期限", "Due", type=ColumnType.DATE),
        Column("count", "次数", "Visits", type=ColumnType.INTEGER),
        Column("amount", "金额（万元）", "Amount", type=ColumnType.DECIMAL),
        Column("key", "是否重点", "Key case", type=ColumnType.BOOLEAN),
        Column("tags", "问题类型", "Problems", type=ColumnType.LIST),
    ),
    title_zh="基准",
    title_en="Benchmark",
)


def sample_rows(count: int) -> list[dict]:
    start = date(2026, 1, 1)
    return [
        {
            "code": f"XF-2026-{index:05d}",
            "name": f"示例环保科技有限公司{index}",
            "town": "城关镇",
            "department": "执法大队",
            "received": start + timedelta(days=index % 300),
            "due": start + timedelta(days=index % 300 + 15),
            "count": index % 7,
            "amount": Decimal(index) / 100,
            "key": index % 3 == 0,
            "tags": ("噪声", "油烟"),
        }
        for index in range(count)
    ]


def excel_like_file(path: Path, rows: list[dict], merge_every: int = 0) -> None:
    """A workbook saved the way Excel saves one: with its used range recorded (<dimension>).

    With `merge_every`, the department column is merged over blocks of that many rows.
    """
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([column.header_zh for column in LAYOUT.columns])
    for row in rows:
        sheet.append([", ".join(value) if isinstance(value, tuple) else value for value in row.values()])
    if merge_every:
        for first in range(2, len(rows) + 2, merge_every):
            last = min(first + merge_every - 1, len(rows) + 1)
            sheet.merge_cells(start_row=first, end_row=last, start_column=4, end_column=4)
    book.save(path)


def bare_openpyxl(path: Path) -> None:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for _row in book.active.iter_rows(values_only=True):
        pass
    book.close()


def normal_mode(path: Path) -> None:
    book = openpyxl.load_workbook(path, data_only=True)
    list(book.active.merged_cells.ranges)
    book.close()


def merge_scan(path: Path) -> Callable[[], object]:
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book.active
    book.close()
    return lambda: _merges(path, sheet)


def best_of(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _attempt in range(repeat):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return min(times), statistics.median(times)


def main(rows: int = 10_000, repeat: int = 5) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        data = sample_rows(rows)
        excel_like_file(path, data)
        merged = Path(folder) / "merged.xlsx"
        excel_like_file(merged, data, merge_every=4)
        exported = Path(folder) / "exported.xlsx"
        write = best_of(lambda: write_table(exported, LAYOUT, data), repeat)
        csv_path = Path(folder) / "bench.csv"
        write_csv = best_of(lambda: write_table(csv_path, LAYOUT, data), repeat)
        figures = {
            "bare openpyxl read-only iteration": best_of(lambda: bare_openpyxl(path), repeat),
            "read_rows (xlsx)": best_of(lambda: read_rows(path, LAYOUT), repeat),
            "merge scan of the sheet XML": best_of(merge_scan(path), repeat),
            "read_rows, 2,500 merged ranges": best_of(lambda: read_rows(merged, LAYOUT), repeat),
            "merge scan, 2,500 merged ranges": best_of(merge_scan(merged), repeat),
            "openpyxl normal-mode load": best_of(lambda: normal_mode(path), repeat),
            "bare openpyxl, on our own export": best_of(lambda: bare_openpyxl(exported), repeat),
            "read_rows, on our own export": best_of(lambda: read_rows(exported, LAYOUT), repeat),
            "read_rows (csv)": best_of(lambda: read_rows(csv_path, LAYOUT), repeat),
            "write_table (xlsx)": write,
            "write_table (csv)": write_csv,
        }
        base = figures["bare openpyxl read-only iteration"][0]
        print(f"{rows} rows x {len(LAYOUT.columns)} columns, {path.stat().st_size // 1024} KiB xlsx; best / median of {repeat}")
        for name, (best, median) in figures.items():
            print(f"  {name:36s} {best * 1000:7.0f} ms  {median * 1000:7.0f} ms  x{best / base:.2f}")
        return {
            "openpyxl_read_10k_s": round(base, 3),
            "exchange_read_10k_s": round(figures["read_rows (xlsx)"][0], 3),
            "exchange_read_ratio": round(figures["read_rows (xlsx)"][0] / base, 2),
            "exchange_write_10k_xlsx_s": round(write[0], 3),
        }


if __name__ == "__main__":
    main(*map(int, sys.argv[1:]))
