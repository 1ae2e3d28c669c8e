# SPDX-License-Identifier: AGPL-3.0-or-later
"""``/impressum``, ``/datenschutz``, ``/barrierefreiheit``.

Texts are Markdown files in the city folder (``legal/<page>.<de|en>.md``),
so each city brings its own; English falls back to German. A city that
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

register = Registry()

blueprint = register.blueprint(Blueprint("sca_legal", __name__))
PAGES = ("impressum", "datenschutz", "barrierefreiheit")


def titles() -> dict[str, str]:
    return {"impressum": tk._("Legal notice"), "datenschutz": tk._("Privacy"),
            "barrierefreiheit": tk._("Accessibility")}


def external_url(page: str) -> str:
    return (tk.config.get(f"ckanext.smartcityatlas.legal.{page}_url") or "").strip()


def text_file(page: str, lang: str, folder: Path | None = None) -> Path | None:
    """The page's Markdown in lang, else in German; None if the city has none."""
    folder = folder or city_config.current().folder / "legal"
    for candidate in (lang, "de"):
        path = folder / f"{page}.{candidate}.md"
        if path.is_file():
            return path
    return None


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
        "title": titles()[page], "page": page, "body": path.read_text(encoding="utf-8")})


def _register(page: str) -> None:
    blueprint.add_url_rule(f"/{page}", endpoint=page, view_func=lambda: _page(page))


for _name in PAGES:
    _register(_name)
