"""Progress reporting and cancellation for long work (imports, exports, batch printing, backups).

The work calls `progress.step(...)`; a GUI worker turns that into a progress dialog with Cancel,
the CLI into a progress line. Cancelling raises `Cancelled` at the next step, so the work stops at
a point where it can roll back cleanly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Cancelled(Exception):
    """The user cancelled; the work has been (or will be) rolled back."""


class Progress:
    """Counts steps of `total`, tells a listener, and raises Cancelled once cancel() was called."""

    def __init__(self, listener: Callable[[int, int, str], None] | None = None) -> None:
        self._listener = listener
        self._cancel = threading.Event()
        self.done = 0
        self.total = 0
        self.text = ""

    def start(self, total: int, text: str = "") -> None:
        self.total = max(total, 0)
        self.done = 0
        self.text = text
        self._notify()

    def step(self, count: int = 1, text: str | None = None) -> None:
        self.check()
        self.done += count
        if text is not None:
            self.text = text
        self._notify()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _notify(self) -> None:
        if self._listener is not None:
            self._listener(self.done, self.total, self.text)
