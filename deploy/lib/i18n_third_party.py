# SPDX-License-Identifier: AGPL-3.0-or-later
"""The second catalogue of deploy/lib/i18n.py: German for strings that are not ours.

``i18n/<locale>/LC_MESSAGES/third-party.po`` holds
- the messages of ckanext-harvest's pages (templates and Python) that neither
  CKAN's catalogue nor ours translates (ckanext-harvest ships no German), and
- corrections of CKAN's own German (e.g. "Resource hinzufügen").
Its entries must still exist upstream (else they are stale), and no msgid may
be in both of our catalogues (which one would win is then an accident).
"""
import functools
import importlib.util
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

PKG = Path(__file__).resolve().parents[2] / "ckanext-smartcityatlas/ckanext/smartcityatlas"
DOMAIN = "ckanext-smartcityatlas"
KEYWORDS = {"_": None, "gettext": None, "ungettext": (1, 2), "ngettext": (1, 2)}
# helpers.py calls _(harvester['title']): a key, not a message
NOT_MESSAGES = {"title"}


def package_dir(name: str) -> Path:
    return Path(importlib.util.find_spec(name).submodule_search_locations[0])


@functools.cache
def harvest_messages() -> dict:
    """msgid (a tuple for plurals) → first (path, line), from the installed ckanext-harvest."""
    found = {}
    method_map = [("**/tests/**", "ignore"), ("**.py", "python"), ("**/templates/**.html", "ckan")]
    for path, line, msgid, _comments, _context in extract_from_dir(
            str(package_dir("ckanext.harvest")), method_map=method_map, keywords=KEYWORDS):
        if msgid not in NOT_MESSAGES:
            found.setdefault(msgid, (f"ckanext/harvest/{path}", line))
    # helpers.harvest_frequencies(): _(frequency.title()) for the source form
    from ckanext.harvest.model import UPDATE_FREQUENCIES
    for frequency in UPDATE_FREQUENCIES:
        found.setdefault(frequency.title(), ("ckanext/harvest/helpers.py", None))
    # CKAN's snippets/search_result_text.html builds its msgids from type='harvest'
    snippet = ("ckan/templates/snippets/search_result_text.html", None)
    for msgid in (("{number} harvest found", "{number} harvests found"), "No harvests found",
                  ('{number} harvest found for "{query}"', '{number} harvests found for "{query}"'),
                  'No harvests found for "{query}"'):
        found.setdefault(msgid, snippet)
    # CKAN's package/snippets/additional_info.html shows _(state) on the source's about page
    for state in ("active", "draft", "deleted"):
        found.setdefault(state, ("ckan/templates/package/snippets/additional_info.html", None))
    return found


def po_path(locale: str) -> Path:
    return PKG / "i18n" / locale / "LC_MESSAGES" / "third-party.po"


def read(path: Path, locale: str, domain: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=locale, domain=domain, project=DOMAIN, fuzzy=False)
    with path.open("rb") as fh:
        return read_po(fh, locale=locale, domain=domain)


def load(locale: str) -> Catalog:
    return read(po_path(locale), locale, DOMAIN)


def ckan_catalogue(locale: str) -> Catalog:
    return read(package_dir("ckan") / "i18n" / locale / "LC_MESSAGES" / "ckan.po", locale, "ckan")


def translated(catalog: Catalog, msgid) -> bool:
    message = catalog.get(msgid)
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
    return all(strings)


def _not_translated(locale: str, own: Catalog, ours: Catalog) -> list:
    """ckanext-harvest's msgids that no catalogue translates."""
    core = ckan_catalogue(locale)
    return [msgid for msgid in harvest_messages()
            if not any(translated(catalog, msgid) for catalog in (own, ours, core))]


def problems(locale: str, own: Catalog) -> list[str]:
    ours = load(locale)
    upstream = {(m[0] if isinstance(m, tuple) else m) for m in harvest_messages()}
    core = ckan_catalogue(locale)
    name = po_path(locale).name
    found = [f"{locale}: {name}: not translated by any catalogue {m!r}" for m in _not_translated(locale, own, ours)]
    for message in ours:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in own:
            found.append(f"{locale}: {name}: {key!r} is also in {DOMAIN}.po")
        if key not in upstream and key not in core:
            found.append(f"{locale}: {name}: stale {key!r} (neither ckanext-harvest nor CKAN has it)")
    return found


def update(locale: str, own: Catalog) -> int:
    """Add the msgids that need a translation (empty); return how many are untranslated."""
    ours = load(locale)
    for msgid in _not_translated(locale, own, ours):
        if msgid not in ours:
            ours.add(msgid, ("", "") if isinstance(msgid, tuple) else "", locations=[harvest_messages()[msgid]])
    po_path(locale).parent.mkdir(parents=True, exist_ok=True)
    with po_path(locale).open("wb") as fh:
        write_po(fh, ours, sort_output=True, omit_header=False, width=0)
    return sum(1 for message in ours if message.id and not translated(ours, message.id))
