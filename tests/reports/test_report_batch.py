"""Batch printing: one PDF or a folder of PDFs, progress per document, and Cancel leaves nothing behind."""

from __future__ import annotations

from dataclasses import replace

import pytest
from report_helpers import ISSUED, needs_poppler, pdf_pages

from envdesk.domain.progress import Cancelled, Progress
from envdesk.reports import commitment_letter_spec, render_batch, write_pdf
from envdesk.reports.batch import file_names
from envdesk.reports.files import safe_file_name


@pytest.fixture
def letters(bureau, rules):
    return [commitment_letter_spec(bureau, rules, language, ISSUED, f"青环〔2026〕{n}号")
            for n, language in enumerate(("en", "zh_CN", "bilingual", "en"), 1)]


def counting() -> tuple[Progress, list[tuple[int, int, str]]]:
    seen: list[tuple[int, int, str]] = []
    return Progress(lambda done, total, text: seen.append((done, total, text))), seen


@needs_poppler
def test_one_file_holds_every_document_each_numbered_on_its_own(letters, tmp_path):
    progress, seen = counting()
    [written] = render_batch(letters, tmp_path / "all.pdf", one_file=True, progress=progress)
    assert written == tmp_path / "all.pdf"
    pages = pdf_pages(written.read_bytes())
    singles = [len(pdf_pages(render_batch([letter], tmp_path / f"{n}.pdf", one_file=True)[0].read_bytes()))
               for n, letter in enumerate(letters)]
    assert len(pages) == sum(singles)
    # Each document starts on a new page, with its own "Page 1 of N".
    starts = [i for i, page in enumerate(pages) if "青环〔2026〕" in page]
    assert len(starts) == len(letters)
    english_first = pages[starts[0]]
    assert f"Page 1 of {singles[0]}" in english_first
    assert f"Page 1 of {singles[3]}" in pages[starts[3]]
    assert seen[-1][:2] == (4, 4)


@needs_poppler
def test_folder_mode_writes_one_file_per_document(letters, tmp_path):
    progress, seen = counting()
    written = render_batch(letters, tmp_path / "out", one_file=False, progress=progress)
    assert [path.parent for path in written] == [tmp_path / "out"] * 4
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == sorted(path.name for path in written)
    assert written[0].name == "Public Service Commitment Letter 青环〔2026〕1号.pdf"
    for path in written:
        assert path.read_bytes().startswith(b"%PDF-") and pdf_pages(path.read_bytes())
    assert [done for done, _total, _text in seen][-1] == 4


def test_cancel_in_one_file_mode_leaves_no_file(letters, tmp_path):
    target = tmp_path / "all.pdf"
    progress = cancel_after(1)
    with pytest.raises(Cancelled):
        render_batch(letters, target, one_file=True, progress=progress)
    assert list(tmp_path.iterdir()) == []


def test_cancel_keeps_an_existing_file_as_it_was(letters, tmp_path):
    target = tmp_path / "all.pdf"
    target.write_bytes(b"the earlier print")
    with pytest.raises(Cancelled):
        write_pdf(letters, target, cancel_after(2))
    assert target.read_bytes() == b"the earlier print"
    assert list(tmp_path.iterdir()) == [target]


def test_cancel_in_folder_mode_leaves_no_file(letters, tmp_path):
    folder = tmp_path / "out"
    with pytest.raises(Cancelled):
        render_batch(letters, folder, one_file=False, progress=cancel_after(3))
    assert list(folder.iterdir()) == []


def test_an_error_halfway_leaves_no_file(letters, tmp_path):
    def broken(w):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        render_batch([letters[0], replace(letters[1], write=broken)], tmp_path / "out", one_file=False)
    assert list((tmp_path / "out").iterdir()) == []


def test_file_names_are_safe_and_unique(letters):
    assert safe_file_name('a/b\\c:d*e?"f<g>h|i') == "a_b_c_d_e__f_g_h_i.pdf"
    assert safe_file_name("CON") == "_CON.pdf"
    assert safe_file_name("  ...  ") == "document.pdf"
    assert safe_file_name("x" * 500).startswith("x" * 120) and len(safe_file_name("x" * 500)) == 124
    same = [letters[0], letters[0], letters[0]]
    assert file_names(same) == [
        "Public Service Commitment Letter 青环〔2026〕1号.pdf",
        "Public Service Commitment Letter 青环〔2026〕1号 (2).pdf",
        "Public Service Commitment Letter 青环〔2026〕1号 (3).pdf",
    ]


def test_nothing_to_print_is_an_error(tmp_path):
    with pytest.raises(ValueError):
        render_batch([], tmp_path / "x.pdf", one_file=True)


def cancel_after(documents: int) -> Progress:
    """A Progress whose user presses Cancel once `documents` documents have started."""
    def listener(done: int, total: int, text: str) -> None:
        if done >= documents:
            progress.cancel()

    progress = Progress(listener)
    return progress
