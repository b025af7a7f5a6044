"""The approvals register at benchmark size (`envdesk demo --size large`: 20,000+ cases over ten years): the list's
first page sorted by receipt and by due date, text search, the count, the leader's summary for a year and for ten
years, one case with its clocks, and the Overview's approvals items, each with a yardstick measured in the same run.

Targets (issue 6): list and search ≤ 50 ms (the page of 100 rows and the row count, as the register tab shows its
first page), summary ≤ 150 ms. With ENVDESK_BENCH_PG_URL set (an empty database, or one the benchmarks filled
before), the same figures are measured on PostgreSQL as well, with the keys prefixed `pg_`.

Run alone: `python -m benchmarks.bench_approvals` (add `--explain` for the query plans of the list and search).
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
LARGE = 20_000            # fewer cases than this: the cached database predates the approvals register
TARGETS = {"approvals_list_received_ms": 50, "approvals_list_due_ms": 50, "approvals_search_word_ms": 50,
           "approvals_search_builder_ms": 50, "approvals_count_ms": 50, "approvals_summary_year_ms": 150,
           "approvals_summary_ten_years_ms": 150}


def _median_ms(function, runs: int = RUNS) -> float:
    return median_ms(function, runs)


def sqlite_database(home: Path) -> str:
    return large.sqlite_database(home, "approval", LARGE)


def postgres_database(url: str, home: Path) -> str:
    return large.postgres_database(url, home, "approval", LARGE)


def _busiest_builder(ws) -> str:
    """The name of the enterprise with the most applications: a search a clerk makes for a regular applicant."""
    from sqlalchemy import func, select

    from envdesk.store.approvals import ApprovalRow
    from envdesk.store.twinning import EnterpriseRow

    with ws.reading() as session:
        return session.scalar(select(EnterpriseRow.name_zh).join(ApprovalRow, ApprovalRow.builder_id == EnterpriseRow.id)
                              .group_by(EnterpriseRow.id, EnterpriseRow.name_zh)
                              .order_by(func.count().desc(), EnterpriseRow.id).limit(1))


def measure(url: str, home: Path) -> dict[str, float]:
    from sqlalchemy import text

    from envdesk.app import approvals, overview
    from envdesk.app.approvals import ApprovalFilter
    from envdesk.app.workspace import Workspace

    ws = Workspace(url, backup_dir=home / "backups", user=TESTER)
    today = date.today()
    try:
        def first_page(f: ApprovalFilter | None = None, sort="received", descending=True):
            f = f or ApprovalFilter()

            def go():
                rows = approvals.list_cases(ws, f, limit=100, sort=sort, descending=descending, today=today)
                approvals.count_cases(ws, f, today=today)
                return rows
            return go

        def raw(sql: str):
            def go():
                with ws.reading() as session:
                    return session.execute(text(sql)).all()
            return go

        builder = _busiest_builder(ws)
        results: dict[str, float] = {"approvals_cases": approvals.count_cases(ws, today=today)}
        results["approvals_list_received_ms"] = _median_ms(first_page())
        results["approvals_list_due_ms"] = _median_ms(first_page(sort="due", descending=False))
        results["approvals_page_received_ms"] = _median_ms(
            lambda: approvals.list_cases(ws, limit=100, sort="received", today=today))
        results["approvals_page_due_ms"] = _median_ms(
            lambda: approvals.list_cases(ws, limit=100, sort="due", descending=False, today=today))
        for key, word in (("word", "饲料"), ("builder", builder)):
            f = ApprovalFilter(text=word)
            results[f"approvals_search_{key}_matches"] = approvals.count_cases(ws, f, today=today)
            results[f"approvals_search_{key}_ms"] = _median_ms(first_page(f))
            results[f"approvals_search_{key}_page_ms"] = _median_ms(
                lambda f=f: approvals.list_cases(ws, f, limit=100, today=today))
        results["approvals_count_ms"] = _median_ms(lambda: approvals.count_cases(ws, today=today))
        results["approvals_filter_overdue_ms"] = _median_ms(first_page(ApprovalFilter(overdue_only=True)))
        results["approvals_summary_year_ms"] = _median_ms(
            lambda: approvals.summary(ws, today - timedelta(days=364), today, today=today), runs=5)
        results["approvals_summary_ten_years_ms"] = _median_ms(
            lambda: approvals.summary(ws, today - timedelta(days=round(365.25 * 10) - 1), today, today=today),
            runs=5)
        results["approvals_summary_year_key_ms"] = _median_ms(
            lambda: approvals.summary(ws, today - timedelta(days=364), today, key_only=True, today=today), runs=5)
        newest = approvals.list_cases(ws, limit=1, today=today)[0].id
        decided = approvals.list_cases(ws, ApprovalFilter(statuses=("approved",)), limit=1, sort="received",
                                       descending=False, today=today)[0].id
        results["approvals_get_case_ms"] = _median_ms(lambda: approvals.get_case(ws, newest, today=today))
        results["approvals_get_old_case_ms"] = _median_ms(lambda: approvals.get_case(ws, decided, today=today))
        results["approvals_overview_items_ms"] = _median_ms(
            lambda: approvals.ApprovalsDue().due_items(ws, today, 7))
        results["overview_ms"] = _median_ms(lambda: overview.build(ws, today=today), runs=5)
        # Yardsticks: the database itself, without EnvDesk, on the same rows in the same run.
        results["approvals_yardstick_count_ms"] = _median_ms(raw("SELECT count(*) FROM approval"))
        results["approvals_yardstick_page_ms"] = _median_ms(raw(
            "SELECT * FROM approval ORDER BY received_on DESC, id DESC LIMIT 100"))
        results["approvals_yardstick_like_scan_ms"] = _median_ms(raw(
            "SELECT count(*) FROM approval WHERE name LIKE '%饲料%'"))
    finally:
        ws.close()
    return results


def explain(url: str) -> None:
    """The query plans behind the figures (SQLite): what the list, the search and the summary do."""
    from sqlalchemy import create_engine, func, select

    from envdesk.app import approvals
    from envdesk.app.approvals import ApprovalFilter
    from envdesk.app.workspace import Workspace
    from envdesk.store.approvals import ApprovalRow

    ws = Workspace(url, user=TESTER)
    engine = create_engine(url)
    try:
        today = date.today()
        builder = _busiest_builder(ws)
        queries = {}
        for label, (f, sort, descending) in {
                "page by received": (ApprovalFilter(), "received", True),
                "page by due": (ApprovalFilter(), "due", False),
                "search 饲料 page": (ApprovalFilter(text="饲料"), "received", True),
                f"search {builder} page": (ApprovalFilter(text=builder), "received", True)}.items():
            order = [(c.desc() if descending else c.asc()).nulls_last() for c in approvals.SORTS[sort]]
            queries[label] = approvals._filtered(f, today).order_by(*order, ApprovalRow.id.desc()).limit(100)
        queries["count, search 饲料"] = select(func.count()).select_from(
            approvals._filtered(ApprovalFilter(text="饲料"), today).subquery())
        start = today - timedelta(days=364)
        queries["summary: by type and status"] = select(ApprovalRow.document_type, ApprovalRow.status, func.count()) \
            .where(*approvals._period(start, today, False)).group_by(ApprovalRow.document_type, ApprovalRow.status)
        for label, query in queries.items():
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
            print(f"{key:40s} {value}{verdict}")
        if "--explain" in sys.argv:
            explain(sqlite_database(Path(tmp)))
