"""The print preview as a user meets it: pages and navigation, zoom, Save as PDF, Print, language switch."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from envdesk import i18n
from envdesk.domain.reference import Bureau
from envdesk.i18n import N_
from envdesk.reports import LEDGER, Column, DocumentSpec, render
from envdesk.ui.application import ensure_application
from envdesk.ui.print_preview import PrintPreviewDialog

BUREAU = Bureau("青溪县生态环境局", "Qingxi County Ecology and Environment Bureau")


@pytest.fixture(scope="module")
def pdf() -> bytes:
    """A three-page ledger."""
    rows = [[n, f"青溪县第{n}号建设项目"] for n in range(1, 56)]
    spec = DocumentSpec("ledger", "en", BUREAU, layout=LEDGER,
                        write=lambda w: w.ledger([Column(N_("No."), 1), Column(N_("Project"), 6)], rows))
    return render(spec)


@pytest.fixture
def dialog(qtbot, pdf):
    ensure_application()
    dlg = PrintPreviewDialog(pdf, "台账 <1>.pdf")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.document.status() == QPdfDocument.Status.Ready)
    return dlg


def test_shows_every_page_and_moves_between_them(dialog, qtbot, pdf):
    assert dialog.page_count() == _pdfinfo_pages(pdf) == 3
    assert dialog.page_label.text() == "Page 1 of 3"
    assert not dialog.previous_action.isEnabled() and dialog.next_action.isEnabled()
    dialog.next_action.trigger()
    qtbot.waitUntil(lambda: dialog.current_page() == 1)
    assert dialog.page_label.text() == "Page 2 of 3"
    dialog.go_to_page(99)
    qtbot.waitUntil(lambda: dialog.current_page() == 2)
    assert dialog.page_label.text() == "Page 3 of 3"
    assert not dialog.next_action.isEnabled()
    dialog.previous_action.trigger()
    qtbot.waitUntil(lambda: dialog.current_page() == 1)


def test_zoom_in_out_and_fit_width(dialog):
    dialog.zoom_in_action.trigger()
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.Custom
    zoomed = dialog.view.zoomFactor()
    dialog.zoom_out_action.trigger()
    assert dialog.view.zoomFactor() == pytest.approx(zoomed / 1.25)
    for _ in range(30):
        dialog.zoom_out_action.trigger()
    assert dialog.view.zoomFactor() == pytest.approx(0.25)
    dialog.fit_width_action.trigger()
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitToWidth


def test_save_as_pdf_writes_the_same_bytes(dialog, pdf, tmp_path, monkeypatch):
    asked = {}

    def choose(parent, caption, start, filters):
        asked["start"] = start
        return str(tmp_path / "saved"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    saved = dialog.save_as()
    assert saved == tmp_path / "saved.pdf"
    assert saved.read_bytes() == pdf
    assert Path(asked["start"]).name == "台账 _1_.pdf"  # the suggested name, made safe for Windows
    assert list(tmp_path.iterdir()) == [saved]  # no temporary file left behind


def test_cancelled_save_writes_nothing(dialog, tmp_path, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args: ("", "")))
    assert dialog.save_as() is None


def test_print_renders_each_page_onto_the_printer(dialog, tmp_path, monkeypatch):
    out = tmp_path / "printed.pdf"

    def to_file(printer: QPrinter) -> bool:  # stands in for the modal QPrintDialog
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(72)  # small images keep the test fast
        return True

    monkeypatch.setattr(dialog, "_ask_printer", to_file)
    assert dialog.print_document()
    assert out.exists()
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=False).stdout
    assert "Pages:           3" in info
    assert "landscape" in info.lower() or _landscape(info)


def test_print_honours_a_page_range(dialog, tmp_path, monkeypatch):
    out = tmp_path / "range.pdf"

    def pages_two_to_three(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(72)
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(2, 3)
        return True

    monkeypatch.setattr(dialog, "_ask_printer", pages_two_to_three)
    dialog.print_document()
    document = QPdfDocument()
    assert document.load(str(out)) == QPdfDocument.Error.None_
    assert document.pageCount() == 2


def test_cancelled_print_prints_nothing(dialog, monkeypatch):
    monkeypatch.setattr(dialog, "_ask_printer", lambda printer: False)
    assert dialog.print_document() is False


def test_follows_the_interface_language(dialog):
    texts = {dialog.print_action.text(), dialog.save_action.text(), dialog.page_label.text()}
    i18n.set_language("zh_CN")
    dialog.retranslate_ui()  # also connected to the language signal; called here so the test is explicit
    assert dialog.page_label.text()
    i18n.set_language("en")
    assert {dialog.print_action.text(), dialog.save_action.text(), dialog.page_label.text()} == texts


def test_opens_a_file_too(qtbot, pdf, tmp_path):
    ensure_application()
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    dlg = PrintPreviewDialog(path, "letter.pdf")
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.document.status() == QPdfDocument.Status.Ready)
    assert dlg.page_count() == 3


def _pdfinfo_pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def _landscape(pdfinfo: str) -> bool:
    for line in pdfinfo.splitlines():
        if line.startswith("Page size:"):
            numbers = [float(x) for x in line.split(":")[1].split()[0:3:2]]
            return numbers[0] > numbers[1]
    return False


def test_each_print_and_save_is_reported_once_and_nothing_else_is(dialog, tmp_path, monkeypatch):
    made = []
    dialog.output_made.connect(made.append)
    monkeypatch.setattr(dialog, "_ask_printer", lambda printer: False)  # cancelled
    dialog.print_action.trigger()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args: ("", "")))
    dialog.save_action.trigger()
    dialog.next_page()
    dialog.zoom_in()
    assert made == []  # looking, and cancelled dialogs, produce nothing

    monkeypatch.setattr(dialog, "_ask_printer", lambda printer: True)
    monkeypatch.setattr(dialog, "print_to", lambda printer: True)
    dialog.print_action.trigger()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args: (str(tmp_path / "a.pdf"), "")))
    dialog.save_action.trigger()
    assert made == [None, tmp_path / "a.pdf"]

    monkeypatch.setattr(dialog, "print_to", lambda printer: False)  # the printer could not be opened
    assert dialog.print_document() is False
    assert len(made) == 2


def test_on_output_is_called_with_the_saved_file(qtbot, pdf, tmp_path, monkeypatch):
    ensure_application()
    made = []
    dlg = PrintPreviewDialog(pdf, "ledger.pdf", on_output=made.append)
    qtbot.addWidget(dlg)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args: (str(tmp_path / "l"), "")))
    dlg.save_as()
    assert made == [tmp_path / "l.pdf"]
