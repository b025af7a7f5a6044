"""Killing EnvDesk (SIGKILL) in the middle of a save, an import, a batch print or a backup loses no committed work
and leaves a database that passes SQLite's integrity check, opens normally and keeps an intact audit trail; a
printed PDF and a backup are whole or absent."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
from datetime import date

import pytest

from envdesk.app import audit, backup, outputs, reference
from envdesk.app import settings as settings_app
from envdesk.app.access import Principal
from envdesk.app.workspace import Workspace
from envdesk.exchange import import_file
from envdesk.exchange.layout import Column, Layout
from envdesk.reports import commitment_letter_spec
from envdesk.reports.batch import render_batch
from envdesk.store import backup as store_backup

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the workload runs in a forked process")

KILLS = 50
IMPORT_ROWS = 40
PRINTED = 2  # bilingual letters per batch
STAFF = Layout((Column("name", "姓名", "Name", required=True), Column("department", "部门", "Department")))


def _work(url: str, folder, report_fd: int, first_step: int) -> None:
    """The child: saves, imports, prints and backs up in a loop, telling the parent each staff count it committed."""
    ws = Workspace(url, user=Principal.trusted("worker"))
    committed = reference.counts(ws)["staff"]
    cycle = committed

    def told() -> None:
        os.write(report_fd, f"{committed}\n".encode())

    def doing(step: str) -> None:
        os.write(report_fd, f"{step}\n".encode())

    def save() -> int:
        reference.save_staff(ws, None, f"值班员{cycle}")
        return 1

    def import_() -> int:
        sheet = folder / f"staff-{os.getpid()}-{cycle}.csv"
        sheet.write_text("姓名,部门\n" + "".join(f"导入人员{cycle}-{i},办公室\n" for i in range(IMPORT_ROWS)),
                         encoding="utf-8")
        import_file(sheet, STAFF, lambda rows, check_only: reference.import_staff(ws, rows, check_only))
        return IMPORT_ROWS

    def print_() -> int:
        bureau, rules = reference.get_bureau(ws), settings_app.rules(ws)
        letters = [commitment_letter_spec(bureau, rules, "bilingual", date(2026, 11, 25), f"〔2026〕{n}号")
                   for n in range(PRINTED)]
        written = render_batch(letters, folder / f"print-{cycle % 2}", one_file=False)
        outputs.printed(ws, "commitment_letter", file=written[0].parent)
        return 0

    def backup_() -> int:
        backup.backup(ws, folder / f"copy-{cycle % 3}.sqlite3")
        return 0

    steps = [("save", save), ("import", import_), ("print", print_), ("backup", backup_)]
    told()
    turn = first_step - 1  # each worker starts at a step drawn by the test, so that kills land in each
    while True:
        cycle += 1
        turn += 1
        name, step = steps[turn % len(steps)]
        doing(name)
        committed += step()
        told()


def test_fifty_kills_at_random_moments_lose_nothing(tmp_path):
    path = tmp_path / "crash.sqlite3"
    url = f"sqlite:///{path}"
    setup = Workspace(url, user=Principal.trusted("setup"))
    reference.save_department(setup, None, "办公室")
    # Fonts loaded once here, as in a running window, and inherited by each worker.
    render_batch([commitment_letter_spec(reference.get_bureau(setup), settings_app.rules(setup), "bilingual",
                                         date(2026, 11, 25))], tmp_path / "warm", one_file=False)
    setup.close()
    rng = random.Random(20261125)
    outcomes = {"between": 0, "in flight": 0}
    killed_in = {"start": 0, "save": 0, "import": 0, "print": 0, "backup": 0, "between steps": 0}
    stored = 0  # staff rows
    for kill in range(KILLS):
        reader, writer = os.pipe()
        first_step = rng.randrange(4)
        child = os.fork()
        if child == 0:  # pragma: no cover - the child's work ends with its killing
            os.close(reader)
            try:
                _work(url, tmp_path, writer, first_step)
            finally:
                os._exit(1)
        os.close(writer)
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        with os.fdopen(reader) as pipe:
            lines = pipe.read().split()
        reported = [int(line) for line in lines if line.isdigit()]
        last = reported[-1] if reported else stored  # killed while starting: nothing new was committed
        killed_in["start" if not lines else lines[-1] if not lines[-1].isdigit() else "between steps"] += 1

        raw = sqlite3.connect(path)
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"kill {kill}"
        stored = raw.execute("SELECT count(*) FROM staff").fetchone()[0]
        raw.close()
        # Everything reported committed is there; at most the one step under way when killed also made it.
        assert stored in (last, last + 1, last + IMPORT_ROWS), f"kill {kill}: {stored} stored, {last} committed"
        outcomes["between" if stored == last else "in flight"] += 1

    ws = Workspace(url, user=Principal.trusted("checker"))  # opens normally
    try:
        assert audit.verify(ws).ok
        assert reference.counts(ws)["staff"] >= KILLS
    finally:
        ws.close()
    for copy in tmp_path.glob("copy-*.sqlite3"):  # a backup is whole or absent, never half-written
        assert store_backup.verify(copy)
    for pdf in tmp_path.glob("print-*/*.pdf"):  # a printed letter is whole or absent (the staging folder aside)
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), pdf
    assert sum(outcomes.values()) == KILLS
    print(f"kills: {KILLS}, during: {killed_in}, committed-but-unreported: {outcomes['in flight']}")
    assert killed_in["import"] + killed_in["print"] + killed_in["backup"]  # writes were cut short, not only idle
