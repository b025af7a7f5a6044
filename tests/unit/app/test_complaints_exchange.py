"""Importing the complaints ledger a bureau keeps in Excel, and exporting a period's ledger: all or nothing,
every problem by row, the bureau's own numbers, steps and clocks as the use cases leave them, masked identities."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest

from envdesk.app import complaints, enterprises, reference
from envdesk.app.access import Principal
from envdesk.app.complaints import ComplaintFilter, ComplaintInput
from envdesk.app.complaints_exchange import (
    IMPORTED_NOTE,
    complaint_rows,
    import_complaints,
    parse_channel,
    parse_pollution_type,
)
from envdesk.app.enterprises import EnterpriseInput
from envdesk.domain.complaints import Channel, Status
from envdesk.domain.importing import RowsRejected

TESTER = Principal.trusted("tester")

TODAY = date(2026, 6, 1)


@pytest.fixture
def o(ws):
    return _office(ws)


@pytest.fixture
def o_any(any_ws):
    """The same office on each first-class database (the search index and the bulk insert differ)."""
    return _office(any_ws)


def _office(ws):
    baisha, _c = reference.save_town(ws, None, "白沙镇")
    chengguan, _c = reference.save_town(ws, None, "城关镇")
    hongda, _c = enterprises.save_enterprise(ws, None, EnterpriseInput("青溪县宏达化工有限公司", town_id=baisha.id,
                                                                       name_en="Hongda Chemicals"))
    return SimpleNamespace(ws=ws, baisha=baisha, chengguan=chengguan, hongda=hongda)


def ledger_row(**kw):
    """One row as the exchange layer hands it over (every column key; None for an empty cell)."""
    row = dict(number="XF-2026-0001", channel="来信", received=datetime(2026, 3, 2, 10, 0), complainant="张伟",
               phone="13812345678", address=None, subject="城西夜市烧烤摊", town="白沙镇", location=None,
               pollution_types=("油烟",), content="夜市烧烤油烟直排，影响居民生活", accepted=None, replied=None,
               closed=None, acceptance_due=None, handling_due=None, status=None, lead_department=None)
    row.update(kw)
    return row


def rows(*values):
    return [(n + 2, value) for n, value in enumerate(values)]


def rejected(ws, *values, **kw):
    with pytest.raises(RowsRejected) as info:
        import_complaints(ws, rows(*values), today=TODAY, **kw)
    return info.value.problems


def imported(ws, number):
    return complaints.get_complaint(ws, complaints.find_by_number(ws, number), reveal=True, today=TODAY)


# --- channels and pollution types ----------------------------------------------------------------

@pytest.mark.parametrize("text", ["12345", "12345热线", "12345转办", "12345 政务服务便民热线", "市长热线",
                                  "12345 hand-off", "12345 Hotline"])
def test_12345_hotline_is_recognised_however_the_ledger_writes_it(text):
    assert parse_channel(text) is Channel.HANDOFF_12345


@pytest.mark.parametrize(("text", "channel"), [
    ("12369", Channel.HOTLINE_12369), ("12369网络举报", Channel.HOTLINE_12369), ("来信", Channel.LETTER),
    ("Letter", Channel.LETTER), ("来访", Channel.VISIT), ("电话", Channel.PHONE), ("局长信箱", Channel.MAILBOX),
    ("上级交办", Channel.ASSIGNED), ("online", Channel.ONLINE), ("传真", Channel.FAX)])
def test_channel_words(text, channel):
    assert parse_channel(text) is channel


@pytest.mark.parametrize(("text", "key"), [
    ("噪音", "noise"), ("噪声污染", "noise"), ("油烟", "cooking_fumes"), ("大气污染", "air"), ("Dust", "dust"),
    ("construction_noise", "construction_noise"), ("危废", "hazardous_waste"), ("生活污水", "domestic_water")])
def test_pollution_words(text, key):
    assert parse_pollution_type(text) == key


def test_unknown_channel_is_a_row_error_naming_the_value(o):
    problems = rejected(o.ws, ledger_row(), ledger_row(number="XF-2026-0002", channel="飞鸽传书"))
    assert [(p.row, p.key, p.value) for p in problems] == [(3, "channel", "飞鸽传书")]
    assert "飞鸽传书" in problems[0].reason and "12345 hand-off" in problems[0].reason
    assert complaints.count_complaints(o.ws) == 0  # the good row was not written either


# --- a whole ledger ------------------------------------------------------------------------------

def test_rows_become_complaints_at_their_step_with_their_numbers_steps_and_clocks(o_any):
    o = o_any
    summary = import_complaints(o.ws, rows(
        ledger_row(),
        ledger_row(number="XF-2026-0007", channel="12345热线", received=datetime(2026, 4, 28, 15, 20),
                   complainant="匿名", phone=None, subject="青溪县宏达化工有限公司", town=None,
                   pollution_types=("异味", "噪音"), content="宏达化工夜间异味", accepted=date(2026, 4, 29),
                   replied=date(2026, 5, 8)),
        ledger_row(number="XF-2025-0311", received=date(2025, 11, 3), accepted=date(2025, 11, 4),
                   replied=date(2025, 12, 1), closed=date(2025, 12, 10), pollution_types=("施工噪声",),
                   content="工地夜间施工")), today=TODAY)
    assert (summary.created, summary.updated, summary.skipped) == (3, 0, ())
    assert summary.changes.concerns(complaints.COMPLAINTS)

    first = imported(o.ws, "XF-2026-0001")
    assert (first.channel, first.status, first.town, first.subject, first.enterprise_id) == (
        Channel.LETTER, Status.REGISTERED, "白沙镇", "城西夜市烧烤摊", None)
    assert first.received_at.astimezone().replace(tzinfo=None) == datetime(2026, 3, 2, 10, 0)
    assert (first.complainant.name, first.complainant.phone, first.complainant.anonymous) == (
        "张伟", "13812345678", False)
    assert first.pollution_types == ("cooking_fumes",)
    assert [(e.action, e.status, e.note) for e in first.events] == [("register", Status.REGISTERED, IMPORTED_NOTE)]

    hotline = imported(o.ws, "XF-2026-0007")
    assert (hotline.status, hotline.decided_on, hotline.replied_on) == (Status.REPLIED, date(2026, 4, 29),
                                                                         date(2026, 5, 8))
    assert hotline.complainant.anonymous and hotline.complainant.phone == ""
    assert (hotline.enterprise_name, hotline.town) == ("青溪县宏达化工有限公司", "白沙镇")  # town from the enterprise
    assert hotline.pollution_types == ("noise", "odour")
    assert [(e.action, e.event_date, e.status) for e in hotline.events] == [
        ("register", date(2026, 4, 28), Status.REGISTERED), ("decide", date(2026, 4, 29), Status.ACCEPTED),
        ("reply", date(2026, 5, 8), Status.REPLIED)]

    closed = imported(o.ws, "XF-2025-0311")
    assert (closed.status, closed.closed_on) == (Status.CLOSED, date(2025, 12, 10))
    assert closed.received_at.astimezone().time() == datetime.min.time()  # a date alone: its midnight


def test_stored_due_dates_are_the_clocks_the_use_cases_compute(o):
    import_complaints(o.ws, rows(
        ledger_row(accepted=date(2026, 3, 5)),
        ledger_row(number="XF-2026-0002", channel="12345", received=datetime(2026, 4, 28, 9),
                   accepted=date(2026, 4, 29)),
        ledger_row(number="XF-2026-0003", received=datetime(2026, 5, 20, 9))), today=TODAY)
    for number in ("XF-2026-0001", "XF-2026-0002", "XF-2026-0003"):
        complaint = imported(o.ws, number)
        clocks = {clock.key: clock.due for clock in complaint.clocks}
        summary, = complaints.list_complaints(o.ws, ComplaintFilter(text=complaint.content[:4],
                                                                    received_from=complaint.received_date,
                                                                    received_to=complaint.received_date), today=TODAY)
        assert summary.due == (clocks["handling"] if "handling" in clocks else clocks["acceptance"])
    # 60 calendar days from 5 March end on 4 May, in the Labour Day break: the next working day.
    assert {c.key: c.due for c in imported(o.ws, "XF-2026-0001").clocks} == {
        "acceptance": date(2026, 3, 17), "handling": date(2026, 5, 6)}


def test_imported_complaints_are_found_by_the_search(o_any):
    o = o_any
    import_complaints(o.ws, rows(ledger_row(), ledger_row(number="XF-2026-0002", subject="青溪县宏达化工有限公司",
                                                          content="排放异味", location="青溪路口")), today=TODAY)
    assert [c.number for c in complaints.list_complaints(o.ws, ComplaintFilter(text="油烟"), today=TODAY)] == [
        "XF-2026-0001"]
    assert [c.number for c in complaints.list_complaints(o.ws, ComplaintFilter(text="溪路"), today=TODAY)] == [
        "XF-2026-0002"]
    assert complaints.list_complaints(o.ws, ComplaintFilter(pollution_type="cooking_fumes"), today=TODAY)


def test_rows_without_a_number_get_the_next_after_the_ledgers_own(o):
    summary = import_complaints(o.ws, rows(ledger_row(number=None), ledger_row(number="XF-2026-0041")), today=TODAY)
    assert summary.created == 2
    assert sorted(c.number for c in complaints.list_complaints(o.ws, today=TODAY)) == ["XF-2026-0041",
                                                                                       "XF-2026-0042"]


# --- bad rows ------------------------------------------------------------------------------------

def test_reply_before_receipt_is_a_row_error(o):
    problems = rejected(o.ws, ledger_row(accepted=date(2026, 3, 2), replied=date(2026, 2, 27)))
    assert [(p.row, p.key) for p in problems] == [(2, "replied")]
    assert "2026-03-02" in problems[0].reason


def test_steps_out_of_order_missing_or_in_the_future_are_row_errors(o):
    problems = rejected(
        o.ws,
        ledger_row(number="A1", accepted=date(2026, 3, 1)),                                  # before receipt
        ledger_row(number="A2", accepted=date(2026, 3, 9), replied=date(2026, 3, 20), closed=date(2026, 3, 10)),
        ledger_row(number="A3", replied=date(2026, 3, 20)),                                  # never accepted
        ledger_row(number="A4", received=datetime(2026, 6, 2, 8)),                           # tomorrow
        ledger_row(number="A5", accepted=date(2026, 3, 3), closed=date(2026, 7, 1)))
    assert [(p.row, p.key) for p in problems] == [(2, "accepted"), (3, "closed"), (4, "accepted"), (5, "received"),
                                                  (6, "closed")]
    assert "cannot be in the future" in problems[3].reason


def test_every_problem_of_every_row_is_reported_at_once_and_nothing_is_written(o):
    problems = rejected(
        o.ws,
        ledger_row(),
        ledger_row(number="XF-2026-0002", channel="微博", town="不存在镇", pollution_types=("油烟", "光污染")),
        ledger_row(number="XF-2026-0003", subject=None, content="   "),
        ledger_row(number="XF-2026-0004", pollution_types=()))
    assert [(p.row, p.key, p.value) for p in problems] == [
        (3, "channel", "微博"), (3, "town", "不存在镇"), (3, "pollution_types", "光污染"), (4, "content", "   "),
        (5, "pollution_types", "")]
    assert complaints.count_complaints(o.ws) == 0


def test_a_number_used_twice_in_the_file_names_the_other_row(o):
    problems = rejected(o.ws, ledger_row(), ledger_row(content="另一件事"))
    assert [(p.row, p.key) for p in problems] == [(3, "number")]
    assert "also row 2" in problems[0].reason


def test_a_number_in_the_database_for_another_complaint_is_an_error(o):
    complaints.register(o.ws, ComplaintInput("phone", datetime(2026, 1, 5, 9).astimezone(), None, "河道漂浮垃圾",
                                             ("household_waste",), subject="青溪河", number="XF-2026-0001"),
                        today=TODAY)
    problems = rejected(o.ws, ledger_row())
    assert [(p.row, p.key, p.value) for p in problems] == [(2, "number", "XF-2026-0001")]
    assert "already used by another complaint (received 2026-01-05)" in problems[0].reason


def test_importing_the_same_ledger_again_adds_only_the_new_rows(o):
    first = ledger_row()
    import_complaints(o.ws, rows(first), today=TODAY)
    # The clerk went on with the complaint in EnvDesk; the ledger gained a row and is imported again.
    complaint = imported(o.ws, "XF-2026-0001")
    complaints.set_flags(o.ws, complaint.id, key_case=False, case_leader_id=None, skip_level=True, today=TODAY)
    summary = import_complaints(o.ws, rows(
        dict(first, content="夜市烧烤油烟直排， 影响居民生活"),  # spacing differs: the same complaint
        ledger_row(number="XF-2026-0002", content="新的一件")), today=TODAY)
    assert (summary.created, summary.updated, summary.skipped) == (1, 0, ("XF-2026-0001",))
    assert imported(o.ws, "XF-2026-0001").skip_level  # left as it is


def test_check_only_writes_nothing(o):
    summary = import_complaints(o.ws, rows(ledger_row()), check_only=True, today=TODAY)
    assert (summary.created, summary.updated) == (0, 0)
    assert complaints.count_complaints(o.ws) == 0


# --- the complainant -----------------------------------------------------------------------------

def test_anonymous_complainants(o):
    import_complaints(o.ws, rows(
        ledger_row(number="N1", complainant="匿名", phone=None),
        ledger_row(number="N2", complainant="Anonymous", phone="-"),
        ledger_row(number="N3", complainant=None, phone=None),
        ledger_row(number="N4", complainant=None, phone="0571-88886666")), today=TODAY)
    assert [imported(o.ws, n).complainant.anonymous for n in ("N1", "N2", "N3", "N4")] == [True, True, True, False]
    assert imported(o.ws, "N4").complainant.phone == "0571-88886666"  # a caller who gave no name stays reachable


def test_anonymous_with_contact_details_or_masked_identity_is_an_error(o):
    problems = rejected(o.ws, ledger_row(number="N1", complainant="匿名", phone="13812345678"),
                        ledger_row(number="N2", complainant="张*", phone="138****5678"))
    assert [(p.row, p.key) for p in problems] == [(2, "phone"), (3, "complainant"), (3, "phone")]
    assert "masked" in problems[1].reason


def test_the_subject_is_matched_by_exact_name_or_kept_as_text(o):
    import_complaints(o.ws, rows(ledger_row(number="S1", subject="Hongda Chemicals"),
                                 ledger_row(number="S2", subject="宏达化工"), ), today=TODAY)
    assert imported(o.ws, "S1").enterprise_id == o.hongda.id
    assert (imported(o.ws, "S2").enterprise_id, imported(o.ws, "S2").free_subject) == (None, "宏达化工")


# --- export --------------------------------------------------------------------------------------

@pytest.fixture
def ledger(o):
    import_complaints(o.ws, rows(
        ledger_row(accepted=date(2026, 3, 5)),
        ledger_row(number="XF-2026-0002", complainant="匿名", phone=None, received=datetime(2026, 4, 28, 9),
                   channel="12345", accepted=date(2026, 4, 29), address=None),
        ledger_row(number="XF-2025-0100", received=datetime(2025, 12, 30, 9), complainant="欧阳娜娜",
                   address="白沙镇青溪路12号3幢")), today=TODAY)
    return o


def test_export_leaves_the_identity_out_and_carries_the_computed_clocks(ledger):
    exported = complaint_rows(ledger.ws, date(2026, 1, 1), date(2026, 12, 31), "en", today=TODAY)
    assert [r["number"] for r in exported] == ["XF-2026-0001", "XF-2026-0002"]
    letter, hotline = exported
    assert (letter["complainant"], letter["phone"], letter["address"]) == ("(identity withheld)", "", "")
    assert (hotline["complainant"], hotline["phone"]) == ("Anonymous", "")
    assert (letter["channel"], letter["status"], letter["pollution_types"]) == ("Letter", "Accepted",
                                                                                 ("Cooking fumes",))
    assert (letter["acceptance_due"], letter["handling_due"]) == (date(2026, 3, 17), date(2026, 5, 6))
    # A 12345 hand-off: 5 working days across the Labour Day break, ending on the Saturday worked instead.
    assert (hotline["acceptance_due"], hotline["handling_due"]) == (date(2026, 5, 13), date(2026, 5, 9))
    older, = complaint_rows(ledger.ws, None, date(2025, 12, 31), "zh_CN", today=TODAY)
    assert (older["complainant"], older["address"]) == ("（身份信息未导出）", "")
    assert older["handling_due"] is None


def test_including_the_identity_needs_the_permission(ledger):
    from envdesk.app.access import Principal
    from envdesk.app.errors import PermissionDenied
    from envdesk.domain.users import Role

    masked = complaint_rows(ledger.ws, None, None, "zh_CN", today=TODAY)
    full = complaint_rows(ledger.ws, date(2026, 1, 1), date(2026, 3, 31), "zh_CN", include_identity=True,
                          today=TODAY)
    assert [(r["complainant"], r["phone"]) for r in full] == [("张伟", "13812345678")]
    assert "张伟" not in {r["complainant"] for r in masked}
    ledger.ws.user = Principal.trusted("approvals", [Role.APPROVAL_CLERK])
    with pytest.raises(PermissionDenied, match="identities"):
        complaint_rows(ledger.ws, None, None, "zh_CN", include_identity=True, today=TODAY)
    assert "张伟" not in {r["complainant"] for r in complaint_rows(ledger.ws, None, None, "zh_CN", today=TODAY)}


def test_export_rows_import_into_a_fresh_database(ledger, tmp_path):
    from envdesk.app.workspace import Workspace

    exported = complaint_rows(ledger.ws, None, None, "en", include_identity=True, today=TODAY)
    fresh = Workspace(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", user=TESTER)
    try:
        reference.save_town(fresh, None, "白沙镇")
        summary = import_complaints(fresh, rows(*exported), today=TODAY)
        assert summary.created == 3
        again = complaint_rows(fresh, None, None, "en", include_identity=True, today=TODAY)
        assert again == exported
    finally:
        fresh.close()
