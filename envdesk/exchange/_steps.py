"""Progress in batches of rows, so a GUI gets a signal every few milliseconds, not one per row."""

from __future__ import annotations

from envdesk.domain.progress import Progress

BATCH = 200


class Steps:
    """Counts rows and passes them on to `progress` (which raises Cancelled) every BATCH rows."""

    def __init__(self, progress: Progress, batch: int = BATCH) -> None:
        self._progress = progress
        self._batch = batch
        self._pending = 0

    def tick(self) -> None:
        self._pending += 1
        if self._pending >= self._batch:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self._progress.step(self._pending)
            self._pending = 0
