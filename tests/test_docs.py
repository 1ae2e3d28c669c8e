# SPDX-License-Identifier: AGPL-3.0-or-later
"""The operator documentation exists, and the generated reference is current."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["install", "production", "backup", "upgrade", "configuration", "harvesting",
                                  "radar", "security"])
def test_doc_exists_with_substance(name):
    text = (REPO / "docs" / f"{name}.md").read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert len(text.split()) > 150


def test_configuration_reference_is_generated_from_the_declaration():
    proc = subprocess.run([sys.executable, str(REPO / "docs" / "gen_configuration.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


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
