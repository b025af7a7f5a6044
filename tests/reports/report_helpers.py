"""Reading PDFs back with poppler-utils, for the report tests."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest

POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdfinfo"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed")

ISSUED = date(2026, 3, 2)


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, as pdftotext reads it (no layout: runs in reading order)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages(pdf))


def pdf_fonts(pdf: bytes, tmp_path) -> list[list[str]]:
    """pdffonts' table rows (name, type, encoding, emb, sub, uni, …), header lines dropped."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def pdf_info(pdf: bytes) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-enc", "UTF-8", "-"], input=pdf, capture_output=True, check=True)
    pairs = (line.split(":", 1) for line in out.stdout.decode("utf-8").splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def squeeze(text: str) -> str:
    """Text without the line breaks and spaces wrapping put in: long strings can be compared whole."""
    return "".join(text.split())
