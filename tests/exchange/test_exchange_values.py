"""Cell parsing and header matching: every form the issue lists, and what is refused."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envdesk.exchange import Column, ColumnType, Layout
from envdesk.exchange.values import escape_formula, parse_value, unescape_formula


def parse(kind: ColumnType, raw: object) -> object:
    return parse_value(Column("x", "列", "Column", type=kind), raw)


MARCH_5 = date(2026, 3, 5)
SERIAL_MARCH_5 = (MARCH_5 - date(1899, 12, 30)).days


@pytest.mark.parametrize(
    "raw",
    [
        MARCH_5, datetime(2026, 3, 5), "2026-03-05", "2026/3/5", "2026.3.5", "2026年3月5日", "2026年03月05日",
        "20260305", 20260305, " ２０２６年３月５日 ", "2026-03-05 00:00:00", "2026-03-05T09:15", SERIAL_MARCH_5,
    ],
)
def test_dates_in_every_accepted_form(raw: object) -> None:
    assert parse(ColumnType.DATE, raw) == MARCH_5


@pytest.mark.parametrize(
    "raw", ["2026", 2026, "2026-13-01", "2026-02-30", "3/5/2026", "明天", "2026-3", True, 1.5, float("inf"), float("nan")]
)
def test_what_is_not_a_date_is_refused_with_the_accepted_form(raw: object) -> None:
    with pytest.raises(ValueError, match="2026-03-05"):
        parse(ColumnType.DATE, raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-05 14:30", datetime(2026, 3, 5, 14, 30)),
        ("2026/3/5 14:30:15", datetime(2026, 3, 5, 14, 30, 15)),
        ("2026年3月5日 14时30分", datetime(2026, 3, 5, 14, 30)),
        ("2026年3月5日14点30分15秒", datetime(2026, 3, 5, 14, 30, 15)),
        ("2026-03-05T14:30:00.250", datetime(2026, 3, 5, 14, 30, 0, 250000)),
        ("20260305", datetime(2026, 3, 5)),
        (datetime(2026, 3, 5, 8, 0), datetime(2026, 3, 5, 8, 0)),
        (SERIAL_MARCH_5 + 0.5, datetime(2026, 3, 5, 12, 0)),
    ],
)
def test_date_times(raw: object, expected: datetime) -> None:
    assert parse(ColumnType.DATETIME, raw) == expected


def test_a_bad_time_is_refused() -> None:
    with pytest.raises(ValueError, match="14:30"):
        parse(ColumnType.DATETIME, "2026-03-05 25:00")


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)))
def test_every_written_form_of_a_date_reads_back(day: date) -> None:
    forms = [
        day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y%m%d"),
    ]
    assert {parse(ColumnType.DATE, form) for form in forms} == {day}


@pytest.mark.parametrize("raw", ["是", "yes", "YES", "Y", "1", 1, "√", "✓", True, "true"])
def test_yes(raw: object) -> None:
    assert parse(ColumnType.BOOLEAN, raw) is True


@pytest.mark.parametrize("raw", ["否", "no", "N", "0", 0, False, "×"])
def test_no(raw: object) -> None:
    assert parse(ColumnType.BOOLEAN, raw) is False


def test_neither_yes_nor_no() -> None:
    with pytest.raises(ValueError, match="是/否"):
        parse(ColumnType.BOOLEAN, "也许")


def test_lists_split_on_chinese_and_latin_separators_and_newlines() -> None:
    assert parse(ColumnType.LIST, "噪声、油烟；废水;扬尘，固废,辐射\n异味\r\n 、 ") == (
        "噪声", "油烟", "废水", "扬尘", "固废", "辐射", "异味",
    )


@pytest.mark.parametrize(("raw", "expected"), [(12, 12), (12.0, 12), ("1,234", 1234), ("１２", 12), (" 7 ", 7)])
def test_integers(raw: object, expected: int) -> None:
    assert parse(ColumnType.INTEGER, raw) == expected


@pytest.mark.parametrize(("raw", "reason"), [("12.5", "whole"), ("twelve", "number"), (True, "number")])
def test_not_integers(raw: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse(ColumnType.INTEGER, raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [(0.1, Decimal("0.1")), (3, Decimal(3)), ("1,234.50", Decimal("1234.50")), ("１.５", Decimal("1.5"))]
)
def test_decimals(raw: object, expected: Decimal) -> None:
    assert parse(ColumnType.DECIMAL, raw) == expected


@pytest.mark.parametrize("raw", ["abc", "NaN", "Infinity", float("nan"), MARCH_5])
def test_not_decimals(raw: object) -> None:
    with pytest.raises(ValueError, match="number"):
        parse(ColumnType.DECIMAL, raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(13800138000, "13800138000"), (12.0, "12"), ("  甲公司 \r\n二厂 ", "甲公司 \n二厂"), (datetime(2026, 3, 5), "2026-03-05")],
)
def test_text_keeps_what_the_cell_shows(raw: object, expected: str) -> None:
    assert parse(ColumnType.TEXT, raw) == expected


def test_a_column_parser_gets_the_typed_value_and_its_value_error_is_the_reason() -> None:
    def not_in_future(day: date) -> date:
        if day > date(2026, 12, 31):
            raise ValueError("日期晚于本年度")
        return day

    column = Column("d", "日期", "Date", type=ColumnType.DATE, parser=not_in_future)
    assert parse_value(column, "2026/3/5") == MARCH_5
    with pytest.raises(ValueError, match="日期晚于本年度"):
        parse_value(column, "2027-01-01")


@pytest.mark.parametrize(
    "header", ["企业名称", "Enterprise name", "ENTERPRISE  NAME", " enterprise\nname ", "*企业名称", "企业名称 Enterprise name", "单位名称"]
)
def test_headers_match_in_any_language_case_spacing_or_alias(header: str) -> None:
    layout = Layout((Column("name", "企业名称", "Enterprise name", aliases=("单位名称",)),))
    assert layout.match(header) is layout.columns[0]


def test_full_width_brackets_match_half_width() -> None:
    layout = Layout((Column("investment", "投资额（万元）", "Investment"),))
    assert layout.match("投资额(万元)") is layout.columns[0]


def test_a_header_naming_two_columns_is_a_layout_bug() -> None:
    with pytest.raises(ValueError, match="names both"):
        Layout((Column("a", "名称", "Name"), Column("b", "单位", "Unit", aliases=("名称",))))


def test_duplicate_keys_are_a_layout_bug() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        Layout((Column("a", "甲", "A"), Column("a", "乙", "B")))


@given(st.text())
def test_csv_formula_escaping_reads_back_exactly(text: str) -> None:
    assert unescape_formula(escape_formula(text)) == text


@pytest.mark.parametrize("text", ["=1+1", "+86 138", "@SUM(A1)", "-cmd|' /C calc'!A0", "-1+cmd", "'=already"])
def test_formula_like_text_is_escaped(text: str) -> None:
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["-", "-5", "-1.25", "普通文字", "a=b", ""])
def test_ordinary_text_is_not_escaped(text: str) -> None:
    assert escape_formula(text) == text
