"""Complaints (环境信访, 信访工作条例 2022): channels, pollution types, the workflow, clocks, confidentiality."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from envdesk.domain.twinning import Labelled
from envdesk.i18n import N_, _


class Channel(Labelled):
    HOTLINE_12369 = "12369", N_("12369 hotline (phone, WeChat, online)")
    HANDOFF_12345 = "12345", N_("12345 hand-off")
    LETTER = "letter", N_("Letter")
    VISIT = "visit", N_("Visit in person")
    ONLINE = "online", N_("Online platform")
    PHONE = "phone", N_("Phone")
    FAX = "fax", N_("Fax")
    MAILBOX = "mailbox", N_("Director's mailbox")
    ASSIGNED = "assigned", N_("Assigned by a higher level")


# Pollution types: a category and its kinds (a complaint may name several).
POLLUTION_TYPES: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "air": (N_("Air"), (("odour", N_("Odour")), ("dust", N_("Dust")), ("industrial_gas", N_("Industrial gas")),
                        ("cooking_fumes", N_("Cooking fumes")), ("vehicle_exhaust", N_("Vehicle exhaust")))),
    "noise": (N_("Noise"), (("construction_noise", N_("Construction noise")),
                            ("industrial_noise", N_("Industrial noise")),
                            ("social_noise", N_("Noise of social life")))),
    "water": (N_("Water"), (("industrial_water", N_("Industrial waste water")),
                            ("domestic_water", N_("Domestic sewage")))),
    "solid_waste": (N_("Solid waste"), (("household_waste", N_("Household waste")),
                                        ("industrial_waste", N_("General industrial solid waste")),
                                        ("hazardous_waste", N_("Hazardous waste")))),
    "ecology": (N_("Ecological damage"), ()),
    "radiation": (N_("Radiation"), ()),
    "soil": (N_("Soil"), ()),
    "other": (N_("Other"), ()),
}


def pollution_label(key: str) -> str:
    """A category ('Noise') or a kind ('Construction noise') in the interface language."""
    return _(pollution_msgid(key))


def pollution_keys() -> list[str]:
    keys = []
    for category, (_label, kinds) in POLLUTION_TYPES.items():
        keys.append(category)
        keys.extend(kind for kind, _l in kinds)
    return keys


def pollution_category(key: str) -> str:
    for category, (_label, kinds) in POLLUTION_TYPES.items():
        if key == category or key in dict(kinds):
            return category
    return "other"


def parse_pollution(text: str) -> str:
    """A pollution type from its key or its label in Chinese or English ('噪声', 'construction noise')."""
    from envdesk.i18n import gettext_for

    wanted = text.strip()
    for key in pollution_keys():
        label = pollution_msgid(key)
        if wanted.casefold() in (key, label.casefold()) or wanted == gettext_for("zh_CN", label):
            return key
    raise ValueError(_("“{value}” is not a pollution type").format(value=wanted))


def pollution_msgid(key: str) -> str:
    """The N_-marked label of a category or kind (documents translate it for their own language)."""
    for category, (label, kinds) in POLLUTION_TYPES.items():
        if key == category:
            return label
        for kind, kind_label in kinds:
            if key == kind:
                return kind_label
    return key


class Status(Labelled):
    REGISTERED = "registered", N_("Registered")
    ACCEPTED = "accepted", N_("Accepted")
    NOT_ACCEPTED = "not_accepted", N_("Not accepted")
    TRANSFERRED = "transferred", N_("Transferred")
    ASSIGNED = "assigned", N_("Assigned")
    REPLIED = "replied", N_("Replied")
    FOLLOWED_UP = "followed_up", N_("Followed up")
    CLOSED = "closed", N_("Case closed")

    @property
    def is_open(self) -> bool:
        return self not in (Status.NOT_ACCEPTED, Status.TRANSFERRED, Status.CLOSED)


class Decision(Labelled):
    ACCEPT = "accept", N_("Accept")
    NOT_ACCEPT = "not_accept", N_("Do not accept")
    TRANSFER = "transfer", N_("Transfer to another body")


class HandlingKind(Labelled):
    SITE_INSPECTION = "site_inspection", N_("Site inspection")
    MONITORING = "monitoring", N_("Monitoring")
    ENFORCEMENT = "enforcement", N_("Enforcement action")
    MEDIATION = "mediation", N_("Mediation")
    OTHER = "other", N_("Other")


class FollowUpMethod(Labelled):
    PHONE = "phone", N_("Phone")
    VISIT = "visit", N_("Visit")
    SMS = "sms", N_("Text message")
    LETTER = "letter", N_("Letter")


class Satisfaction(Labelled):
    SATISFIED = "satisfied", N_("Satisfied")
    BASICALLY = "basically", N_("Basically satisfied")
    DISSATISFIED = "dissatisfied", N_("Dissatisfied")


# What each status allows next; the use cases refuse anything else with this list in the message.
NEXT: dict[Status, tuple[str, ...]] = {
    Status.REGISTERED: ("decide",),
    Status.ACCEPTED: ("assign",),
    Status.ASSIGNED: ("handle", "extend", "reply", "assign"),
    Status.REPLIED: ("follow_up", "review"),
    Status.FOLLOWED_UP: ("close", "reopen", "review"),
    Status.CLOSED: ("review",),
    Status.NOT_ACCEPTED: (),
    Status.TRANSFERRED: (),
}


# --- confidentiality (信访工作条例 art. 30) ----------------------------------------------------

def mask_name(name: str) -> str:
    """张伟 → 张*, 欧阳娜娜 → 欧***: only the first character is shown."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


_DIGITS = re.compile(r"\d")


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678; other numbers keep their first 3 and last 2 digits."""
    digits = _DIGITS.findall(phone)
    if len(digits) >= 11:
        return "".join(digits[:3]) + "****" + "".join(digits[-4:])
    if len(digits) >= 6:
        return "".join(digits[:3]) + "*" * (len(digits) - 5) + "".join(digits[-2:])
    return "*" * len(digits)


def mask_address(address: str) -> str:
    """Keep the place up to the town or street; hide the rest (number, building, flat)."""
    address = address.strip()
    for marker in ("街道", "镇", "乡", "路", "街", "村"):
        index = address.find(marker)
        if 0 <= index < len(address) - 1:
            return address[: index + len(marker)] + "***"
    return address[: max(len(address) // 3, 1)] + "***" if address else ""


# --- numbers ------------------------------------------------------------------------------------

def format_number(pattern: str, year: int, seq: int) -> str:
    return pattern.format(year=year, seq=seq)


def number_sequence(pattern: str, year: int, number: str) -> int | None:
    """The sequence number inside a complaint number made by `pattern` ('青环信〔2026〕012号' → 12)."""
    head, _sep, tail = pattern.partition("{seq")
    tail = tail.partition("}")[2]
    prefix, suffix = head.format(year=year), tail.format(year=year)
    if not number.startswith(prefix) or not number.endswith(suffix):
        return None
    middle = number[len(prefix):len(number) - len(suffix)] if suffix else number[len(prefix):]
    return int(middle) if middle.isdigit() else None


def number_prefix(pattern: str, year: int) -> str:
    """What every number of a year starts with ('XF-2026-'), to find the last one used."""
    return pattern.split("{seq", 1)[0].format(year=year)


# --- search -------------------------------------------------------------------------------------

# Latin letters and digits make words of their own, even inside Chinese text ("金嗓子KTV" → 金嗓子, ktv).
_WORD = re.compile(r"[0-9a-z]+|[^\W0-9a-z_]+")


def bigrams(text: str) -> str:
    """The text as overlapping two-character tokens, for a full-text index that finds 2-character Chinese
    words (噪声, 油烟) as well as longer ones: '偷排废水' → '偷排 排废 废水'. Latin words and numbers stay whole."""
    tokens: list[str] = []
    for run in _WORD.findall(text.lower()):
        if run.isascii():
            tokens.append(run)
        elif len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
    return " ".join(tokens)


def query_bigrams(query: str) -> list[list[str]]:
    """A typed query as phrases of bigrams: each phrase must appear in order (one per word typed)."""
    return [bigrams(word).split() for word in query.split() if bigrams(word)]


# --- repeat complaints --------------------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    """An earlier complaint that may be the same matter, and why it was suggested."""

    complaint_id: int
    number: str
    received: date
    score: float
    reasons: tuple[str, ...]


def similarity(a: str, b: str) -> float:
    """Share of bigrams two texts have in common (Dice coefficient), 0..1."""
    left, right = set(bigrams(a).split()), set(bigrams(b).split())
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))


def same_phone(a: str, b: str) -> bool:
    digits_a, digits_b = "".join(_DIGITS.findall(a)), "".join(_DIGITS.findall(b))
    return len(digits_a) >= 7 and digits_a == digits_b


def reasons_text(reasons: Iterable[str]) -> str:
    return "、".join(reasons)
