"""The ledger layout and the workbook and CSV builders the exchange tests share."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
from envdesk.exchange import Column, ColumnType, Layout


def _town(value: str) -> str:
    if value not in {"城关镇", "新桥镇", "白沙乡"}:
        raise ValueError(f"unknown town {value}")
    return value


LEDGER = Layout(
    columns=(
        Column("name", "企业名称", "Enterprise name", aliases=("单位名称",), required=True),
        Column("department", "责任部门", "Department"),
        Column("received_on", "受理日期", "Date received", type=ColumnType.DATE, required=True),
        Column("visits", "走访次数", "Visits", type=ColumnType.INTEGER),
        Column("investment", "投资额（万元）", "Investment", type=ColumnType.DECIMAL),
        Column("key_case", "是否重点", "Key case", type=ColumnType.BOOLEAN),
        Column("problems", "问题类型", "Problems", type=ColumnType.LIST),
        Column("town", "乡镇", "Town", parser=_town),
    ),
    title_zh="结对服务企业",
    title_en="Twinning enterprises",
)


def make_xlsx(path: Path, rows: Sequence[Sequence[Any]], merges: Sequence[str] = (), title: str = "Sheet1") -> Path:
    """A workbook as people make them by hand: rows from A1, optional merged ranges."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for ref in merges:
        sheet.merge_cells(ref)
    book.save(path)
    return path


def make_csv(path: Path, rows: Sequence[Sequence[str]], encoding: str, delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path
