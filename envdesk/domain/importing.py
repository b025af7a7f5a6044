"""Problems a use case finds in imported rows, by row number and column key, before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RowProblem:
    row: int        # the row number the user sees (Excel's), carried through from the file
    key: str        # the column's key; the exchange layer turns it back into the header as written
    value: Any
    reason: str     # translated


class RowsRejected(Exception):
    """Nothing was written: every problem found in the rows is in `problems`."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        super().__init__(tuple(problems))
        self.problems: tuple[RowProblem, ...] = tuple(problems)

    def __str__(self) -> str:
        return "\n".join(f"{p.row}/{p.key}: {p.reason}" for p in self.problems)
