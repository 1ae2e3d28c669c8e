#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Render deploy/ckan.ini.template: ``render_ini.py TEMPLATE OUT [LOCAL]``.

Every ${NAME} must be set in the environment; a missing one is an error, so a
typo cannot silently produce a half-configured portal. An empty
SCA_CITY_TITLE is taken from the title in SCA_CITY's city.yaml (as the native
stack's shell does), so a container started for another city is not titled
after the default one. The output is written
with mode 0600 because it contains secrets.

LOCAL (the native stack's ``$SCA_DATA/ckan.local.ini``, optional) holds the
operator's own settings in ini form (``[app:main]`` and any other section;
lines before the first section header belong to ``[app:main]``). They are
merged into the rendered text: a setting the template has is replaced in
place, a new one is added at the end of its section, so they survive every
``deploy/sca up``. Its values are taken literally (no ${NAME} substitution).
"""
from __future__ import annotations

import configparser
import os
import re
import string
import sys
from pathlib import Path

MAIN = "app:main"
CITIES = Path(__file__).resolve().parents[2] / "ckanext-smartcityatlas" / "ckanext" / "smartcityatlas" / "cities"
_SECTION = re.compile(r"^\[([^\]]+)\]\s*$")
_KEY = re.compile(r"^([^\s#;=:][^=:]*?)\s*[=:]")


class LocalSettingsError(Exception):
    pass


def read_local(path: str) -> dict[str, dict[str, str]]:
    """The sections and settings of the operator's file, in file order."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not re.match(r"\s*(?:[#;][^\n]*\n\s*)*\[", text):
        text = f"[{MAIN}]\n" + text  # settings before any header belong to [app:main]
    parser = configparser.RawConfigParser(strict=True, delimiters=("=", ":"), comment_prefixes=("#", ";"),
                                          inline_comment_prefixes=None, default_section="\0none")
    parser.optionxform = str  # CKAN's keys are case-sensitive (SECRET_KEY)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as error:
        raise LocalSettingsError(f"{path}: {error}") from None
    return {section: dict(parser.items(section)) for section in parser.sections()}


def _section_spans(lines: list[str]) -> dict[str, tuple[int, int]]:
    """section -> (index of its header, index after its last line)."""
    spans, name, start = {}, None, 0
    for index, line in enumerate(lines):
        found = _SECTION.match(line)
        if found:
            if name is not None:
                spans[name] = (start, index)
            name, start = found.group(1).strip(), index
    if name is not None:
        spans[name] = (start, len(lines))
    return spans


def _setting_lines(lines: list[str], begin: int, end: int, key: str) -> tuple[int, int] | None:
    """Where ``key`` is set between begin and end: (first line, after its continuation lines)."""
    for index in range(begin + 1, end):
        found = _KEY.match(lines[index])
        if found and found.group(1).strip() == key:
            after = index + 1
            while after < end and lines[after][:1] in (" ", "\t") and lines[after].strip():
                after += 1
            return index, after
    return None


def _as_lines(key: str, value: str) -> list[str]:
    first, *rest = value.split("\n")
    return [f"{key} = {first}".rstrip()] + [f"    {line}" for line in rest]


def merge(rendered: str, local: dict[str, dict[str, str]]) -> tuple[str, list[str]]:
    """The rendered text with the local settings; the keys that replaced the template's."""
    lines = rendered.split("\n")
    replaced = []
    for section, settings in local.items():
        for key, value in settings.items():
            spans = _section_spans(lines)
            if section not in spans:
                while lines and lines[-1] == "":
                    lines.pop()
                lines += ["", f"[{section}]", ""]
                spans = _section_spans(lines)
            begin, end = spans[section]
            found = _setting_lines(lines, begin, end, key)
            new = _as_lines(key, value)
            if found:
                lines[found[0]:found[1]] = new
                replaced.append(f"[{section}] {key}")
            else:
                while end > begin + 1 and lines[end - 1].strip() == "":
                    end -= 1
                lines[end:end] = new
    return "\n".join(lines), replaced


def city_title(city: str) -> str:
    """The title of a city folder's city.yaml (``city`` as in SCA_CITY: a name
    of the shipped cities or a path), "" when there is none."""
    try:
        import yaml  # only here: the native stack renders with the system's python3
    except ImportError:
        return ""
    folder = Path(city) if city.startswith(("/", ".")) else CITIES / city
    try:
        with open(folder / "city.yaml", encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except (OSError, yaml.YAMLError):
        return ""
    title = data.get("title") if isinstance(data, dict) else None
    return title.strip() if isinstance(title, str) else ""


def main(template_path: str, out_path: str, local_path: str | None = None) -> int:
    with open(template_path, encoding="utf-8") as f:
        template = string.Template(f.read())
    env = dict(os.environ)
    env.setdefault("SCA_REGION", "")  # one city unless a region folder is named (docs/city.md)
    if not env.get("SCA_CITY_TITLE", "").strip() and env.get("SCA_CITY"):
        env["SCA_CITY_TITLE"] = city_title(env["SCA_CITY"])
    try:
        text = template.substitute(env)
    except KeyError as exc:
        print(f"render_ini: {exc.args[0]} is not set", file=sys.stderr)
        return 1
    if local_path and os.path.exists(local_path):
        try:
            text, replaced = merge(text, read_local(local_path))
        except (LocalSettingsError, UnicodeDecodeError, OSError) as error:
            print(f"render_ini: cannot use the operator settings: {error}", file=sys.stderr)
            return 1
        if replaced:
            print(f"render_ini: {os.path.basename(local_path)} replaces {', '.join(replaced)}", file=sys.stderr)
    tmp = out_path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, out_path)
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
