"""Users without a database: password and log-in name rules, what each role may do, the audit chain's hash."""

import hashlib
import json

import pytest

from envdesk.domain.users import (
    GENESIS,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    PERMISSION_LABELS,
    ROLE_PERMISSIONS,
    Permission,
    Role,
    entry_hash,
    login_problem,
    password_problem,
    permissions_of,
    roles_granting,
)

P = Permission

# --- passwords ------------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["correct horse", "Tr0ub4dor&3", "qingxi-2026", "环保局密码很安全啊", "a1b2c3d4"])
def test_good_passwords_pass(password):
    assert password_problem(password, "zhangwei") is None


def test_a_password_shorter_than_the_minimum_is_refused():
    assert MIN_PASSWORD_LENGTH == 8
    assert "at least 8" in password_problem("abc1234")
    assert password_problem("abcd1234") is None


def test_a_password_longer_than_the_maximum_is_refused():
    longest = ("abcd" * 100)[:MAX_PASSWORD_LENGTH]
    assert password_problem(longest) is None
    assert f"at most {MAX_PASSWORD_LENGTH}" in password_problem(longest + "e")


def test_the_log_in_name_is_not_a_password_whatever_its_case():
    assert "log-in name" in password_problem("ZhangWei2026", "zhangwei2026")
    assert password_problem("zhangwei2026", "zhangwei") is None  # containing it is allowed
    assert password_problem("zhangwei2026") is None  # no login given: no comparison


@pytest.mark.parametrize("password", ["aaaaaaaa", "abababab", "abcabcabc", "11112222"])
def test_a_password_of_fewer_than_four_different_characters_is_too_simple(password):
    assert "too simple" in password_problem(password)


def test_four_different_characters_are_enough():
    assert password_problem("abcdabcd") is None


# --- log-in names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["zhangwei", "li.si", "wang_wu-2", "A1", "9lives", "x" * 40])
def test_good_log_in_names(login):
    assert login_problem(login) is None


@pytest.mark.parametrize("login", ["", "a", "x" * 41, ".dot", "-dash", "_under", "zhang wei", "张伟", "li@si",
                                   "semi;colon", None])
def test_bad_log_in_names_say_what_to_use(login):
    problem = login_problem(login)
    assert problem and "2 to 40" in problem


# --- roles and permissions ------------------------------------------------------------------------


def test_every_role_has_permissions_and_every_permission_a_role_and_a_label():
    assert set(ROLE_PERMISSIONS) == set(Role)
    for role, granted in ROLE_PERMISSIONS.items():
        assert P.VIEW in granted, role  # every signed-in user sees the registers
    for permission in Permission:
        assert roles_granting(permission), permission
        assert PERMISSION_LABELS[permission]


def test_permissions_of_is_the_union_of_the_roles():
    assert permissions_of([]) == frozenset()
    assert permissions_of([Role.READ_ONLY]) == {P.VIEW}
    assert permissions_of([Role.OFFICE, Role.LIAISON_OFFICER]) == {
        P.VIEW, P.PLANS_EDIT, P.LETTERS_SIGN, P.TWINNING_EDIT, P.ENTERPRISES_EDIT}
    assert permissions_of(["leader", Role.COMPLAINTS_CLERK]) == {
        P.VIEW, P.COMPLAINANT_IDENTITY, P.APPROVE_EXTENSION, P.COMPLAINTS_EDIT}
    assert permissions_of(list(Role)) == frozenset(Permission)
    with pytest.raises(ValueError):
        permissions_of(["superuser"])


def test_the_issues_examples():
    """Only complaints clerks and leaders see identities; only leaders approve extensions; only approval clerks
    record decisions; only the office marks letters signed."""
    assert set(roles_granting(P.COMPLAINANT_IDENTITY)) == {Role.COMPLAINTS_CLERK, Role.LEADER}
    assert roles_granting(P.APPROVE_EXTENSION) == [Role.LEADER]
    assert roles_granting(P.APPROVALS_DECIDE) == [Role.APPROVAL_CLERK]
    assert roles_granting(P.LETTERS_SIGN) == [Role.OFFICE]
    # The administrator runs the system but does not act in the registers.
    admin = ROLE_PERMISSIONS[Role.ADMINISTRATOR]
    assert not admin & {P.COMPLAINANT_IDENTITY, P.COMPLAINTS_EDIT, P.APPROVALS_DECIDE, P.LETTERS_SIGN}
    assert ROLE_PERMISSIONS[Role.READ_ONLY] == {P.VIEW}


def test_roles_have_labels():
    assert Role.OFFICE.label == "Office (plans and letters)"
    assert Role.parse("Read-only") is Role.READ_ONLY


# --- the audit chain ------------------------------------------------------------------------------

ENTRY = {"seq": 1, "at": "2026-06-15T02:00:00.000000+00:00", "user_id": 3, "user_name": "王信访 (complaints)",
         "workstation": "pc-01", "action": "create", "entity": "complaint", "record_id": 7, "owner_entity": "",
         "owner_id": None, "label": "XF-2026-0007", "changes": '{"status": [null, "registered"]}', "detail": "",
         "prev_hash": GENESIS}


def test_entry_hash_is_deterministic_and_independent_of_key_order():
    first = entry_hash(GENESIS, ENTRY)
    assert first == entry_hash(GENESIS, dict(reversed(list(ENTRY.items()))))
    assert len(first) == 64 and int(first, 16) >= 0
    canonical = json.dumps(ENTRY, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert first == hashlib.sha256((GENESIS + "\n" + canonical).encode("utf-8")).hexdigest()


@pytest.mark.parametrize("field, value", [("seq", 2), ("at", "2026-06-15T02:00:00.000001+00:00"), ("user_id", None),
                                          ("user_name", "王信访"), ("action", "update"), ("record_id", 8),
                                          ("label", "XF-2026-0008"), ("changes", ""), ("detail", " ")])
def test_any_change_to_an_entry_changes_its_hash(field, value):
    assert entry_hash(GENESIS, {**ENTRY, field: value}) != entry_hash(GENESIS, ENTRY)


def test_the_hash_is_chained_to_the_previous_one():
    first = entry_hash(GENESIS, ENTRY)
    second = entry_hash(first, {**ENTRY, "seq": 2, "prev_hash": first})
    assert entry_hash("f" * 64, {**ENTRY, "seq": 2, "prev_hash": first}) != second
    assert GENESIS == "0" * 64
