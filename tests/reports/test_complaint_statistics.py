"""The complaint statistics report (信访统计报表): headline figures and the counts by type, channel, town and month."""

from __future__ import annotations

import gettext
import io
from dataclasses import replace
from datetime import date

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from report_helpers import ISSUED, needs_poppler, pdf_fonts, pdf_info, pdf_pages, pdf_text, squeeze

from envdesk import i18n
from envdesk.app.complaints import Statistics
from envdesk.domain.reference import Bureau
from envdesk.reports import OFFICIAL, render, statistics_spec

LANGUAGES = ["zh_CN", "en", "bilingual"]

# Chinese for the report's labels, as the translators are expected to write them; the tests install these in
# place of the zh_CN catalog, so they do not depend on the state of the real one.
CHINESE = {
    "Page {page} of {pages}": "第 {page} 页 共 {pages} 页",
    # shared with the other complaint documents and the register's screens
    "Channel": "来源渠道",
    "Town": "乡镇",
    "Date": "日期",
    "Prepared by": "填表人",
    "Reviewed by": "审核人",
    "As of {date}": "截至{date}",
    "Received from {start} to {end}": "收到日期：{start}至{end}",
    "No complaints were received in this period.": "本时段内无信访事项。",
    # shared with the statistics window
    "Repeat complaints": "重复信访",
    "Key cases": "重点信访事项",
    "Skip-level complaints": "越级信访",
    "Pollution type": "污染类型",
    "Month": "月份",
    "Count": "件数",
    "Total": "合计",
    "(none)": "（无）",
    # the report's own
    "Complaint Statistics Report": "信访统计报表",
    "Complaints received in a period: on-time and satisfaction rates, and counts by pollution type, channel, "
    "town and month": "一定时期内收到的信访事项：按期受理率、按期答复率、满意率，以及按污染类型、来源渠道、乡镇和月份的件数",
    "Overall figures": "总体情况",
    "Complaints by pollution type": "按污染类型统计",
    "Complaints by channel": "按来源渠道统计",
    "Complaints by town": "按乡镇统计",
    "Complaints by month": "按月份统计",
    "Complaints received": "收到信访事项",
    "On-time acceptance rate": "按期受理率",
    "On-time reply rate": "按期答复率",
    "Satisfaction rate": "满意率",
    "Share": "占比",
    "{on_time} of {decided} decided on time": "按期 {on_time} 件／已决定 {decided} 件",
    "{on_time} of {replied} replied on time": "按期 {on_time} 件／已答复 {replied} 件",
    "{satisfied} of {followed} followed up satisfied": "满意 {satisfied} 件／回访 {followed} 件",
    "Target {target}: meets the target": "目标 {target}，达到目标",
    "Target {target}: below the target": "目标 {target}，未达到目标",
    "Target {target}": "目标 {target}",
    "{share} of all": "占总数 {share}",
    "A complaint may concern more than one pollution type, or none: each share is of all the complaints "
    "received, so the shares need not add up to 100%.":
        "一件信访事项可能涉及多种污染类型，也可能未填污染类型：占比均按收到的信访事项总数计算，合计不一定为100%。",
    # values the report prints (the domain's labels)
    "Air": "大气",
    "Noise": "噪声",
    "Water": "水",
    "Solid waste": "固体废物",
    "Other": "其他",
    "12369 hotline (phone, WeChat, online)": "12369环保举报热线（电话、微信、网络）",
    "12345 hand-off": "12345热线转办",
    "Letter": "信函",
    "Visit in person": "来访",
}


@pytest.fixture(autouse=True)
def statistics_chinese(monkeypatch):
    """The report's Chinese labels in place of the zh_CN catalog (see CHINESE)."""
    catalog = Catalog(locale="zh_CN")
    for msgid, text in CHINESE.items():
        catalog.add(msgid, text)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    monkeypatch.setitem(i18n._cache, "zh_CN", gettext.GNUTranslations(buffer))


# --- sample values, as complaints.statistics() hands them over ------------------------------------------

START, END = date(2026, 1, 1), date(2026, 3, 31)


def sample(**changes) -> Statistics:
    values = dict(
        start=START, end=END, total=40,
        by_category={"noise": 12, "air": 22, "water": 5, "solid_waste": 3, "other": 1},
        by_channel={"12369": 25, "12345": 9, "letter": 4, "visit": 2},
        by_town={"城关镇": 18, "青溪镇": 11, "白沙乡": 8, "": 3},
        by_month={"2026-01": 11, "2026-03": 29},  # none in February: the month still prints, with 0
        accepted_on_time=36, decided=38, replied_on_time=19, replied=20, satisfied=15, followed_up=18,
        satisfaction_target=0.85, repeats=6, key_cases=2, skip_level=1)
    values.update(changes)
    return Statistics(**values)


EMPTY = Statistics(START, END, 0, {}, {}, {}, {}, 0, 0, 0, 0, 0, 0, 0.85, 0, 0, 0)


def statistics_pdf(bureau, language, stats=None) -> bytes:
    return render(statistics_spec(bureau, sample() if stats is None else stats, language, ISSUED))


def all_embedded(pdf: bytes, tmp_path) -> bool:
    rows = pdf_fonts(pdf, tmp_path)
    return bool(rows) and all(row[-5:-3] == ["yes", "yes"] for row in rows)


# --- the report --------------------------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_prints_the_headline_figures_and_the_four_tables(bureau, language, tmp_path):
    pdf = statistics_pdf(bureau, language)
    text = pdf_text(pdf)
    flat = squeeze(text)
    assert all_embedded(pdf, tmp_path)
    assert pdf_info(pdf)["Creator"] == "EnvDesk"
    # 36/38 accepted on time, 19/20 replied on time, 15/18 satisfied (below the 85 % target); shares of 40
    for figure in ("94.7%", "95.0%", "83.3%", "85.0%", "55.0%", "30.0%", "12.5%", "62.5%", "27.5%", "7.5%",
                   "72.5%", "100.0%", "15.0%", "5.0%", "2.5%", "城关镇", "青溪镇", "白沙乡"):
        assert figure in flat, figure
    if language == "zh_CN":
        for label in ("信访统计报表", "收到日期：2026年1月1日至2026年3月31日", "截至2026年3月2日", "一、总体情况",
                      "收到信访事项", "按期受理率", "按期 36 件／已决定 38 件", "按期答复率", "按期 19 件／已答复 20 件",
                      "满意率", "满意 15 件／回访 18 件", "目标 85.0%，未达到目标", "重复信访", "重点信访事项",
                      "越级信访", "占总数 15.0%", "二、按污染类型统计", "大气", "噪声", "固体废物", "三、按来源渠道统计",
                      "12369环保举报热线（电话、微信、网络）", "12345热线转办", "四、按乡镇统计", "（无）",
                      "五、按月份统计", "2026年1月", "2026年2月", "2026年3月", "污染类型", "件数", "占比", "合计",
                      "合计不一定为100%", "填表人：", "审核人："):
            assert squeeze(label) in flat, label
        assert not any(word in text for word in ("Total", "Share", "Satisfaction", "January"))
    if language == "en":
        for label in ("Complaint Statistics Report", "Received from 1 January 2026 to 31 March 2026",
                      "1. Overall figures", "Complaints received", "On-time acceptance rate",
                      "36 of 38 decided on time", "19 of 20 replied on time", "15 of 18 followed up satisfied",
                      "Target 85.0%: below the target", "15.0% of all", "2. Complaints by pollution type",
                      "Solid waste", "3. Complaints by channel", "Visit in person", "4. Complaints by town", "(none)",
                      "5. Complaints by month", "January 2026", "February 2026", "March 2026", "Share", "Total",
                      "Prepared by:"):
            assert squeeze(label) in flat, label
    if language == "bilingual":
        for label in ("信访统计报表", "Complaint Statistics Report", "一、总体情况", "1. Overall figures", "按期受理率",
                      "On-time acceptance rate", "目标 85.0%，未达到目标", "Target 85.0%: below the target",
                      "大气", "Air", "来源渠道", "Channel", "占比", "Share", "2026年2月"):
            assert squeeze(label) in flat, label


@needs_poppler
def test_the_figures_are_in_their_tables_with_share_of_the_total(bureau):
    lines = [line.strip() for line in pdf_text(statistics_pdf(bureau, "en")).splitlines() if line.strip()]
    flat = " ".join(lines)
    # largest first; every month of the period, February with none; the total of a table is the complaints'
    assert "Air 22 55.0% Noise 12 30.0% Water 5 12.5% Solid waste 3 7.5% Other 1 2.5%" in flat
    assert "Letter 4 10.0% Visit in person 2 5.0% Total 40 100.0%" in flat
    assert "城关镇 18 45.0% 青溪镇 11 27.5% 白沙乡 8 20.0% (none) 3 7.5% Total 40 100.0%" in flat
    assert "January 2026 11 27.5% February 2026 0 0.0% March 2026 29 72.5% Total 40 100.0%" in flat


@needs_poppler
def test_a_satisfaction_rate_at_the_target_meets_it(bureau):
    flat = squeeze(pdf_text(statistics_pdf(bureau, "zh_CN", sample(satisfied=17, followed_up=20))))
    assert "满意率" in flat and squeeze("目标 85.0%，达到目标") in flat and "未达到" not in flat


@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_empty_period_prints_without_dividing_by_zero(bureau, language, tmp_path):
    pdf = statistics_pdf(bureau, language, EMPTY)
    flat = squeeze(pdf_text(pdf))
    assert all_embedded(pdf, tmp_path)
    assert "—" in flat and "%" in flat  # the rates are dashes; the target still prints
    if language != "en":
        assert "本时段内无信访事项。" in flat and squeeze("目标 85.0%") in flat and "达到目标" not in flat
        assert squeeze("按期 0 件／已决定 0 件") in flat and "按污染类型统计" not in flat and "审核人" in flat
    else:
        assert squeeze("No complaints were received in this period.") in flat and "0of0decidedontime" in flat
        assert "Target85.0%" in flat and "meets" not in flat and "below" not in flat


def test_rates_with_nothing_to_count_are_dashes_not_errors(bureau):
    """Nothing decided, replied or followed up, though complaints came in: every rate is a dash."""
    stats = sample(accepted_on_time=0, decided=0, replied_on_time=0, replied=0, satisfied=0, followed_up=0)
    assert render(statistics_spec(bureau, stats, "bilingual", ISSUED)).startswith(b"%PDF")


def test_the_report_is_named_after_its_period(bureau):
    spec = statistics_spec(bureau, sample(), "zh_CN", ISSUED)
    assert spec.layout is OFFICIAL and spec.title == "信访统计报表"
    assert spec.suggested_file_name() == "信访统计报表 2026-01-01–2026-03-31.pdf"
    assert statistics_spec(bureau, sample(), "en", ISSUED).title == "Complaint Statistics Report"


@needs_poppler
def test_unknown_keys_print_as_they_are_and_markup_prints_as_typed():
    bureau = Bureau('环保<b>局 & "Co"', '<i>Eco</i> & "Bureau"')
    stats = sample(by_category={"<mystery>": 2, "air": 38}, by_channel={"carrier & pigeon": 40},
                   by_town={"城关<镇> & 乡": 40}, by_month={"2026-01": 40})
    for language in LANGUAGES:
        flat = squeeze(pdf_text(statistics_pdf(bureau, language, stats)))
        for value in ("<mystery>", "carrier & pigeon", "城关<镇> & 乡"):
            assert squeeze(value) in flat, (language, value)
        assert squeeze('环保<b>局 & "Co"') in flat if language != "en" else squeeze('<i>Eco</i> & "Bureau"') in flat


@needs_poppler
def test_many_towns_run_over_pages_with_the_header_repeated(bureau):
    towns = {f"第{n}村": 1 for n in range(1, 121)}
    stats = replace(sample(), total=120, by_town=towns, by_month={"2026-01": 40, "2026-02": 40, "2026-03": 40})
    pages = pdf_pages(statistics_pdf(bureau, "bilingual", stats))
    assert len(pages) >= 3
    flat = squeeze("".join(pages))
    assert all(f"第{n}村" in flat for n in range(1, 121))
    town_pages = [squeeze(page) for page in pages if "村" in page]
    assert all("乡镇Town" in page and "件数Count" in page and "占比Share" in page for page in town_pages)
    assert any("合计Total" in page and "120100.0%" in page for page in town_pages)  # the towns' total row
    assert "审核人" in squeeze(pages[-1]) and f"第{len(pages)}页共{len(pages)}页" in squeeze(pages[-1])


@needs_poppler
def test_labels_follow_the_document_language_not_the_interface(bureau):
    i18n.set_language("zh_CN")
    try:
        english = pdf_text(statistics_pdf(bureau, "en"))
    finally:
        i18n.set_language("en")
    assert "Complaint Statistics Report" in english
    assert not any(label in english for label in ("信访统计报表", "按期受理率", "占比", "第1页", "2026年"))
