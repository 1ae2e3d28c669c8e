# SPDX-License-Identifier: AGPL-3.0-or-later
"""The schema presets load as written: every choice label has its full German
and English text (a plain scalar with a comma in a YAML flow mapping would be
cut at the comma, the rest turned into a key of its own)."""
from pathlib import Path

import yaml

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def _choices(node):
    if isinstance(node, dict):
        if "value" in node and isinstance(node.get("label"), dict):
            yield node
        for value in node.values():
            yield from _choices(value)
    elif isinstance(node, list):
        for value in node:
            yield from _choices(value)


def test_choice_labels_are_complete_german_and_english_texts():
    for path in sorted(SCHEMAS.glob("*.yaml")):
        for choice in _choices(yaml.safe_load(path.read_text(encoding="utf-8"))):
            label = choice["label"]
            assert set(label) == {"de", "en"}, (path.name, choice)
            assert all(isinstance(text, str) and text.strip() for text in label.values()), (path.name, choice)


def test_a_label_with_a_comma_is_kept_whole():
    presets = yaml.safe_load((SCHEMAS / "presets.yaml").read_text(encoding="utf-8"))
    labels = {c["value"]: c["label"] for c in _choices(presets)}
    assert labels["data_provision"] == {"de": "Daten erheben, organisieren und kontinuierlich bereitstellen",
                                        "en": "Collect, organise and continuously provide data"}
    assert labels["urban_planning"]["de"] == "Stadtentwicklung, Planen und Bauen"
