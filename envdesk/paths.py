"""The one place that knows EnvDesk's data, config, log and resource directories."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "EnvDesk"
_PACKAGE_DIR = Path(__file__).resolve().parent
_SOURCE_ROOT = _PACKAGE_DIR.parent


def home_override() -> Path | None:
    """ENVDESK_HOME, when set, holds data, config and logs (tests, portable installs)."""
    value = os.environ.get("ENVDESK_HOME")
    return Path(value).expanduser().resolve() if value else None


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _private(path: Path) -> Path:
    """A directory only its owner may enter (the data directory holds complainants' identities and materials)."""
    _ensure(path)
    make_private(path)
    return path


def make_private(path: Path) -> None:
    """Owner-only permissions (0700 for a directory, 0600 for a file) where the OS has them. On Windows the data
    directory is under the user's profile, which only that user (and administrators) can read."""
    if os.name != "posix":
        return
    try:
        path.chmod(0o700 if path.is_dir() else 0o600)
    except OSError:
        pass  # not ours to change (a shared mount): the directory's own rights apply


def private_dir(path: Path) -> Path:
    """`path` created (with its parents) and kept owner-only: attachments, scans, backups."""
    return _private(path)


def data_dir() -> Path:
    home = home_override()
    if home is not None:
        return _private(home / "data")
    return _private(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)))


def config_dir() -> Path:
    home = home_override()
    if home is not None:
        return _ensure(home / "config")
    return _ensure(Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)))


def log_dir() -> Path:
    home = home_override()
    if home is not None:
        return _ensure(home / "logs")
    return _ensure(Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)))


def backup_dir() -> Path:
    return _private(data_dir() / "backups")


def default_database_path() -> Path:
    return data_dir() / "envdesk.sqlite3"


def _resource_roots() -> list[Path]:
    roots = []
    bundle = getattr(sys, "_MEIPASS", None)  # PyInstaller one-folder bundle
    if bundle:
        roots.append(Path(bundle) / "envdesk")
    roots.append(_PACKAGE_DIR)  # installed wheel: envdesk/resources, envdesk/translations
    roots.append(_SOURCE_ROOT)  # source tree: resources/, translations/
    return roots


def _find(kind: str, *parts: str) -> Path:
    for root in _resource_roots():
        candidate = root.joinpath(kind, *parts)
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"EnvDesk resource not found: {kind}/{'/'.join(parts)}")


def resource_path(*parts: str) -> Path:
    """A file under resources/ in the source tree, the installed wheel or a frozen bundle."""
    return _find("resources", *parts)


def translations_dir() -> Path:
    """The directory holding <locale>/LC_MESSAGES/envdesk.mo (and, in a source tree, .po)."""
    return _find("translations")
