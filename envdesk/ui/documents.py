"""Printing from the main window: documents rendered in the background, then previewed for print or save."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QWidget

from envdesk.app import reference
from envdesk.app import settings as settings_app
from envdesk.app.workspace import Workspace
from envdesk.i18n import _
from envdesk.domain.progress import Progress
from envdesk.reports import DocumentSpec, commitment_letter_spec
from envdesk.reports.engine import build_pdf
from envdesk.ui.dialogs.exchange import show_failure
from envdesk.ui.print_preview import PrintPreviewDialog
from envdesk.ui.worker import run_in_background

def preview(parent: QWidget, make_spec: Callable[[], DocumentSpec]) -> PrintPreviewDialog | None:
    """Render a document off the GUI thread, then open the preview (Print…, Save as PDF…)."""
    outcome = run_in_background(parent, _("Preparing the document…"), lambda progress: _render(make_spec(), progress))
    if outcome.cancelled:
        return None
    if outcome.error is not None:
        show_failure(parent, _("Cannot print"), outcome.error)
        return None
    pdf, name = outcome.value
    dialog = PrintPreviewDialog(pdf, name, parent)
    dialog.show()
    return dialog


def _render(spec: DocumentSpec, progress: Progress) -> tuple[bytes, str]:
    buffer = io.BytesIO()
    build_pdf([spec], buffer, progress)  # checks Cancel as pages are laid out
    return buffer.getvalue(), spec.suggested_file_name()


def commitment_letter(ws: Workspace, language: str, issued: date | None = None) -> DocumentSpec:
    """The public commitment letter with the limits in force (Settings → Limits and rules)."""
    return commitment_letter_spec(reference.get_bureau(ws), settings_app.rules(ws), language,
                                  issued or date.today(), phone=settings_app.get_value(ws, "documents/supervision_phone"))
