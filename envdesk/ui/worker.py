"""Long work off the GUI thread: a worker thread, a progress dialog with Cancel, and the outcome."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from envdesk.domain.progress import Cancelled, Progress
from envdesk.i18n import _


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled


class _Job(QObject):
    progressed = Signal(int, int, str)
    finished = Signal()

    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self._work = work
        self.progress = Progress(lambda done, total, text: self.progressed.emit(done, total, text))
        self.outcome = Outcome()

    def run(self) -> None:
        try:
            self.outcome.value = self._work(self.progress)
        except Cancelled:
            self.outcome.cancelled = True
        except BaseException as error:  # handed to the GUI thread, shown as a message
            self.outcome.error = error
        finally:
            self.finished.emit()


class _ProgressView(QObject):
    """Lives in the GUI thread, so queued progress reaches the dialog there (a plain function would not)."""

    def __init__(self, dialog: QProgressDialog) -> None:
        super().__init__(dialog)
        self._dialog = dialog

    @Slot(int, int, str)
    def show(self, done: int, total: int, text: str) -> None:
        self._dialog.setMaximum(max(total, 0))
        self._dialog.setValue(min(done, total) if total else 0)
        if text:
            self._dialog.setLabelText(text)


def run_in_background(parent: QWidget | None, title: str, work: Callable[[Progress], Any],
                      minimum_duration_ms: int = 300) -> Outcome:
    """Run `work(progress)` in a thread while the GUI stays live; returns when it ends or is cancelled."""
    job = _Job(work)
    thread = QThread()
    job.moveToThread(thread)
    dialog = QProgressDialog(title, _("Cancel"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(minimum_duration_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    view = _ProgressView(dialog)
    loop = QEventLoop()
    job.progressed.connect(view.show, Qt.ConnectionType.QueuedConnection)
    job.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    dialog.canceled.connect(job.progress.cancel)
    thread.started.connect(job.run)
    # The window's table models and delegates are Python: each paint call waits for the worker to hand over the
    # interpreter, by default every 5 ms. Asking for it every 0.5 ms keeps repaints short while the work runs.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, 0.0005))
    thread.start()
    try:
        loop.exec()
    finally:
        sys.setswitchinterval(interval)
    thread.quit()
    thread.wait()
    dialog.close()
    dialog.deleteLater()
    return job.outcome
