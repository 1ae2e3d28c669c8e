# SPDX-License-Identifier: AGPL-3.0-or-later
"""The operator documentation exists, and the generated references are current."""
import difflib
import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["install", "production", "backup", "upgrade", "configuration", "harvesting",
                                  "radar", "security", "architecture", "solrcloud"])
def test_doc_exists_with_substance(name):
    text = (REPO / "docs" / f"{name}.md").read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert len(text.split()) > 150


def test_configuration_reference_is_generated_from_the_declaration():
    proc = subprocess.run([sys.executable, str(REPO / "docs" / "gen_configuration.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def _gen_api():
    spec = importlib.util.spec_from_file_location("gen_api", REPO / "docs" / "gen_api.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.usefixtures("with_plugins")
def test_api_reference_is_generated_from_the_openapi_document():
    from ckanext.smartcityatlas.platform import openapi

    gen = _gen_api()
    current = gen.section((REPO / "docs" / "api.md").read_text(encoding="utf-8"))
    expected = gen.render(openapi.document())
    if current != expected:
        diff = difflib.unified_diff(current.splitlines(), expected.splitlines(), "docs/api.md", "/atlas/openapi.json",
                                    lineterm="")
        pytest.fail("docs/api.md is out of date: run .venv/bin/python docs/gen_api.py\n" + "\n".join(list(diff)[:40]))


@pytest.mark.usefixtures("with_plugins")
def test_api_reference_covers_every_registered_action():
    import ckan.plugins as p

    # what CKAN's action registry is built from: every IActions plugin
    registered = {name for plugin in p.PluginImplementations(p.IActions)
                  for name in plugin.get_actions() if name.startswith("sca_")}
    section = _gen_api().section((REPO / "docs" / "api.md").read_text(encoding="utf-8"))
    documented = set(re.findall(r"^### `(sca_\w+)`$", section, re.M))
    assert len(registered) > 20
    assert registered - documented == set(), "actions missing from docs/api.md: run .venv/bin/python docs/gen_api.py"


def test_commands_named_in_readme_and_docs_exist():
    script = (REPO / "deploy" / "sca").read_text(encoding="utf-8")
    known = set(re.findall(r"^    (\w+)\) cmd_\w+|^    (\w+)\) install_all", script, re.M))
    known = {a or b for a, b in known}
    texts = [(REPO / "README.md").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in (REPO / "docs").glob("*.md")]
    used = set()
    for text in texts:
        used |= set(re.findall(r"deploy/sca (\w+)", text))
    assert used, "no deploy/sca command found in the docs"
    assert used <= known, f"unknown deploy/sca commands in docs: {used - known}"


def _plugin_classes(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _plugin_classes(sub)


def test_readme_architecture_and_capability_docstring_follow_the_code():
    """Every capability is in docs/architecture.md, the README's layout and
    capability.py's docstring; every plugin in the README and docs/architecture.md
    and in pyproject.toml's entry points."""
    from ckanext.smartcityatlas import capability, plugin

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    architecture = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    entry_points = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    for cap in plugin.CAPABILITIES:
        folder = cap.package.rsplit(".", 1)[-1]
        assert f"`{cap.name}`" in architecture, cap.name
        assert f"`{folder}`" in readme or f"`{folder}/`" in readme, folder
        assert cap.name in capability.__doc__, cap.name
    for cls in set(_plugin_classes(plugin.CapabilityPlugin)):
        assert f"`{cls.name}`" in readme and f"`{cls.name}`" in architecture, cls.name
        assert entry_points["ckan.plugins"][cls.name] == f"ckanext.smartcityatlas.plugin:{cls.__name__}", cls.name


def test_the_contributor_ids_of_docs_city_are_those_of_the_shipped_lists():
    from ckanext.smartcityatlas.dcat import vocab
    from ckanext.smartcityatlas.platform.city_check import LAENDER

    text = (REPO / "docs" / "city.md").read_text(encoding="utf-8")
    section = text[text.index("## contributor_id"):text.index("## Demo data")]
    rows = re.findall(r"^\| ([^|`]+?) \| (?:`(\w+)`|—) \| *(yes|no)? *\| *(yes|no)? *\|$", section, re.M)
    assert {land for land, *_ in rows} == set(LAENDER)
    for land, name, in_2, in_3 in rows:
        iri = vocab.CONTRIBUTORS + name
        if not name:  # a Land without an entry: no list names a portal of it
            continue
        assert (iri in vocab.contributors("2.0"), iri in vocab.contributors("3.0")) == (in_2 == "yes", in_3 == "yes"), \
            (land, name)
    for name in re.findall(r"`(\w+)`", section):
        if name[0].islower() and name not in ("contributor_id", "state", "yes", "no"):
            assert any(vocab.CONTRIBUTORS + name in vocab.contributors(p) for p in ("2.0", "3.0")), name


def test_install_settings_are_the_templates():
    """What docs/install.md merges into an existing CKAN is what the native
    stack and the containers run (deploy/ckan.ini.template)."""
    from tests.helpers.wheel import install_block

    def options(text):
        return dict(re.findall(r"^([\w.]+) *= *(.*?) *$", text, re.M))

    template = options((REPO / "deploy" / "ckan.ini.template").read_text(encoding="utf-8"))
    settings = options(install_block("settings"))
    assert len(settings) > 10
    differ = {key: (value, template.get(key)) for key, value in settings.items()
              if template.get(key) != value and "${" not in template.get(key, "")}
    assert differ == {}, "docs/install.md, deploy/ckan.ini.template"
