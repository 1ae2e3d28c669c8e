# SPDX-License-Identifier: AGPL-3.0-or-later
"""The extension's wheel, built as docs/install.md builds it, from a clean
copy of the checkout's files (a build in the checkout itself leaves build/
and *.egg-info behind, and files of an earlier build could slip into the
wheel); what the wheel must hold."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# source folder → where pyproject.toml installs it (its package-dir mapping)
INSTALLED_AS = {
    "ckanext-smartcityatlas/ckanext/smartcityatlas": "ckanext/smartcityatlas",
    "harvesters": "ckanext/smartcityatlas/harvesters",
    "schemas": "ckanext/smartcityatlas/schemas",
}
INSTALL_DOC = REPO / "docs" / "install.md"


def checkout_files() -> list[str]:
    """The checkout's files as a commit would hold them: tracked ones and new
    ones git does not ignore (deleted ones left out)."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                         capture_output=True, check=True).stdout.decode()
    return sorted({name for name in out.split("\0") if name and os.path.lexists(REPO / name)})


def clean_copy(dest: Path) -> Path:
    """The checkout's files in ``dest`` (symbolic links stay links)."""
    for name in checkout_files():
        source, target = REPO / name, dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        else:
            shutil.copy2(source, target)
    return dest


def install_block(name: str) -> str:
    """The code block of docs/install.md after ``<!-- tested: name -->``: the
    page's own commands and settings, run by the tests as they stand."""
    text = INSTALL_DOC.read_text(encoding="utf-8")
    found = re.search(rf"<!-- tested: {re.escape(name)} -->\s*```\w*\n(.*?)```", text, re.S)
    assert found, f"docs/install.md has no block marked <!-- tested: {name} -->"
    return found.group(1)


def build(src: Path, env: dict) -> Path:
    """Run docs/install.md's build commands on the copy ``src``; the wheel."""
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", install_block("build")],
                          env={**env, "SCA_SRC": str(src)}, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"building the wheel failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    wheels = sorted((src / "dist").glob("ckanext_smartcityatlas-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def wheel_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return {name for name in archive.namelist() if not name.endswith("/")}


def expected_files() -> set[str]:
    """Where every file of the three source folders lands in site-packages; a
    linked folder (migration/sca_platform) lands as a copy of its target."""
    expected = set()
    files = checkout_files()
    for name in files:
        for folder, installed in INSTALLED_AS.items():
            if not name.startswith(folder + "/"):
                continue
            relative = name[len(folder) + 1:]
            source = REPO / name
            if source.is_symlink() and source.is_dir():
                target = source.resolve().relative_to(REPO).as_posix()
                expected |= {f"{installed}/{relative}/{other[len(target) + 1:]}"
                             for other in files if other.startswith(target + "/")}
            else:
                expected.add(f"{installed}/{relative}")
    return expected
