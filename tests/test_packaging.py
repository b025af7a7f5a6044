"""The wheel carries everything: installed (not editable) in a fresh venv and run elsewhere, it works."""

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
                   check=True)
    (path,) = out.glob("envdesk-*.whl")
    return path


def test_wheel_holds_resources_catalogs_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("envdesk/resources/fonts/DroidSansFallbackFull.ttf",
                     "envdesk/resources/calendar/cn_workdays.json",
                     "envdesk/translations/zh_CN/LC_MESSAGES/envdesk.mo",
                     "envdesk/translations/en/LC_MESSAGES/envdesk.mo",
                     "envdesk/store/migrations/env.py",
                     "envdesk/store/migrations/versions/0001_reference_data.py"):
        assert required in names, required


def test_installed_wheel_runs_from_another_directory(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "ENVDESK_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": ""}
    version = subprocess.run([str(bin_dir / "envdesk"), "--version"], cwd=elsewhere, env=env,
                             capture_output=True, text=True, check=True)
    assert version.stdout.startswith("EnvDesk ")
    shot = subprocess.run([str(bin_dir / "envdesk"), "screenshot", "--lang", "zh_CN", "-o", "x.png"],
                          cwd=elsewhere, env=env, capture_output=True, text=True)
    assert shot.returncode == 0, shot.stderr
    assert (elsewhere / "x.png").read_bytes()[:4] == b"\x89PNG"
    # The installed package found its own catalogs, not the source tree's.
    check = subprocess.run(
        [str(bin_dir / "python"), "-c",
         "import envdesk.paths as p, envdesk.i18n as i; print(p.translations_dir()); print(i.gettext_for('zh_CN', 'Overview'))"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    folder, overview = check.stdout.splitlines()
    assert "site-packages" in folder
    assert overview == "概览"
