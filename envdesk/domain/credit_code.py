"""The unified social credit code (统一社会信用代码, GB 32100-2015): normalize, check and explain."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from envdesk.i18n import N_, _, ngettext

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = len(WEIGHTS) + 1
AREA = slice(2, 8)  # positions 3-8: the administrative-area code (GB/T 2260)
_VALUES = {char: value for value, char in enumerate(ALPHABET)}

# GB 32100-2015 table 1: registering department (position 1) -> its name and organisation types (position 2).
DEPARTMENTS: dict[str, tuple[str, frozenset[str]]] = {
    "1": (N_("Institutional establishment"), frozenset("1239")),
    "2": (N_("Foreign affairs"), frozenset("19")),
    "3": (N_("Judicial administration"), frozenset("123459")),
    "4": (N_("Culture"), frozenset("19")),
    "5": (N_("Civil affairs"), frozenset("1239")),
    "6": (N_("Tourism"), frozenset("129")),
    "7": (N_("Religious affairs"), frozenset("129")),
    "8": (N_("Trade unions"), frozenset("19")),
    "9": (N_("Industry and commerce"), frozenset("123")),
    "A": (N_("Central Military Commission reform and organisation office"), frozenset("19")),
    "N": (N_("Agriculture"), frozenset("1239")),
    "Y": (N_("Other"), frozenset("1")),
}


class InvalidCreditCode(ValueError):
    """A code that is not a valid unified social credit code; str() says what is wrong, translated."""


@dataclass(frozen=True)
class CreditCodeCheck:
    code: str  # normalized: full-width characters made ASCII, stripped, upper case
    valid: bool
    errors: tuple[str, ...]
    warnings: tuple[str, ...]


def normalize(text: str) -> str:
    """What people paste from Word or a scanned form: full-width '９１３５…' and stray spaces."""
    return unicodedata.normalize("NFKC", text).strip().upper()


def _check_value(first17: str) -> int:
    # The standard's 31 - (sum mod 31), with 31 becoming 0, is the same as -sum mod 31.
    modulus = len(ALPHABET)
    return -sum(_VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True)) % modulus


def check_character(first17: str) -> str:
    """The check character (position 18) for the first 17 characters; InvalidCreditCode if they cannot have one."""
    code = normalize(first17)
    errors = _character_errors(code)
    if len(code) != LENGTH - 1:
        errors.insert(0, _wrong_length(len(code), LENGTH - 1))
    if errors:
        raise InvalidCreditCode(errors[0])
    return ALPHABET[_check_value(code)]


def _wrong_length(count: int, expected: int) -> str:
    return ngettext(
        "The code has {count} character; it needs {expected}.",
        "The code has {count} characters; it needs {expected}.",
        count,
    ).format(count=count, expected=expected)


def _character_errors(code: str) -> list[str]:
    return [
        _(
            "Character {position} ({char}) is not allowed: a credit code uses digits and capital letters "
            "except I, O, Z, S and V."
        ).format(position=position, char=char)
        for position, char in enumerate(code, start=1)
        if char not in _VALUES
    ]


def _warnings(code: str) -> list[str]:
    department = DEPARTMENTS.get(code[:1])
    if department is None:
        return [
            _("The first character ({code}) is not a registering-department code of GB 32100-2015.").format(
                code=code[:1]
            )
        ]
    name, types = department
    if code[1:2] not in types:
        return [
            _(
                "The second character ({code}) is not an organisation type of registering department "
                "{department} ({name})."
            ).format(code=code[1:2], department=code[:1], name=_(name))
        ]
    return []


def check_credit_code(text: str) -> CreditCodeCheck:
    """Every fault of `text` as a credit code (errors), and what is merely unusual (warnings)."""
    code = normalize(text)
    if not code:
        return CreditCodeCheck(code, False, (_("The unified social credit code is empty."),), ())
    errors = []
    if len(code) != LENGTH:
        errors.append(_wrong_length(len(code), LENGTH))
    errors += _character_errors(code)
    area = code[AREA]
    if len(area) == AREA.stop - AREA.start and not (area.isascii() and area.isdigit()):
        errors.append(
            _("Characters 3-8 ({area}) are the administrative-area code and must be six digits.").format(area=area)
        )
    if not errors:
        expected = ALPHABET[_check_value(code[:-1])]
        if code[-1] != expected:
            errors.append(
                _("The check character (the 18th) is {given} but should be {expected}.").format(
                    given=code[-1], expected=expected
                )
            )
    # Department and type are only worth a remark on a code of the right length.
    warnings = _warnings(code) if len(code) == LENGTH else []
    return CreditCodeCheck(code, not errors, tuple(errors), tuple(warnings))


def validate_credit_code(text: str) -> str:
    """The normalized code; InvalidCreditCode with the first error otherwise (warnings are not raised)."""
    check = check_credit_code(text)
    if not check.valid:
        raise InvalidCreditCode(check.errors[0])
    return check.code
