"""Twinning rules with no database: labelled enums, the service item's closed loop, the monthly-contact grid."""

from datetime import date

import pytest

from envdesk import i18n
from envdesk.domain.twinning import (
    TRANSITIONS,
    ContactMode,
    EnterpriseType,
    ItemAction,
    ItemStatus,
    MonthMark,
    PairPeriod,
    Scale,
    Severity,
    TransitionError,
    allowed_actions,
    month_marks,
    next_status,
)

C, M, D, F, O = (MonthMark.CONTACTED, MonthMark.MISSED, MonthMark.DUE, MonthMark.FUTURE, MonthMark.OUTSIDE)

# --- Labelled.parse ----------------------------------------------------------------------------


@pytest.mark.parametrize("text, member", [
    ("large", Scale.LARGE),
    ("  MICRO ", Scale.MICRO),
    ("key_discharger", EnterpriseType.KEY_DISCHARGER),
    ("third_party", EnterpriseType.THIRD_PARTY),
    ("handed_over", ItemStatus.HANDED_OVER),
])
def test_parse_by_key(text, member):
    assert type(member).parse(text) is member


@pytest.mark.parametrize("text, member", [
    ("Large", Scale.LARGE),
    ("medium", Scale.MEDIUM),
    ("Key pollutant-discharge unit", EnterpriseType.KEY_DISCHARGER),
    ("strategic emerging industry", EnterpriseType.EMERGING),
    ("On-site visit", ContactMode.VISIT),
    ("Close (销号)", ItemAction.CLOSE),
])
def test_parse_by_english_label_in_any_case(text, member):
    assert type(member).parse(text) is member


def _fake_zh(mapping):
    real = i18n.gettext_for

    def gettext_for(language, message):
        if language == "zh_CN" and message in mapping:
            return mapping[message]
        return real(language, message)

    return gettext_for


def test_parse_by_chinese_label(monkeypatch):
    """What a zh_CN spreadsheet says (大型, 重点排污单位) parses whatever the interface language."""
    monkeypatch.setattr(i18n, "gettext_for", _fake_zh({
        "Large": "大型", "Micro": "微型", "Key pollutant-discharge unit": "重点排污单位", "Phone": "电话"}))
    assert Scale.parse("大型") is Scale.LARGE
    assert Scale.parse(" 微型 ") is Scale.MICRO
    assert EnterpriseType.parse("重点排污单位") is EnterpriseType.KEY_DISCHARGER
    assert ContactMode.parse("电话") is ContactMode.PHONE


@pytest.mark.parametrize("member", [Scale.LARGE, EnterpriseType.THIRD_PARTY, ContactMode.VIDEO, Severity.HIGH])
def test_parse_by_label_of_the_real_zh_catalog(member):
    zh = i18n.gettext_for("zh_CN", member.msgid)
    if zh == member.msgid:
        pytest.skip(f"the zh_CN catalog does not translate {member.msgid!r} yet")
    assert type(member).parse(zh) is member


def test_label_follows_the_interface_language(monkeypatch):
    class Catalog:
        def gettext(self, message):
            return {"Medium": "中型"}.get(message, message)

    monkeypatch.setattr(i18n, "_load", lambda language: Catalog())
    assert Scale.MEDIUM.label == "中型"
    assert Scale.parse("中型") is Scale.MEDIUM  # the interface language's label parses too


@pytest.mark.parametrize("text", ["huge", "", "大型企业", "larg"])
def test_parse_refuses_unknown_text_listing_the_choices(text):
    with pytest.raises(ValueError) as caught:
        Scale.parse(text)
    message = str(caught.value)
    assert "is not one of" in message
    for label in ("Large", "Medium", "Small", "Micro"):
        assert label in message


def test_members_are_their_keys():
    assert Scale.LARGE == "large" and Scale("large") is Scale.LARGE
    assert Scale.LARGE.msgid == "Large"


# --- the closed loop ---------------------------------------------------------------------------

@pytest.mark.parametrize("status, action, target", [
    (ItemStatus.COLLECTED, ItemAction.HAND_OVER, ItemStatus.HANDED_OVER),
    (ItemStatus.HANDED_OVER, ItemAction.TRACK, ItemStatus.TRACKED),
    (ItemStatus.TRACKED, ItemAction.TRACK, ItemStatus.TRACKED),
    (ItemStatus.TRACKED, ItemAction.CLOSE, ItemStatus.CLOSED),
    (ItemStatus.HANDED_OVER, ItemAction.CLOSE, ItemStatus.CLOSED),
    (ItemStatus.TRACKED, ItemAction.HAND_OVER, ItemStatus.HANDED_OVER),  # passed on to another department
    (ItemStatus.HANDED_OVER, ItemAction.HAND_OVER, ItemStatus.HANDED_OVER),
    (ItemStatus.COLLECTED, ItemAction.CANCEL, ItemStatus.CANCELLED),
    (ItemStatus.HANDED_OVER, ItemAction.CANCEL, ItemStatus.CANCELLED),
    (ItemStatus.TRACKED, ItemAction.CANCEL, ItemStatus.CANCELLED),
])
def test_allowed_transitions(status, action, target):
    assert next_status(status, action) is target


@pytest.mark.parametrize("status, action", [
    (ItemStatus.COLLECTED, ItemAction.TRACK),   # nobody to track until it is handed over
    (ItemStatus.COLLECTED, ItemAction.CLOSE),
    (ItemStatus.CLOSED, ItemAction.TRACK),
    (ItemStatus.CLOSED, ItemAction.HAND_OVER),
    (ItemStatus.CLOSED, ItemAction.CANCEL),
    (ItemStatus.CANCELLED, ItemAction.CLOSE),
])
def test_refused_transitions(status, action):
    with pytest.raises(TransitionError):
        next_status(status, action)


def test_refusal_says_what_the_item_can_do():
    with pytest.raises(TransitionError) as caught:
        next_status(ItemStatus.COLLECTED, ItemAction.CLOSE)
    assert str(caught.value) == "An item that is “Collected” cannot be “Close (销号)”; it can be: Hand over、Cancel"
    with pytest.raises(TransitionError, match="cannot be “Track”; it can be: nothing more"):
        next_status(ItemStatus.CLOSED, ItemAction.TRACK)


def test_closed_and_cancelled_are_final_and_not_open():
    assert allowed_actions(ItemStatus.CLOSED) == [] and allowed_actions(ItemStatus.CANCELLED) == []
    assert [s for s in ItemStatus if s.is_open] == [ItemStatus.COLLECTED, ItemStatus.HANDED_OVER, ItemStatus.TRACKED]
    assert set(allowed_actions(ItemStatus.TRACKED)) == {ItemAction.HAND_OVER, ItemAction.TRACK, ItemAction.CLOSE,
                                                        ItemAction.CANCEL}
    # Every open status can be cancelled; nothing leads back to "collected".
    assert all((s, ItemAction.CANCEL) in TRANSITIONS for s in ItemStatus if s.is_open)
    assert ItemStatus.COLLECTED not in TRANSITIONS.values()


# --- month_marks ---------------------------------------------------------------------------------

def test_pair_starting_and_ending_mid_month():
    period = PairPeriod(date(2026, 3, 16), date(2026, 8, 15))
    contacts = [date(2026, 3, 20), date(2026, 5, 3), date(2026, 5, 28)]
    marks = month_marks(2026, period, contacts, today=date(2026, 11, 25))
    assert marks == [O, O, C, M, C, M, M, M, O, O, O, O]


def test_the_current_month_is_due_until_contacted_and_later_months_are_future():
    period = PairPeriod(date(2026, 2, 20), None)
    today = date(2026, 6, 10)
    marks = month_marks(2026, period, [date(2026, 2, 25), date(2026, 4, 1)], today)
    assert marks == [O, C, M, C, M, D, F, F, F, F, F, F]
    marks = month_marks(2026, period, [date(2026, 2, 25), date(2026, 4, 1), date(2026, 6, 10)], today)
    assert marks[5] is C


@pytest.mark.parametrize("today", [date(2026, 6, 1), date(2026, 6, 30)])
def test_first_and_last_day_of_the_current_month(today):
    marks = month_marks(2026, PairPeriod(date(2026, 1, 1), None), [], today)
    assert marks[4] is M and marks[5] is D and marks[6] is F


def test_boundary_days_count_as_paired():
    # Paired on the last day of March and ended on the first of August: both months need a contact.
    marks = month_marks(2026, PairPeriod(date(2026, 3, 31), date(2026, 8, 1)), [], today=date(2026, 12, 31))
    assert marks == [O, O, M, M, M, M, M, M, O, O, O, O]


def test_only_contacts_of_the_year_count():
    marks = month_marks(2026, PairPeriod(date(2026, 1, 5), None), [date(2025, 1, 10), date(2027, 2, 1)],
                        today=date(2026, 2, 15))
    assert marks[:2] == [M, D]


def test_a_past_year_has_nothing_due_and_a_future_year_nothing_missed():
    past = month_marks(2025, PairPeriod(date(2025, 1, 1), None), [date(2025, 12, 31)], today=date(2026, 1, 2))
    assert past == [M] * 11 + [C]
    future = month_marks(2027, PairPeriod(date(2027, 3, 1), None), [], today=date(2026, 11, 25))
    assert future == [O, O] + [F] * 10


def test_a_pair_starting_later_this_month_is_due_not_future():
    marks = month_marks(2026, PairPeriod(date(2026, 11, 28), None), [], today=date(2026, 11, 25))
    assert marks[10] is D and marks[11] is F and marks[9] is O
