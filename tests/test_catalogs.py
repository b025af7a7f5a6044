"""The zh_CN and en catalogs are complete for every string in the source, and keep every placeholder."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "gettext_for": (2,), "bilingual": None,
            "pgettext": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _source_messages() -> set[tuple[str | None, str]]:
    """(context, message) of every marked string in the package."""
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
            str(ROOT / "envdesk"), method_map=[("**.py", "python")], keywords=KEYWORDS):
        text = message[0] if isinstance(message, tuple) else message
        if text:
            found.add((context, text))
    return found


def _catalog(locale: str):
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "envdesk.po").open("rb") as f:
        return read_po(f, locale=locale)


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_catalog_translates_every_source_string(locale):
    catalog = _catalog(locale)
    translated = {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id)
                  for m in catalog if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple)
                                                                   else [m.string])}
    missing = sorted(_source_messages() - translated, key=lambda pair: (pair[0] or "", pair[1]))
    assert not missing, f"{len(missing)} strings missing from {locale} (run `make translations`): {missing[:10]}"


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_translations_keep_placeholders(locale):
    for message in _catalog(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if string:
                assert set(PLACEHOLDER.findall(string)) == expected, (message.id, string)


def test_no_translation_hides_inside_an_f_string():
    """Babel's extractor does not look inside f-strings: a _() there would never reach the catalogs."""
    import re

    pattern = re.compile(r"""f(["'])[^"'\n]*\{\s*(_|N_|ngettext|pgettext)\(""")
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in (ROOT / "envdesk").rglob("*.py")
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line)]
    assert not offenders, offenders
