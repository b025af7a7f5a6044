"""Documents printed and registers exported or imported: each is one audit entry, with what and for whom.

The GUI and the CLI call these once a document or a file has really been produced (a print or a save
from the preview, a PDF written, a spreadsheet written, an import committed).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from envdesk.app import audit
from envdesk.app.access import can, requires
from envdesk.app.workspace import Workspace
from envdesk.domain.users import Permission
from envdesk.i18n import N_

IDENTITY_INCLUDED = N_("complainants' identities included")
_LISTED = 50


def _file(path: str | Path | None) -> str:
    return Path(path).name if path else ""


@requires(Permission.VIEW)
def printed(ws: Workspace, document: str, records: Sequence[tuple[str, int, str]] = (), file: str | Path | None = None,
            language: str = "") -> None:
    """`document` names the document (its command name: registration-form, letters…); `records` are
    (entity, id, label) of what it shows. Whether identities could be on it follows from the user's permission,
    and the entry says so."""
    identity = can(ws, Permission.COMPLAINANT_IDENTITY) and any(entity == "complaint" for entity, *_r in records)
    facts: dict[str, list] = {"document": [None, document]}
    if language:
        facts["language"] = [None, language]
    if file:
        facts["file"] = [None, _file(file)]
    if len(records) == 1:
        entity, record_id, label = records[0]
    else:
        entity, record_id, label = (records[0][0] if records else ""), None, ""
        facts["records"] = [None, len(records)]
        if records:
            listed = [label for _entity, _id, label in records[:_LISTED]]
            facts["listed"] = [None, ", ".join(listed) + (" …" if len(records) > _LISTED else "")]
    audit.log(ws, "print", entity=entity, record_id=record_id, label=label,
              detail=IDENTITY_INCLUDED if identity else "", changes=facts)


@requires(Permission.VIEW)
def exported(ws: Workspace, register: str, file: str | Path | None, count: int, identity: bool = False) -> None:
    """A register written to a spreadsheet; `identity` when complainants' identities were included."""
    audit.log(ws, "export", entity=register, label=_file(file), detail=IDENTITY_INCLUDED if identity else "",
              changes={"rows": [None, count]})


@requires(Permission.VIEW)
def imported(ws: Workspace, register: str, file: str | Path | None, count: int) -> None:
    """A file imported into a register (each record the import made is audited on its own too)."""
    audit.log(ws, "import", entity=register, label=_file(file), changes={"rows": [None, count]})
