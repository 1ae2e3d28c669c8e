#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Translations of the extension's own UI strings (CKAN i18n, gettext).

Messages are English in the code (``_("…")`` in Python, templates and JS
modules); German translations live in
``ckanext/smartcityatlas/i18n/de/LC_MESSAGES/ckanext-smartcityatlas.po``.

    python3 deploy/lib/i18n.py           # add new msgids to the .po (empty), compile the .mo
    python3 deploy/lib/i18n.py --check   # exit 1 if a msgid is missing, untranslated or the .mo is stale

Third-party strings (ckanext-harvest's pages, which ship no German, and
corrections of CKAN's own German) live in a second catalogue beside it,
``third-party.po``: the extraction never prunes it, and the .mo of our domain
is compiled from both. Our plugin's catalogue is merged over CKAN's (see
ckan/config/middleware/flask_app.py and flask_babel's get_translations), so
its msgstr wins for a msgid present in both.

Run it with the virtualenv's python (it needs Babel and CKAN's template extractor).
"""
import ast
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

import i18n_third_party as third_party

REPO = Path(__file__).resolve().parents[2]
PKG = REPO / "ckanext-smartcityatlas/ckanext/smartcityatlas"
HARVESTERS = REPO / "harvesters"
DOMAIN = "ckanext-smartcityatlas"
LOCALES = ("de",)
# _('…') in templates, this._('…') in CKAN JavaScript modules
TEMPLATE_RE = re.compile(r"""(?:(?<![\w.])|(?<=this\.))_\(\s*(['"])((?:(?!\1).)+)\1\s*\)""")


def messages() -> dict[str, list[tuple[str, int]]]:
    """msgid → occurrences (path relative to the package, line)."""
    found: dict[str, list[tuple[str, int]]] = {}

    def add(msgid, path, line):
        # harvesters/ is installed inside the package (ckanext.smartcityatlas.harvesters)
        where = path.relative_to(PKG) if PKG in path.parents else path.relative_to(REPO)
        found.setdefault(msgid, []).append((str(where), line))

    for path in sorted([*PKG.rglob("*.py"), *HARVESTERS.rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = getattr(node, "func", None)
            is_gettext = (isinstance(func, ast.Name) and func.id == "_") or (
                isinstance(func, ast.Attribute) and func.attr == "_")
            if (isinstance(node, ast.Call) and is_gettext
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                add(node.args[0].value, path, node.lineno)
    for pattern in ("*.html", "*.js"):
        for path in sorted(PKG.rglob(pattern)):
            if "vendor" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for m in TEMPLATE_RE.finditer(text):
                add(m.group(2), path, text.count("\n", 0, m.start()) + 1)
    return found


def pot_path() -> Path:
    # CKAN reads the template to find the messages its JavaScript needs
    # (occurrences in .js files) when it builds /api/i18n/<lang>.
    return PKG / "i18n" / f"{DOMAIN}.pot"


def pot_bytes(found: dict) -> bytes:
    template = Catalog(domain=DOMAIN, project=DOMAIN, fuzzy=False)
    for msgid in sorted(found):
        template.add(msgid, locations=found[msgid])
    buf = io.BytesIO()
    write_po(buf, template, sort_output=True, omit_header=True, width=0)
    return buf.getvalue()


def po_path(locale: str) -> Path:
    return PKG / "i18n" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(locale: str) -> Catalog:
    path = po_path(locale)
    if path.exists():
        with path.open("rb") as fh:
            return read_po(fh, locale=locale, domain=DOMAIN)
    return Catalog(locale=locale, domain=DOMAIN, project=DOMAIN)


def mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def compiled(locale: str, own: Catalog) -> bytes:
    """The .mo of our domain: our own messages plus the third-party ones."""
    merged = Catalog(locale=locale, domain=DOMAIN, project=DOMAIN)
    merged.mime_headers = own.mime_headers
    for catalog in (own, third_party.load(locale)):
        for message in catalog:
            if message.id:
                merged[message.id] = message
    return mo_bytes(merged)


def main(check: bool) -> int:
    wanted = messages()
    problems = []
    pot = pot_bytes(wanted)
    if check:
        if not pot_path().exists() or pot_path().read_bytes() != pot:
            problems.append(f"{pot_path().name} is out of date")
    else:
        pot_path().parent.mkdir(parents=True, exist_ok=True)
        pot_path().write_bytes(pot)
    for locale in LOCALES:
        catalog = load(locale)
        missing = sorted(m for m in wanted if m not in catalog)
        untranslated = sorted(m.id for m in catalog if m.id and m.id in wanted and not m.string)
        mo = po_path(locale).with_suffix(".mo")
        if check:
            problems += [f"{locale}: missing msgid {m!r}" for m in missing]
            problems += [f"{locale}: untranslated {m!r}" for m in untranslated]
            problems += third_party.problems(locale, catalog)
            if not mo.exists() or mo.read_bytes() != compiled(locale, catalog):
                problems.append(f"{locale}: {mo.name} is not compiled from the .po")
            continue
        for m in missing:
            catalog.add(m, "")
        po_path(locale).parent.mkdir(parents=True, exist_ok=True)
        with po_path(locale).open("wb") as fh:
            write_po(fh, catalog, sort_output=True, omit_header=False, width=0)
        with po_path(locale).open("rb") as fh:
            catalog = read_po(fh, locale=locale, domain=DOMAIN)
        third_party_todo = third_party.update(locale, catalog)
        mo.write_bytes(compiled(locale, catalog))
        if untranslated or missing or third_party_todo:
            print(f"{locale}: {len(untranslated) + len(missing)} messages need a translation"
                  f" (+{third_party_todo} in {third_party.po_path(locale).name})")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
