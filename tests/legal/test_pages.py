# SPDX-License-Identifier: AGPL-3.0-or-later
"""Legal pages from the city folder: German and English (falling back to
German), linked in every footer, replaceable by external URLs, rendered
safely."""
import pytest

from ckanext.smartcityatlas.common import city_config
from ckanext.smartcityatlas.legal import settings as legal_settings
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


def test_every_template_exists_in_both_languages_without_personal_addresses():
    import re

    for page in views.PAGES:
        for lang in ("de", "en"):
            text = (legal_settings.TEXTS / f"{page}.{lang}.md").read_text(encoding="utf-8")
            assert "Vorlage" in text or "Template" in text
            assert not re.search(r"dresden|sachs|säch", text, re.I), (page, lang)  # Land and city come from city.yaml
            # only functional mailboxes (and they are placeholders until the city reviews them)
            for address in re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", text):
                assert address.split("@")[0] in ("opendata",), address


@pytest.mark.parametrize("land", sorted(legal_settings.laender()))
def test_each_shipped_land_fills_every_page(land):
    city = {"name": "musterstadt", "title": "Musterstadt", "official_name": "Stadt Musterstadt",
            "state": legal_settings.laender()[land]["state"], "content_license": "dl-by-de/2.0"}
    for page in views.PAGES:
        for lang in ("de", "en"):
            text = legal_settings.render((legal_settings.TEXTS / f"{page}.{lang}.md").read_text(encoding="utf-8"),
                                         city, lang)
            assert "${" not in text, (land, page, lang)
            for key in legal_settings.LAND_KEYS:
                assert legal_settings.MISSING[key][lang] not in text, (land, page, lang, key)
    assert legal_settings.land_key(city) == land
    statement = legal_settings.render((legal_settings.TEXTS / "barrierefreiheit.de.md").read_text(encoding="utf-8"),
                                      city, "de")
    assert legal_settings.laender()[land]["enforcement_body"]["de"] in statement
    assert "Datenlizenz Deutschland Namensnennung 2.0 (<https://www.govdata.de/dl-de/by-2-0>)" in legal_settings.render(
        "${licence}", city, "de")


def test_dresden_pages_name_saxon_law_and_the_city_in_one_piece(app):
    impressum = app.get("/impressum").get_data(as_text=True)
    assert "„Landeshauptstadt Dresden, Smart City Atlas“" in impressum
    assert "Die Landeshauptstadt Dresden ist eine Körperschaft" in impressum
    assert "BfWebG" in app.get("/barrierefreiheit").get_data(as_text=True)
    privacy = app.get("/datenschutz").get_data(as_text=True)
    assert "§ 3 SächsDSDG" in privacy and "datenschutz.sachsen.de" in privacy
    assert "City of Dresden" in app.get("/en/impressum").get_data(as_text=True)


def test_a_land_without_shipped_texts_shows_placeholders_or_the_citys_own(tmp_path):
    city = {"name": "x", "title": "Wiesenstadt", "official_name": "Stadt Wiesenstadt", "state": "Hessen"}
    template = (legal_settings.TEXTS / "barrierefreiheit.de.md").read_text(encoding="utf-8")
    assert legal_settings.MISSING["enforcement_body"]["de"] in legal_settings.render(template, city, "de")
    assert legal_settings.problems(city)[0][:2] == ("warning", "legal")
    city["legal"] = {"enforcement_body": {"de": "die Durchsetzungsstelle in Hessen", "en": "the body in Hesse"},
                     **{key: "gegeben" for key in legal_settings.LAND_KEYS if key != "enforcement_body"}}
    assert "wenden: die Durchsetzungsstelle in Hessen." in legal_settings.render(template, city, "de")
    assert legal_settings.problems(city) == []


def test_the_citys_own_file_replaces_the_template(tmp_path, monkeypatch):
    import yaml

    own = tmp_path / "legal"
    own.mkdir()
    (own / "impressum.de.md").write_text("# Impressum\n\nHerausgeberin: ${official_name}.\n", encoding="utf-8")
    dresden = yaml.safe_load((city_config.BUILTIN / "dresden" / "city.yaml").read_text(encoding="utf-8"))
    monkeypatch.setattr(city_config, "current", lambda: city_config.City(tmp_path, dresden, None, (), None))
    assert views.text_file("impressum", "de") == own / "impressum.de.md"
    assert views.text_file("datenschutz", "de") == legal_settings.TEXTS / "datenschutz.de.md"
    assert views.page_text(own / "impressum.de.md") == "# Impressum\n\nHerausgeberin: Landeshauptstadt Dresden.\n"
