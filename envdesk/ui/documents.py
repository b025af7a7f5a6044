"""Printing from the main window: documents rendered in the background, then previewed for print or save."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QWidget

from envdesk.app import reference
from envdesk.app import settings as settings_app
from envdesk.app.errors import AppError
from envdesk.app.workspace import Workspace
from envdesk.domain.progress import Progress
from envdesk.i18n import N_, _
from envdesk.reports import DocumentSpec, commitment_letter_spec
from envdesk.reports.engine import build_pdf
from envdesk.ui.dialogs.exchange import show_failure
from envdesk.ui.print_preview import PrintPreviewDialog
from envdesk.ui.worker import run_in_background

LEDGER_LIMIT = 5000  # about 250 pages: a ledger longer than that is narrowed first, not printed by accident
# What the audit trail calls a document: the names `envdesk print` knows it by.
COMPLAINT_DOCUMENTS = {"form": "complaint-form", "notice": "complaint-notice", "reply": "complaint-reply"}
APPROVAL_DOCUMENTS = {"acceptance": "acceptance-notice", "missing_materials": "missing-materials",
                      "pause": "pause-notice"}


def preview(parent: QWidget, make_spec: Callable[[], DocumentSpec | Sequence[DocumentSpec]],
            name: str | None = None, *, document: str = "", records: Sequence[tuple[str, int, str]] = (),
            ws: Workspace | None = None) -> PrintPreviewDialog | None:
    """Render a document (or a batch, each from a new page) off the GUI thread, then open the preview
    (Print…, Save as PDF…). `name` is the suggested file name of a batch.

    Every print path of the window comes through here, so that each print or save from the preview is recorded
    once in the audit trail (envdesk.app.outputs.printed): `document` names it as `envdesk print` does
    (complaint-form, letters…; the document's title when not given), `records` are (entity, id, label) of
    what it shows. `ws` defaults to the parent's."""
    ws = ws if ws is not None else getattr(parent, "ws", None)
    outcome = run_in_background(parent, _("Preparing the document…"),
                                lambda progress: _render(make_spec(), progress, name))
    if outcome.cancelled:
        return None
    if outcome.error is not None:
        show_failure(parent, _("Cannot print"), outcome.error)
        return None
    pdf, suggested, first = outcome.value
    recorded = list(records)

    def made(path: Path | None) -> None:
        if ws is not None:
            record_output(parent, ws, document or first.title, recorded, path, first.language)

    dialog = PrintPreviewDialog(pdf, suggested, parent, on_output=made)
    dialog.show()
    return dialog


def record_output(parent: QWidget, ws: Workspace, document: str, records: Sequence[tuple[str, int, str]],
                  path: Path | None, language: str) -> None:
    """The audit entry of a document printed (path None) or saved as a PDF."""
    from envdesk.app import outputs

    try:
        outputs.printed(ws, document, records, file=path, language=language)
    except AppError as error:  # e.g. the session ended meanwhile: the paper exists, say it went unrecorded
        show_failure(parent, _("The print was not recorded"), error)


def _render(specs: DocumentSpec | Sequence[DocumentSpec], progress: Progress,
            name: str | None = None) -> tuple[bytes, str, DocumentSpec]:
    batch = [specs] if isinstance(specs, DocumentSpec) else list(specs)
    if not batch:
        raise AppError(_("There is nothing to print."))
    buffer = io.BytesIO()
    progress.start(len(batch))
    build_pdf(batch, buffer, progress)  # checks Cancel as pages are laid out
    return buffer.getvalue(), name or batch[0].suggested_file_name(), batch[0]


def when_printed(dialog: PrintPreviewDialog, done: Callable[[], None]) -> None:
    """Call `done` each time the previewed document has really been printed or saved as a PDF (not when the user
    only looked at it, nor when the print or save dialog was cancelled): letters count as printed then."""
    dialog.output_made.connect(lambda _path: done())


def commitment_letter(ws: Workspace, language: str, issued: date | None = None) -> DocumentSpec:
    """The public commitment letter with the limits in force (Settings → Limits and rules)."""
    return commitment_letter_spec(reference.get_bureau(ws), settings_app.rules(ws), language,
                                  issued or date.today(), phone=settings_app.get_value(ws, "documents/supervision_phone"))


def complaint_document(ws: Workspace, complaint_id: int, which: str, language: str) -> DocumentSpec:
    """The registration form (internal), or the notice or reply letter that go to the complainant: all three
    carry the complainant's identity, which never goes on paper meant for the party complained about — and only
    for a user who may see it; anyone else prints them masked (the print itself is audited)."""
    from envdesk.app import complaints
    from envdesk.reports import complaints as documents

    complaint = complaints.as_reader_may_see(ws, complaint_id)
    bureau = reference.get_bureau(ws)
    if which == "form":
        return documents.registration_form_spec(bureau, complaint, language, date.today())
    if which == "notice":
        return documents.acceptance_notice_spec(bureau, complaint, language, date.today())
    return documents.reply_letter_spec(bureau, complaint, language, date.today(),
                                       settings_app.rule(ws, "complaints/review"))


def complaints_ledger(ws: Workspace, f, language: str) -> DocumentSpec:
    """The ledger of what the list shows now (identities masked)."""
    from envdesk.app import complaints
    from envdesk.reports import complaints as documents

    count = complaints.count_complaints(ws, f)
    if count > LEDGER_LIMIT:
        raise AppError(_("The ledger would list {count} complaints; narrow it (a period, a town, a status) to at "
                         "most {limit}.").format(count=count, limit=LEDGER_LIMIT))
    rows = complaints.list_complaints(ws, f, 0, LEDGER_LIMIT, "received", False)
    start = f.received_from or (rows[0].received_date if rows else date.today())
    end = f.received_to or (rows[-1].received_date if rows else date.today())
    title = N_("Key-case ledger") if f.key_case else None
    return documents.ledger_spec(reference.get_bureau(ws), rows, start, end, language, date.today(), title)


def approval_document(ws: Workspace, case_id: int, which: str, language: str,
                      pause_id: int | None = None) -> DocumentSpec:
    """A notice to the applicant: of acceptance, the one-time notification of missing materials, or that the
    clocks are paused (the last pause unless `pause_id` names one)."""
    from envdesk.app import approvals
    from envdesk.reports import approvals as documents

    case = approvals.get_case(ws, case_id)
    bureau = reference.get_bureau(ws)
    try:
        if which == "acceptance":
            return documents.acceptance_notice_spec(bureau, case, language, date.today())
        if which == "missing_materials":
            return documents.missing_materials_spec(bureau, case, language, date.today())
        return documents.pause_notice_spec(bureau, case, language, date.today(), pause_id=pause_id)
    except ValueError as error:  # the case has not reached that step: say so in the user's words
        raise AppError(str(error)) from None


def approvals_ledger(ws: Workspace, start: date, end: date, language: str, key_only: bool = False) -> DocumentSpec:
    """The ledger of the cases that entered the register in a period."""
    from envdesk.app import approvals
    from envdesk.reports import approvals as documents

    cases = approvals.ledger(ws, start, end, key_only)
    if len(cases) > LEDGER_LIMIT:
        raise AppError(_("The ledger would list {count} cases; narrow the period or choose key projects only, to "
                         "at most {limit}.").format(count=len(cases), limit=LEDGER_LIMIT))
    return documents.approvals_ledger_spec(reference.get_bureau(ws), cases, start, end, language, date.today(),
                                           key_only=key_only)


def approvals_summary(ws: Workspace, summary, language: str) -> DocumentSpec:
    """The leader's summary, as computed in the summary window."""
    from envdesk.reports import approvals as documents

    return documents.approvals_summary_spec(reference.get_bureau(ws), summary, language, date.today())


def task_table(ws: Workspace, plan_id: int, language: str, f=None) -> DocumentSpec:
    """The plan's task decomposition table, as the list shows it (its filters)."""
    from envdesk.app import responsibility
    from envdesk.reports import responsibility as documents

    plan = responsibility.get_plan(ws, plan_id)
    tasks = responsibility.list_tasks(ws, plan_id, f or responsibility.TaskFilter())
    return documents.task_table_spec(reference.get_bureau(ws), plan, tasks, language, date.today())


def letter(ws: Workspace, letter_id: int, language: str) -> DocumentSpec:
    """One responsibility letter, from the snapshot it was generated (or signed) with."""
    from envdesk.app import responsibility
    from envdesk.reports import responsibility as documents

    return documents.letter_spec(reference.get_bureau(ws), responsibility.get_letter(ws, letter_id), language,
                                 date.today())


def letters(ws: Workspace, letter_ids: Sequence[int], language: str) -> list[DocumentSpec]:
    """Several letters in one PDF, each starting on a new page."""
    from envdesk.app import responsibility
    from envdesk.reports import responsibility as documents

    chosen = [responsibility.get_letter(ws, letter_id) for letter_id in letter_ids]
    return documents.letters_batch_specs(reference.get_bureau(ws), chosen, language, date.today())
