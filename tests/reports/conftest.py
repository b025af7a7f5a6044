"""Report test fixtures: sample bureau and rules, a stand-in Chinese catalog."""

from __future__ import annotations

import gettext
import io

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from envdesk import i18n
from envdesk.domain.deadlines import Rule
from envdesk.domain.reference import Bureau
from envdesk.settings import RULES

# The real catalogs are filled by translators; these few entries let tests see Chinese labels.
CHINESE = {
    "Public Service Commitment Letter": "公开承诺书",
    "Page {page} of {pages}": "第 {page} 页 共 {pages} 页",
    "Same day": "当日办结",
    "No.": "序号",
    "Date received": "受理日期",
    "Project": "项目名称",
    "(Seal)": "（盖章）",
}
CHINESE_PLURALS = {
    ("{count} working day", "{count} working days"): "{count} 个工作日",
    ("{count} calendar day", "{count} calendar days"): "{count} 日",
}


@pytest.fixture
def bureau() -> Bureau:
    return Bureau("青溪县生态环境局", "Qingxi County Ecology and Environment Bureau", "青溪县")


@pytest.fixture
def rules() -> list[Rule]:
    """The deadline rules with their default settings, as the app would read them."""
    return [Rule(key=prefix, name=rule.name, limit=rule.limit.default, unit=rule.unit.default,
                 basis=rule.basis.default) for prefix, rule in RULES.items()]


@pytest.fixture
def chinese(monkeypatch):
    """Chinese translations for a few report messages, in place of the zh_CN catalog."""
    catalog = Catalog(locale="zh_CN")
    for msgid, text in CHINESE.items():
        catalog.add(msgid, text)
    for msgids, text in CHINESE_PLURALS.items():
        catalog.add(msgids, (text,))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    monkeypatch.setitem(i18n._cache, "zh_CN", gettext.GNUTranslations(buffer))
