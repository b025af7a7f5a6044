"""The large demo database every register's benchmark measures on, and the median timer they share."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from envdesk.app.access import Principal

TESTER = Principal.trusted("tester")

ROOT = Path(__file__).resolve().parents[1]
CACHED = ROOT / "build" / "bench-large.sqlite3"


def large_database(home: Path) -> str:
    """The large demo database, made once and kept in build/ (it takes a while to fill)."""
    url = f"sqlite:///{CACHED}"
    if not CACHED.exists():
        CACHED.parent.mkdir(exist_ok=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "envdesk", "--db", url, "demo", "--size", "large"], check=True,
                       env={**os.environ, "ENVDESK_HOME": str(home)}, stdout=subprocess.DEVNULL)
        print(f"large demo database made in {time.perf_counter() - started:.1f} s")
    return url


def median_ms(function: Callable[[], object], runs: int = 7, warm: bool = True) -> float:
    """The median of `runs` timings in ms; the first, unmeasured run warms the caches (settings, calendar, pages)."""
    if warm:
        function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def row_count(url: str, table: str) -> int:
    """Rows in `table`, 0 when the database predates it."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        if table not in inspect(engine).get_table_names():
            return 0
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
    finally:
        engine.dispose()


def sqlite_database(home: Path, table: str, minimum: int) -> str:
    """The cached large database, made again when it was made before `table` held its large demo."""
    if CACHED.exists() and row_count(f"sqlite:///{CACHED}", table) < minimum:
        print(f"{CACHED.name} has fewer than {minimum} rows in {table}: making it again")
        for stale in (CACHED, CACHED.with_name(CACHED.name + "-wal"), CACHED.with_name(CACHED.name + "-shm")):
            stale.unlink(missing_ok=True)
    return large_database(home)


def postgres_database(url: str, home: Path, table: str, minimum: int) -> str:
    """The large demo in a PostgreSQL database: filled once when empty, used as it is when already filled."""
    from envdesk.app import demo
    from envdesk.app.workspace import Workspace

    count = row_count(url, table)
    if count >= minimum:
        return url
    ws = Workspace(url, backup_dir=home / "backups", user=TESTER)
    try:
        if not demo.is_empty(ws):
            raise SystemExit(f"{url}: neither empty nor a benchmark database ({count} rows in {table}); it may have "
                             "been filled before that register existed")
        started = time.perf_counter()
        demo.fill(ws, "large")
        print(f"large demo made on PostgreSQL in {time.perf_counter() - started:.1f} s")
    finally:
        ws.close()
    return url
