"""Print preview: a PDF shown with QtPdf, printed page by page through QPrinter, or saved as a file; each print
or save is reported (`output_made`) so that it can be recorded."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, QStandardPaths, Signal
from PySide6.QtGui import QAction, QImage, QKeySequence, QPageLayout, QPainter, QTransform
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from envdesk.i18n import _
from envdesk.reports.files import safe_file_name, write_atomically
from envdesk.ui import language

ZOOM_STEP = 1.25
ZOOM_RANGE = (0.25, 6.0)
# QtPdf renders pages as images, so printing sends a bitmap per page. 300 dpi keeps 10.5 pt Chinese
# crisp on paper while an A4 page stays near 35 MB of memory; a 1200 dpi printer would need 0.5 GB.
MAX_PRINT_DPI = 300


class PrintPreviewDialog(QDialog):
    """Shows a PDF (bytes or a file) with page navigation and zoom; prints it or saves it.

    `output_made` is emitted once for each print sent to a printer (with None) and each PDF saved (with its path),
    never for a look or a cancelled dialog; `on_output` is connected to it.
    """

    output_made = Signal(object)  # the saved file's Path, or None for a print

    def __init__(self, pdf: bytes | str | os.PathLike[str], suggested_name: str,
                 parent: QWidget | None = None, on_output: Callable[[Path | None], object] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("print_preview_dialog")
        if on_output is not None:
            self.output_made.connect(on_output)
        self._pdf = bytes(pdf) if isinstance(pdf, (bytes, bytearray)) else Path(pdf).read_bytes()
        self.suggested_name = safe_file_name(suggested_name)
        self.document = QPdfDocument(self)
        self._buffer = QBuffer(self)  # QPdfDocument reads from it for as long as the document lives
        self._buffer.setData(QByteArray(self._pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)

        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.page_label = QLabel(self)
        self.page_label.setObjectName("page_label")
        self.toolbar = QToolBar(self)
        self._build_actions()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)
        self.view.pageNavigator().currentPageChanged.connect(self._update_page_state)
        self.document.pageCountChanged.connect(self._update_page_state)
        self.document.statusChanged.connect(self._update_page_state)
        language.manager().language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()
        self.resize(900, 1000)

    def _build_actions(self) -> None:
        def action(name: str, method: str, shortcut: QKeySequence.StandardKey | None = None) -> QAction:
            act = QAction(self)
            act.setObjectName(name)
            # The method is looked up when triggered, so a stand-in (a test's printer) is the one that runs.
            act.triggered.connect(lambda _checked=False: getattr(self, method)())
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            self.toolbar.addAction(act)
            return act

        self.print_action = action("print_action", "print_document", QKeySequence.StandardKey.Print)
        self.save_action = action("save_action", "save_as", QKeySequence.StandardKey.Save)
        self.toolbar.addSeparator()
        self.previous_action = action("previous_page_action", "previous_page")
        self.toolbar.addWidget(self.page_label)
        self.next_action = action("next_page_action", "next_page")
        self.toolbar.addSeparator()
        self.zoom_out_action = action("zoom_out_action", "zoom_out", QKeySequence.StandardKey.ZoomOut)
        self.zoom_in_action = action("zoom_in_action", "zoom_in", QKeySequence.StandardKey.ZoomIn)
        self.fit_width_action = action("fit_width_action", "fit_width")

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Print preview — {name}").format(name=self.suggested_name))
        self.print_action.setText(_("Print…"))
        self.save_action.setText(_("Save as PDF…"))
        self.previous_action.setText(_("Previous page"))
        self.next_action.setText(_("Next page"))
        self.zoom_out_action.setText(_("Zoom out"))
        self.zoom_in_action.setText(_("Zoom in"))
        self.fit_width_action.setText(_("Fit width"))
        self._update_page_state()

    # -- pages -----------------------------------------------------------------------------------

    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        """The page shown, counted from 0."""
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        if self.page_count() == 0:
            return
        page = max(0, min(page, self.page_count() - 1))
        navigator = self.view.pageNavigator()
        navigator.jump(page, QPointF(), navigator.currentZoom())

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def _update_page_state(self, *_args) -> None:
        count, page = self.page_count(), self.current_page()
        self.page_label.setText(_("Page {page} of {pages}").format(page=page + 1 if count else 0, pages=count))
        self.previous_action.setEnabled(page > 0)
        self.next_action.setEnabled(page < count - 1)
        self.print_action.setEnabled(count > 0)

    # -- zoom ------------------------------------------------------------------------------------

    def zoom_in(self) -> None:
        self._set_zoom(self.view.zoomFactor() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self.view.zoomFactor() / ZOOM_STEP)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def _set_zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_RANGE[0], min(factor, ZOOM_RANGE[1])))

    # -- print and save --------------------------------------------------------------------------

    def print_document(self) -> bool:
        """Ask for a printer, then print the chosen pages; False when the user cancelled or the printer failed."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.suggested_name)
        printer.setFullPage(True)  # the PDF has its own margins: map the page onto the whole sheet
        if self.page_count() and self._is_landscape(0):
            printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        if not self._ask_printer(printer):
            return False
        if not self.print_to(printer):
            return False
        self.output_made.emit(None)
        return True

    def _ask_printer(self, printer: QPrinter) -> bool:
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, max(self.page_count(), 1))
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, True)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def print_to(self, printer: QPrinter) -> bool:
        """Paint every page in the printer's range, each rendered at (up to) the printer's resolution; False
        when the printer could not be opened."""
        pages = self._pages_to_print(printer)
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, _("Print"), _("The printer could not be opened."))
            return False
        try:
            for index, page in enumerate(pages):
                if index:
                    printer.newPage()
                sheet = printer.paperRect(QPrinter.Unit.DevicePixel)
                image = self._page_image(page, dpi, landscape=sheet.width() > sheet.height())
                painter.drawImage(_fit(image.size(), sheet), image)
        finally:
            painter.end()
        return True

    def _pages_to_print(self, printer: QPrinter) -> range:
        if printer.printRange() == QPrinter.PrintRange.CurrentPage:
            return range(self.current_page(), self.current_page() + 1)
        first, last = printer.fromPage(), printer.toPage()  # 1-based; 0 means every page
        if first > 0:
            return range(first - 1, min(last, self.page_count()))
        return range(self.page_count())

    def _page_image(self, page: int, dpi: int, landscape: bool) -> QImage:
        points = self.document.pagePointSize(page)
        size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
        image = self.document.render(page, size)
        if (size.width() > size.height()) != landscape:
            image = image.transformed(QTransform().rotate(90))  # a landscape page on portrait paper
        return image

    def _is_landscape(self, page: int) -> bool:
        points = self.document.pagePointSize(page)
        return points.width() > points.height()

    def save_as(self) -> Path | None:
        """Ask where to save the PDF and write it there; None when the user cancelled."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        start = str(Path(folder) / self.suggested_name) if folder else self.suggested_name
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Save as PDF"), start, _("PDF files (*.pdf)"))
        if not chosen:
            return None
        target = Path(chosen)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            write_atomically(target, lambda out: out.write(self._pdf))
        except OSError as error:
            QMessageBox.warning(self, _("Save as PDF"),
                                _("The file could not be saved: {error}").format(error=error.strerror or error))
            return None
        self.output_made.emit(target)
        return target

    def done(self, result: int) -> None:
        language.manager().language_changed.disconnect(self.retranslate_ui)
        super().done(result)


def _fit(size: QSize, area: QRectF) -> QRectF:
    """The largest rectangle of `size`'s proportions centred in `area`."""
    scale = min(area.width() / size.width(), area.height() / size.height())
    width, height = size.width() * scale, size.height() * scale
    return QRectF(area.x() + (area.width() - width) / 2, area.y() + (area.height() - height) / 2, width, height)

