# SPDX-License-Identifier: AGPL-3.0-or-later
"""The package layout holds: dependencies between the capability packages
run one way (no cycle), ``common`` depends on no capability, and no package
uses a private name (``_x``) of another. Read from the source (every import,
also those inside functions), not from a running portal."""
from __future__ import annotations

import ast
import collections
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXT = REPO / "ckanext-smartcityatlas" / "ckanext" / "smartcityatlas"
HARVESTERS = REPO / "harvesters"
ROOT = "ckanext.smartcityatlas"
# the composition root: it wires every capability into CKAN
COMPOSITION = {"plugin"}


def _modules() -> dict[str, Path]:
    found = {}
    for base, prefix in ((EXT, ROOT), (HARVESTERS, f"{ROOT}.harvesters")):
        for path in base.rglob("*.py"):
            parts = path.relative_to(base).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((prefix, *parts))] = path
    return found


MODULES = _modules()


def package(module: str) -> str:
    """The capability package (or top-level module) a module belongs to."""
    parts = module.split(".")
    return parts[2] if len(parts) > 2 else "(root)"


def _imports(module: str, path: Path):
    """(imported module, names taken from it or None, line) of every import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None, node.lineno, alias.asname
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                # "from pkg import module" imports a module, not a name
                yield (full, None, node.lineno, alias.asname) if full in MODULES else \
                    (base, alias.name, node.lineno, alias.asname)


def _dependencies():
    """package → {package it imports: [where]}; private names used across packages."""
    edges: dict[str, dict[str, list[str]]] = collections.defaultdict(lambda: collections.defaultdict(list))
    private = []
    for module, path in MODULES.items():
        source = package(module)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}  # local name → module of another package
        for target, name, line, asname in _imports(module, path):
            if not target.startswith(ROOT + ".") and target != ROOT:
                continue
            target_pkg = package(target) if target != ROOT else "(root)"
            where = f"{path.relative_to(REPO)}:{line}"
            if target_pkg != source:
                edges[source][target_pkg].append(where)
                if name is not None and name.startswith("_"):
                    private.append(f"{where} imports {target}.{name}")
                if name is None:
                    aliases[asname or target.rsplit(".", 1)[-1]] = target
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in aliases and node.attr.startswith("_") and not node.attr.startswith("__"):
                private.append(f"{path.relative_to(REPO)}:{node.lineno} uses "
                               f"{aliases[node.value.id]}.{node.attr}")
    return edges, private


def _cycles(edges) -> list[list[str]]:
    """Strongly connected groups of more than one package (Tarjan)."""
    graph = {a: {b for b in targets if b not in COMPOSITION} for a, targets in edges.items() if a not in COMPOSITION}
    index, low, stack, on_stack, groups, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for succ in graph.get(node, ()):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_cycle_between_packages():
    edges, _private = _dependencies()
    cycles = _cycles(edges)
    detail = []
    for group in cycles:
        for a in group:
            for b in group:
                if b in edges.get(a, {}):
                    detail.append(f"  {a} → {b}: {', '.join(edges[a][b][:3])}")
    assert not cycles, f"packages that import each other: {cycles}\n" + "\n".join(detail)


def test_common_depends_on_no_capability():
    edges, _private = _dependencies()
    assert not dict(edges.get("common", {})), dict(edges.get("common", {}))


def test_no_private_name_of_another_package():
    _edges, private = _dependencies()
    assert not private, "\n".join(private)


def test_the_checks_see_the_packages():
    """The analysis finds the layout (guards against a test that checks nothing)."""
    edges, _private = _dependencies()
    assert {"atlas", "common", "entities", "harvesters", "dcat"} <= {package(m) for m in MODULES}
    assert "common" in edges["atlas"] and "entities" in edges["harvesters"]


def test_pages_and_routes_live_in_one_views_module_per_capability():
    """A capability's blueprints are in its views.py (logic in the modules they call)."""
    outside = [f"{path.relative_to(REPO)}" for module, path in MODULES.items()
               if _creates_blueprint(path) and path.name != "views.py"]
    assert not outside, outside


def _creates_blueprint(path: Path) -> bool:
    return any(isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Blueprint"
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
