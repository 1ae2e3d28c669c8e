# SPDX-License-Identifier: AGPL-3.0-or-later
"""Legal pages from the city folder: German and English (falling back to
German), linked in every footer, replaceable by external URLs, rendered
safely."""
import pytest

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.legal import views

pytestmark = [pytest.mark.usefixtures("with_plugins")]
PATHS = ("/impressum", "/datenschutz", "/barrierefreiheit")


@pytest.mark.parametrize("path,heading", [("/impressum", "Impressum"), ("/datenschutz", "Datenschutzerklärung"),
                                          ("/barrierefreiheit", "Erklärung zur Barrierefreiheit")])
def test_pages_in_german(app, path, heading):
    page = app.get(path).get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in page
    assert "Vorlage" in page  # the city has not reviewed the template yet


def test_english_pages(app):
    assert "<h1>Legal notice</h1>" in app.get("/en/impressum").get_data(as_text=True)
    assert "<h1>Accessibility statement</h1>" in app.get("/en/barrierefreiheit").get_data(as_text=True)


def test_the_accessibility_statement_has_what_bitv_asks_for(app):
    page = app.get("/barrierefreiheit").get_data(as_text=True)
    for part in ("teilweise barrierefrei", "Nicht barrierefreie Inhalte", "/atlas/korrektur",
                 "Durchsetzungsverfahren", "Schlichtungsstelle"):
        assert part in page, part


def test_footer_links_on_every_page(app):
    for path in ("/atlas", "/dataset/", "/impressum"):
        page = app.get(path).get_data(as_text=True)
        footer = page[page.index('<footer class="site-footer"'):]
        for link in PATHS:
            assert f'href="{link}"' in footer, (path, link)
    assert 'href="/impressum">Impressum<' in footer and 'href="/barrierefreiheit">Barrierefreiheit<' in footer
    footer = app.get("/en/atlas").get_data(as_text=True).split('<footer class="site-footer"')[1]
    assert 'href="/en/impressum">Legal notice<' in footer


@pytest.mark.ckan_config("ckanext.smartcityatlas.legal.impressum_url", "https://www.example.org/impressum")
def test_an_external_url_replaces_the_page(app):
    footer = app.get("/atlas").get_data(as_text=True).split('<footer class="site-footer"')[1]
    assert 'href="https://www.example.org/impressum"' in footer and 'href="/impressum"' not in footer
    resp = app.get("/impressum", follow_redirects=False)
    assert resp.status_code == 302 and resp.headers["Location"] == "https://www.example.org/impressum"
    assert app.get("/datenschutz").status_code == 200


def test_english_falls_back_to_german(tmp_path):
    (tmp_path / "impressum.de.md").write_text("# Impressum", encoding="utf-8")
    assert views.text_file("impressum", "en", tmp_path).name == "impressum.de.md"
    assert views.text_file("datenschutz", "en", tmp_path) is None


def test_markdown_is_sanitised(app, monkeypatch, tmp_path):
    hostile = tmp_path / "impressum.de.md"
    hostile.write_text('# Titel\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n'
                       '[klick](javascript:alert(3))', encoding="utf-8")
    monkeypatch.setattr(views, "text_file", lambda page, lang, folder=None: hostile)
    page = app.get("/impressum").get_data(as_text=True)
    body = page[page.index('class="sca-legal"'):page.index("</article>")]
    assert "<h1>Titel</h1>" in body
    assert "<script>alert(1)" not in body and "onerror" not in body and "javascript:" not in body


def test_every_city_text_exists_in_both_languages_without_personal_addresses():
    import re

    folder = city_config.current().folder / "legal"
    for page in views.PAGES:
        for lang in ("de", "en"):
            text = (folder / f"{page}.{lang}.md").read_text(encoding="utf-8")
            assert "Vorlage" in text or "Template" in text
            # only functional mailboxes (and they are placeholders until the city reviews them)
            for address in re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text):
                assert address.split("@")[0] in ("opendata",), address
