"""The 2021 EIA classification directory (生态环境部令第16号): its numbered project categories, loaded and parsed.

The shipped resources/data/eia_categories_2021.json holds the directory's second level: the running item
numbers (1 to 173) with their project-category names in Chinese and English, grouped under the first-level
industry categories (一、农业 01 … 五十五、核与辐射). Environmental-assessment levels and their conditions are
not part of it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from envdesk import paths
from envdesk.i18n import _, normalize_language

RESOURCE = ("data", "eia_categories_2021.json")
# "12", "12 name", and the directory's own "12、name" or "12. name".
_NUMBERED = re.compile(r"(\d+)(?:\s*[、.,:;]\s*|\s+|$)(.*)", re.DOTALL)
_CODE = re.compile(r"(?<=\D)\d{3,4}(?=\D|$)")  # the GB/T 4754 codes quoted after the names


@dataclass(frozen=True)
class Category:
    """One numbered project category (项目类别) of the directory and the industry category it sits under."""

    number: int
    name_zh: str
    name_en: str
    group_code: str  # the GB/T 4754 division ("01", "26"); "" for groups without one (社会事业与服务业 …)
    group_zh: str
    group_en: str

    def name(self, language: str) -> str:
        """The name in a document language: zh_CN, en, or bilingual (Chinese then English)."""
        if language == "bilingual":
            return f"{self.name_zh} {self.name_en}"
        return self.name_en if normalize_language(language) == "en" else self.name_zh

    def group(self, language: str) -> str:
        if language == "bilingual":
            return f"{self.group_zh} {self.group_en}"
        return self.group_en if normalize_language(language) == "en" else self.group_zh

    def label(self, language: str) -> str:
        """'53 塑料制品业292' or '53 Plastic products (292)': the directory's number, then the name."""
        return f"{self.number} {self.name(language)}"


def _key(text: str) -> str:
    """Full-width forms, case and runs of spaces do not tell names apart."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@cache
def categories() -> tuple[Category, ...]:
    """Every numbered category of the shipped directory, in number order."""
    path = paths.resource_path(*RESOURCE)
    document = json.loads(path.read_text(encoding="utf-8"))
    found = [
        Category(int(item["number"]), item["name_zh"], item["name_en"], group["code"], group["name_zh"],
                 group["name_en"])
        for group in document["categories"]
        for item in group["items"]
    ]
    return tuple(sorted(found, key=lambda category: category.number))


@cache
def _by_number() -> dict[int, Category]:
    return {category.number: category for category in categories()}


@cache
def _by_name() -> dict[str, Category]:
    """Each Chinese and English name; also the Chinese name without its industry codes, where that is unique."""
    names: dict[str, Category] = {}
    for category in categories():
        names[_key(category.name_zh)] = category
        names[_key(category.name_en)] = category
    bare: dict[str, list[Category]] = {}
    for category in categories():
        bare.setdefault(_key(_CODE.sub("", category.name_zh)), []).append(category)
    for key, found in bare.items():
        if len(found) == 1:
            names.setdefault(key, found[0])
    return names


def category(number: int) -> Category:
    """The category with this item number; a ValueError that names the number if the directory has none."""
    found = _by_number().get(number)
    if found is None:
        raise ValueError(
            _("{number} is not an item of the 2021 EIA classification directory.").format(number=number))
    return found


def parse_category(text: str) -> Category:
    """A category from what people type or paste: '53', '53 塑料制品业292', '53、塑料制品业292', the Chinese name
    (with or without its industry codes) or the English name, in any case."""
    wanted = _key(str(text))
    numbered = _NUMBERED.fullmatch(wanted)
    if numbered:
        found = _by_number().get(int(numbered.group(1)))
        name = numbered.group(2).strip()
        if found is not None and (not name or _by_name().get(name) is found):
            return found
    else:
        found = _by_name().get(wanted)
        if found is not None:
            return found
    raise ValueError(_("“{value}” is not an item of the 2021 EIA classification directory.").format(
        value=str(text).strip()))
