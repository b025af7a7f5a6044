"""Reading the table inside a Word attachment (.docx): the title banner skipped, vertically merged cells filled down,
cells spanning columns and rows, the table that has the header chosen, text Word shows (also tracked insertions),
and a clear message for files that are not a readable Word document."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from envdesk.exchange import FileError, ImportFailed, read_rows
from envdesk.exchange.responsibility import TASKS
from envdesk.exchange.sources import open_tables
from exchange_helpers import make_xlsx

HEADER = ["序号", "活动内容", "责任部门", "责任领导", "责任人", "备注"]


def word_table(path: Path, rows: list[list[str | None]], merges: list[tuple[int, int, int, int]] = (),
               banner: str | None = "“生态优先 环境惠民”主题活动任务分解表", before: int = 0) -> Path:
    """A Word attachment as bureaus send it: a title paragraph, then (after `before` small tables) a table whose
    first row is a banner merged across, then the header and `rows`. `merges` are (row, col, row, col), 0-based
    over the rows given (header = 0), merged with python-docx as Word merges (vMerge / gridSpan)."""
    document = docx.Document()
    document.add_paragraph("附件2")
    for _n in range(before):
        small = document.add_table(rows=1, cols=2)
        small.cell(0, 0).text, small.cell(0, 1).text = "签发人", "王建国"
    offset = 1 if banner is not None else 0
    table = document.add_table(rows=len(rows) + 1 + offset, cols=len(HEADER))
    if banner is not None:
        table.cell(0, 0).merge(table.cell(0, len(HEADER) - 1)).text = banner
    for index, text in enumerate(HEADER):
        table.cell(offset, index).text = text
    for r, row in enumerate(rows, start=1 + offset):
        for c, value in enumerate(row):
            if value is not None:
                table.cell(r, c).text = value
    for top, left, bottom, right in merges:
        first = table.cell(top + offset, left)
        text = first.text
        merged = first.merge(table.cell(bottom + offset, right))
        merged.text = text  # Word keeps the top-left cell's text; python-docx would join the others' paragraphs
    document.save(path)
    return path


SEED = [
    ["1", "制定活动实施方案", "办公室", "王建国", "李明", ""],
    ["2", "召开全局动员大会", None, None, "李明", ""],
    ["3", "开展饮用水源地环境安全大检查", "监察大队", "赵卫东", "孙强", "每周报送进展"],
    ["4", "集中整治群众反映强烈的环境问题", None, None, "孙强、周敏", ""],
]


def test_banner_skipped_and_merged_departments_and_leaders_filled_down(tmp_path):
    path = word_table(tmp_path / "tasks.docx", SEED, merges=[(1, 2, 2, 2), (1, 3, 2, 3), (3, 2, 4, 2),
                                                             (3, 3, 4, 3)])
    result = read_rows(path, TASKS)
    assert result.header_row == 2  # row 1 of the table is the banner
    assert result.warnings == []
    got = [(r.row_number, r.values["number"], r.values["department"], r.values["leader"], r.values["persons"])
           for r in result.rows]
    assert got == [(3, "1", "办公室", "王建国", ("李明",)), (4, "2", "办公室", "王建国", ("李明",)),
                   (5, "3", "监察大队", "赵卫东", ("孙强",)), (6, "4", "监察大队", "赵卫东", ("孙强", "周敏"))]


def test_filled_cells_are_marked_and_a_row_only_merged_into_is_blank(tmp_path):
    rows = [["1", "制定活动实施方案", "办公室", "王建国", "李明", ""],
            [None, None, None, None, None, None]]
    path = word_table(tmp_path / "tasks.docx", rows, merges=[(1, 2, 2, 2)], banner=None)
    with open_tables(path) as tables:
        read = list(tables[0].rows())
    # The header and the task; the second row holds nothing but the tail of the merged department.
    assert [number for number, _values, _filled in read] == [1, 2]


def test_a_banner_and_a_cell_spanning_rows_and_columns(tmp_path):
    rows = [["1", "宣传", "宣教中心", "", "陈芳", ""],
            ["2", "检查", None, None, "孙强", ""]]
    # 责任部门 and 责任领导 of both rows are one cell: the centre leads it and no leader is named apart.
    path = word_table(tmp_path / "tasks.docx", rows, merges=[(1, 2, 2, 3)])
    with open_tables(path) as tables:
        read = list(tables[0].rows())
    banner = read[0]
    assert banner[0] == 1 and set(banner[1]) == {"“生态优先 环境惠民”主题活动任务分解表"}
    assert banner[2] == frozenset({1, 2, 3, 4, 5})
    assert read[2][1][2:4] == ["宣教中心", "宣教中心"] and read[2][2] == frozenset({3})
    assert read[3][1][2:4] == ["宣教中心", "宣教中心"] and read[3][2] == frozenset({2, 3})


def test_the_table_with_the_header_is_read_when_a_small_table_comes_first(tmp_path):
    path = word_table(tmp_path / "tasks.docx", SEED[:1], before=1)
    result = read_rows(path, TASKS)
    assert [r.values["content"] for r in result.rows] == ["制定活动实施方案"]
    assert result.sheet == "Table 2"
    assert any("Table 2" in warning for warning in result.warnings)


def test_multi_paragraph_cells_line_breaks_and_tracked_insertions(tmp_path):
    path = word_table(tmp_path / "tasks.docx", [["1", "制定方案", "办公室", "王建国", "李明", ""]], banner=None)
    document = docx.Document(path)
    cell = document.tables[0].cell(1, 1)
    cell.add_paragraph("报局党组审定")
    # A tracked insertion (<w:ins><w:r>…) and a tracked deletion: Word shows the first, not the second.
    paragraph = cell.paragraphs[0]._p
    inserted = OxmlElement("w:ins")
    inserted.set(qn("w:id"), "1")
    inserted.set(qn("w:author"), "办公室")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "并印发"
    run.append(text)
    inserted.append(run)
    paragraph.append(inserted)
    deleted = OxmlElement("w:del")
    deleted.set(qn("w:id"), "2")
    deleted.set(qn("w:author"), "办公室")
    gone = OxmlElement("w:r")
    gone_text = OxmlElement("w:delText")
    gone_text.text = "（草稿）"
    gone.append(gone_text)
    deleted.append(gone)
    paragraph.append(deleted)
    document.save(path)
    assert read_rows(path, TASKS).rows[0].values["content"] == "制定方案并印发\n报局党组审定"


def test_cells_left_out_at_a_row_start_keep_the_columns_in_place(tmp_path):
    path = word_table(tmp_path / "tasks.docx", [["1", "制定方案", "办公室", "王建国", "李明", "备注一"]],
                      banner=None)
    document = docx.Document(path)
    table = document.tables[0]._tbl
    row = table.tr_lst[1]
    # The first cell removed and declared as left out (w:gridBefore), as some generators write a row that
    # starts further right: 活动内容 must stay under its header.
    row.remove(row.tc_lst[0])
    tr_pr = row.get_or_add_trPr()
    grid_before = OxmlElement("w:gridBefore")
    grid_before.set(qn("w:val"), "1")
    tr_pr.insert(0, grid_before)
    document.save(path)
    values = read_rows(path, TASKS).rows[0].values
    assert values["number"] is None and values["content"] == "制定方案" and values["remarks"] == "备注一"


def test_rows_inside_a_content_control_are_read(tmp_path):
    path = word_table(tmp_path / "tasks.docx", [SEED[0], ["2", "召开全局动员大会", "办公室", "王建国", "李明", ""]],
                      banner=None)
    document = docx.Document(path)
    table = document.tables[0]._tbl
    last = table.tr_lst[-1]
    sdt = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    last.addprevious(sdt)
    content.append(copy.deepcopy(last))
    table.remove(last)
    document.save(path)
    assert [r.values["content"] for r in read_rows(path, TASKS).rows] == ["制定活动实施方案", "召开全局动员大会"]


def test_a_document_without_the_required_columns_names_them(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for index, text in enumerate(["序号", "活动内容", "备注"]):
        table.cell(0, index).text = text
    document.save(tmp_path / "tasks.docx")
    with pytest.raises(ImportFailed) as failed:
        read_rows(tmp_path / "tasks.docx", TASKS)
    assert [(e.row, e.column) for e in failed.value.errors] == [(1, "责任部门")]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("plain.docx", None, "has no table"),
    ("old.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old Word .doc files cannot be read"),
    ("old.docx", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "password-protected document"),
    ("text.docx", "序号,活动内容\n".encode(), "not a valid Word .docx document"),
    ("broken.docx", b"PK\x03\x04" + b"\x00" * 100, "not a valid Word .docx document"),
    ("book.docx", "xlsx", "not a valid Word .docx document"),
    ("empty.docx", b"", "is empty"),
])
def test_files_that_are_not_a_readable_word_table(tmp_path, name, content, message):
    path = tmp_path / name
    if content is None:
        document = docx.Document()
        document.add_paragraph("只有正文，没有表格")
        document.save(path)
    elif content == "xlsx":
        make_xlsx(tmp_path / "book.xlsx", [HEADER])
        path.write_bytes((tmp_path / "book.xlsx").read_bytes())
    else:
        path.write_bytes(content)
    with pytest.raises(FileError, match=message) as raised:
        read_rows(path, TASKS)
    assert name in str(raised.value)


def test_an_unknown_suffix_names_what_can_be_read(tmp_path):
    path = tmp_path / "tasks.odt"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(FileError, match=r"reads \.xlsx, \.csv and Word \.docx"):
        read_rows(path, TASKS)
