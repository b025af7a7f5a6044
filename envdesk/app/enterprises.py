"""Enterprises: the master data twinning, complaints and approvals share. Validated credit codes, no duplicates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from envdesk.app import changes
from envdesk.app.access import requires
from envdesk.app.errors import AppError, ValidationError
from envdesk.app.reference import ImportRows, ImportSummary, _load, _optional, _required
from envdesk.app.validation import contains, starts_with
from envdesk.app.workspace import Workspace
from envdesk.domain.credit_code import check_credit_code
from envdesk.domain.importing import RowProblem, RowsRejected
from envdesk.domain.twinning import EnterpriseType, Scale
from envdesk.domain.users import Permission
from envdesk.i18n import _
from envdesk.store.models import TownRow
from envdesk.store.twinning import EnterpriseRow

ENTERPRISE = changes.ENTERPRISE


class DuplicateName(AppError):
    """Another enterprise already has this name: the user should check it is not the same one (merge check)."""

    def __init__(self, name: str, others: Sequence[Enterprise]) -> None:
        codes = "、".join(o.credit_code or _("no credit code") for o in others)
        super().__init__(_("An enterprise named “{name}” is already registered ({codes}). Is it the same "
                           "enterprise? Open that one instead, or save this one as a different enterprise.")
                         .format(name=name, codes=codes))
        self.others = tuple(others)


@dataclass(frozen=True)
class EnterpriseInput:
    """What a user types about an enterprise."""

    name_zh: str
    name_en: str = ""
    credit_code: str = ""
    town_id: int | None = None
    address: str = ""
    industry: str = ""
    scale: str = ""
    types: tuple[str, ...] = ()
    contact_person: str = ""
    contact_phone: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Enterprise(EnterpriseInput):
    """A registered enterprise: what was typed, plus its id, its town's name and its version."""

    id: int = 0
    town_name: str = ""
    version: int = 1

    def name(self, language: str) -> str:
        return (self.name_en or self.name_zh) if language == "en" else self.name_zh


def to_value(row: EnterpriseRow) -> Enterprise:
    return Enterprise(id=row.id, name_zh=row.name_zh, name_en=row.name_en, credit_code=row.credit_code or "",
                      town_id=row.town_id, town_name=row.town.name_zh if row.town else "", address=row.address,
                      industry=row.industry, scale=row.scale, types=tuple(row.types or ()),
                      contact_person=row.contact_person, contact_phone=row.contact_phone, notes=row.notes,
                      version=row.version)


def _FIELD_KEYS() -> dict[str, str]:  # noqa: N802 - a table, built in the current language
    """The label a validation error names -> the spreadsheet column key, so an import error names its column."""
    return {_("Enterprise name"): "name_zh", _("English name"): "name_en", _("Address"): "address",
            _("Industry"): "industry", _("Contact person"): "contact_person", _("Contact phone"): "contact_phone",
            _("Notes"): "notes", _("Credit code"): "credit_code", _("Scale"): "scale", _("Type"): "types"}


def _validated(data: EnterpriseInput) -> dict[str, Any]:
    fields = {
        "name_zh": _required(data.name_zh, _("Enterprise name"), 200),
        "name_en": _optional(data.name_en, _("English name"), 300),
        "address": _optional(data.address, _("Address"), 300),
        "industry": _optional(data.industry, _("Industry"), 100),
        "contact_person": _optional(data.contact_person, _("Contact person"), 50),
        "contact_phone": _optional(data.contact_phone, _("Contact phone"), 50),
        "notes": _optional(data.notes, _("Notes"), 4000),
        "town_id": data.town_id,
    }
    code = (data.credit_code or "").strip()
    if code:
        check = check_credit_code(code)
        if not check.valid:
            raise ValidationError(_("Credit code"), check.errors[0])
        fields["credit_code"] = check.code
    else:
        fields["credit_code"] = None
    if data.scale:
        try:
            fields["scale"] = Scale.parse(data.scale).value
        except ValueError as error:
            raise ValidationError(_("Scale"), str(error)) from None
    else:
        fields["scale"] = ""
    try:
        fields["types"] = sorted({EnterpriseType.parse(t).value for t in data.types})
    except ValueError as error:
        raise ValidationError(_("Type"), str(error)) from None
    return fields


@requires(Permission.ENTERPRISES_EDIT)
def save_enterprise(ws: Workspace, enterprise_id: int | None, data: EnterpriseInput, *,
                    expected_version: int | None = None,
                    allow_duplicate_name: bool = False) -> tuple[Enterprise, changes.Changes]:
    fields = _validated(data)
    with ws.transaction() as session:
        if fields["town_id"] is not None and session.get(TownRow, fields["town_id"]) is None:
            raise ValidationError(_("Town"), _("does not exist"))
        if fields["credit_code"]:
            other = session.scalars(select(EnterpriseRow).where(EnterpriseRow.credit_code == fields["credit_code"],
                                                               EnterpriseRow.id != (enterprise_id or -1))).first()
            if other is not None:
                raise ValidationError(_("Credit code"), _("{code} is already registered for “{name}”").format(
                    code=fields["credit_code"], name=other.name_zh))
        if not allow_duplicate_name:
            others = session.scalars(select(EnterpriseRow).where(EnterpriseRow.name_zh == fields["name_zh"],
                                                                EnterpriseRow.id != (enterprise_id or -1))).all()
            if others:
                raise DuplicateName(fields["name_zh"], [to_value(o) for o in others])
        if enterprise_id is None:
            row = EnterpriseRow(**fields)
            session.add(row)
        else:
            row = _load(session, EnterpriseRow, enterprise_id, expected_version, _("The enterprise"))
            for name, value in fields.items():
                setattr(row, name, value)
        session.flush()
        session.refresh(row)  # the town relationship follows a changed town_id
        value = to_value(row)
    return value, changes.Changes.of(ENTERPRISE)


@requires(Permission.VIEW)
def get_enterprise(ws: Workspace, enterprise_id: int) -> Enterprise:
    with ws.reading() as session:
        row = session.get(EnterpriseRow, enterprise_id)
        if row is None:
            from envdesk.app.errors import NotFound

            raise NotFound(_("The enterprise no longer exists."))
        return to_value(row)


@requires(Permission.VIEW)
def find_enterprise(ws: Workspace, code_or_name: str) -> Enterprise | None:
    """By credit code (any case, full-width) or exact name; None when nothing or several match by name."""
    text = code_or_name.strip()
    with ws.reading() as session:
        check = check_credit_code(text)
        if check.valid:
            row = session.scalars(select(EnterpriseRow).where(EnterpriseRow.credit_code == check.code)).first()
            if row is not None:
                return to_value(row)
        rows = session.scalars(select(EnterpriseRow).where(EnterpriseRow.name_zh == text).limit(2)).all()
        return to_value(rows[0]) if len(rows) == 1 else None


def _search_query(text: str = "", town_id: int | None = None):
    query = select(EnterpriseRow)
    text = text.strip()
    if text:
        pattern = contains(text)
        # ilike: "hongda" finds "Qingxi Hongda…" on PostgreSQL too (SQLite's LIKE ignores ASCII case anyway).
        query = query.where(or_(EnterpriseRow.name_zh.like(pattern, escape="\\"),
                                EnterpriseRow.name_en.ilike(pattern, escape="\\"),
                                EnterpriseRow.credit_code.like(starts_with(text.upper()), escape="\\")))
    if town_id is not None:
        query = query.where(EnterpriseRow.town_id == town_id)
    return query


@requires(Permission.VIEW)
def search_enterprises(ws: Workspace, text: str = "", town_id: int | None = None, offset: int = 0,
                       limit: int = 100) -> list[Enterprise]:
    """A page of enterprises matching name, English name or code prefix, and town; filtered in SQL."""
    with ws.reading() as session:
        query = _search_query(text, town_id).order_by(EnterpriseRow.name_zh, EnterpriseRow.id)
        return [to_value(row) for row in session.scalars(query.offset(offset).limit(limit))]


@requires(Permission.VIEW)
def count_enterprises(ws: Workspace, text: str = "", town_id: int | None = None) -> int:
    with ws.reading() as session:
        return session.scalar(select(func.count()).select_from(_search_query(text, town_id).subquery()))


# --- import and export --------------------------------------------------------------------------

@requires(Permission.ENTERPRISES_EDIT)
def import_enterprises(ws: Workspace, rows: ImportRows, check_only: bool = False) -> ImportSummary:
    """Create or update enterprises, matched by credit code (or by name when the row has none); all or nothing."""
    problems: list[RowProblem] = []
    with ws.transaction() as session:
        towns = {t.name_zh: t.id for t in session.scalars(select(TownRow))}
        by_code = {e.credit_code: e for e in session.scalars(select(EnterpriseRow)) if e.credit_code}
        by_name: dict[str, list[EnterpriseRow]] = {}
        for e in by_code.values():
            by_name.setdefault(e.name_zh, []).append(e)
        for e in session.scalars(select(EnterpriseRow).where(EnterpriseRow.credit_code.is_(None))):
            by_name.setdefault(e.name_zh, []).append(e)
        seen: dict[str, int] = {}
        prepared: list[tuple[EnterpriseRow | None, dict[str, Any]]] = []
        for number, values in rows:
            town = (values.get("town") or "").strip()
            if town and town not in towns:
                problems.append(RowProblem(number, "town", town, _("No such town; add it in Settings → Towns first")))
            data = EnterpriseInput(
                name_zh=values.get("name_zh") or "", name_en=values.get("name_en") or "",
                credit_code=values.get("credit_code") or "", town_id=towns.get(town),
                address=values.get("address") or "", industry=values.get("industry") or "",
                scale=values.get("scale") or "", types=tuple(values.get("types") or ()),
                contact_person=values.get("contact_person") or "", contact_phone=str(values.get("contact_phone") or ""),
                notes=values.get("notes") or "")
            try:
                fields = _validated(data)
            except ValidationError as error:
                key = _FIELD_KEYS().get(error.field, "name_zh")
                problems.append(RowProblem(number, key, values.get(key), error.reason))
                continue
            identity = fields["credit_code"] or fields["name_zh"]
            if identity in seen:
                problems.append(RowProblem(number, "credit_code" if fields["credit_code"] else "name_zh", identity,
                                           _("appears twice in the file (also row {row})").format(row=seen[identity])))
                continue
            seen[identity] = number
            existing = by_code.get(fields["credit_code"]) if fields["credit_code"] else None
            if existing is None and not fields["credit_code"]:
                namesakes = by_name.get(fields["name_zh"], [])
                existing = namesakes[0] if len(namesakes) == 1 else None
            prepared.append((existing, fields))
        if problems:
            raise RowsRejected(problems)
        if check_only:
            return ImportSummary(0, 0, changes.Changes())
        created = updated = 0
        for existing, fields in prepared:
            if existing is None:
                session.add(EnterpriseRow(**fields))
                created += 1
            else:
                for name, value in fields.items():
                    if value not in (None, "", []) or name == "town_id" and value is not None:
                        setattr(existing, name, value)
                updated += 1
    return ImportSummary(created, updated, changes.Changes.of(ENTERPRISE))


@requires(Permission.VIEW)
def enterprise_rows(ws: Workspace, language: str = "zh_CN") -> list[dict[str, Any]]:
    from envdesk.i18n import gettext_for

    lang = "zh_CN" if language == "bilingual" else language
    with ws.reading() as session:
        rows = session.scalars(select(EnterpriseRow).order_by(EnterpriseRow.name_zh, EnterpriseRow.id))
        return [{
            "name_zh": e.name_zh, "name_en": e.name_en, "credit_code": e.credit_code or "",
            "town": e.town.name_zh if e.town else "", "address": e.address, "industry": e.industry,
            "scale": gettext_for(lang, Scale(e.scale).msgid) if e.scale else "",
            "types": tuple(gettext_for(lang, EnterpriseType(t).msgid) for t in e.types or ()),
            "contact_person": e.contact_person, "contact_phone": e.contact_phone, "notes": e.notes,
        } for e in rows]
