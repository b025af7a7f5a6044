"""Writing PDFs to disk: one document or a batch, into one file or a folder, all or nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from envdesk.domain.progress import Progress
from envdesk.reports.engine import DocumentSpec, build_pdf
from envdesk.reports.files import safe_file_name, write_atomically


def write_pdf(specs: DocumentSpec | Sequence[DocumentSpec], path: str | os.PathLike[str],
              progress: Progress | None = None) -> Path:
    """Write one PDF (of one or more documents) to `path`; a failure or Cancel leaves no file."""
    batch = [specs] if isinstance(specs, DocumentSpec) else list(specs)
    return write_atomically(path, lambda out: build_pdf(batch, out, progress))


def render_batch(docs: Sequence[DocumentSpec], target: str | os.PathLike[str], *, one_file: bool,
                 progress: Progress | None = None) -> list[Path]:
    """Print many documents: into the one PDF `target` (each from a new page, numbered on its own),
    or one PDF each into the folder `target`, named after the documents. `progress` steps once per
    document; on Cancel (Cancelled is raised) no output file is left behind, not even the finished ones."""
    if not docs:
        raise ValueError("nothing to print")
    progress = progress or Progress()
    progress.start(len(docs))
    if one_file:
        return [write_pdf(docs, target, progress)]
    folder = Path(target)
    folder.mkdir(parents=True, exist_ok=True)
    names = file_names(docs)
    staging = Path(tempfile.mkdtemp(prefix=".envdesk-print-", dir=folder))
    try:
        for spec, name in zip(docs, names):
            build_pdf([spec], str(staging / name), progress)
        written = []
        for name in names:
            os.replace(staging / name, folder / name)
            written.append(folder / name)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def file_names(docs: Sequence[DocumentSpec]) -> list[str]:
    """One safe file name per document, numbered '(2)', '(3)' where they would collide."""
    seen: set[str] = set()
    names = []
    for spec in docs:
        base = safe_file_name(spec.suggested_file_name())
        name, n = base, 1
        while name.casefold() in seen:
            n += 1
            name = f"{base[:-4]} ({n}).pdf"
        seen.add(name.casefold())
        names.append(name)
    return names
