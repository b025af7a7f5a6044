"""Settings of every scope through one accessor; rules built from them."""

import pytest

from envdesk import settings as decl
from envdesk.app import settings as settings_app
from envdesk.app.access import Principal
from envdesk.app.errors import ValidationError
from envdesk.domain.deadlines import Unit

TESTER = Principal.trusted("tester")


def test_defaults_come_from_the_declarations(ws):
    assert settings_app.get_value(ws, "complaints/handling/limit") == 60
    assert settings_app.get_value(ws, "approvals/statutory/report_book/unit") == "working_days"


def test_shared_setting_is_stored_and_reset(ws):
    settings_app.set_value(ws, "approvals/promised/report_form/limit", "5")
    assert settings_app.get_value(ws, "approvals/promised/report_form/limit") == 5
    settings_app.reset_value(ws, "approvals/promised/report_form/limit")
    assert settings_app.get_value(ws, "approvals/promised/report_form/limit") == 7


def test_a_second_workspace_sees_the_shared_value(ws, sqlite_url):
    from envdesk.app.workspace import Workspace

    settings_app.set_value(ws, "complaints/handling/limit", 45)
    other = Workspace(sqlite_url, user=TESTER)
    try:
        assert settings_app.get_value(other, "complaints/handling/limit") == 45
    finally:
        other.close()


@pytest.mark.parametrize("key, value, message", [
    ("complaints/handling/limit", "sixty", "expected a whole number"),
    ("complaints/handling/limit", "-1", "at least 0"),
    ("complaints/handling/unit", "weeks", "expected one of calendar_days, working_days"),
    ("calendar/roll_forward", "maybe", "expected true or false"),
])
def test_bad_values_name_the_setting(ws, key, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        settings_app.set_value(ws, key, value)
    assert info.value.field == key
    assert settings_app.get_value(ws, key) == decl.get_setting(key).default


def test_bureau_settings_are_the_bureau_row(ws):
    from envdesk.app import reference

    settings_app.set_value(ws, "bureau/name_zh", "青溪县生态环境局")
    assert reference.get_bureau(ws).name_zh == "青溪县生态环境局"


def test_local_settings_live_in_the_config_directory(ws, envdesk_home):
    settings_app.set_value(ws, "ui/language", "en")
    assert (envdesk_home / "config" / "envdesk.json").exists()
    assert decl.local_value(decl.LANGUAGE) == "en"


def test_rule_from_settings(ws):
    settings_app.set_value(ws, "complaints/handling/limit", 50)
    settings_app.set_value(ws, "calendar/roll_forward", False)
    rule = settings_app.rule(ws, "complaints/handling")
    assert (rule.limit, rule.unit, rule.roll_forward) == (50, Unit.CALENDAR_DAYS, False)
    assert "art. 34" in rule.basis


def test_every_setting_has_a_label_and_a_valid_default():
    for setting in decl.SETTINGS.values():
        assert setting.label
        assert setting.parse(setting.default) == setting.default


def test_saving_several_settings_is_all_or_nothing(ws):
    from envdesk.app import reference

    settings_app.set_value(ws, "bureau/name_zh", "青溪县生态环境局")
    with pytest.raises(ValidationError, match="Bureau name \\(Chinese\\): is required"):
        settings_app.save_values(ws, {"bureau/county": "青溪县", "bureau/name_zh": "  ",
                                      "complaints/handling/limit": 50})
    assert reference.get_bureau(ws).county == ""
    assert settings_app.get_value(ws, "complaints/handling/limit") == 60
    with pytest.raises(ValidationError, match="longer than 200"):
        settings_app.set_value(ws, "bureau/name_zh", "局" * 201)


def test_a_setting_changed_meanwhile_is_not_overwritten(ws):
    from envdesk.app.errors import ConflictError

    opened = {"approvals/promised/report_form/limit": 7}
    settings_app.set_value(ws, "approvals/promised/report_form/limit", 6)  # someone else
    with pytest.raises(ConflictError, match="changed by someone else"):
        settings_app.save_values(ws, {"approvals/promised/report_form/limit": 5}, original=opened)
    assert settings_app.get_value(ws, "approvals/promised/report_form/limit") == 6


def test_another_workstations_change_is_seen_without_restart(ws, sqlite_url):
    from datetime import date

    from envdesk.app import calendar as calendar_app
    from envdesk.app.workspace import Workspace
    from envdesk.domain.calendar import YearSchedule

    assert settings_app.get_value(ws, "complaints/handling/limit") == 60
    assert not calendar_app.calendar(ws).is_known(2027)
    other = Workspace(sqlite_url, user=TESTER)
    try:
        settings_app.set_value(other, "complaints/handling/limit", 45)
        calendar_app.save_schedules(other, [YearSchedule(2027, frozenset({date(2027, 1, 1)}), frozenset(), "x")])
    finally:
        other.close()
    assert settings_app.get_value(ws, "complaints/handling/limit") == 45
    assert calendar_app.calendar(ws).is_known(2027)


def test_empty_text_means_the_translated_default(ws):
    settings_app.set_value(ws, "complaints/handling/basis", "地方规定第5条")
    assert settings_app.get_value(ws, "complaints/handling/basis") == "地方规定第5条"
    settings_app.set_value(ws, "complaints/handling/basis", "  ")
    assert settings_app.get_value(ws, "complaints/handling/basis") == decl.get_setting("complaints/handling/basis").default


@pytest.mark.parametrize("key, value", [("db/url", "nonsense"), ("complaints/number_format", "XF-{year}"),
                                        ("complaints/satisfaction_target", "85")])
def test_values_that_would_break_later_are_refused_now(ws, key, value):
    with pytest.raises(ValidationError):
        settings_app.set_value(ws, key, value)
