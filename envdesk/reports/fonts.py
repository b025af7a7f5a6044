"""The bundled fonts, registered with ReportLab once, and the choice of font for each character."""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from envdesk import paths

SONG = "EnvDesk-Song"  # AR PL SungtiL GB: body text, as Chinese official documents use Song
HEI = "EnvDesk-Hei"  # Droid Sans Fallback: titles and headings (黑体); widest CJK coverage
SERIF = "EnvDesk-Serif"  # Liberation Serif: Latin beside Song, as Times New Roman beside 宋体
SANS_BOLD = "EnvDesk-SansBold"  # Liberation Sans Bold: Latin beside Hei

_FILES = {
    SONG: "gbsn00lp.ttf",
    HEI: "DroidSansFallbackFull.ttf",
    SERIF: "LiberationSerif-Regular.ttf",
    SANS_BOLD: "LiberationSans-Bold.ttf",
}

REPLACEMENT = "\u25a1"  # □, what Chinese print uses for a character it cannot show
# Invisible characters that only shape their neighbours (variation selectors, ZWJ, skin tones):
# when no font has them, printing a box for each would turn one emoji into three.
_DROP_WHEN_MISSING = {"Cf", "Cs", "Mn", "Me", "Sk"}

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the bundled fonts with ReportLab; safe to call any number of times, from any thread."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        known = set(pdfmetrics.getRegisteredFontNames())
        for name, file_name in _FILES.items():
            if name not in known:
                pdfmetrics.registerFont(TTFont(name, str(paths.resource_path("fonts", file_name))))
        _registered = True


@lru_cache(maxsize=None)
def _coverage(font_name: str) -> frozenset[int]:
    register_fonts()
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


def _is_neutral(code: int) -> bool:
    """Spaces and general punctuation (—, “”, …) take the font of the text around them."""
    return code == 0x20 or 0x2000 <= code <= 0x206F


@dataclass(frozen=True)
class Family:
    """A Latin face and a CJK face used together, and a second CJK face for what the first lacks."""

    latin: str
    cjk: str
    fallback: str

    def _order(self, code: int) -> tuple[str, str, str]:
        # Latin-script letters and digits look right only in the Latin face; everything else
        # (ideographs, full-width punctuation, symbols) is set in the CJK face when it has it.
        if code < 0x2000:
            return (self.latin, self.cjk, self.fallback)
        return (self.cjk, self.fallback, self.latin)

    def runs(self, value: str) -> list[tuple[str, str]]:
        """Split one line of text into (font name, text) runs; missing glyphs become □ or vanish."""
        if value.isascii() and value.isprintable():
            return [(self.latin, value)] if value else []
        out: list[tuple[str, str]] = []
        font: str | None = None
        chars: list[str] = []
        for char in value:
            code = ord(char)
            if code < 0x20 or 0x7F <= code < 0xA0:
                continue  # control characters: some fonts map them to a glyph, none should print
            if _is_neutral(code) and font is not None and code in _coverage(font):
                chars.append(char)
                continue
            chosen = _font_for(self, char)
            if chosen is None:
                if unicodedata.category(char) in _DROP_WHEN_MISSING:
                    continue
                char = REPLACEMENT
                chosen = _font_for(self, char)
                if chosen is None:  # pragma: no cover - the Song face, in both families, has □
                    char, chosen = "?", self.latin
            if chosen != font:
                if chars:
                    out.append((font, "".join(chars)))  # type: ignore[arg-type]
                font, chars = chosen, []
            chars.append(char)
        if chars:
            out.append((font, "".join(chars)))  # type: ignore[arg-type]
        return out


@lru_cache(maxsize=65536)
def _font_for(family: Family, char: str) -> str | None:
    code = ord(char)
    for name in family._order(code):
        if code in _coverage(name):
            return name
    return None


def width(runs: list[tuple[str, str]], size: float) -> float:
    """How wide runs print at `size`, in points (ReportLab's stringWidth, without its per-call overhead:
    a ledger measures every cell)."""
    total = 0.0
    for font, run in runs:
        widths, default = _advance_widths(font)
        total += sum(map(widths.get, map(ord, run), repeat(default)))
    return total * size / 1000


@lru_cache(maxsize=None)
def _advance_widths(font_name: str) -> tuple[dict[int, float], float]:
    face = pdfmetrics.getFont(font_name).face
    return face.charWidths, face.defaultWidth


BODY = Family(latin=SERIF, cjk=SONG, fallback=HEI)
HEADING = Family(latin=SANS_BOLD, cjk=HEI, fallback=SONG)
_FAMILIES = {SONG: BODY, SERIF: BODY, HEI: HEADING, SANS_BOLD: HEADING}


def family_of(font_name: str) -> Family:
    """The family a paragraph style's font belongs to."""
    return _FAMILIES[font_name]


def is_cjk(value: str) -> bool:
    """Whether text needs CJK line breaking (any ideograph, kana, hangul or full-width form)."""
    return any(
        0x2E80 <= (code := ord(char)) <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF or 0xAC00 <= code <= 0xD7AF
        for char in value
    )
