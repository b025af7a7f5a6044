"""Reference data every register shares, as plain values: the bureau, departments, staff, towns."""

from __future__ import annotations

from dataclasses import dataclass

from envdesk.i18n import N_


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


TOWN_KINDS = {
    "town": N_("Town"),
    "township": N_("Township"),
    "subdistrict": N_("Subdistrict"),
    "park": N_("Industrial park"),
}


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
