"""Files that are not what their name says: each gives a FileError naming the file, nothing written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from envdesk.exchange import ExchangeError, FileError, read_rows, write_table
from exchange_helpers import LEDGER


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("text.xlsx", "企业名称,受理日期\n甲,2026-03-05\n".encode(), "not a valid Excel .xlsx"),
        ("empty.xlsx", b"", "is empty"),
        ("empty.csv", b"", "is empty"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        ("protected.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected"),
        ("report.pdf", b"%PDF-1.7", ".xlsx and .csv"),
        ("binary.csv", bytes(range(256)) * 4, "UTF-8, GB18030 or UTF-16"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileError, match=message) as raised:
        read_rows(path, LEDGER)
    assert name in str(raised.value)


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(FileError, match="archive.xlsx is not a valid Excel"):
        read_rows(path, LEDGER)


def test_a_workbook_with_a_broken_sheet(tmp_path: Path) -> None:
    import openpyxl

    good = tmp_path / "good.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["企业名称", "受理日期"])
    book.save(good)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as old, zipfile.ZipFile(broken, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            new.writestr(item, data[: len(data) // 2] if item.filename == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(ExchangeError, match="broken.xlsx"):
        read_rows(broken, LEDGER)


def test_a_workbook_renamed_to_csv(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    write_table(tmp_path / "ledger.xlsx", LEDGER, [])
    path.write_bytes((tmp_path / "ledger.xlsx").read_bytes())
    with pytest.raises(FileError, match="rename it to .xlsx"):
        read_rows(path, LEDGER)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileError, match="gone.xlsx cannot be opened"):
        read_rows(tmp_path / "gone.xlsx", LEDGER)


def test_writing_an_unknown_suffix_or_into_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileError, match="ledger.ods"):
        write_table(tmp_path / "ledger.ods", LEDGER, [])
    with pytest.raises(FileError, match="ledger.xlsx cannot be written"):
        write_table(tmp_path / "missing" / "ledger.xlsx", LEDGER, [])
    assert not (tmp_path / "ledger.ods").exists()


def test_an_empty_ledger_exports_and_imports_as_no_rows(tmp_path: Path) -> None:
    for name in ("none.xlsx", "none.csv"):
        assert write_table(tmp_path / name, LEDGER, []) == 0
        assert read_rows(tmp_path / name, LEDGER).rows == []
