"""Printed documents: ReportLab PDFs in Chinese, English or both, with the bundled fonts embedded."""

from envdesk.reports.batch import render_batch, write_pdf
from envdesk.reports.commitment import commitment_letter, commitment_letter_spec
from envdesk.reports.engine import (
    LEDGER,
    OFFICIAL,
    Column,
    DocumentSpec,
    Layout,
    Party,
    Writer,
    document_number,
    in_each,
    para,
    render,
    text,
    texts,
)

__all__ = [
    "LEDGER", "OFFICIAL", "Column", "DocumentSpec", "Layout", "Party", "Writer",
    "commitment_letter", "commitment_letter_spec", "document_number", "in_each", "para", "render",
    "render_batch", "text", "texts", "write_pdf",
]
