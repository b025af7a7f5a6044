"""Files printouts go to: names safe on every system, and writes that never leave half a file."""

# No ReportLab here: the GUI saves a previewed PDF with these too, and the GUI may not import ReportLab.

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
# Names Windows refuses for a file, whatever the extension.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_MAX_STEM = 120


def safe_file_name(name: str) -> str:
    """A document's suggested name made safe on Windows and Linux alike, ending in .pdf."""
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    stem = _UNSAFE.sub("_", stem).strip().rstrip(".")[:_MAX_STEM].strip() or "document"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"_{stem}"
    return f"{stem}.pdf"


def write_atomically(path: str | os.PathLike[str], produce: Callable[[BinaryIO], object]) -> Path:
    """Let `produce` write a file in a temporary file beside `path`, then rename it into place, so a
    failure, a Cancel or a crash halfway never leaves a truncated file (nor replaces a good one)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.stem[:40]}-", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            produce(out)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
