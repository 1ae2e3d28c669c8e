# SPDX-License-Identifier: AGPL-3.0-or-later
"""``/impressum``, ``/datenschutz``, ``/barrierefreiheit``.

Texts are Markdown: the city's own files in its folder
(``legal/<page>.<de|en>.md``), else the shipped templates (``texts/``);
English falls back to German. ``${key}`` in either names the city or its
Land's law (``settings.py``: city.yaml and ``laender.yaml``). A city that
keeps these pages on its main website sets
``ckanext.smartcityatlas.legal.<page>_url``: the footer links there and the
local route redirects there. Markdown goes through CKAN's
``render_markdown`` (raw HTML removed, output sanitised).
"""
from __future__ import annotations

from pathlib import Path

import ckan.plugins.toolkit as tk
from flask import Blueprint

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.legal import settings as legal_settings

register = Registry()

blueprint = register.blueprint(Blueprint("sca_legal", __name__))
PAGES = ("impressum", "datenschutz", "barrierefreiheit")


def titles() -> dict[str, str]:
    return {"impressum": tk._("Legal notice"), "datenschutz": tk._("Privacy"),
            "barrierefreiheit": tk._("Accessibility")}


def external_url(page: str) -> str:
    return (tk.config.get(f"ckanext.smartcityatlas.legal.{page}_url") or "").strip()


def text_file(page: str, lang: str, folder: Path | None = None) -> Path | None:
    """The page's Markdown in lang, else in German: from folder if given, else
    the city's own file, else the shipped template; None if there is none."""
    folders = [folder] if folder else [city_config.current().folder / "legal", legal_settings.TEXTS]
    for where in folders:
        for candidate in (lang, "de"):
            path = where / f"{page}.{candidate}.md"
            if path.is_file():
                return path
    return None


def page_text(path: Path) -> str:
    """The Markdown of path with the city's values (its language is in its name)."""
    lang = path.suffixes[-2].lstrip(".") if len(path.suffixes) >= 2 else "de"
    return legal_settings.render(path.read_text(encoding="utf-8"), city_config.current().settings, lang)


@register.helper("sca_legal_links")
def footer_links() -> list[dict]:
    """Footer entries: local page or the configured external URL."""
    links = []
    for page, title in titles().items():
        url = external_url(page)
        if url:
            links.append({"title": title, "url": url, "external": True})
        elif text_file(page, "de"):
            links.append({"title": title, "url": tk.h.url_for(f"sca_legal.{page}"), "external": False})
    return links


def _page(page: str):
    url = external_url(page)
    if url:
        return tk.redirect_to(url)
    path = text_file(page, tk.h.lang() or "de")
    if path is None:
        return tk.abort(404, tk._("This page has not been set up yet."))
    return tk.render("legal/page.html", extra_vars={
        "title": titles()[page], "page": page, "body": page_text(path)})


def _register(page: str) -> None:
    blueprint.add_url_rule(f"/{page}", endpoint=page, view_func=lambda: _page(page))


for _name in PAGES:
    _register(_name)
