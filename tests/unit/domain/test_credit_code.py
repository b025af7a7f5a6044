"""The unified social credit code (GB 32100-2015): check character, errors, warnings, normalization."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from envdesk.domain.credit_code import (
    ALPHABET,
    WEIGHTS,
    CreditCodeCheck,
    InvalidCreditCode,
    check_character,
    check_credit_code,
    validate_credit_code,
)

VALID = ("91350100M000100Y43", "914403001922038216")


def test_weights_are_powers_of_three_mod_31():
    assert WEIGHTS == tuple(pow(3, i, 31) for i in range(17))
    assert len(ALPHABET) == 31
    assert not set("IOZSV") & set(ALPHABET)


@pytest.mark.parametrize("code", VALID)
def test_valid_codes(code):
    assert check_credit_code(code) == CreditCodeCheck(code, True, (), ())
    assert validate_credit_code(code) == code
    assert check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" 91350100m000100y43\t", "91350100M000100Y43"),
        ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),  # full-width, as pasted from a form
        ("\u3000914403001922038216\u3000", "914403001922038216"),  # ideographic spaces
    ],
)
def test_normalization(text, expected):
    assert validate_credit_code(text) == expected
    assert check_credit_code(text).code == expected


def test_wrong_check_character_says_which_it_should_be():
    check = check_credit_code("914403001922038217")
    assert not check.valid
    assert check.errors == ("The check character (the 18th) is 7 but should be 6.",)
    with pytest.raises(InvalidCreditCode, match="should be 6"):
        validate_credit_code("914403001922038217")


def test_a_letter_that_is_never_used_is_named_with_its_position():
    check = check_credit_code("91350100M000100Y4Z")
    assert not check.valid
    (error,) = check.errors
    assert "18" in error and "(Z)" in error and "I, O, Z, S and V" in error


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("9135010", "7 characters"),
        ("91350100M000100Y433", "19 characters"),
        ("9", "1 character;"),
    ],
)
def test_empty_and_wrong_length(text, fragment):
    check = check_credit_code(text)
    assert not check.valid
    assert fragment in check.errors[0]
    with pytest.raises(InvalidCreditCode) as raised:
        validate_credit_code(text)
    assert str(raised.value) == check.errors[0]
    assert isinstance(raised.value, ValueError)


def test_area_code_must_be_digits():
    first17 = "91A50100M000100Y4"
    code = first17 + check_character(first17)  # a correct check character: only the area is wrong
    check = check_credit_code(code)
    assert check.errors == ("Characters 3-8 (A50100) are the administrative-area code and must be six digits.",)


def test_every_error_is_reported():
    check = check_credit_code("9O35010")
    assert len(check.errors) == 2  # the length and the letter O
    assert any("(O)" in error and "2" in error for error in check.errors)


@pytest.mark.parametrize(
    ("first2", "fragment"),
    [
        ("B1", "first character (B)"),
        ("94", "second character (4)"),
        ("Y2", "second character (2)"),
    ],
)
def test_unknown_department_or_type_is_a_warning_not_an_error(first2, fragment):
    first17 = first2 + "350100M000100Y4"
    code = first17 + check_character(first17)
    check = check_credit_code(code)
    assert check.valid
    assert len(check.warnings) == 1 and fragment in check.warnings[0]
    assert validate_credit_code(code) == code


@pytest.mark.parametrize("first2", ["11", "12", "13", "19", "21", "35", "41", "53", "62", "72", "81", "93", "A1", "A9", "N3", "Y1"])
def test_known_department_and_type_need_no_warning(first2):
    first17 = first2 + "350100M000100Y4"
    assert check_credit_code(first17 + check_character(first17)).warnings == ()


def test_check_character_refuses_what_cannot_have_one():
    with pytest.raises(InvalidCreditCode, match="16 characters"):
        check_character("91350100M000100Y")
    with pytest.raises(InvalidCreditCode, match=r"\(I\)"):
        check_character("91350100M000100YI")


# --- properties -------------------------------------------------------------------------------------

# Well-formed first 17 characters: any department and type, a six-digit area, any organisation code.
first17s = st.tuples(
    st.text(alphabet=ALPHABET, min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
).map("".join)


@given(first17s, st.sampled_from(ALPHABET))
def test_only_the_computed_check_character_is_valid(first17, last):
    assert check_credit_code(first17 + last).valid == (last == check_character(first17))


@given(first17s, st.integers(0, 16), st.sampled_from(ALPHABET))
def test_a_single_changed_character_is_caught(first17, position, replacement):
    code = first17 + check_character(first17)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed != code:
        assert not check_credit_code(changed).valid


@given(st.text(max_size=30))
def test_checking_never_crashes_and_valid_means_no_errors(text):
    check = check_credit_code(text)
    assert check.valid == (not check.errors)
    if check.valid:
        assert validate_credit_code(text) == check.code
    else:
        with pytest.raises(InvalidCreditCode):
            validate_credit_code(text)
