"""Bad files offered as a complaint's attachment or a letter's signed scan: empty, a folder, huge, fake (a program
renamed as a photo, binary named as text), unknown kinds, a copy cut short by a full disk. Each is refused with
the field and the file named; nothing is kept and no record is written."""

import os
from pathlib import Path

import pytest

from envdesk.app import complaints, files
from envdesk.app import settings as settings_app
from envdesk.app.errors import ValidationError
from envdesk.app.responsibility import SCAN_LIMIT_MB, SCAN_TYPES

from test_complaints import _office, new

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SCAN_KINDS = {kind: (magic,) for kind, (magic, _media) in SCAN_TYPES.items()}


def make(tmp_path: Path, name: str, content: bytes | None = None, size: int | None = None) -> Path:
    path = tmp_path / name
    if content is None and size is None:
        path.mkdir()
        return path
    path.write_bytes(content or b"")
    if size is not None:
        os.truncate(path, size)  # sparse: a huge file without writing it
    return path


BAD = [  # name, content, size, the message
    ("empty.pdf", b"", None, "is empty"),
    ("folder.pdf", None, None, "is not a file"),
    ("huge.pdf", b"%PDF-1.7\n", 60 * 1024 * 1024 + 1, "is larger than"),
    ("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00", None, "is not really a JPG file"),
    ("scan.png", b"%PDF-1.7\n", None, "is not really a PNG file"),
    ("setup.exe", b"MZ\x90\x00", None, "{file}:"),
    ("no_suffix", PNG, None, "{file}:"),
    ("旧档案.doc", b"%PDF-1.7", None, "is not really a DOC file"),
]


@pytest.fixture
def o(ws):
    return _office(ws)


@pytest.mark.parametrize(("name", "content", "size", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_attachment_is_refused_and_nothing_is_kept(o, tmp_path, name, content, size, message):
    settings_app.set_value(o.ws, "complaints/attachment/max_mb", 50)
    c = new(o)
    source = make(tmp_path, name, content, size)
    with pytest.raises(ValidationError) as caught:
        complaints.add_attachment(o.ws, c.id, source)
    assert str(caught.value).startswith("Attachment: ")
    assert message.format(file=name) in str(caught.value) and name in str(caught.value)
    assert complaints.get_complaint(o.ws, c.id).attachments == ()
    assert not complaints.attachment_dir().exists() or not any(complaints.attachment_dir().rglob("*"))


@pytest.mark.parametrize(("name", "content", "size", "message"),
                         [b for b in BAD if not b[0].endswith((".doc", ".jpg"))], ids=lambda v: str(v)[:12])
def test_a_bad_scan_is_refused(tmp_path, name, content, size, message):
    source = make(tmp_path, name, content, size)
    with pytest.raises(ValidationError) as caught:
        files.check(source, "Signed copy", SCAN_KINDS, SCAN_LIMIT_MB, "not a PDF or an image")
    assert str(caught.value).startswith("Signed copy: ") and message.format(file=name) in str(caught.value)


def test_binary_named_as_text_is_refused_and_real_text_kept(o, tmp_path):
    c = new(o)
    with pytest.raises(ValidationError, match="is not really a TXT file"):
        complaints.add_attachment(o.ws, c.id, make(tmp_path, "笔录.txt", b"MZ\x90\x00\x03\x00\x00\x00\xff\xff"))
    note = make(tmp_path, "现场笔录.txt", "现场核查记录：工地夜间施工".encode("gb18030"))
    value, _c = complaints.add_attachment(o.ws, c.id, note)
    assert [a.file_name for a in value.attachments] == ["现场笔录.txt"]


def test_a_copy_cut_short_by_a_full_disk_leaves_nothing(o, tmp_path, monkeypatch):
    c = new(o)
    photo = make(tmp_path, "现场.png", PNG)

    def full(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(ValidationError, match="could not be copied into .*No space left on device"):
        complaints.add_attachment(o.ws, c.id, photo)
    assert complaints.get_complaint(o.ws, c.id).attachments == ()
    assert not any(p.is_file() for p in complaints.attachment_dir().rglob("*"))
    monkeypatch.undo()
    value, _c = complaints.add_attachment(o.ws, c.id, photo)
    (kept,) = value.attachments
    assert kept.size == len(PNG)
