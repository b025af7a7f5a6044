"""The complaints register at benchmark size (`envdesk demo --size large`: 100,000+ complaints): search, the ledger's
first page, sorting, the Overview and a year's statistics, each with a yardstick measured in the same run.

Targets (issue 10): search_2char_ms and search_4char_ms ≤ 50 ms, sort_ms ≤ 100 ms, overview_ms ≤ 150 ms. A search or
a sort is what the ledger does to show its first page: the page of 100 rows and the row count (list_complaints +
count_complaints). With ENVDESK_BENCH_PG_URL set (an empty database, or one this benchmark filled before), the same
figures are measured on PostgreSQL as well, with the keys prefixed `pg_`.

Run alone: `python -m benchmarks.bench_complaints` (add `--explain` for the query plans of the slow queries).
"""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta
from pathlib import Path

from benchmarks import large
from benchmarks.large import median_ms
from envdesk.app.access import Principal

TESTER = Principal.trusted("tester")

RUNS = 7
LARGE = 100_000           # fewer complaints than this: the cached database predates the complaints register
TARGETS = {"search_2char_ms": 50, "search_4char_ms": 50, "sort_ms": 100, "overview_ms": 150}


def _median_ms(function, runs: int = RUNS) -> float:
    return median_ms(function, runs)


def sqlite_database(home: Path) -> str:
    return large.sqlite_database(home, "complaint", LARGE)


def postgres_database(url: str, home: Path) -> str:
    return large.postgres_database(url, home, "complaint", LARGE)


def measure(url: str, home: Path) -> dict[str, float]:
    from sqlalchemy import text

    from envdesk.app import complaints, overview
    from envdesk.app.complaints import ComplaintFilter
    from envdesk.app.workspace import Workspace

    ws = Workspace(url, backup_dir=home / "backups", user=TESTER)
    today = date.today()
    try:
        def first_page(f=ComplaintFilter(), sort="received", descending=True):
            def go():
                rows = complaints.list_complaints(ws, f, limit=100, sort=sort, descending=descending, today=today)
                complaints.count_complaints(ws, f, today=today)
                return rows
            return go

        def page_only(sort, descending):
            return lambda: complaints.list_complaints(ws, limit=100, sort=sort, descending=descending, today=today)

        def raw(sql: str):
            def go():
                with ws.reading() as session:
                    return session.execute(text(sql)).all()
            return go

        results: dict[str, float] = {"complaints": complaints.count_complaints(ws, today=today)}
        for key, word in (("search_2char", "噪声"), ("search_4char", "偷排废水"), ("search_1char", "噪")):
            f = ComplaintFilter(text=word)
            results[f"{key}_matches"] = complaints.count_complaints(ws, f, today=today)
            results[f"{key}_ms"] = _median_ms(first_page(f))
            results[f"{key}_page_ms"] = _median_ms(lambda f=f: complaints.list_complaints(ws, f, limit=100,
                                                                                        today=today))
        results["search_open_2char_ms"] = _median_ms(first_page(ComplaintFilter(text="噪声", open_only=True)))
        results["list_first_page_ms"] = _median_ms(first_page())
        results["list_count_ms"] = _median_ms(lambda: complaints.count_complaints(ws, today=today))
        results["sort_received_asc_ms"] = _median_ms(page_only("received", False))
        results["sort_town_ms"] = _median_ms(page_only("town", False))
        results["sort_town_desc_ms"] = _median_ms(page_only("town", True))
        results["sort_ms"] = max(results["sort_received_asc_ms"], results["sort_town_ms"],
                                 results["sort_town_desc_ms"])
        results["filter_overdue_ms"] = _median_ms(first_page(ComplaintFilter(overdue=True)))
        results["filter_type_ms"] = _median_ms(first_page(ComplaintFilter(pollution_type="cooking_fumes")))
        results["overview_ms"] = _median_ms(lambda: overview.build(ws, today=today), runs=5)
        results["statistics_year_ms"] = _median_ms(
            lambda: complaints.statistics(ws, today - timedelta(days=364), today), runs=5)
        results["complaint_detail_ms"] = _median_ms(
            lambda: complaints.get_complaint(ws, complaints.list_complaints(ws, limit=1, today=today)[0].id))
        # Yardsticks: the database itself, without EnvDesk, on the same rows in the same run.
        results["yardstick_count_ms"] = _median_ms(raw("SELECT count(*) FROM complaint"))
        results["yardstick_like_scan_ms"] = _median_ms(raw(
            "SELECT count(*) FROM complaint WHERE content LIKE '%噪声%'"))
        results["yardstick_page_ms"] = _median_ms(raw(
            "SELECT * FROM complaint ORDER BY received_date DESC, id DESC LIMIT 100"))
    finally:
        ws.close()
    return results


def explain(url: str) -> None:
    """The query plans behind the figures (SQLite): what a slow search or sort does."""
    from sqlalchemy import create_engine

    from envdesk.app import complaints
    from envdesk.app.complaints import ComplaintFilter
    from envdesk.app.workspace import Workspace

    ws = Workspace(url, user=TESTER)
    engine = create_engine(url)
    try:
        today = date.today()
        cases = {"search 噪声 page": (ComplaintFilter(text="噪声"), "received", True),
                 "sort by town": (ComplaintFilter(), "town", False),
                 "sort by received (ascending)": (ComplaintFilter(), "received", False)}
        for label, (f, sort, descending) in cases.items():
            column = complaints.SORTS[sort]
            query = complaints._filtered(ws, f, today).order_by(column.desc() if descending else column.asc()) \
                .limit(100)
            compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
            with engine.connect() as conn:
                plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
            print(f"\n{label}:")
            for row in plan:
                print("   ", row[-1])
    finally:
        ws.close()
        engine.dispose()


def run(home: Path) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["ENVDESK_HOME"] = str(home)
    url = sqlite_database(home)
    results = measure(url, home)
    results["database_mb"] = round(large.CACHED.stat().st_size / 2**20, 1)
    pg = os.environ.get("ENVDESK_BENCH_PG_URL")
    if pg:
        for key, value in measure(postgres_database(pg, home), home).items():
            results[f"pg_{key}"] = value
    return results


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        figures = run(Path(tmp))
        for key, value in figures.items():
            target = TARGETS.get(key.removeprefix("pg_"))
            verdict = "" if target is None else ("  ok" if value <= target else f"  OVER the {target} ms target")
            print(f"{key:32s} {value}{verdict}")
        if "--explain" in sys.argv:
            explain(sqlite_database(Path(tmp)))
