# SPDX-License-Identifier: AGPL-3.0-or-later
"""The layout of the tests themselves (issue 26): builders, fake servers and
shared data live in ``tests/helpers/``; fixtures live in the ``conftest.py``
files pytest discovers; no module imports a test module or a conftest (a
fixture imported by name is a second definition that shadows the real one).
The modules are parsed, not imported."""
import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
HELPERS = TESTS / "helpers"
DATA_SCRIPTS = TESTS / "fixtures"  # scripts that write the files under fixtures/, not tests


def modules() -> list[Path]:
    return sorted(path for path in TESTS.rglob("*.py")
                  if DATA_SCRIPTS not in path.parents and "__pycache__" not in path.parts)


def where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(TESTS.parent)}:{node.lineno}"


def imports(path: Path, tree: ast.Module):
    """(statement, dotted names) of every import, also inside functions;
    ``from a import b`` gives ``a.b`` (b may be a module); relative imports
    are resolved from the module's package."""
    package = path.relative_to(TESTS.parent).parent.parts
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield node, [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = list(package[:len(package) - node.level + 1]) if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            yield node, [f"{module}.{alias.name}" for alias in node.names]


def is_fixture(node: ast.AST) -> bool:
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
        "fixture" in ast.unparse(decorator) for decorator in node.decorator_list)


def test_tests_import_only_helpers_of_the_tests():
    wrong = []
    for path in modules():
        for node, names in imports(path, ast.parse(path.read_text(encoding="utf-8"))):
            bad = [name for name in names
                   if name.split(".")[0] == "tests" and name.split(".")[:2] != ["tests", "helpers"]]
            if bad:
                wrong.append(f"{where(path, node)} imports {', '.join(bad)}")
    assert not wrong, "move what is shared to tests/helpers/ (fixtures to a conftest.py):\n" + "\n".join(wrong)


def test_conftest_files_hold_only_fixtures_and_hooks():
    wrong = []
    for path in modules():
        if path.name != "conftest.py":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) or (
                    isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and not is_fixture(node) and not node.name.startswith("pytest_")):
                wrong.append(f"{where(path, node)} defines {node.name}")
    assert not wrong, "builders belong in tests/helpers/:\n" + "\n".join(wrong)


def test_helpers_hold_no_tests_or_fixtures():
    wrong = []
    for path in modules():
        if HELPERS not in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if is_fixture(node) or (isinstance(node, (ast.FunctionDef, ast.ClassDef))
                                    and node.name.lower().startswith("test")):
                wrong.append(f"{where(path, node)} defines {node.name}")
    assert not wrong, "fixtures belong in a conftest.py, tests in a test module:\n" + "\n".join(wrong)


def test_outside_helpers_only_test_modules():
    wrong = [str(path.relative_to(TESTS.parent)) for path in modules()
             if HELPERS not in path.parents and path.name not in ("conftest.py", "__init__.py")
             and not path.name.startswith("test_")]
    assert not wrong, "helper modules belong in tests/helpers/: " + ", ".join(wrong)
