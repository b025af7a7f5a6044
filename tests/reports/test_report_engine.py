"""The print engine: languages, fonts, escaping, wrapping, ledgers, page numbers, metadata."""

from __future__ import annotations

from datetime import date

import pytest
from report_helpers import needs_poppler, pdf_fonts, pdf_info, pdf_pages, pdf_text, squeeze
from reportlab.pdfbase import pdfmetrics

from envdesk import i18n
from envdesk.domain.reference import Bureau
from envdesk.i18n import N_
from envdesk.reports import LEDGER, Column, DocumentSpec, Party, Writer, document_number, render, text
from envdesk.reports import fonts

COLUMNS = (Column(N_("No."), 0.6, "center"), Column(N_("Project"), 4), Column(N_("Date received"), 1.6))


def form(w: Writer) -> None:
    w.title_block(N_("Public Service Commitment Letter"), document_number("青环函", 2026, 3))
    w.field_grid([(N_("Date received"), date(2026, 3, 2)), (N_("Project"), "青溪县污水处理厂提标改造项目")])
    w.paragraph(N_("We sincerely welcome the supervision of enterprises, the public and all sectors of society."))
    w.signature_block([Party(N_("Party A"), "青溪县生态环境局", "王建国", "局长"), Party(N_("Party B"), "办公室")])
    w.closing(date(2026, 3, 2))


def spec(bureau: Bureau, language: str, write=form, **kw) -> DocumentSpec:
    return DocumentSpec(title="Test", language=language, bureau=bureau, write=write, **kw)


# --- languages ----------------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", ["zh_CN", "en", "bilingual"])
def test_each_language_mode_makes_a_valid_pdf(bureau, language):
    pdf = render(spec(bureau, language))
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    text = pdf_text(pdf)
    assert "青环函〔2026〕3号" in text
    assert "王建国" in text
    assert pdf_info(pdf)["Pages"] == "1"


@needs_poppler
def test_bilingual_prints_both_languages(bureau):
    text = pdf_text(render(spec(bureau, "bilingual")))
    assert "青溪县生态环境局" in text and "Qingxi County Ecology and Environment Bureau" in text
    assert "2026年3月2日" in text and "2 March 2026" in text
    assert "Date received" in text and "Page 1 of 1" in text


@needs_poppler
def test_labels_follow_the_document_language_not_the_interface(bureau, chinese):
    i18n.set_language("zh_CN")
    english = pdf_text(render(spec(bureau, "en")))
    assert "Date received" in english and "受理日期" not in english and "Page 1 of 1" in english
    i18n.set_language("en")
    chinese_text = pdf_text(render(spec(bureau, "zh_CN")))
    assert "受理日期" in chinese_text and "Date received" not in chinese_text
    assert "第1页共1页" in squeeze(chinese_text)
    both = pdf_text(render(spec(bureau, "bilingual")))
    assert "受理日期" in both and "Date received" in both
    assert "第1页共1页Page1of1" in squeeze(both)


def test_an_unknown_language_is_refused(bureau):
    with pytest.raises(ValueError):
        Writer("fr", bureau)


# --- fonts --------------------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("language", ["zh_CN", "en", "bilingual"])
def test_every_font_is_an_embedded_subset(bureau, language, tmp_path):
    rows = pdf_fonts(render(spec(bureau, language)), tmp_path)
    assert rows
    for row in rows:
        name, kind, emb, sub = row[0], row[1], row[-5], row[-4]
        assert kind == "TrueType" and (emb, sub) == ("yes", "yes"), row
        assert "+" in name  # the subset tag
    assert not any(row[0] in {"Helvetica", "Times-Roman", "Courier"} for row in rows)


def test_registering_fonts_twice_is_harmless():
    fonts.register_fonts()
    before = pdfmetrics.getRegisteredFontNames()
    fonts.register_fonts()
    assert pdfmetrics.getRegisteredFontNames() == before
    assert {fonts.SONG, fonts.HEI, fonts.SERIF, fonts.SANS_BOLD} <= set(before)


def test_each_character_gets_a_font_that_has_it():
    assert fonts.BODY.runs("Ab 中文, c") == [(fonts.SERIF, "Ab "), (fonts.SONG, "中文"), (fonts.SERIF, ", c")]
    # 堃 is outside GB 2312, so the Song face lacks it and the wider Hei face draws it.
    assert fonts.BODY.runs("王堃") == [(fonts.SONG, "王"), (fonts.HEI, "堃")]
    assert fonts.HEADING.runs("Title 标题") == [(fonts.SANS_BOLD, "Title "), (fonts.HEI, "标题")]


def test_missing_glyphs_become_boxes_and_invisible_joiners_vanish():
    # 👍🏽 is a thumb and a skin-tone modifier; ❤️ a heart and a variation selector; 👨‍👩‍👧 has joiners.
    runs = fonts.BODY.runs("ok 😀👍🏽❤️👨\u200d👩\u200d👧")
    printed = "".join(run for _, run in runs)
    assert printed.replace("\u200d", "") == "ok □□□□□□"  # a joiner may stay: it has no width


# --- escaping -----------------------------------------------------------------------------------

def test_text_escapes_markup():
    markup = text('环保<b>局 & "Co"\nsecond line')
    assert "<b>" not in markup and "&lt;b&gt;" in markup and "&amp;" in markup
    assert markup.count("<br/>") == 1


@needs_poppler
@pytest.mark.parametrize("language", ["zh_CN", "en", "bilingual"])
def test_a_bureau_named_like_markup_prints_as_typed(language):
    bureau = Bureau('环保<b>局 & "Co"', '<i>Eco</i> & <font name="x">Bureau</font>')
    pdf = render(spec(bureau, language))
    text = pdf_text(pdf)
    assert '环保<b>局 & "Co"' in text or language == "en"
    if language != "zh_CN":
        assert '<i>Eco</i> & <font name="x">Bureau</font>' in text
    assert pdf_info(pdf)["Author"] == bureau.name(language)


@needs_poppler
def test_long_unbroken_strings_wrap_and_print_whole(bureau):
    long_word = "A" * 300
    url = "https://example.gov.cn/envdesk/" + "path/" * 40 + "index.html?id=91350100M000100Y43"
    chinese = "非常长的没有空格的项目名称" * 30

    def write(w: Writer) -> None:
        w.field_grid([(N_("Project"), long_word), (N_("Date received"), url)])
        w.ledger(COLUMNS, [[1, chinese, url], [2, long_word, "91350100M000100Y43"]])
        w.plain(long_word + url)

    pdf = render(spec(bureau, "en", write))
    flat = squeeze(pdf_text(pdf))
    for value in (long_word, url, chinese, "91350100M000100Y43"):
        assert value in flat


@needs_poppler
def test_a_field_longer_than_a_page_continues_on_the_next(bureau):
    remark = "".join(f"备注第{k}句。" for k in range(1, 700))

    def write(w: Writer) -> None:
        w.field_grid([(N_("Project"), "短"), (N_("Date received"), remark), (N_("Project"), "之后")])

    pages = pdf_pages(render(spec(bureau, "zh_CN", write)))
    assert len(pages) >= 2
    flat = squeeze("".join(pages))
    assert all(f"备注第{k}句。" in flat for k in range(1, 700))


@needs_poppler
def test_emoji_and_control_characters_do_not_crash(bureau):
    def write(w: Writer) -> None:
        w.field_grid([(N_("Project"), "污水站😀改造\x00\x07项目👍🏽"), (N_("Date received"), "\t tab")], columns=1)
        w.ledger(COLUMNS, [[1, "噪声😀扰民", None]])

    text = pdf_text(render(spec(bureau, "zh_CN", write)))
    assert "污水站□改造项目□" in squeeze(text)
    assert "噪声□扰民" in text


@needs_poppler
def test_english_words_are_not_broken_in_english_documents(bureau):
    sentence = "Environmental Impact Assessment Law of the People's Republic of China, article twenty-two"

    def write(w: Writer) -> None:
        w.field_grid([(N_("Project"), sentence)] * 2, columns=2)

    text = pdf_text(render(spec(bureau, "en", write)))
    words = set(text.split())
    for word in sentence.split():
        assert word in words, word


# --- ledgers and page numbers -------------------------------------------------------------------

@needs_poppler
def test_a_long_ledger_repeats_its_header_and_numbers_its_pages(bureau):
    rows = [[n, f"青溪县第{n}号建设项目 project {n}", date(2026, 1, 1)] for n in range(1, 301)]
    pdf = render(spec(bureau, "en", lambda w: w.ledger(COLUMNS, rows), layout=LEDGER))
    pages = pdf_pages(pdf)
    assert len(pages) >= 5
    for number, page in enumerate(pages, 1):
        assert "Date received" in page and "Project" in page
        assert f"Page {number} of {len(pages)}" in page
    text = "\n".join(pages)
    assert all(f"第{n}号建设项目" in text for n in (1, 150, 300))


@needs_poppler
def test_rows_are_never_split_across_pages(bureau):
    # Rows of 1 to 12 lines: each must print whole on one page.
    rows = [[n, "\n".join(f"行{n}-{k}" for k in range(1, n % 12 + 2)), None] for n in range(1, 120)]
    pages = pdf_pages(render(spec(bureau, "zh_CN", lambda w: w.ledger(COLUMNS, rows), layout=LEDGER)))
    assert len(pages) > 2
    for n in range(1, 120):
        holding = [page for page in pages if f"行{n}-" in page]
        assert len(holding) == 1, n


@needs_poppler
def test_a_cell_taller_than_a_page_continues_on_the_next(bureau):
    tall = "\n".join(f"第{k}行备注" for k in range(1, 200))
    rows = [[1, "短", None], [2, tall, None], [3, "之后", None]]
    pages = pdf_pages(render(spec(bureau, "zh_CN", lambda w: w.ledger(COLUMNS, rows))))
    assert len(pages) >= 3
    text = "\n".join(pages)
    assert all(f"第{k}行备注" in text for k in range(1, 200))
    assert "之后" in pages[-1]


# --- metadata -----------------------------------------------------------------------------------

@needs_poppler
def test_metadata_names_the_document_and_the_bureau(bureau):
    pdf = render(spec(bureau, "zh_CN", subject="承诺事项"))
    info = pdf_info(pdf)
    assert info["Title"] == "Test"
    assert info["Author"] == "青溪县生态环境局"
    assert info["Subject"] == "承诺事项"
    assert info["Creator"] == "EnvDesk"
    assert b"/Lang (zh-CN)" in pdf
    assert b"/Lang (en)" in render(spec(bureau, "en"))


def test_document_number():
    assert document_number("青环函", 2026, 3) == "青环函〔2026〕3号"
