#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Write the constraints files from the virtualenv this runs in (docs/upgrade.md).

``deploy/constraints.txt``: every installed distribution at its version (a
true freeze; the editable checkout left out) of the full virtualenv of
``deploy/sca test``: the runtime, the test tools and the benches' packages.
The native stack, the tests and the container image install with it.

``deploy/constraints-extension.txt``: what an existing CKAN needs for the
extension, the part of that freeze which is the extension's runtime
dependencies (with the fast SHACL engine) and theirs, without what CKAN
itself pins: docs/install.md installs the wheel with it, so CKAN's own pins
stay as they are (tests/deploy/test_wheel_install.py checks that on CKAN 2.11
and 2.12).

    .venv/bin/python deploy/lib/freeze.py          # write both
    .venv/bin/python deploy/lib/freeze.py --check  # exit 1 naming what differs
"""
from __future__ import annotations

import argparse
import importlib.metadata as metadata
import json
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[2]
CONSTRAINTS = REPO / "deploy" / "constraints.txt"
EXTENSION = REPO / "deploy" / "constraints-extension.txt"
EXTENSION_EXTRAS = ("turbo",)
# What CKAN 2.11 pins (its requirements extra) and 2.12 does not, among the
# extension's dependencies: left out as well, so installing the wheel changes
# none of 2.11's pins either (tests/deploy/test_wheel_install.py checks it).
OLDER_CKAN_PINS = {"importlib-metadata", "zipp"}
# the installer's own packages are the virtualenv's business
INSTALLER = {"pip", "setuptools", "wheel"}
HEADERS = {
    CONSTRAINTS: "# Exact versions of the whole Python stack: a freeze of the virtualenv of `deploy/sca test`\n"
                 "# (runtime, test tools, benches). Regenerate: .venv/bin/python deploy/lib/freeze.py\n",
    EXTENSION: "# The extension's runtime dependencies (with pyshacl-turbo) at the versions of constraints.txt,\n"
               "# without what CKAN pins itself: `pip install <wheel> -c` this file (docs/install.md).\n"
               "# Regenerate: .venv/bin/python deploy/lib/freeze.py\n",
}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _editable(dist: metadata.Distribution) -> bool:
    text = dist.read_text("direct_url.json")
    return bool(text) and json.loads(text).get("dir_info", {}).get("editable", False)


def installed() -> dict[str, tuple[str, str]]:
    """canonical name → (name as the distribution spells it, version), the editable checkout left out."""
    found = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name and not _editable(dist):
            found[canonical(name)] = (name, dist.version)
    return found


def extension_requirements(extras=EXTENSION_EXTRAS) -> list[Requirement]:
    """The runtime dependencies pyproject.toml declares, plus those of ``extras``."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in extras:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


def _applies(req: Requirement, extras: frozenset[str]) -> bool:
    if req.marker is None:
        return True
    return any(req.marker.evaluate({"extra": extra}) for extra in (extras or {""}))


def closure(roots: list[Requirement]) -> set[str]:
    """Canonical names of ``roots`` and everything they need, as installed here."""
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [req for req in roots if _applies(req, frozenset())]
    while todo:
        req = todo.pop()
        key = (canonical(req.name), frozenset(req.extras))
        if key in seen:
            continue
        seen.add(key)
        for line in metadata.distribution(req.name).requires or ():
            dep = Requirement(line)
            if _applies(dep, key[1]):
                todo.append(dep)
    return {name for name, _extras in seen}


def ckan_pins() -> set[str]:
    """Canonical names the installed CKAN pins itself (its ``requirements`` extra), CKAN included."""
    names = {"ckan"}
    for line in metadata.distribution("ckan").requires or ():
        req = Requirement(line)
        if req.marker is not None and req.marker.evaluate({"extra": "requirements"}):
            names.add(canonical(req.name))
    return names


def render(path: Path, pins: dict[str, tuple[str, str]]) -> str:
    return HEADERS[path] + "".join(f"{name}=={version}\n" for _key, (name, version) in sorted(pins.items()))


def expected() -> dict[Path, str]:
    everything = installed()
    wanted = closure(extension_requirements()) - ckan_pins() - OLDER_CKAN_PINS - INSTALLER
    missing = wanted - set(everything)
    if missing:
        raise SystemExit(f"not installed here: {', '.join(sorted(missing))} (run deploy/sca test first)")
    return {CONSTRAINTS: render(CONSTRAINTS, everything),
            EXTENSION: render(EXTENSION, {k: v for k, v in everything.items() if k in wanted})}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if a file differs")
    args = parser.parse_args()
    stale = []
    for path, text in expected().items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current == text:
            continue
        if args.check:
            old, new = set(current.splitlines()), set(text.splitlines())
            stale.append(f"{path.relative_to(REPO)}: only in the file: {sorted(old - new)}; "
                         f"only installed: {sorted(new - old)}")
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO)}")
    if stale:
        print("the constraints are no freeze of this virtualenv (.venv/bin/python deploy/lib/freeze.py):\n"
              + "\n".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
