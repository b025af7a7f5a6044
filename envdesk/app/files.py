"""Files staff attach (a complaint's photos and documents, a signed letter's scan): checked by content, not only
by name, before anything is read whole; kept once under their SHA-256 in the data directory, owner-only, and
never half-written (a copy cut short by a full disk or a kill leaves only a `.part` file, and no record)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from envdesk import paths
from envdesk.app.errors import ValidationError
from envdesk.i18n import _

_HEAD = 4096
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Kept:
    name: str     # as the user's file was called
    size: int
    sha256: str
    path: Path    # where EnvDesk keeps it


def check(source: Path, field: str, kinds: Mapping[str, tuple[bytes, ...]], limit_mb: int, what: str) -> int:
    """The file's size, once its kind (by name and by its first bytes), size and readability are right; each
    refusal names the field and the file. `kinds`: suffix -> the first bytes a real file of that kind starts
    with (empty: a text file, which holds no NUL byte)."""
    suffix = source.suffix.lower()
    if suffix not in kinds:
        raise ValidationError(field, _("{file}: {what}").format(file=source.name, what=what))
    try:
        size = source.stat().st_size
        if not source.is_file():
            raise ValidationError(field, _("{file} is not a file").format(file=source.name))
        with source.open("rb") as stream:
            head = stream.read(_HEAD)
    except OSError as error:
        raise ValidationError(field, _("{file} cannot be read: {reason}").format(
            file=source.name, reason=error.strerror or error)) from None
    if size == 0:
        raise ValidationError(field, _("{file} is empty").format(file=source.name))
    if size > limit_mb * 1024 * 1024:
        raise ValidationError(field, _("{file} is larger than {n} MB").format(file=source.name, n=limit_mb))
    signatures = kinds[suffix]
    real = (b"\x00" not in head) if not any(signatures) else any(head.startswith(s) for s in signatures if s)
    if not real:
        raise ValidationError(field, _("{file} is not really a {kind} file").format(
            file=source.name, kind=suffix.lstrip(".").upper()))
    return size


def keep(source: Path, field: str, folder: Path, named: Callable[[str], Path]) -> Kept:
    """Copy a checked file into `folder` under `named(sha256)`, hashing as it is copied (read once)."""
    paths.private_dir(folder)
    partial = folder / f".{os.getpid()}-{source.name[:60]}.part"
    digest = hashlib.sha256()
    size = 0
    try:
        with source.open("rb") as reader, partial.open("wb") as writer:
            paths.make_private(partial)
            for chunk in iter(lambda: reader.read(_CHUNK), b""):
                digest.update(chunk)
                writer.write(chunk)
                size += len(chunk)
            writer.flush()
            os.fsync(writer.fileno())
        target = named(digest.hexdigest())
        paths.private_dir(target.parent)
        if target.exists():
            partial.unlink()
        else:
            partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise ValidationError(field, _("{file} could not be copied into {folder}: {reason}").format(
            file=source.name, folder=folder, reason=error.strerror or error)) from None
    return Kept(source.name[:255], size, digest.hexdigest(), target)
