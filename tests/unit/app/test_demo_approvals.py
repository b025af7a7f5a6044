"""The approvals register's demo data: a lived-in year in every stage with real clocks, and the bulk path of
`--size large` writing exactly what the use cases write."""

from __future__ import annotations

import itertools
import random
import re
import shutil
from dataclasses import asdict
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from envdesk.app import approvals, demo, demo_approvals, overview
from envdesk.app.access import Principal
from envdesk.app.demo import DemoContext
from envdesk.app.demo_complaints import _Steady
from envdesk.app.overview import Severity
from envdesk.app.workspace import Workspace
from envdesk.domain.approvals import ClockKind, DocumentType, Status, Track
from envdesk.domain.eia_categories import category
from envdesk.domain.progress import Cancelled, Progress
from envdesk.store.approvals import ApprovalEventRow, ApprovalRow, PauseRow
from envdesk.store.twinning import EnterpriseRow

TESTER = Principal.trusted("tester")

DECISION_NUMBER = re.compile(r"青环(预)?审〔(\d{4})〕(\d+)号")


def _cases(ws) -> list[ApprovalRow]:
    with ws.reading() as session:
        rows = list(session.scalars(select(ApprovalRow).options(selectinload(ApprovalRow.pauses))
                                    .order_by(ApprovalRow.id)))
        session.expunge_all()  # read as loaded: the session's rollback at the end would expire them
    return rows


def _full(ws, today) -> dict[str, approvals.Case]:
    """Every case as the register shows it (settings read once: nothing changes them meanwhile)."""
    with ws.reading() as session:
        ids = session.scalars(select(ApprovalRow.id)).all()
    steady = _Steady(ws)
    return {case.number: case for case in (approvals.get_case(steady, i, today=today) for i in ids)}


def _empty_register(template, target) -> Workspace:
    """A copy of the demo with its approvals register emptied (the enterprises, staff and towns stay)."""
    shutil.copyfile(template, target)
    ws = Workspace(f"sqlite:///{target}", user=TESTER)
    with ws.transaction() as session:
        for model in (ApprovalEventRow, PauseRow, ApprovalRow):
            session.execute(delete(model))
    return ws


# --- the small demo -------------------------------------------------------------------------------

def test_the_small_demo_has_a_year_in_every_stage(demo_ws):
    today = date.today()
    rows = _cases(demo_ws)
    assert 150 <= len(rows) <= 250
    by_status = {s: [r for r in rows if r.status == s.value] for s in Status}
    assert all(by_status.values()), {s.value: len(found) for s, found in by_status.items()}
    # A county's mix: registration forms most numerous, then report forms, few report books.
    docs = {d: sum(r.document_type == d.value for r in rows) for d in DocumentType}
    assert docs[DocumentType.REGISTRATION_FORM] > docs[DocumentType.REPORT_FORM] > docs[DocumentType.REPORT_BOOK] > 0
    tracks = {t: sum(r.track == t.value for r in rows) for t in Track}
    assert tracks[Track.NORMAL] > sum(tracks.values()) / 2 and all(tracks.values())
    assert all(r.track == Track.EXEMPT.value for r in by_status[Status.EXEMPT])
    assert all(r.document_type == DocumentType.REGISTRATION_FORM.value for r in by_status[Status.EXEMPT])
    # Within the year up to today; the ones being prepared have no application yet.
    first = today - timedelta(days=365)
    assert all(first <= (r.received_on or r.early_involvement_on) <= today for r in rows)
    assert all(r.received_on is None and r.early_involvement_on for r in by_status[Status.PREPARING])
    assert all(r.missing_items and r.notified_on for r in by_status[Status.MATERIALS_REQUESTED])
    assert all(r.withdrawn_on and r.decision_note for r in by_status[Status.WITHDRAWN])
    assert all(r.decision_note for r in by_status[Status.NOT_APPROVED])
    assert all(len([p for p in r.pauses if p.end_on is None]) == 1 for r in by_status[Status.PAUSED])
    assert {p.kind for r in by_status[Status.PAUSED] for p in r.pauses} >= {"expert_review", "public_notice"}
    # Builders are the demo's enterprises; categories are items of the directory that fit the project.
    with demo_ws.reading() as session:
        enterprises = set(session.scalars(select(EnterpriseRow.id)))
    assert {r.builder_id for r in rows} <= enterprises
    assert all(r.category is not None for r in rows)
    feed = [r for r in rows if "饲料" in r.name]
    assert feed and all("饲料" in category(r.category).name_zh for r in feed)
    assert any("污水处理厂提标改造" in r.name for r in rows) or any("光伏" in r.name for r in rows)
    assert all(r.handler_id is not None for r in rows)


def test_the_small_demo_numbers_are_unique_and_well_formed(demo_ws):
    rows = _cases(demo_ws)
    numbers = [r.number for r in rows]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"SP-\d{4}-\d{4}", n) for n in numbers)
    decided = [r for r in rows if r.status in (Status.APPROVED.value, Status.NOT_APPROVED.value)]
    documents = [r.document_number for r in decided]
    assert all(documents) and len(set(documents)) == len(documents)
    for r in decided:
        match = DECISION_NUMBER.fullmatch(r.document_number)
        assert match and int(match.group(2)) == r.decided_on.year, r.document_number
    filed = [r.document_number for r in rows if r.status == Status.FILED.value]
    assert all(n and re.fullmatch(r"\d{4}330127\d{8}", n) for n in filed)
    assert len(set(filed)) == len(filed)
    # Within a year, a later decision never has a smaller number.
    ordered = sorted((r.decided_on, int(DECISION_NUMBER.fullmatch(r.document_number).group(3)))
                     for r in decided if "预审" not in r.document_number)
    for (day_a, n_a), (day_b, n_b) in itertools.pairwise(ordered):
        assert day_a.year != day_b.year or n_a < n_b


def test_the_small_demo_stores_the_clocks_the_case_shows(demo_ws):
    today = date.today()
    cases = _full(demo_ws, today)
    for case in cases.values():
        statutory, promised = case.clock(ClockKind.STATUTORY), case.clock(ClockKind.PROMISED)
        assert case.statutory_due == (statutory.due if statutory else None), case.number
        assert case.promised_due == (promised.due if promised else None), case.number
        assert case.events and case.events[-1].status is case.status, case.number
        if case.status.is_decided:
            assert statutory.done_on == case.decided_on
    # Recomputing every open case's clocks as of today changes nothing.
    before = {r.id: (r.statutory_due, r.promised_due, r.next_due) for r in _cases(demo_ws)}
    approvals.refresh_due_dates(demo_ws, today=today)
    assert {r.id: (r.statutory_due, r.promised_due, r.next_due) for r in _cases(demo_ws)} == before
    # Most decisions beat the promised limit; the statutory one is kept.
    decided = [c for c in cases.values() if c.status in (Status.APPROVED, Status.NOT_APPROVED)]
    on_time = sum(c.decided_on <= c.promised_due for c in decided)
    assert 0.8 * len(decided) <= on_time < len(decided)
    assert all(c.decided_on <= c.statutory_due for c in decided)


def test_the_overview_shows_approvals_overdue_and_due_soon(demo_ws):
    today = date.today()
    items = [i for i in overview.build(demo_ws, today=today).items if i.register == "Approvals"]
    assert {i.severity for i in items} == {Severity.OVERDUE, Severity.DUE_SOON}
    assert any(i.title.startswith("Decision due") for i in items)
    assert any(i.title.startswith("One-time notification due") for i in items)
    assert approvals.count_cases(demo_ws, approvals.ApprovalFilter(overdue_only=True), today) >= 2
    summary = approvals.summary(demo_ws, today - timedelta(days=364), today)
    assert summary.reports.approved and summary.reports.under_review and summary.reports.preparing
    assert summary.registrations.approved and summary.registrations.exempt
    assert summary.rate(summary.promised_on_time, summary.decided) > 0.8


# --- the bulk path ----------------------------------------------------------------------------------

def _comparable(case: approvals.Case) -> dict:
    values = asdict(case)
    for key in ("id",):
        values.pop(key)
    values["pauses"] = [(p.kind, p.start, p.end, p.reason, p.version) for p in case.pauses]
    return values


def test_bulk_rows_are_what_the_use_cases_write(demo_template, tmp_path):
    """The same stories, written through the use cases into one copy and in bulk into another, read back alike."""
    today = date.today()
    through = _empty_register(demo_template, tmp_path / "through.sqlite3")
    bulk = _empty_register(demo_template, tmp_path / "bulk.sqlite3")
    try:
        env = demo_approvals._Env.load(_Steady(through), random.Random(7), today)
        planner = demo_approvals._Planner(_Steady(through), random.Random(7), env)
        stories = planner.year(70)
        history = planner.period(today - timedelta(days=700), today - timedelta(days=300), 40)
        stories = demo_approvals.numbered(env, stories + history)
        assert {s.special for s in stories} >= {"preparing", "received", "materials", "due_soon", "overdue",
                                                 "paused", "not_approved", "withdrawn"}
        demo_approvals.write(_Steady(through), env, stories, Progress(), through_use_cases=lambda s: True)
        demo_approvals.write(_Steady(bulk), env, stories, Progress(), through_use_cases=lambda s: False)
        expected, found = _full(through, today), _full(bulk, today)
        assert len(expected) == len(stories) == 110
        assert set(found) == set(expected)
        statuses = set()
        for number, case in expected.items():
            assert _comparable(found[number]) == _comparable(case), number
            statuses.add(case.status)
        assert statuses == set(Status)
        with bulk.reading() as session:  # the stored columns the summary reads, fixed at the decision
            stored = dict(session.execute(select(ApprovalRow.number, func.coalesce(ApprovalRow.working_days_used, -1)
                                                 + 1000 * func.coalesce(ApprovalRow.statutory_used, -1))).all())
        with through.reading() as session:
            assert stored == dict(session.execute(select(
                ApprovalRow.number, func.coalesce(ApprovalRow.working_days_used, -1)
                + 1000 * func.coalesce(ApprovalRow.statutory_used, -1))).all())
    finally:
        through.close()
        bulk.close()


def test_the_large_path_spreads_ten_years_in_bulk(demo_template, tmp_path, monkeypatch):
    today = date.today()
    monkeypatch.setattr(demo_approvals, "YEAR_COUNT", 60)  # the year goes through the use cases: keep it short
    ws = _empty_register(demo_template, tmp_path / "large.sqlite3")
    try:
        line = demo_approvals.approvals_demo(DemoContext(ws, random.Random(3), "large", Progress()), large_extra=400)
        assert line.startswith("460 approval cases")
        rows = _cases(ws)
        assert len(rows) == 460
        entered = sorted(r.early_involvement_on or r.received_on for r in rows)
        assert entered[0] < today - timedelta(days=365 * 9) and entered[-1] <= today
        assert len({r.number for r in rows}) == len(rows)
        documents = [r.document_number for r in rows if r.document_number]
        assert len(set(documents)) == len(documents)
        # Case numbers follow the day a case was registered (its early involvement or receipt), year by year.
        for a, b in itertools.pairwise(sorted(rows, key=lambda r: r.number)):
            if a.number[:7] == b.number[:7]:
                assert (a.early_involvement_on or a.received_on) <= (b.early_involvement_on or b.received_on)
        # Bulk rows keep the clocks the register computes, and recomputing them changes nothing.
        for case in _full(ws, today).values():
            statutory, promised = case.clock(ClockKind.STATUTORY), case.clock(ClockKind.PROMISED)
            assert case.statutory_due == (statutory.due if statutory else None), case.number
            assert case.promised_due == (promised.due if promised else None), case.number
        before = {r.id: (r.statutory_due, r.promised_due, r.next_due) for r in rows}
        approvals.refresh_due_dates(ws, today=today)
        assert {r.id: (r.statutory_due, r.promised_due, r.next_due) for r in _cases(ws)} == before
        # The list and the summary work over the whole span.
        assert approvals.count_cases(ws, approvals.ApprovalFilter(text="饲料"), today) > 0
        ten_years = approvals.summary(ws, entered[0], today)
        assert ten_years.total == len(rows)
    finally:
        ws.close()


def test_the_large_path_can_be_cancelled(demo_template, tmp_path):
    ws = _empty_register(demo_template, tmp_path / "cancel.sqlite3")
    try:
        progress = Progress()
        progress.cancel()
        with pytest.raises(Cancelled):
            demo_approvals.approvals_demo(DemoContext(ws, random.Random(3), "large", progress), large_extra=50)
    finally:
        ws.close()


def test_the_demo_registers_its_approvals_step():
    assert demo_approvals.approvals_demo in demo.DEMO_STEPS
    assert demo.DEMO_STEPS.index(demo_approvals.approvals_demo) > [s.__name__ for s in demo.DEMO_STEPS].index(
        "twinning_demo")
