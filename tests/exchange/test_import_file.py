"""import_file: problems from parsing and from the use case's rules come back together, sorted by row."""

import pytest

from envdesk.domain.importing import RowProblem, RowsRejected
from envdesk.exchange import ImportFailed, import_file
from envdesk.exchange.reference import STAFF, TOWNS


def _csv(tmp_path, text, name="staff.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_parse_and_rule_problems_are_reported_together(tmp_path):
    path = _csv(tmp_path, "姓名,部门,局领导\n王伟,办公室,是\n,办公室,否\n李强,不存在科,也许\n")
    calls = []

    def apply(rows, check_only):
        calls.append(check_only)
        raise RowsRejected([RowProblem(row, "department", values["department"], "No such department")
                            for row, values in rows if values["department"] == "不存在科"])

    with pytest.raises(ImportFailed) as info:
        import_file(path, STAFF, apply)
    assert calls == [True]  # the file had a bad row: the use case only checks
    found = [(e.row, e.column) for e in info.value.errors]
    assert found == [(3, "姓名"), (4, "局领导")]  # row 4's department is checked only once the row parses


def test_rule_problems_name_the_header_as_written(tmp_path):
    path = _csv(tmp_path, "Name,Department\nWang Wei,Nowhere\n")

    def apply(rows, check_only):
        raise RowsRejected([RowProblem(2, "department", "Nowhere", "No such department")])

    with pytest.raises(ImportFailed) as info:
        import_file(path, STAFF, apply)
    (error,) = info.value.errors
    assert (error.file, error.row, error.column, error.value) == ("staff.csv", 2, "Department", "Nowhere")


def test_good_file_is_applied_once(tmp_path):
    path = _csv(tmp_path, "乡镇名称,类型\n白沙镇,镇\n东湖街道,街道\n开发区,园区\n", "towns.csv")
    outcome, result = import_file(path, TOWNS, lambda rows, check_only: (check_only, [v["kind"] for _r, v in rows]))
    assert outcome == (False, ["town", "subdistrict", "park"])
    assert result.headers["name_zh"] == "乡镇名称"


def test_unknown_town_kind_is_a_row_error(tmp_path):
    path = _csv(tmp_path, "乡镇名称,类型\n白沙镇,村\n", "towns.csv")
    with pytest.raises(ImportFailed, match="Not a kind of town"):
        import_file(path, TOWNS, lambda rows, check_only: None)
