"""Child process for the GUI benchmark: first opening of each tab, peak memory, event-loop stalls of background work."""

from __future__ import annotations

import gc
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt loads: no display is needed

from PySide6.QtCore import (
    QEvent,
    QEventLoop,
    QObject,
    Qt,
    QTimer,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QTableView, QWidget

LETTERS = 200
IMPORT_ROWS = 2000
TICK_MS = 5
PAINT_TIMEOUT_S = 60
# What the offscreen platform says about window-manager features it lacks: noise, not a problem of EnvDesk.
QUIET = ("propagateSizeHints", "This plugin does not support")


class PaintWatch(QObject):
    """Notes when a tab, or one of its tables, has painted: a page is on screen once it painted."""

    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def watch(self, page: QWidget) -> None:
        self.painted = False
        for widget in (page, *(view.viewport() for view in page.findChildren(QTableView))):
            widget.installEventFilter(self)

    def unwatch(self, page: QWidget) -> None:
        for widget in (page, *(view.viewport() for view in page.findChildren(QTableView))):
            widget.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def wait_painted(app: QApplication, watch: PaintWatch, started: float) -> float:
    """Run the event loop until the watched page painted; the ms since `started`. processEvents returns only
    after the whole pending repaint, so the page is fully drawn (and its first page of rows fetched) by then."""
    while not watch.painted:
        if time.perf_counter() - started > PAINT_TIMEOUT_S:
            raise SystemExit(f"gui_probe: a tab did not paint within {PAINT_TIMEOUT_S} s")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    return round((time.perf_counter() - started) * 1000, 1)


class GapMeter(QObject):
    """The longest time the GUI thread went without running a 5-ms timer: what a user feels as a frozen window."""

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def measure(self, operation: Callable[[], Any]) -> tuple[Any, float]:
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer.start()
        try:
            result = operation()
        finally:
            self._tick()  # the stretch from the last tick to the end counts too
            self._timer.stop()
        return result, round(self.longest * 1000, 1)


def visit_tabs(app: QApplication, window) -> dict[str, float]:
    """ms to the first paint of each tab. The first tab is on screen as the window opens, so its figure is from
    show() to its first paint; the others from the switch to them."""
    from envdesk.ui.main_window import TAB_ORDER

    watch = PaintWatch()
    opened: dict[str, float] = {}
    first = TAB_ORDER[window.tabs.currentIndex()]
    watch.watch(window.tab(first))
    started = time.perf_counter()
    window.show()
    opened[first] = wait_painted(app, watch, started)
    watch.unwatch(window.tab(first))
    gc.freeze()  # as envdesk.ui.application.run does once the window is shown
    for index, key in enumerate(TAB_ORDER):
        if key in opened:
            continue
        page = window.tab(key)
        watch.watch(page)
        started = time.perf_counter()
        window.tabs.setCurrentIndex(index)
        opened[key] = wait_painted(app, watch, started)
        watch.unwatch(page)
    return opened


def in_background(window, title: str, work: Callable[[Any], Any]) -> Any:
    """`work` through the app's own worker, as the GUI runs it; a failure ends the probe (its timing would lie)."""
    from envdesk.ui.worker import run_in_background

    outcome = run_in_background(window, title, work)
    if not outcome.ok:
        raise SystemExit(f"gui_probe: {title} failed: {outcome.error!r}")
    return outcome.value


def letter_ids(ws) -> list[int]:
    """LETTERS letters of the plans, newest plans first; the few of a small database repeated to make up the count."""
    from envdesk.app import responsibility

    ids = [letter.id for plan in responsibility.list_plans(ws) for letter in responsibility.list_letters(ws, plan.id)]
    if not ids:
        raise SystemExit("gui_probe: the database has no responsibility letters to print")
    return (ids * (LETTERS // len(ids) + 1))[:LETTERS]


def import_sheet(ws, path: Path, language: str) -> None:
    """IMPORT_ROWS complaints of the ledger exported with identities (the one an import accepts), numbers left
    empty so that each row is a new complaint given the next number rather than a duplicate that is skipped."""
    from envdesk.app import complaints_exchange
    from envdesk.exchange import complaints as layouts
    from envdesk.exchange import write_table

    rows = complaints_exchange.complaint_rows(ws, None, None, language, include_identity=True)[:IMPORT_ROWS]
    write_table(path, layouts.COMPLAINTS, [{**row, "number": ""} for row in rows], language=language)


def operations(window, ws, folder: Path, language: str) -> dict[str, Callable[[], Any]]:
    """Each background operation as its GUI path runs it, without the file and message dialogs around it:
    LettersPage.print_letters (documents.preview renders in the worker, spec reading included),
    ComplaintsTab.export_file and ComplaintsTab.import_file (envdesk.ui.dialogs.exchange)."""
    from envdesk.app import complaints_exchange
    from envdesk.exchange import complaints as layouts
    from envdesk.exchange import import_file, write_table
    from envdesk.i18n import _
    from envdesk.reports import render_batch
    from envdesk.ui import documents

    ids = letter_ids(ws)
    sheet = folder / "import.xlsx"
    import_sheet(ws, sheet, language)
    return {
        "batch_print": lambda: in_background(window, _("Preparing the document…"), lambda progress: render_batch(
            documents.letters(ws, ids, "bilingual"), folder / "letters.pdf", one_file=True, progress=progress)),
        "export": lambda: in_background(window, _("Exporting…"), lambda progress: write_table(
            folder / "complaints.xlsx", layouts.COMPLAINTS,
            complaints_exchange.ledger(ws, None, None, language), language=language, progress=progress)),
        "import": lambda: in_background(window, _("Importing…"), lambda progress: import_file(
            sheet, layouts.COMPLAINTS, lambda rows, check: complaints_exchange.import_complaints(ws, rows, check),
            progress)),
    }


def quiet_offscreen(mode, context, message: str) -> None:
    if not any(noise in message for noise in QUIET):
        sys.stderr.write(message + "\n")


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: gui_probe.py SQLITE_URL")
    url = sys.argv[1]
    from envdesk import i18n
    from envdesk.app.access import Principal
    from envdesk.app.workspace import Workspace
    from envdesk.ui.application import ensure_application
    from envdesk.ui.main_window import MainWindow

    qInstallMessageHandler(quiet_offscreen)
    i18n.set_language("zh_CN")
    language = i18n.current_language()
    app = ensure_application()
    # The log-in dialog waits for a person; what is measured is the main window once someone is signed in.
    ws = Workspace(url, user=Principal.trusted("bench"))
    started = time.perf_counter()
    window = MainWindow(ws)  # every tab loads its first page here, as it is made
    window_ms = round((time.perf_counter() - started) * 1000, 1)
    window.resize(1280, 800)
    try:
        tab_open_ms = visit_tabs(app, window)
        peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        meter = GapMeter()
        longest_gap_ms: dict[str, float] = {}
        with tempfile.TemporaryDirectory(prefix="envdesk-gui-probe-") as tmp:
            for name, operation in operations(window, ws, Path(tmp), language).items():
                _value, longest_gap_ms[name] = meter.measure(operation)
    finally:
        window.close()
        ws.close()
    print(json.dumps({"tab_open_ms": tab_open_ms, "peak_rss_mb": peak_rss_mb, "longest_gap_ms": longest_gap_ms,
                      "window_ms": window_ms}), flush=True)


if __name__ == "__main__":
    main()
