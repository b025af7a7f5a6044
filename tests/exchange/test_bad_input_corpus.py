"""Malformed files through every importer, as staff would hand them to `envdesk import`: each gets a clear message
(exit status 2, naming the file, row or column) or imports cleanly; never a crash, never half-written."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile

import openpyxl
import pytest

from envdesk.app import users
from envdesk.app.access import Principal
from envdesk.app.workspace import Workspace
from envdesk.cli import EXCHANGE_REGISTERS, main
from envdesk.domain.users import Role

HEADERS = {
    "departments": "名称,英文名称", "staff": "姓名,部门", "towns": "名称,类型", "enterprises": "企业名称,统一社会信用代码",
    "twinning": "企业名称,联络员,包联领导", "complaints": "来源渠道,收到日期,反映人,联系电话,被反映对象,污染类型,反映内容",
    "approvals": "项目名称,建设单位,环评文件类型,收到日期", "tasks": "序号,活动内容,责任部门,责任领导,完成时限",
}
HUGE = "很长" * 50_000  # a 100,000-character cell
# Whatever the register, these are refused as a whole (the others may hold rows a register can take as text).
REFUSED = {"empty.csv", "not_really.xlsx", "zip_not_workbook.xlsx", "truncated.xlsx", "binary.csv", "wrong_columns.csv",
           "huge_cell.csv"}


def _csv(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def _xlsx(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def corpus(folder, register):
    """(name, file) for each kind of bad input, with the register's own headers so the rows are what is tried."""
    header = HEADERS[register]
    columns = header.split(",")
    width = len(columns)

    def row(*values):
        return ",".join(list(values) + [""] * (width - len(values)))

    files = {
        "empty.csv": _csv(folder / "empty.csv", ""),
        "header_only.csv": _csv(folder / "header_only.csv", header + "\n"),
        "not_really.xlsx": _csv(folder / "not_really.xlsx", "this is not a workbook"),
        "zip_not_workbook.xlsx": folder / "zip_not_workbook.xlsx",
        "truncated.xlsx": folder / "truncated.xlsx",
        "gbk.csv": _csv(folder / "gbk.csv", header + "\n" + row("某某环保科技有限公司", "2026-03-02") + "\n", "gb18030"),
        "utf16.csv": _csv(folder / "utf16.csv", header + "\n" + row("某厂") + "\n", "utf-16"),
        "binary.csv": folder / "binary.csv",
        "control_chars.csv": _csv(folder / "control_chars.csv", header + "\n" + row("某\x00厂\x07", "\x1b[31m") + "\n"),
        "formula.csv": _csv(folder / "formula.csv", header + "\n" + row("=cmd|' /C calc'!A0", "@SUM(1+1)", "+1", "-1")
                            + "\n"),
        "injection.csv": _csv(folder / "injection.csv", header + "\n" + row("x'); DROP TABLE staff; --",
                                                                             "<script>alert(1)</script>", "%_\\") + "\n"),
        "huge_cell.csv": _csv(folder / "huge_cell.csv", header + "\n" + row(HUGE, HUGE) + "\n"),
        "dates.csv": _csv(folder / "dates.csv", header + "\n" + "\n".join(
            row("厂" + str(i), day) for i, day in enumerate(
                ["2026-13-01", "31/02/2026", "二〇二六年三月", "3.2", "45000", "yesterday", "2026年2月30日", "0000-00-00"]))
            + "\n"),
        "wrong_columns.csv": _csv(folder / "wrong_columns.csv", "甲,乙,丙\n1,2,3\n"),
        "ragged.csv": _csv(folder / "ragged.csv", header + "\n" + "a,b,c,d,e,f,g,h,i,j,k\n" + "a\n"),
        "formulas.xlsx": _xlsx(folder / "formulas.xlsx", [columns, ["=1/0", "=A1&A1", "=HYPERLINK(\"http://x\")"]]),
    }
    (folder / "binary.csv").write_bytes(bytes(range(256)) * 40)
    with zipfile.ZipFile(folder / "zip_not_workbook.xlsx", "w") as z:
        z.writestr("hello.txt", "not a workbook")
    good = _xlsx(folder / "good.xlsx", [columns, ["某厂"] * width])
    (folder / "truncated.xlsx").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return files


def _counts(path) -> dict[str, int]:
    raw = sqlite3.connect(path)
    tables = [name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                              "'sqlite_%' AND name NOT LIKE 'complaint_fts%' AND name NOT IN "
                                              "('audit_log', 'audit_head', 'login_session', 'app_user')")]
    counts = {name: raw.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}
    raw.close()
    return counts


@pytest.mark.parametrize("register", sorted(EXCHANGE_REGISTERS))
def test_every_bad_file_gets_a_clear_message_and_writes_nothing(register, demo_template, tmp_path, capsys,
                                                               monkeypatch):
    database = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_template, database)
    # The register's own clerk imports it (an account hashed at the tests' low cost: 128 log-ins stay quick).
    role = {"complaints": Role.COMPLAINTS_CLERK, "approvals": Role.APPROVAL_CLERK, "twinning": Role.LIAISON_OFFICER,
            "enterprises": Role.LIAISON_OFFICER, "tasks": Role.OFFICE}.get(register, Role.ADMINISTRATOR)
    with Workspace(f"sqlite:///{database}", user=Principal.trusted("setup")) as ws:
        users.create_user(ws, users.UserInput("importer", roles=(role,)), "importer-password", must_change=False)
    monkeypatch.setenv("ENVDESK_USER", "importer")
    monkeypatch.setenv("ENVDESK_PASSWORD", "importer-password")
    folder = tmp_path / "corpus"
    folder.mkdir()
    extra = ["--plan", "2026年度生态环境保护目标责任"] if register == "tasks" else []
    tried = 0
    for name, path in corpus(folder, register).items():
        before = _counts(database)
        status = main(["--db", f"sqlite:///{database}", "import", register, str(path), *extra])
        out, err = capsys.readouterr()
        tried += 1
        assert status in (0, 2), f"{register} {name}: status {status}: {err}"
        assert "unexpected error" not in err and "Traceback" not in err, f"{register} {name}: {err}"
        if name in REFUSED:
            assert status == 2, f"{register} {name} was accepted: {out}"
        if status == 2:
            assert err.startswith("envdesk: ") and (path.name in err or "--" in err), f"{register} {name}: {err}"
            assert _counts(database) == before, f"{register} {name}: written although refused"
    assert tried == 16
