"""Property tests (hypothesis): the validators and the identity masks hold for any input, not only the examples."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from envdesk.domain.approvals import check_project_code
from envdesk.domain.complaints import mask_address, mask_name, mask_phone
from envdesk.domain.users import login_problem, password_problem

TEXT = st.text(max_size=200)
DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=20)


@given(TEXT)
def test_a_masked_name_shows_its_first_character_only(name):
    masked = mask_name(name)
    if name.strip():
        assert masked[0] == name.strip()[0] and set(masked[1:]) == {"*"}
    else:
        assert masked == ""


@given(DIGITS, st.sampled_from(["", " ", "-", "+86 "]))
def test_a_masked_phone_never_shows_the_middle(digits, separator):
    phone = separator.join([digits[:3], digits[3:]]) if separator else digits
    masked = mask_phone(phone)
    shown = re.sub(r"\D", "", masked)
    assert len(shown) <= 7 and (len(digits) < 6 or shown != digits)
    if len(digits) >= 11:
        assert masked == digits[:3] + "****" + digits[-4:]


@given(st.text(min_size=2, max_size=100).filter(lambda a: len(a.strip()) >= 2))
def test_a_masked_address_always_hides_its_end(address):
    masked = mask_address(address)
    assert masked.endswith("***")
    shown = masked[:-3]
    assert address.strip().startswith(shown) and len(shown) < len(address.strip())


@given(TEXT, TEXT)
def test_log_in_names_and_passwords_are_judged_never_crashed_on(login, password):
    assert login_problem(login) is None or isinstance(login_problem(login), str)
    problem = password_problem(password, login)
    assert problem is None or isinstance(problem, str)
    if problem is None:
        assert len(password) >= 8 and password.casefold() != login.casefold()


@given(TEXT)
def test_project_codes_are_tidied_or_refused_with_a_message(text):
    try:
        code = check_project_code(text)
    except ValueError as error:
        assert str(error)
    else:
        assert re.fullmatch(r"\d{4}-\d{6}-\d{2}-\d{2}-\d{5,6}", code)
