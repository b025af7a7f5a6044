"""Run the performance suite and write build/bench.json plus a readable table."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5


def _time_child(*args: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "startup_probe.py"), *args],
                             stdout=subprocess.PIPE, text=True, env=env)
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.wait()
    if line.strip() != "shown":
        raise RuntimeError(f"start-up probe failed: {args}")
    return elapsed


def bench_startup(home: Path) -> dict[str, float]:
    """Process start to main window shown, on the small demo database, against a bare PySide6 window."""
    env = {**os.environ, "ENVDESK_HOME": str(home), "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    url = f"sqlite:///{home / 'bench-small.sqlite3'}"
    subprocess.run([sys.executable, "-m", "envdesk", "--db", url, "demo", "--size", "small"], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _time_child("envdesk", url, env=env)  # warm the file cache once
    envdesk = statistics.median(_time_child("envdesk", url, env=env) for _ in range(RUNS))
    bare = statistics.median(_time_child("bare", url, env=env) for _ in range(RUNS))
    return {"startup_small_s": round(envdesk, 3), "startup_bare_qt_s": round(bare, 3),
            "startup_ratio": round(envdesk / bare, 2)}


def bench_printing() -> dict[str, float]:
    """A 200-page ledger through the print engine, against the same table in bare ReportLab."""
    from benchmarks import bench_reports

    with tempfile.TemporaryDirectory(prefix="envdesk-bench-") as tmp:
        target = Path(tmp) / "reports.json"
        bench_reports.main(["--pages", "200", "--repeat", "3", "--json", str(target)])
        figures = json.loads(target.read_text(encoding="utf-8"))
    return {"print_200_pages_s": figures["engine"]["seconds"],
            "print_raw_reportlab_200_pages_s": figures["bare_reportlab"]["seconds"],
            "print_pages_per_s": figures["engine"]["pages_per_second"],
            "print_ratio": figures["ratio"]}


def main() -> int:
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="envdesk-bench-") as tmp:
        results.update(bench_startup(Path(tmp)))
    results.update(bench_printing())
    from benchmarks import bench_complaints, bench_twinning

    with tempfile.TemporaryDirectory(prefix="envdesk-bench-") as tmp:
        results.update(bench_twinning.run(Path(tmp)))
    with tempfile.TemporaryDirectory(prefix="envdesk-bench-") as tmp:
        results.update(bench_complaints.run(Path(tmp)))
    from benchmarks import bench_approvals

    with tempfile.TemporaryDirectory(prefix="envdesk-bench-") as tmp:
        results.update(bench_approvals.run(Path(tmp)))
    from benchmarks import bench_letters

    results.update(bench_letters.run(500, 3))
    from benchmarks import bench_exchange

    results.update(bench_exchange.main(10_000, 3))
    out = ROOT / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"machine": _machine(), "results": results}, indent=2), encoding="utf-8")
    width = max(len(k) for k in results)
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    print(f"written to {out.relative_to(ROOT)}")
    return 0


def _machine() -> dict[str, str]:
    import platform

    return {"python": platform.python_version(), "system": platform.platform(), "cpus": str(os.cpu_count())}


if __name__ == "__main__":
    sys.exit(main())
