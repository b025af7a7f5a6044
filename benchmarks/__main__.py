"""Run the performance suite and write build/bench.json plus a readable table."""

from __future__ import annotations

import json
import os
import shutil
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


def bench_startup(home: Path, url: str) -> dict[str, float]:
    """Process start to main window shown, on the large database, against a bare PySide6 window with five tabs."""
    env = {**os.environ, "ENVDESK_HOME": str(home), "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    _time_child("envdesk", url, env=env)  # warm the file cache once
    envdesk = statistics.median(_time_child("envdesk", url, env=env) for _ in range(RUNS))
    bare = statistics.median(_time_child("bare", url, env=env) for _ in range(RUNS))
    return {"startup_s": round(envdesk, 3), "startup_bare_qt_s": round(bare, 3),
            "startup_ratio": round(envdesk / bare, 2)}


def bench_gui(home: Path, url: str) -> dict:
    """Each tab opened the first time, the memory after visiting them all, and the longest the event loop
    waited while a batch print, an export and an import ran in the background (benchmarks/gui_probe.py)."""
    env = {**os.environ, "ENVDESK_HOME": str(home), "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    copy = home / "gui-probe.sqlite3"  # the probe's import adds 2,000 complaints: to a copy
    shutil.copyfile(url.removeprefix("sqlite:///"), copy)
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gui_probe.py"), f"sqlite:///{copy}"], env=env,
                          check=True, stdout=subprocess.PIPE, text=True)
    copy.unlink()
    return json.loads(done.stdout.strip().splitlines()[-1])


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
    from benchmarks import (
        bench_approvals,
        bench_complaints,
        bench_exchange,
        bench_letters,
        bench_targets,
        bench_twinning,
        large,
    )

    started = time.perf_counter()
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="envdesk-bench-") as tmp:
        url = large.sqlite_database(Path(tmp), "complaint", 100_000)
        results.update(bench_startup(Path(tmp), url))
        results.update(bench_gui(Path(tmp), url))
        results.update(bench_targets.exchange(url))
    results.update(bench_printing())
    with tempfile.TemporaryDirectory(prefix="envdesk-bench-") as tmp:
        results.update(bench_twinning.run(Path(tmp)))
    with tempfile.TemporaryDirectory(prefix="envdesk-bench-") as tmp:
        results.update(bench_complaints.run(Path(tmp)))
    with tempfile.TemporaryDirectory(prefix="envdesk-bench-") as tmp:
        results.update(bench_approvals.run(Path(tmp)))
    results.update(bench_letters.run(500, 3))
    results["print_500_letters_ratio"] = results.get("print_letters_ratio")
    results.update(bench_exchange.main(10_000, 3))
    results["bench_minutes"] = round((time.perf_counter() - started) / 60, 1)
    checked = bench_targets.check(results)
    out = ROOT / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"machine": _machine(), "results": results,
                               "targets": [dict(key=k, figure=f, target=t, met=m) for k, f, t, m in checked]},
                              indent=2, ensure_ascii=False), encoding="utf-8")
    width = max(len(k) for k in results)
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    print()
    print(f"{'target':<24}  {'met':<4}  {'limit':<12}  figure")
    for key, figure, target, met in checked:
        print(f"{key:<24}  {'yes' if met else 'NO':<4}  {target:<12}  {figure}")
    print(f"written to {out.relative_to(ROOT)}")
    return 0


def _machine() -> dict[str, str]:
    import platform

    return {"python": platform.python_version(), "system": platform.platform(), "cpus": str(os.cpu_count())}


if __name__ == "__main__":
    sys.exit(main())
