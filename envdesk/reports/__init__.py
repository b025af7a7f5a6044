"""Printed documents: ReportLab PDFs in Chinese, English or both, with the bundled fonts embedded."""

from envdesk.reports.batch import render_batch, write_pdf
from envdesk.reports.commitment import commitment_letter, commitment_letter_spec
from envdesk.reports.complaints import (
    KEY_CASES_TITLE,
    acceptance_notice_spec,
    ledger_spec,
    registration_form_spec,
    reply_letter_spec,
    statistics_spec,
)
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
from envdesk.reports.twinning import health_check_report_spec, service_account_spec, twinning_list_spec

__all__ = [
    "KEY_CASES_TITLE", "LEDGER", "OFFICIAL", "Column", "DocumentSpec", "Layout", "Party", "Writer",
    "acceptance_notice_spec", "commitment_letter", "commitment_letter_spec", "document_number",
    "health_check_report_spec", "in_each", "ledger_spec", "para", "registration_form_spec", "render", "render_batch",
    "reply_letter_spec", "service_account_spec", "statistics_spec", "text", "texts", "twinning_list_spec",
    "write_pdf",
]
