"""The figures a bureau feels, each with its yardstick measured in the same run, and the targets `make bench`
checks them against: start-up on the large database, a 10,000-row complaints import against reading the same
file with bare openpyxl, and the export of every complaint."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import openpyxl

from benchmarks.large import TESTER

IMPORT_ROWS = 10_000

# key -> (limit, what the limit applies to: the figure itself, or its ratio to the yardstick key)
TARGETS: dict[str, tuple[float, str | None]] = {
    "startup_s": (5, "startup_bare_qt_s"),
    "tab_open_ms": (100, None),
    "search_2char_ms": (50, None),
    "search_4char_ms": (50, None),
    "sort_ms": (100, None),
    "overview_ms": (150, None),
    "print_500_letters_s": (10, None),
    "print_500_letters_ratio": (2, None),
    "import_10k_s": (3, "openpyxl_read_10k_s"),
    "export_100k_s": (30, None),
    "peak_rss_mb": (400, None),
    "longest_gap_ms": (100, None),
}


def _bare_read(path: Path) -> None:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for _row in book.active.iter_rows(values_only=True):
        pass
    book.close()


def exchange(url: str, runs: int = 3) -> dict[str, float]:
    """Export every complaint of the large database; import 10,000 of them, numbers left blank (the import
    numbers them), into a copy of the database, against reading the same file with bare openpyxl."""
    from envdesk.app import complaints_exchange
    from envdesk.app.workspace import Workspace
    from envdesk.exchange import complaints as layouts
    from envdesk.exchange import import_file, write_table
    from envdesk.store import db

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="envdesk-bench-") as folder:
        folder = Path(folder)
        with Workspace(url, user=TESTER) as ws:
            started = time.perf_counter()
            exported = write_table(folder / "all.xlsx", layouts.COMPLAINTS,
                                   complaints_exchange.ledger(ws, None, None, "zh_CN"))
            figures["export_100k_s"] = round(time.perf_counter() - started, 2)
            figures["export_rows"] = exported
            sample = []
            # With the complainants' identities: a ledger without them cannot be imported (the import says so).
            for row in complaints_exchange.ledger(ws, None, None, "zh_CN", include_identity=True):
                sample.append({**row, "number": ""})
                if len(sample) == IMPORT_ROWS:
                    break
        sheet = folder / "import.xlsx"
        write_table(sheet, layouts.COMPLAINTS, sample)
        bare, imports = [], []
        source = db.sqlite_path(db.parse_url(url))
        for _run in range(runs):
            started = time.perf_counter()
            _bare_read(sheet)
            bare.append(time.perf_counter() - started)
            copy = folder / "copy.sqlite3"
            shutil.copyfile(source, copy)
            with Workspace(f"sqlite:///{copy}", user=TESTER) as target:
                started = time.perf_counter()
                summary, _result = import_file(sheet, layouts.COMPLAINTS, lambda rows, check_only:
                                               complaints_exchange.import_complaints(target, rows, check_only))
                imports.append(time.perf_counter() - started)
            figures["import_10k_added"] = summary.created
            copy.unlink()
        figures["openpyxl_read_10k_s"] = round(statistics.median(bare), 3)
        figures["import_10k_s"] = round(statistics.median(imports), 3)
    return figures


def check(results: dict) -> list[tuple[str, str, str, bool]]:
    """(key, figure, target, met) for each target; a per-tab or per-operation figure counts by its worst."""
    rows = []
    for key, (limit, yardstick) in TARGETS.items():
        value = results.get(key)
        if isinstance(value, dict):
            value = max(value.values()) if value else None
        if value is None:
            rows.append((key, "not measured", f"≤ {limit}", False))
            continue
        if yardstick:
            base = results.get(yardstick)
            ratio = value / base if base else float("inf")
            rows.append((key, f"{value} ({ratio:.1f} × {yardstick} {base})", f"ratio ≤ {limit}", ratio <= limit))
        else:
            rows.append((key, str(value), f"≤ {limit}", value <= limit))
    return rows
