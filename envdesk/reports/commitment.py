"""The bureau's public service commitment letter (公开承诺书): its time limits, as the settings hold them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from gettext import NullTranslations
from typing import TYPE_CHECKING

from envdesk.domain.reference import Bureau
from envdesk.i18n import N_, gettext_for, translations
from envdesk.reports.engine import Column, DocumentSpec, Writer, fill, in_each, render, texts

if TYPE_CHECKING:
    from envdesk.domain.deadlines import Rule

TITLE = N_("Public Service Commitment Letter")
SUBJECT = N_("Time limits and service promises for environmental impact assessment approvals and complaints")
PREAMBLE = N_(
    "To improve the business environment and serve enterprises and the public efficiently, {bureau} makes "
    "the following public commitments on the time limits and the conduct of its services, and accepts "
    "the supervision of society."
)
APPROVALS = N_("I. Environmental impact assessment approvals")
APPROVALS_NOTE = N_(
    "Time limits run from the day after an application is accepted. Time needed for expert review, "
    "hearings, testing and public notice is not counted; the applicant is told of it in writing."
)
COMPLAINTS = N_("II. Environmental complaints")
OTHER = N_("Other time limits")
ROLL_FORWARD_NOTE = N_("A limit in calendar days that ends on a rest day ends on the next working day.")
CONDUCT = N_("III. How we serve")
CONDUCT_ITEMS = (
    N_("First-inquiry responsibility: the member of staff you ask first answers you or takes you to the "
       "person who can; nobody is sent away."),
    N_("One-time notification: if materials are missing, we tell you everything that is missing at once, "
       "in writing."),
    N_("Approvals and filings are free of charge; registration forms are filed online on the day."),
    N_("The identity and materials of a complainant are kept confidential and are never passed to the "
       "person or unit complained about."),
    N_("Every matter has an outcome and every complaint an answer: we reply in writing and visit again "
       "to ask whether the problem was solved."),
    N_("Our staff are courteous and clean-handed, and accept no gifts, money or hospitality from the "
       "people they serve."),
)
SUPERVISION = N_("IV. Supervision")
SUPERVISION_TEXT = N_(
    "If we fail to keep any of these commitments, please tell us. Every report is looked into and answered."
)
PHONE = N_("Supervision telephone")
CLOSING = N_("We sincerely welcome the supervision of enterprises, the public and all sectors of society.")

NUMBER = N_("No.")
ITEM = N_("Item")
STATUTORY = N_("Statutory limit")
PROMISED = N_("Promised limit")
LIMIT = N_("Time limit")
BASIS = N_("Basis")
SAME_DAY = N_("Same day")

# Sections in print order: the settings group a rule's key starts with, and its heading.
_SECTIONS = (("approvals/", APPROVALS, APPROVALS_NOTE), ("complaints/", COMPLAINTS, None))


@dataclass(frozen=True)
class _Row:
    """One commitment: the limit promised, and the statutory limit it shortens if there is one."""

    promised: Rule
    statutory: Rule | None = None


def commitment_letter_spec(bureau: Bureau, rules: Sequence[Rule], language: str, issued: date,
                           number: str | None = None, phone: str = "") -> DocumentSpec:
    """The letter as a document to print (alone, previewed, or in a batch); `phone` is the supervision
    telephone (left as a line to fill in by hand when empty)."""
    title = texts(language, TITLE)[0]

    def write(w: Writer) -> None:
        _write(w, rules, issued, number, phone)

    file_name = f"{title} {number}.pdf" if number else f"{title}.pdf"
    return DocumentSpec(title=title, language=language, bureau=bureau, write=write,
                        subject=texts(language, SUBJECT)[0], file_name=file_name)


def commitment_letter(bureau: Bureau, rules: Sequence[Rule], language: str, issued: date,
                      number: str | None = None, phone: str = "") -> bytes:
    """The letter as PDF bytes; `rules` are the live deadline rules (limit, unit, basis) from settings."""
    return render(commitment_letter_spec(bureau, rules, language, issued, number, phone))


def _write(w: Writer, rules: Sequence[Rule], issued: date, number: str | None, phone: str) -> None:
    w.title_block(TITLE, number)
    w.paragraph(PREAMBLE, bureau=w.bureau.name)
    if any(rule.unit == "calendar_days" and rule.roll_forward for rule in rules):
        w.paragraph(ROLL_FORWARD_NOTE)
    placed: set[str] = set()
    for prefix, heading, note in _SECTIONS:
        group = [rule for rule in rules if rule.key.startswith(prefix)]
        placed.update(rule.key for rule in group)
        if group:
            _limits_section(w, heading, note, group)
    rest = [rule for rule in rules if rule.key not in placed]
    if rest:
        _limits_section(w, OTHER, None, rest)
    w.heading(CONDUCT)
    w.numbered(CONDUCT_ITEMS)
    w.heading(SUPERVISION)
    w.paragraph(SUPERVISION_TEXT)
    w.fill_in(PHONE, phone)
    w.paragraph(CLOSING)
    w.closing(issued, seal=True)


def _limits_section(w: Writer, heading: str, note: str | None, rules: Sequence[Rule]) -> None:
    w.heading(heading)
    if note:
        w.paragraph(note)
    rows = _pair(rules)
    compare = any(row.statutory is not None for row in rows)
    columns = [Column(NUMBER, 0.6, "center"), Column(ITEM, 2.3)]
    columns += [Column(STATUTORY, 1.5, "center"), Column(PROMISED, 1.5, "center")] if compare \
        else [Column(LIMIT, 1.6, "center")]
    columns.append(Column(BASIS, 2.3))
    language = w.language
    table = []
    for index, row in enumerate(rows, 1):
        limits = [_limit(row.statutory, language) if row.statutory else "—"] if compare else []
        basis = (row.statutory or row.promised).basis
        table.append([index, _each(language, row.promised.item or row.promised.name), *limits,
                      _limit(row.promised, language),
                      _each(language, basis)])
    w.ledger(columns, table)


def _pair(rules: Sequence[Rule]) -> list[_Row]:
    """Each promise beside the statutory limit it shortens ('…/promised/report_form' and
    '…/statutory/report_form'); a statutory limit with no promise is itself the commitment."""
    by_key = {rule.key: rule for rule in rules}
    shortened = {_statutory_key(rule) for rule in rules if "/promised/" in rule.key}
    rows = []
    for rule in rules:
        if "/promised/" in rule.key:
            rows.append(_Row(rule, by_key.get(_statutory_key(rule))))
        elif rule.key not in shortened:
            rows.append(_Row(rule))
    return rows


def _statutory_key(promise: Rule) -> str:
    return promise.key.replace("/promised/", "/statutory/")


def _each(language: str, msgid: str) -> str:
    """A catalog text (or an administrator's own wording) in each document language, one per line."""
    return "\n".join(in_each(language, lambda one: gettext_for(one, msgid))) if msgid else ""


def _limit(rule: Rule, language: str) -> str:
    """'7 个工作日' / '7 working days'; a limit of 0 is 'same day' (当日办结)."""
    return "\n".join(in_each(language, lambda one: _limit_in(rule, one)))


def _limit_in(rule: Rule, language: str) -> str:
    if rule.limit == 0:
        return gettext_for(language, SAME_DAY)
    amount = _AMOUNTS["working_days" if rule.unit == "working_days" else "calendar_days"]
    return fill(amount(translations(language), rule.limit), amount(NullTranslations(), rule.limit),
                {"count": str(rule.limit)})


# The same messages as Rule.describe(), so one translation serves the screen and the paper.
_AMOUNTS: dict[str, Callable[[NullTranslations, int], str]] = {
    "working_days": lambda catalog, n: catalog.ngettext("{count} working day", "{count} working days", n),
    "calendar_days": lambda catalog, n: catalog.ngettext("{count} calendar day", "{count} calendar days", n),
}
