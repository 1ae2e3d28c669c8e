# SPDX-License-Identifier: AGPL-3.0-or-later
"""Packaging (issue 31): the wheel holds every file the extension reads and
nothing else; pyproject.toml declares what the code imports; the
requirements are split into runtime, dev and bench; the constraints are a
true freeze; the production image installs the runtime only."""
import ast
import importlib.metadata as metadata
import importlib.util
import re
import subprocess
import sys
import tomllib
import zipfile

from packaging.requirements import Requirement

from tests.helpers.wheel import INSTALLED_AS, REPO, expected_files, wheel_files

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
SOURCES = [REPO / folder for folder in INSTALLED_AS]


def _freeze():
    spec = importlib.util.spec_from_file_location("freeze", REPO / "deploy" / "lib" / "freeze.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


freeze = _freeze()
canonical = freeze.canonical


def test_the_wheel_holds_every_file_of_the_extension_and_nothing_else(built_wheel):
    files = wheel_files(built_wheel)
    installed = {name for name in files if ".dist-info/" not in name}
    expected = expected_files()
    assert expected - installed == set(), "missing from the wheel (pyproject.toml: package-data, packages)"
    assert installed - expected == set(), "in the wheel, but no file of the checkout"
    # what the product reads next to its code, named explicitly
    for path in ("ckanext/smartcityatlas/i18n/de/LC_MESSAGES/ckanext-smartcityatlas.mo",
                 "ckanext/smartcityatlas/migration/smartcityatlas/versions/d3a7b9c1e5f2_index_harvest_identifier.py",
                 "ckanext/smartcityatlas/migration/sca_platform/env.py",
                 "ckanext/smartcityatlas/dcat/shapes/v3.0-spec/dcat-ap-SHACL-DE.ttl",
                 "ckanext/smartcityatlas/cities/dresden/city.yaml",
                 "ckanext/smartcityatlas/assets/vendor/leaflet/leaflet.js",
                 "ckanext/smartcityatlas/templates_harvest/source/new_source_form.html",
                 "ckanext/smartcityatlas/harvesters/mappings/radar.yaml",
                 "ckanext/smartcityatlas/schemas/dataset.yaml"):
        assert path in installed, path


def test_the_wheel_declares_the_dependencies_and_entry_points_of_pyproject(built_wheel):
    with zipfile.ZipFile(built_wheel) as archive:
        info = next(name.split("/")[0] for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
        meta = archive.read(f"{info}/METADATA").decode()
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    declared = {canonical(Requirement(line).name) for line in re.findall(r"^Requires-Dist: (.+)$", meta, re.M)}
    extras = [line for lines in PROJECT["optional-dependencies"].values() for line in lines]
    assert declared == {canonical(Requirement(line).name) for line in PROJECT["dependencies"] + extras}
    assert "geojson" not in declared, "geojson is never imported (ckanext-spatial brings it)"
    assert "[ckan.rdf.profiles]\nsca_dcatap_de = ckanext.smartcityatlas.dcat.profiles:DCATAPdeProfile\n" \
           "sca_dcatap_de_3 = ckanext.smartcityatlas.dcat.profiles:DCATAPde3Profile\n" in entry_points
    for name, target in PYPROJECT["project"]["entry-points"]["ckan.plugins"].items():
        assert f"{name} = {target}\n" in entry_points


def test_pyproject_lists_every_package_of_the_source_folders():
    found = set()
    for folder, installed in INSTALLED_AS.items():
        prefix = installed.replace("/", ".")
        for init in (REPO / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(REPO / folder).parts
            found.add(".".join([prefix, *relative]))
    assert set(PYPROJECT["tool"]["setuptools"]["packages"]) == found


def _imported_distributions() -> dict[str, set[str]]:
    """Distribution → the product modules importing it (top-level, and the
    ``ckanext.*`` package of another distribution)."""
    owners = metadata.packages_distributions()
    ckanext = {}
    for dist in metadata.distributions():
        for file in dist.files or ():
            if len(file.parts) > 2 and file.parts[0] == "ckanext" and file.parts[2] == "__init__.py":
                ckanext.setdefault(file.parts[1], dist.metadata["Name"])
    found: dict[str, set[str]] = {}
    for root in SOURCES:
        for path in root.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                    [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
                for name in names:
                    parts = name.split(".")
                    if parts[0] in sys.stdlib_module_names or name.startswith("ckanext.smartcityatlas"):
                        continue
                    if parts[0] == "ckanext":
                        dists = [ckanext.get(parts[1], f"ckanext-{parts[1]}")]
                    else:
                        dists = owners.get(parts[0]) or [parts[0]]
                    for dist in dists:
                        found.setdefault(canonical(dist), set()).add(path.relative_to(REPO).as_posix())
    return found


def test_every_import_of_the_product_is_declared_or_brought_by_ckan():
    imported = _imported_distributions()
    declared = {canonical(Requirement(line).name) for line in PROJECT["dependencies"]}
    optional = {canonical(Requirement(line).name) for line in PROJECT["optional-dependencies"]["turbo"]}
    ckan = freeze.ckan_pins()
    undeclared = {dist: sorted(paths)[:3] for dist, paths in imported.items()
                  if dist not in declared | optional | ckan}
    assert not undeclared, f"imported, but neither in pyproject.toml's dependencies nor pinned by CKAN: {undeclared}"
    unused = declared - set(imported)
    assert not unused, f"declared, but never imported: {unused}"


def _names(path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(canonical(Requirement(line).name))
    return names


def test_requirements_are_split_into_runtime_dev_and_bench():
    runtime = (REPO / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^ckan\[requirements\]==", runtime, re.M) and not re.search(r"^[^#]*\bdev\b", runtime, re.M)
    assert _names(REPO / "requirements.txt") == {"ckan", "gunicorn"}
    dev = (REPO / "requirements-dev.txt").read_text(encoding="utf-8")
    assert "-r requirements.txt" in dev and re.search(r"^ckan\[dev\]==", dev, re.M)
    assert "pytest-ckan" not in _names(REPO / "requirements-dev.txt")
    assert _names(REPO / "requirements-bench.txt") == {
        canonical(Requirement(line).name) for line in PROJECT["optional-dependencies"]["bench"]}


def test_the_production_image_installs_the_runtime_only():
    dockerfile = (REPO / "deploy" / "docker" / "ckan.Dockerfile").read_text(encoding="utf-8")
    installs = " ".join(re.findall(r"pip install [^&\n]*(?:\\\n[^&\n]*)*", dockerfile))
    assert "pins/requirements.txt" in installs and "[turbo]" in installs
    for dev in ("requirements-dev", "requirements-bench", "[dev]", "bench]", "--no-deps"):
        assert dev not in installs, dev
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", "var", "node_modules", "test.ini"} <= set(ignored)


def test_the_constraints_are_a_freeze_of_this_virtualenv():
    """deploy/constraints.txt pins exactly what `deploy/sca test` installed,
    constraints-extension.txt the extension's part of it without CKAN's pins."""
    proc = subprocess.run([sys.executable, str(REPO / "deploy" / "lib" / "freeze.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
