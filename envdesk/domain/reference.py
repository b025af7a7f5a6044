"""Reference data every register shares, as plain values: the bureau, departments, staff, towns."""

from __future__ import annotations

from dataclasses import dataclass

from envdesk.i18n import pgettext, pgettext_for


@dataclass(frozen=True)
class Bureau:
    name_zh: str
    name_en: str = ""
    county: str = ""

    def name(self, language: str) -> str:
        """The bureau's name for a document language; English falls back to the Chinese name."""
        if language == "en":
            return self.name_en or self.name_zh
        if language == "bilingual" and self.name_en:
            return f"{self.name_zh} {self.name_en}"
        return self.name_zh


@dataclass(frozen=True)
class Department:
    id: int
    name_zh: str
    name_en: str = ""
    active: bool = True
    sort_order: int = 0
    version: int = 1

    def name(self, language: str) -> str:
        return self.name_en or self.name_zh if language == "en" else self.name_zh


@dataclass(frozen=True)
class Staff:
    id: int
    name: str
    department_id: int | None = None
    department_name: str = ""
    title: str = ""
    phone: str = ""
    is_leader: bool = False
    active: bool = True
    version: int = 1


TOWN_KINDS = ("town", "township", "subdistrict", "park")


def _kind_labels(pgettext) -> dict[str, str]:
    # The parameter is named pgettext so that extraction finds these messages with their context:
    # "Town" here is the kind 镇, while the column "Town" means any 乡镇.
    return {
        "town": pgettext("town kind", "Town"),
        "township": pgettext("town kind", "Township"),
        "subdistrict": pgettext("town kind", "Subdistrict"),
        "park": pgettext("town kind", "Industrial park"),
    }


def town_kind_label(kind: str, language: str | None = None) -> str:
    """镇 / 乡 / 街道 / 工业园区 in the interface language, or in a document language."""
    getter = pgettext if language is None else (lambda context, message: pgettext_for(language, context, message))
    return _kind_labels(getter).get(kind, kind)


@dataclass(frozen=True)
class Town:
    id: int
    name_zh: str
    name_en: str = ""
    kind: str = "town"
    active: bool = True
    sort_order: int = 0
    version: int = 1

    def name(self, language: str) -> str:
        return self.name_en or self.name_zh if language == "en" else self.name_zh
