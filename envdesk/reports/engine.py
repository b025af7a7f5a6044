"""The print engine: page layouts, escaped text, and the blocks every EnvDesk document is written in."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache, partial
from html import escape
from itertools import zip_longest
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib import textsplit as _textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _paragraph_module

from envdesk.domain.deadlines import Unit
from envdesk.domain.progress import Progress
from envdesk.domain.reference import Bureau
from envdesk.i18n import (
    DOCUMENT_LANGUAGES,
    N_,
    bilingual,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    gettext_for,
    translations,
)
from envdesk.reports import fonts

CREATOR = "EnvDesk"

_PAGE_NUMBER = N_("Page {page} of {pages}")
# Translators: printed under the issuer's name, where the seal is stamped: 「（盖章）」.
_SEAL = N_("(Seal)")
_SIGNATURE = N_("Signature")
_DATE = N_("Date")
_REPRESENTATIVE = N_("Representative")
_TITLE = N_("Title")
_YES = N_("Yes")
_NO = N_("No")
_DOCUMENTS = N_("{count} documents")
_SAME_DAY = N_("Same day")


# --- pages --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    """A page size with its margins, and where the page number goes."""

    name: str
    pagesize: tuple[float, float]
    top: float
    bottom: float
    left: float
    right: float

    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.pagesize[1] - self.top - self.bottom

    @property
    def page_number_y(self) -> float:
        # GB/T 9704-2012 7.5: the page number sits 7 mm below the bottom edge of the text block.
        return self.bottom - 7 * mm


# GB/T 9704-2012 5.2.1: A4, top margin 37 mm, binding (left) margin 28 mm, text block 156 × 225 mm.
OFFICIAL = Layout("official", A4, top=37 * mm, bottom=35 * mm, left=28 * mm, right=26 * mm)
# Ledgers are working lists, not official documents: landscape, with the room going to columns.
LEDGER = Layout("ledger", landscape(A4), top=18 * mm, bottom=20 * mm, left=18 * mm, right=18 * mm)


# --- styles -------------------------------------------------------------------------------------

def _style(name: str, font: str, size: float, leading: float, **kw) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, **kw)


# Sizes follow GB/T 9704 names: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt, 五号 10.5 pt.
TITLE = _style("title", fonts.HEI, 22, 32, alignment=TA_CENTER, spaceAfter=2)
TITLE_SECOND = _style("title-second", fonts.HEI, 15, 22, alignment=TA_CENTER, spaceAfter=2)
ISSUER = _style("issuer", fonts.HEI, 16, 24, alignment=TA_CENTER)
ISSUER_SECOND = _style("issuer-second", fonts.HEI, 11, 16, alignment=TA_CENTER)
NUMBER = _style("number", fonts.SONG, 12, 18, alignment=TA_CENTER, spaceBefore=4)
HEADING = _style("heading", fonts.HEI, 14, 22, spaceBefore=10, spaceAfter=4)
HEADING_SECOND = _style("heading-second", fonts.HEI, 11, 16, spaceAfter=4)
BODY = _style("body", fonts.SONG, 12, 22, alignment=TA_JUSTIFY, firstLineIndent=24, spaceAfter=2)
BODY_EN = _style("body-en", fonts.SONG, 12, 17, alignment=TA_JUSTIFY, spaceAfter=8)
BODY_SECOND = _style("body-second", fonts.SONG, 10, 14, alignment=TA_JUSTIFY, spaceAfter=8,
                     textColor=colors.HexColor("#333333"))
ITEM = _style("item", fonts.SONG, 12, 20, alignment=TA_JUSTIFY, leftIndent=18, firstLineIndent=-18, spaceAfter=2)
ITEM_SECOND = _style("item-second", fonts.SONG, 10, 14, alignment=TA_JUSTIFY, leftIndent=18, spaceAfter=6,
                     textColor=colors.HexColor("#333333"))
CELL = _style("cell", fonts.SONG, 10.5, 14)
CELL_HEAD = _style("cell-head", fonts.HEI, 10.5, 14, alignment=TA_CENTER)
SIGN = _style("sign", fonts.SONG, 12, 17)
CLOSING = _style("closing", fonts.SONG, 12, 22, alignment=TA_CENTER)
FOOTER = _style("footer", fonts.SONG, 10.5, 14, alignment=TA_CENTER)
# A letter's addressee line, and what the addressee (or the bureau) wrote, set in from the margin.
ADDRESSEE = ParagraphStyle("addressee", parent=BODY, firstLineIndent=0, spaceBefore=4, spaceAfter=4)
QUOTE = ParagraphStyle("quote", parent=BODY, firstLineIndent=0, leftIndent=24, rightIndent=12, fontSize=11.5,
                       leading=19, textColor=colors.HexColor("#222222"), spaceAfter=4)
# Lines around a form or a report: its number and date at both ends, lines to sign on.
NOTE = ParagraphStyle("note", parent=SIGN, fontSize=11, leading=16)
NOTE_RIGHT = ParagraphStyle("note-right", parent=NOTE, alignment=TA_RIGHT)

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
_PAD = 4  # table cell padding, points


# ReportLab's CJK line breaking keeps a character that may not start a line (。、」）…) at the end of the line
# above, squeezed in; but its list (reportlab.lib.textsplit.CANNOT_START_LINE) lacks the full-width comma,
# semicolon, colon, question and exclamation marks and the closing marks Chinese text is full of, so a line could
# start with '，'. Both copies of the list are extended: the one-run line splitter's and the Paragraph module's.
_CANNOT_START = "，；：？！》〉』”’…"
for _module in (_textsplit, _paragraph_module):
    _module.ALL_CANNOT_START += "".join(mark for mark in _CANNOT_START if mark not in _module.ALL_CANNOT_START)


@lru_cache(maxsize=None)
def _variant(style: ParagraphStyle, cjk: bool, alignment: int | None = None) -> ParagraphStyle:
    # CJK line breaking may break between any two characters (skipping back to a space inside a
    # Latin word); text without Chinese keeps Western breaking, so English words stay whole.
    changes: dict = {"wordWrap": "CJK" if cjk else None}
    if alignment is not None:
        changes["alignment"] = alignment
    return ParagraphStyle(f"{style.name}-{int(cjk)}-{alignment}", parent=style, **changes)


# --- text ---------------------------------------------------------------------------------------

def text(value: object, style: ParagraphStyle = BODY) -> str:
    """Plain text as paragraph markup that prints exactly as typed: escaped, each run in a font that
    has its glyphs (missing ones become □), line breaks kept."""
    fonts.register_fonts()
    family = fonts.family_of(style.fontName)
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").split("\n")
    return "<br/>".join(_line_markup(line, family, style.fontName) for line in lines)


def _line_markup(line: str, family: fonts.Family, base: str) -> str:
    return "".join(
        escape(run, quote=False) if font == base else f'<font name="{font}">{escape(run, quote=False)}</font>'
        for font, run in family.runs(line)
    )


def text_width(value: str, style: ParagraphStyle = BODY) -> float:
    """How wide one line of plain text prints in `style`, in points."""
    fonts.register_fonts()
    return fonts.width(fonts.family_of(style.fontName).runs(value), style.fontSize)


def para(value: object, style: ParagraphStyle = BODY, align: str | None = None) -> Paragraph:
    """The one way text gets into a Paragraph: `value` is plain text and prints as typed."""
    plain = "" if value is None else str(value)
    variant = _variant(style, fonts.is_cjk(plain), None if align is None else _ALIGN[align])
    return Paragraph(text(plain, style), variant)


def cell(value: object, style: ParagraphStyle, width: float, align: str = "left") -> Flowable:
    """Text for a table cell `width` points wide: drawn directly when it fits on one line (most ledger
    cells; a Paragraph costs several times more to parse, break and draw), else a wrapping Paragraph.
    Either way it prints as typed: the direct line has no markup to escape."""
    plain = "" if value is None else str(value)
    if "\n" not in plain and "\r" not in plain:
        family = fonts.family_of(style.fontName)
        runs = family.runs(plain.replace("\t", " "))
        natural = fonts.width(runs, style.fontSize)
        if natural <= width - 2 * _PAD:
            return _Line(runs, natural, style, _ALIGN[align])
    return para(plain, style, align)


def cell_lines(value: object, style: ParagraphStyle, width: float, align: str = "left") -> object:
    """A cell's text: a line that fits is drawn directly, and each line of a longer text is a paragraph of its
    own, so that an English line under a Chinese one keeps its words whole when it wraps."""
    plain = "" if value is None else str(value)
    lines = plain.replace("\r\n", "\n").split("\n")
    if len(lines) == 1:
        return cell(plain, style, width, align)
    return [cell(line, style, width, align) for line in lines]


class _Line(Flowable):
    """One line of text in per-font runs, placed where a one-line Paragraph would put it."""

    def __init__(self, runs: list[tuple[str, str]], natural: float, style: ParagraphStyle, alignment: int) -> None:
        super().__init__()
        self.runs = runs
        self.natural = natural
        self.style = style
        self.alignment = alignment

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = availWidth, self.style.leading
        return self.width, self.height

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        # Drawn at page coordinates, without the save/translate/restore every Flowable pays: in a
        # long ledger that bookkeeping costs more than the text. The table has set the fill colour.
        self.canv = canvas
        free = self.width - self.natural
        x += {TA_CENTER: free / 2, TA_RIGHT: free}.get(self.alignment, 0)
        y += self.height - self.style.fontSize  # the baseline of a one-line Paragraph
        size = self.style.fontSize
        if len(self.runs) == 1:
            font, run = self.runs[0]
            canvas.setFont(font, size)
            canvas.drawString(x, y, run)
            return
        line = canvas.beginText(x, y)
        for font, run in self.runs:
            line.setFont(font, size)
            line.textOut(run)
        canvas.drawText(line)

    def draw(self) -> None:
        self.drawOn(self.canv, 0, 0)


def document_number(prefix: str, year: int, sequence: int) -> str:
    """A document number in the GB/T 9704 form: 青环函〔2026〕3号."""
    return f"{prefix}〔{year}〕{sequence}号"


def fill(template: str, fallback: str, fields: dict[str, str]) -> str:
    """Fill {placeholders}; a translation with broken placeholders falls back to the source text."""
    if not fields:
        return template
    try:
        return template.format(**fields)
    except (KeyError, IndexError, ValueError):
        return fallback.format(**fields)


Field = str | Callable[[str], str]


def languages_of(language: str) -> tuple[str, ...]:
    """The languages a document's text is written in, Chinese first in bilingual documents."""
    return ("zh_CN", "en") if language == "bilingual" else (language,)


def in_each(language: str, write: Callable[[str], str]) -> list[str]:
    """`write(lang)` for each language of a document, Chinese first; once when both say the same."""
    return list(dict.fromkeys(write(one) for one in languages_of(language)))


def texts(language: str, msgid: str, **fields: Field) -> list[str]:
    """A message in each language of a document, placeholders filled; a field may be a function of
    the language, e.g. `bureau.name`."""
    def one(lang: str) -> str:
        return fill(gettext_for(lang, msgid), msgid, {k: v(lang) if callable(v) else v for k, v in fields.items()})

    return in_each(language, one)


def _blank_date(language: str) -> str:
    """A date to fill in by hand, in the locale's own order: '　　　　年　　月　　日', '____/____/______'."""
    if language == "en":
        return re.sub(r"\d+", lambda m: "_" * (len(m.group()) + 2), format_date(date(2000, 11, 22), "short", "en"))
    return re.sub(r"\d+", lambda m: "\u3000" * len(m.group()), format_date(date(2000, 11, 22), "long", "zh_CN"))


# Where a date is written by hand on Chinese forms; no-break spaces, which a Paragraph does not collapse.
BLANK_DATE = "\xa0" * 10 + "年" + "\xa0" * 6 + "月" + "\xa0" * 6 + "日"


def amount(unit: object, count: int, language: str) -> str:
    """'60 个自然日' / '60 calendar days' — the same messages as Rule.describe(); a limit of 0 is 'same day'."""
    if count == 0:
        return gettext_for(language, _SAME_DAY)
    catalog = translations(language)
    if unit == Unit.WORKING_DAYS:  # a Unit or its stored value
        message = catalog.ngettext("{count} working day", "{count} working days", count)
        source = "{count} working day" if count == 1 else "{count} working days"
    else:
        message = catalog.ngettext("{count} calendar day", "{count} calendar days", count)
        source = "{count} calendar day" if count == 1 else "{count} calendar days"
    return fill(message, source, {"count": str(count)})


def amount_in(unit: object, count: int) -> Callable[[str], str]:
    """A time limit as a field of a catalog message, in each document language."""
    return lambda language: amount(unit, count, language)


def date_in(value: date) -> Callable[[str], str]:
    """A date as a field of a catalog message: 2026年3月2日, 2 March 2026."""
    return lambda language: format_date(value, "long", language)


def catalog_in(msgid: str) -> Callable[[str], str]:
    """A catalog text (or an administrator's own wording, which no catalog knows and so prints as typed) as a
    field of a catalog message, in each document language."""
    return lambda language: gettext_for(language, msgid)


def chinese_numeral(number: int) -> str:
    """一, 二 … 十, 十一 … 九十九: how Chinese documents number their headings and items."""
    digits = "〇一二三四五六七八九"
    if number < 10:
        return digits[number]
    tens, ones = divmod(number, 10)
    return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}"


def month_keys(start: date, end: date, counts: dict[str, int]) -> list[str]:
    """Every month of a period in order as "2026-03", then any other key of `counts` (months without a
    count are listed too: a report by month shows the empty ones)."""
    keys: list[str] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys + sorted(key for key in counts if key not in keys)


# --- blocks -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column of a ledger: its header (an N_-marked msgid), share of the width and alignment."""

    header: str
    width: float = 1.0
    align: str = "left"


@dataclass(frozen=True)
class Party:
    """One side of a signed letter; empty fields print as lines to fill in by hand."""

    role: str  # N_-marked msgid, e.g. N_("Party A")
    name: str
    representative: str = ""
    title: str = ""


class Writer:
    """Collects the flowables of one document, with every label in the document's language(s)."""

    def __init__(self, language: str, bureau: Bureau, layout: Layout = OFFICIAL) -> None:
        if language not in DOCUMENT_LANGUAGES:
            raise ValueError(f"unknown document language: {language!r}")
        self.language = language
        self.bureau = bureau
        self.layout = layout
        self.story: list[Flowable] = []
        self._last_block = 0  # where the last block starts in the story, so the closing can keep with it

    # -- words ----------------------------------------------------------------------------------

    def texts(self, msgid: str, **fields: Field) -> list[str]:
        return texts(self.language, msgid, **fields)

    def label(self, msgid: str, *, stacked: bool = False) -> str:
        """A short label; in bilingual documents both languages, side by side or one above the other."""
        if self.language == "bilingual":
            return bilingual(msgid, "\n" if stacked else " ")
        return gettext_for(self.language, msgid)

    def labelled(self, msgid: str, value: object, *, stacked: bool = False) -> str:
        colon = ": " if self.language == "en" else "："
        return f"{self.label(msgid, stacked=stacked)}{colon}{self.value(value)}"

    def value(self, value: object) -> str:
        """A data value as printed: dates and numbers in the document's locale (Chinese when bilingual).
        Numbers are grouped (12,345): pass codes and years as text."""
        language = "en" if self.language == "en" else "zh_CN"
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return self.label(_YES if value else _NO)
        if isinstance(value, datetime):
            return format_datetime(value, "short", language)
        if isinstance(value, date):
            return format_date(value, "long" if language == "zh_CN" else "medium", language)
        if isinstance(value, (int, float, Decimal)):
            return format_number(value, language)
        return str(value)

    def dates(self, value: date) -> list[str]:
        """A date written out in each document language."""
        return in_each(self.language, lambda language: format_date(value, "long", language))

    # -- blocks ---------------------------------------------------------------------------------

    def add(self, *flowables: Flowable) -> None:
        """Append one block (a heading, a paragraph in each language, a table…)."""
        self._last_block = len(self.story)
        self.story.extend(flowables)

    def title_block(self, title: str, number: str | None = None, **fields: Field) -> None:
        """Issuing bureau, document number, a rule, and the title (an N_-marked msgid, maybe with fields)."""
        names = in_each(self.language, self.bureau.name)
        block: list[Flowable] = [para(name, ISSUER if i == 0 else ISSUER_SECOND) for i, name in enumerate(names)]
        if number:
            block.append(para(number, NUMBER))
        block.append(_Rule(0.8, space_before=6, space_after=14))
        block += [para(t, TITLE if i == 0 else TITLE_SECOND) for i, t in enumerate(self.texts(title, **fields))]
        self.add(*block, Spacer(1, 10))

    def heading(self, msgid: str, **fields: Field) -> None:
        """A section heading from the catalog."""
        # A new page when little room is left, rather than keepWithNext: that would carry a long
        # table (or paragraph) after the heading over to the next page whole, leaving a gap.
        self.add(CondPageBreak(_HEADING_ROOM),
                 *(para(t, HEADING if i == 0 else HEADING_SECOND) for i, t in enumerate(self.texts(msgid, **fields))))

    def paragraph(self, msgid: str, **fields: Field) -> None:
        """Prose from the catalog; in bilingual documents the English follows the Chinese, smaller."""
        first = BODY_EN if self.language == "en" else BODY
        self.add(*(para(t, first if i == 0 else BODY_SECOND) for i, t in enumerate(self.texts(msgid, **fields))))

    def plain(self, value: object, style: ParagraphStyle = BODY) -> None:
        """User-entered text, printed as typed."""
        self.add(para(self.value(value), style))

    def numbered(self, msgids: Sequence[str], start: int = 1) -> None:
        """A numbered list of catalog sentences, each item a block."""
        for number, msgid in enumerate(msgids, start):
            self.add(*(para(f"{number}. {t}" if i == 0 else t, ITEM if i == 0 else ITEM_SECOND)
                       for i, t in enumerate(self.texts(msgid))))

    def fill_in(self, msgid: str, value: object = "", width: float = 70 * mm) -> None:
        """'Supervision telephone: ________': a label and its value on a line to write on."""
        label = self.labelled(msgid, "")
        label_width = min(text_width(label, BODY_EN) + 2, self.layout.frame_width - width)
        table = _table([[para(label, BODY_EN), para(self.value(value), BODY_EN)]], [label_width, width], [
            ("LINEBELOW", (1, 0), (1, 0), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (0, 0), 0),
            ("RIGHTPADDING", (0, 0), (0, 0), 0),
        ])
        self.add(Spacer(1, 4), table, Spacer(1, 10))

    def field_grid(self, fields: Sequence[tuple[str, object]], columns: int = 2) -> None:
        """Label/value pairs in a ruled grid, `columns` pairs to a row; labels are N_-marked msgids."""
        share = self.layout.frame_width / columns
        labels = [self.label(msgid, stacked=True) for msgid, _ in fields]
        longest = max((text_width(line, CELL_HEAD) for label in labels for line in label.split("\n")), default=0)
        label_width = min(max(longest + 2 * _PAD + 1, share * 0.25), share * 0.5)
        widths = [label_width, share - label_width] * columns
        rows: list[list[object]] = []
        for start in range(0, len(fields), columns):
            cells: list[Flowable] = []
            values: list[str] = []
            for label, (_, value) in zip(labels[start:start + columns], fields[start:start + columns]):
                values += [label, self.value(value)]
                cells += [para(label, CELL_HEAD, "left"), cell(values[-1], CELL, widths[1])]
            padding = 2 * columns - len(cells)
            rows.extend(_fit_row(cells + [Spacer(0, 0)] * padding, values + [""] * padding, widths,
                                 self.layout.frame_height - 2))
        style = _grid_style() + [("BACKGROUND", (c, 0), (c, -1), _SHADE) for c in range(0, 2 * columns, 2)]
        self.add(_table(rows, widths, style), Spacer(1, 8))

    def ledger(self, columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> None:
        """A ruled table whose header repeats on every page; a row never splits across pages unless
        it is taller than a page, and then it continues on the next as further rows."""
        total = sum(c.width for c in columns)
        widths = [self.layout.frame_width * c.width / total for c in columns]
        header = [para(self.label(c.header, stacked=True), CELL_HEAD) for c in columns]
        limit = self.layout.frame_height - _row_height(header, widths) - 2
        data: list[list[object]] = [header]
        for row in rows:
            values = [self.value(v) for v in row]
            cells = [cell(v, CELL, w, c.align) for v, c, w in zip(values, columns, widths)]
            data.extend(_fit_row(cells, values, widths, limit))
        style = _grid_style() + [("BACKGROUND", (0, 0), (-1, 0), _SHADE)]
        self.add(_table(data, widths, style, repeat_header=True), Spacer(1, 8))

    def signature_block(self, parties: Sequence[Party]) -> None:
        """The parties side by side, each with name, representative, title, a line to sign on and a
        date to fill in; what is not known yet is a line to write on."""
        width = self.layout.frame_width / max(len(parties), 1)
        blocks = [self._party(party, width - 2 * _PAD) for party in parties]
        # One table row, so it never splits: the block moves to the next page whole if it must.
        table = _table([blocks], [width] * len(parties), [("VALIGN", (0, 0), (-1, -1), "TOP")])
        self.add(Spacer(1, 18), table)

    def _party(self, party: Party, width: float) -> Table:
        date_blank = _blank_date("en" if self.language == "en" else "zh_CN")
        fields = [(party.role, party.name), (_REPRESENTATIVE, party.representative), (_TITLE, party.title),
                  (_SIGNATURE, ""), (_DATE, date_blank)]
        labels = [self.labelled(msgid, "", stacked=True) for msgid, _ in fields]
        longest = max(text_width(line, SIGN) for label in labels for line in label.split("\n"))
        label_width = min(longest + 2 * _PAD + 1, width * 0.6)
        rows = [[para(label, SIGN), para(value, SIGN)] for label, (_, value) in zip(labels, fields)]
        lines = [("LINEBELOW", (1, row), (1, row), 0.6, colors.black)
                 for row, (_, value) in enumerate(fields) if not value]
        return _table(rows, [label_width, width - label_width],
                      [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (0, -1), 0),
                       ("TOPPADDING", (0, 0), (-1, -1), 7), *lines])

    def closing(self, issued: date, seal: bool = True) -> None:
        """The issuing bureau and date at the foot of a letter, right of centre, with room for the seal."""
        lines = in_each(self.language, self.bureau.name)
        if seal:
            lines.append(self.label(_SEAL))
        lines += self.dates(issued)
        # GB/T 9704 7.3.5.1: the date ends four characters from the right margin, the issuer centred
        # above it; the seal is stamped over both, so they stay on the page of the last paragraph.
        width = min(max(text_width(line, CLOSING) for line in lines) + 2 * _PAD, self.layout.frame_width * 0.7)
        indent = 4 * CLOSING.fontSize - 2 * _PAD
        table = _table([[para(line, CLOSING), ""] for line in lines], [width, max(indent, 0)],
                       [("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)], align="RIGHT")
        last = self.story[self._last_block:]
        del self.story[self._last_block:]
        self.add(KeepTogether([*last, Spacer(1, 10 * mm), table]))

    def sentences(self, sentences: Sequence[tuple[str, dict[str, Field]]]) -> list[Flowable]:
        """Catalog sentences run together into one paragraph in each language, as paragraph() prints one;
        returned, not added, so that a caller can make one block of several."""
        def one(language: str) -> str:
            result = ""
            for msgid, fields in sentences:
                part = fill(gettext_for(language, msgid), msgid,
                            {k: v(language) if callable(v) else v for k, v in fields.items()})
                # Chinese sentences run on; after a Western full stop (an untranslated message too) comes a space.
                result += part if not result or ord(result[-1]) >= 0x2E80 else f" {part}"
            return result

        first = BODY_EN if self.language == "en" else BODY
        return [para(line, first if i == 0 else BODY_SECOND) for i, line in enumerate(in_each(self.language, one))]

    def numbered_heading(self, index: int, msgid: str) -> None:
        """'一、总体情况' / '1. Overall figures': a report's numbered section heading."""
        def one(language: str) -> str:
            label = gettext_for(language, msgid)
            return f"{index}. {label}" if language == "en" else f"{chinese_numeral(index)}、{label}"

        self.add(CondPageBreak(_HEADING_ROOM), *(para(line, HEADING if i == 0 else HEADING_SECOND)
                                                 for i, line in enumerate(in_each(self.language, one))))

    def two_ends(self, left: str, right: str) -> None:
        """One line with text at both ends: '信访编号：XF-2026-0001        打印日期：2026年3月2日'."""
        width = self.layout.frame_width
        self.add(plain_table([[para(left, NOTE), para(right, NOTE_RIGHT)]], [width * 0.6, width * 0.4],
                             [("VALIGN", (0, 0), (-1, -1), "BOTTOM")]), Spacer(1, 4))

    def sign_line(self, msgids: Sequence[str]) -> None:
        """'登记人（签字）：______  日期：　　年　　月　　日' to fill in by hand; labels are N_-marked msgids."""
        share = self.layout.frame_width / len(msgids)
        gap = 18
        row: list[object] = []
        widths: list[float] = []
        rules = []
        for column, msgid in enumerate(msgids):
            label = self.labelled(msgid, "", stacked=True)
            label_width = min(max(text_width(line, NOTE) for line in label.split("\n")) + 4, share * 0.7)
            if msgid == _DATE and self.language != "en":
                row += [cell_lines(label, NOTE, label_width), para(BLANK_DATE, NOTE), ""]
            else:
                row += [cell_lines(label, NOTE, label_width), "", ""]
                rules.append(("LINEBELOW", (3 * column + 1, 0), (3 * column + 1, 0), 0.6, colors.black))
            widths += [label_width, share - label_width - gap, gap]
        self.add(Spacer(1, 18), plain_table([row], widths, [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), *rules]))

    def keep(self, start: int) -> None:
        """What was added from `start` (an index into the story) on stays on one page."""
        block: list[Flowable] = []
        for flowable in self.story[start:]:
            if isinstance(flowable, KeepTogether):
                # A kept block inside another is opened up: ReportLab's KeepTogether reports an endless height
                # to force a split, so the outer block would never fit anywhere.
                block.extend(f for f in flowable._content if not isinstance(f, CondPageBreak))
            elif not isinstance(flowable, CondPageBreak):
                block.append(flowable)
        del self.story[start:]
        self.add(KeepTogether(block))

    def short_date(self, value: date) -> str:
        """2026/3/2, 02/03/2026: short dates leave the room to the columns of a ledger that need it."""
        return format_date(value, "short", "en" if self.language == "en" else "zh_CN")

    def date_width(self, style: ParagraphStyle) -> float:
        """How wide a column of short dates in `style` must be, padding included."""
        return max(text_width(self.short_date(date(2026, 12, 28)), style),
                   text_width(self.short_date(date(2026, 9, 30)), style)) + 2 * _PAD + 1

    def percent(self, value: float) -> str:
        """A share as printed: 85.0%, in the document's locale (Chinese when bilingual)."""
        return format_percent(value, "en" if self.language == "en" else "zh_CN")

    def month_label(self, key: str) -> str:
        """A month key ("2026-03") as '2026年3月' or 'March 2026'; an unreadable key as it is."""
        try:
            first = date(int(key[:4]), int(key[5:7]), 1)
        except ValueError:
            return key
        if self.language == "en":
            return format_date(first, "MMMM y", "en")
        return format_date(first, "y年M月", "zh_CN")


_SHADE = colors.HexColor("#e8e8e8")
_HEADING_ROOM = 45 * mm  # a heading, its second language and a few lines or rows of what follows


def _table(data: list, widths: Sequence[float], commands: list[tuple], *, repeat_header: bool = False,
           align: str = "LEFT") -> Table:
    # The cell font applies to plain-string cells (even empty ones): left at ReportLab's default it
    # would put a non-embedded Helvetica into every PDF.
    style = [
        ("FONT", (0, 0), (-1, -1), fonts.SERIF, CELL.fontSize, CELL.leading),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
        *commands,
    ]
    kind = LongTable if repeat_header else Table
    return kind(data, colWidths=list(widths), style=TableStyle(style), repeatRows=1 if repeat_header else 0,
                hAlign=align)


def grid_table(data: list, widths: Sequence[float], commands: Sequence[tuple] = (), *,
               repeat_header: bool = False) -> Table:
    """A ruled table of prepared cells (see cell_lines); with `repeat_header` the first row repeats on every page."""
    return _table(data, widths, _grid_style() + list(commands), repeat_header=repeat_header)


def fit_widths(frame: float, columns: Sequence[tuple[str, float, float, bool]], rows: Sequence[Sequence[str]],
               fill: int, style: ParagraphStyle, head_style: ParagraphStyle, fill_share: float = 0.15,
               head_lines: int = 1) -> list[float]:
    """The widths of a ledger's columns: each as wide as its longest line (and its header's longest word),
    within its bounds; column `fill` takes what is left, at least `fill_share` of `frame`, and when that is
    too little the columns that may wrap give up room first. `columns` are (header as printed, low, high,
    may wrap); `rows` the cells as printed, lines separated by newlines. A Chinese header line may wrap onto
    `head_lines` lines (it may break between any two characters; an English one only between words)."""
    widths: list[float] = []
    lows: list[float] = []
    for column, (header, low, high, _wraps) in enumerate(columns):
        words = [text_width(word, head_style) if line.isascii() else text_width(word, head_style) / head_lines
                 for line in header.split("\n") for word in (line.split() if line.isascii() else [line])]
        head = max(words) + 2 * _PAD + 1
        longest = max((text_width(line, style) + 2 * _PAD + 1 for row in rows for line in row[column].split("\n")),
                      default=low)
        lows.append(max(low, head))
        widths.append(max(min(longest, high), lows[-1]))
    room = frame * (1 - fill_share) - (sum(widths) - widths[fill])
    if room < 0:
        slack = [(widths[i] - lows[i]) if columns[i][3] else 0 for i in range(len(columns))]
        cut = min(-room, sum(slack))
        widths = [width - cut * share / sum(slack) if sum(slack) else width for width, share in zip(widths, slack)]
    widths[fill] = frame - (sum(widths) - widths[fill])
    return widths


def plain_table(data: list, widths: Sequence[float], commands: Sequence[tuple] = ()) -> Table:
    """A table without rules or side padding, to place things side by side."""
    # Empty cells take the table's font: left at ReportLab's default it would put a non-embedded Helvetica in.
    style = [("FONT", (0, 0), (-1, -1), fonts.SERIF, CELL.fontSize, CELL.leading),
             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0), *commands]
    return Table(data, colWidths=list(widths), style=TableStyle(style), hAlign="LEFT")


def _grid_style() -> list[tuple]:
    return [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]


def _row_height(cells: Sequence[Flowable], widths: Sequence[float]) -> float:
    return max(item.wrap(w - 2 * _PAD, 1e6)[1] for item, w in zip(cells, widths)) + 6


def _fit_row(cells: list[Flowable], values: Sequence[str], widths: Sequence[float], limit: float) -> list[list]:
    """The row, or the row cut into continuation rows when it cannot fit on one page: ReportLab only
    splits rows between pages, and raises on a row taller than the page."""
    if not _may_overflow(values, widths, limit):
        return [cells]
    if _row_height(cells, widths) <= limit:
        return [cells]
    pieces = [_split_cell(item, value, w - 2 * _PAD, limit - 6) for item, value, w in zip(cells, values, widths)]
    return [[part if part is not None else "" for part in parts] for parts in zip_longest(*pieces)]


def _may_overflow(values: Sequence[str], widths: Sequence[float], limit: float) -> bool:
    # A cheap upper bound on the row's height, so only suspicious rows are wrapped twice: no glyph is
    # wider than 1 em, and line breaking wastes at most half of each line.
    size, leading = CELL.fontSize, CELL.leading
    for value, width in zip(values, widths):
        lines = value.count("\n") + 1 + 2 * len(value) * size / max(width - 2 * _PAD, 1)
        if lines * leading + 6 > limit:
            return True
    return False


def _split_cell(item: Flowable, value: str, width: float, height: float) -> list[Flowable]:
    """A cell's text in page-high pieces. Each piece is a new Paragraph of part of the text: ReportLab's
    own Paragraph.split, applied again and again, spreads CJK lines out unevenly."""
    if not isinstance(item, Paragraph) or item.wrap(width, height)[1] <= height:
        return [item]
    style = item.style
    parts: list[Flowable] = []
    rest = value
    while True:
        piece = Paragraph(text(rest, style), style)
        if piece.wrap(width, height)[1] <= height:
            return [*parts, piece]
        cut = _fitting_prefix(rest, style, width, height)
        parts.append(Paragraph(text(rest[:cut], style), style))
        rest = rest[cut:].lstrip("\n")


def _fitting_prefix(value: str, style: ParagraphStyle, width: float, height: float) -> int:
    """The length of the longest start of `value` that fits in the box, ending at a space when a Latin
    word would otherwise be cut."""
    low, high = 1, len(value)
    while low < high:
        middle = (low + high + 1) // 2
        if Paragraph(text(value[:middle], style), style).wrap(width, 1e9)[1] <= height:
            low = middle
        else:
            high = middle - 1
    space = value.rfind(" ", max(low - 40, 0), low)
    if value[low - 1:low + 1].isascii() and value[low - 1:low + 1].isalnum() and space > 0:
        return space + 1
    return low


class TableAndFooter(Flowable):
    """A long table and what must stand under its last rows on the same page (a ledger's lines to sign on):
    when the footer does not fit under the table's end, the table's last `last_rows` rows (say the last entry
    and the totals) go on to the next page with it, under the repeated header, instead of the footer standing
    there alone. Never drawn itself: like KeepTogether it always asks to be split, into the table (or its first
    part) and the footer."""

    def __init__(self, table: Table, footer: Sequence[Flowable], last_rows: int = 1) -> None:
        super().__init__()
        self.table = table
        self.footer = list(footer)
        self.last_rows = last_rows

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, 0xFFFFFF  # forces a split, as KeepTogether does

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        _, table = self.table.wrapOn(self.canv, availWidth, availHeight)
        footer = sum(f.wrapOn(self.canv, availWidth, availHeight)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                     for f in self.footer)
        at_top = getattr(getattr(self, "_frame", None), "_atTop", False)
        if table + footer <= availHeight:
            return [self.table, *self.footer]
        rows = self.table._rowHeights  # as wrap() measured them
        if len(rows) <= self.table.repeatRows + self.last_rows:
            # Only the last rows are left: they go to the next page with the footer (an empty list moves it
            # there), unless this is a new page already, where they and the footer go as far as they must.
            return [self.table, *self.footer] if at_top else []
        # The table runs over the page, or it fits but its footer does not: then all but its last rows here.
        carried = table - sum(rows[-self.last_rows:]) + 0.001
        parts = self.table.splitOn(self.canv, availWidth, min(availHeight, carried))
        if len(parts) < 2:  # not even a row fits here: on to the next page
            return [self.table, *self.footer] if at_top else []
        return [parts[0], TableAndFooter(parts[1], self.footer, self.last_rows)]


class _Rule(Flowable):
    """A full-width horizontal rule."""

    def __init__(self, thickness: float, space_before: float = 0, space_after: float = 0) -> None:
        super().__init__()
        self.thickness = thickness
        self.spaceBefore = space_before
        self.spaceAfter = space_after

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.thickness

    def draw(self) -> None:
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, self.thickness / 2, self.width, self.thickness / 2)


# --- documents ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class DocumentSpec:
    """One document to print: its metadata and the function that writes its content."""

    title: str  # in the document's language: PDF title, preview window title, file name
    language: str
    bureau: Bureau
    write: Callable[[Writer], None]
    subject: str = ""
    layout: Layout = OFFICIAL
    file_name: str = ""  # suggested, without a folder; defaults to the title

    def suggested_file_name(self) -> str:
        return self.file_name or f"{self.title}.pdf"


_PDF_LANG = {"zh_CN": "zh-CN", "en": "en", "bilingual": "zh-CN"}


class _DocumentStart(Flowable):
    """Marks the page where a document of a batch starts, and reports progress as it is laid out."""

    def __init__(self, index: int, spec: DocumentSpec, progress: Progress) -> None:
        super().__init__()
        self.index = index
        self.spec = spec
        self.progress = progress

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.progress.step(text=self.spec.title)
        self.canv._envdesk_document = self.index  # type: ignore[attr-defined]


class _NumberedCanvas(Canvas):
    """Holds pages until the end, so each page can say 'Page N of M' of its own document."""

    def __init__(self, *args, specs: Sequence[DocumentSpec], **kw) -> None:
        super().__init__(*args, **kw)
        self._specs = specs
        self._held: list[dict] = []
        self._envdesk_document = 0

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals = Counter(state["_envdesk_document"] for state in self._held)
        numbers: Counter[int] = Counter()
        for state in self._held:
            self.__dict__.update(state)
            index = state["_envdesk_document"]
            numbers[index] += 1
            _draw_page_number(self, self._specs[index], numbers[index], totals[index])
            super().showPage()
        super().save()


def _draw_page_number(canvas: Canvas, spec: DocumentSpec, page: int, pages: int) -> None:
    layout = spec.layout
    label = " ".join(texts(spec.language, _PAGE_NUMBER, page=str(page), pages=str(pages)))
    footer = para(label, FOOTER)
    _, height = footer.wrap(layout.frame_width, layout.bottom)
    footer.drawOn(canvas, layout.left, layout.page_number_y - height)


def build_pdf(specs: Sequence[DocumentSpec], output: BinaryIO | str, progress: Progress | None = None) -> None:
    """Lay out one or more documents into one PDF, each from a new page with its own page numbers.
    `progress` steps once per document; cancelling stops the layout by raising Cancelled."""
    if not specs:
        raise ValueError("nothing to print")
    progress = progress or Progress()
    fonts.register_fonts()
    first = specs[0]
    layouts = list(dict.fromkeys(spec.layout for spec in specs))
    doc = BaseDocTemplate(
        output,
        pagesize=first.layout.pagesize,
        pageTemplates=[_page_template(layout, progress) for layout in layouts],
        title=_batch_title(specs),
        author=first.bureau.name(first.language),
        subject=first.subject if len(specs) == 1 else "",
        creator=CREATOR,
        lang=_PDF_LANG[first.language],
        displayDocTitle=1,
        initialFontName=fonts.SERIF,
        initialFontSize=10.5,
    )
    story: list[Flowable] = []
    for index, spec in enumerate(specs):
        if index:
            story += [NextPageTemplate(spec.layout.name), PageBreak()]
        story.append(_DocumentStart(index, spec, progress))
        progress.check()  # writing a long batch's content takes a while too: let Cancel stop it
        writer = Writer(spec.language, spec.bureau, spec.layout)
        spec.write(writer)
        story += writer.story
    doc.build(story, canvasmaker=partial(_NumberedCanvas, specs=specs))


def _page_template(layout: Layout, progress: Progress) -> PageTemplate:
    frame = Frame(layout.left, layout.bottom, layout.frame_width, layout.frame_height,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=layout.name)
    return PageTemplate(id=layout.name, frames=[frame], pagesize=layout.pagesize,
                        onPage=lambda canvas, doc: progress.check())


def _batch_title(specs: Sequence[DocumentSpec]) -> str:
    titles = {spec.title for spec in specs}
    if len(titles) == 1:
        return specs[0].title
    return fill(gettext_for(specs[0].language, _DOCUMENTS), _DOCUMENTS, {"count": str(len(specs))})


def render(spec: DocumentSpec) -> bytes:
    """One document as PDF bytes (for the preview dialog)."""
    buffer = io.BytesIO()
    build_pdf([spec], buffer)
    return buffer.getvalue()
