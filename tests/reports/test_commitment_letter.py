"""The public service commitment letter: its limits come from the rules it is given, in every language."""

from __future__ import annotations

from dataclasses import replace

import pytest
from report_helpers import ISSUED, needs_poppler, pdf_fonts, pdf_info, pdf_pages, pdf_text, squeeze

from envdesk.domain.deadlines import Rule, Unit
from envdesk.reports import commitment_letter, commitment_letter_spec


@needs_poppler
@pytest.mark.parametrize("language", ["zh_CN", "en", "bilingual"])
def test_every_language_prints_a_complete_letter(bureau, rules, language, tmp_path):
    pdf = commitment_letter(bureau, rules, language, ISSUED, "青环〔2026〕3号")
    text = pdf_text(pdf)
    assert "青环〔2026〕3号" in text
    assert bureau.name_zh in text or language == "en"
    assert all(row[-5:-3] == ["yes", "yes"] for row in pdf_fonts(pdf, tmp_path))
    pages = pdf_pages(pdf)
    assert 1 < len(pages) <= 4
    assert pdf_info(pdf)["Creator"] == "EnvDesk"


@needs_poppler
def test_the_english_letter_states_limits_units_and_bases(bureau, rules):
    text = pdf_text(commitment_letter(bureau, rules, "en", ISSUED))
    flat = squeeze(text)
    for expected in ("Public Service Commitment Letter", "Qingxi County Ecology and Environment Bureau",
                     "15 working days", "7 working days", "5 working days", "1 working day", "Same day",
                     "60 working days", "30 working days", "15 calendar days", "60 calendar days",
                     "Environmental Impact Assessment Law, art. 22",
                     "Regulations on Letters and Visits (2022), art. 34",
                     "Supervision telephone", "(Seal)", "2 March 2026", "Page 1 of"):
        assert squeeze(expected) in flat, expected


@needs_poppler
def test_the_letter_prints_the_live_settings_not_the_defaults(bureau, rules):
    changed = [replace(rule, limit=9) if rule.key == "approvals/promised/report_form" else rule for rule in rules]
    changed = [replace(rule, basis="县政府〔2026〕12号文") if rule.key == "approvals/promised/green_channel" else rule
               for rule in changed]
    text = pdf_text(commitment_letter(bureau, changed, "en", ISSUED))
    assert "9 working days" in text and "7 working days" not in text
    assert "县政府〔2026〕12号文" in text


@needs_poppler
def test_chinese_letter_uses_chinese_units(bureau, rules, chinese):
    text = squeeze(pdf_text(commitment_letter(bureau, rules, "zh_CN", ISSUED)))
    assert "公开承诺书" in text
    assert "7个工作日" in text and "15个工作日" in text and "60日" in text
    assert "当日办结" in text
    assert "（盖章）" in text and "2026年3月2日" in text
    assert "第1页共" in text


@needs_poppler
def test_bilingual_letter_gives_each_limit_in_both_languages(bureau, rules, chinese):
    text = squeeze(pdf_text(commitment_letter(bureau, rules, "bilingual", ISSUED)))
    assert "7个工作日" in text and "7workingdays" in text
    assert "当日办结" in text and "Sameday" in text
    assert "青溪县生态环境局" in text and "QingxiCountyEcologyandEnvironmentBureau" in text
    assert "2026年3月2日" in text and "2March2026" in text


@needs_poppler
def test_each_promise_stands_beside_the_statutory_limit_it_shortens(bureau, rules):
    pages = pdf_pages(commitment_letter(bureau, rules, "en", ISSUED))
    text = "\n".join(pages)
    assert "Statutory limit" in text and "Promised limit" in text
    # The statutory rows are folded into their promises, not listed a second time.
    assert "Statutory limit: report book" not in text
    assert text.count("Promised limit: report book") == 1


@needs_poppler
def test_a_rule_the_letter_does_not_know_is_still_printed(bureau, rules):
    extra = Rule(key="twinning/visit", name="Visit each paired enterprise", limit=1, unit=Unit.CALENDAR_DAYS,
                 basis="Zhejiang twinning action (2020)")
    text = pdf_text(commitment_letter(bureau, [*rules, extra], "en", ISSUED))
    assert "Other time limits" in text and "Visit each paired enterprise" in text
    assert "1 calendar day" in text


@needs_poppler
def test_no_rest_day_note_without_calendar_day_limits(bureau, rules):
    working_only = [rule for rule in rules if rule.unit == Unit.WORKING_DAYS]
    text = pdf_text(commitment_letter(bureau, working_only, "en", ISSUED))
    assert "rest day" not in text
    assert "rest day" in pdf_text(commitment_letter(bureau, rules, "en", ISSUED))


def test_the_spec_suggests_a_file_name_with_the_number(bureau, rules):
    spec = commitment_letter_spec(bureau, rules, "en", ISSUED, "青环〔2026〕3号")
    assert spec.suggested_file_name() == "Public Service Commitment Letter 青环〔2026〕3号.pdf"
    assert spec.title == "Public Service Commitment Letter"
    assert commitment_letter_spec(bureau, rules, "en", ISSUED).suggested_file_name() == \
        "Public Service Commitment Letter.pdf"



def test_the_real_zh_catalog_prints_chinese_labels():
    """Against the shipped catalog, not a stand-in: a Chinese letter has Chinese headings and units."""
    import shutil
    import subprocess
    from datetime import date

    from envdesk import i18n
    from envdesk.domain.deadlines import Rule
    from envdesk.domain.reference import Bureau
    from envdesk.reports import commitment_letter

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    i18n.reload_catalogs()
    rule = Rule("complaints/handling", "Handle and give a written opinion", 60, "calendar_days",
                "Regulations on Letters and Visits (2022), art. 34")
    pdf = commitment_letter(Bureau("青溪县生态环境局"), [rule], "zh_CN", date(2026, 3, 2))
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode()
    for expected in ("公开承诺书", "60 个自然日", "第三十四条"):
        assert expected in text.replace("\n", ""), expected
