"""Long work runs in a thread with a progress dialog; Cancel stops it; errors come back to the GUI thread."""

import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from envdesk.ui.worker import run_in_background


def test_result_comes_back_and_work_ran_off_the_gui_thread(qapp):
    gui_thread = threading.get_ident()

    def work(progress):
        progress.start(3)
        for _ in range(3):
            progress.step()
        return threading.get_ident()

    outcome = run_in_background(None, "work", work)
    assert outcome.ok and outcome.value != gui_thread


def test_cancel_stops_the_work(qapp):
    started = threading.Event()

    def work(progress):
        progress.start(1_000_000)
        started.set()
        while True:
            progress.step()
            threading.Event().wait(0.001)

    def press_cancel():
        if not started.is_set():
            QTimer.singleShot(10, press_cancel)
            return
        for dialog in QApplication.topLevelWidgets():
            if isinstance(dialog, QProgressDialog):
                dialog.canceled.emit()  # what the Cancel button does

    QTimer.singleShot(10, press_cancel)
    outcome = run_in_background(None, "endless", work, minimum_duration_ms=0)
    assert outcome.cancelled and not outcome.ok


def test_errors_are_handed_back(qapp):
    def work(progress):
        raise ValueError("bad row 7")

    outcome = run_in_background(None, "failing", work)
    assert isinstance(outcome.error, ValueError) and "row 7" in str(outcome.error)
