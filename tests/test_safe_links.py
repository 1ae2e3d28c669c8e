# SPDX-License-Identifier: AGPL-3.0-or-later
"""Stored addresses that are not web addresses (``javascript:``, ``data:``,
protocol-relative …) are shown as text, never as a live link, on every page
an anonymous visitor sees; the pages are parsed, not grepped."""
import html.parser
import json
import re

import pytest

from ckan.tests import factories

from ckanext.smartcityatlas.common import web_address
from tests.helpers.datasets import create, minimal_dataset, write_past_validation
from tests.helpers.entities import actor_data
from tests.helpers.hostile import HOSTILE_ADDRESSES as HOSTILE

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index")]

GOOD = "https://example.org/ok?a=1&b=2"


class Page(html.parser.HTMLParser):
    """Every link target (as the browser reads the attribute) and the text."""

    def __init__(self, body: str):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self.feed(body)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in ("a", "area"):
            self.hrefs.extend(v for k, v in attrs if k == "href" and v is not None)

    def handle_data(self, data):
        self.text.append(data)


def browser_scheme(href: str) -> str | None:
    """The scheme a browser sees in href (WHATWG URL: C0 controls and spaces
    at the ends and tabs/newlines inside are dropped); '//' for a
    protocol-relative link, None for a path on the same site."""
    value = re.sub(r"[\t\n\r]", "", href.strip("".join(chr(c) for c in range(0x21))))
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", value)
    if match:
        return match.group(1).lower()
    return "//" if re.match(r"^[/\\]{2}", value) else None


def assert_only_safe_links(body: str, hostile_texts=()):
    page = Page(body)
    bad = [h for h in page.hrefs if browser_scheme(h) not in (None, "http", "https", "mailto")]
    assert bad == []
    text = "".join(page.text)
    for value in hostile_texts:
        assert value.strip() in text
    return page


def test_safe_href_rule():
    for value in HOSTILE + ["", None, 42, "mailto:a@b.example", "ftp://example.org/x", "www.example.org",
                            "https:evil.example", "https:///evil.example", " \x01javascript:alert(9)",
                            "https://example.org/a b"]:
        assert web_address.safe_href(value) is None, value
    for value in (GOOD, "HTTP://Example.org", "/dataset/x", "/"):
        assert web_address.safe_href(value) == value
    assert web_address.safe_href("  https://example.org/  ") == "https://example.org/"
    assert web_address.safe_href("mailto:a@b.example", mailto=True) == "mailto:a@b.example"
    assert web_address.safe_href("javascript:alert(1)", mailto=True) is None


def test_hostile_addresses_are_text_on_every_page(app, unique):
    org = factories.Organization(contact_url="https://example.org/kontakt")
    values = HOSTILE + [GOOD]
    pkg = create(minimal_dataset(org, unique, url="https://example.org/landing",
                                 publisher_url="https://example.org/pub", contact_url="https://example.org/c",
                                 roles=[{"role": "originator", "name": "Stelle", "url": "https://example.org/s"}],
                                 contact_email="opendata@example.org",
                                 resources=[{"url": f"https://example.org/{i}", "format": "CSV",
                                             "name": f"Ressource {i}"} for i in range(len(values))]))
    roles = json.dumps([{"role": "originator", "name": "Stelle", "url": HOSTILE[0]}])
    write_past_validation(pkg["id"], url=HOSTILE[1],
                          extras={"publisher_url": HOSTILE[4], "contact_url": HOSTILE[6], "roles": roles,
                                  "contact_email": 'x@example.org" onmouseover="alert(10)'},
                          resource_urls={r["id"]: v for r, v in zip(pkg["resources"], values)})
    actor = create(actor_data(unique, org, url="https://example.org/a", logo_url="https://example.org/logo.png"))
    write_past_validation(actor["id"], url=HOSTILE[2], extras={"logo_url": HOSTILE[5]})

    links = assert_only_safe_links(app.get(f"/dataset/{pkg['name']}/links", status=200).body, values)
    assert GOOD in links.hrefs  # a web address stays a link
    dataset_page = assert_only_safe_links(app.get(f"/dataset/{pkg['name']}", status=200).body,
                                          [HOSTILE[1], HOSTILE[4], HOSTILE[6], HOSTILE[0]])
    assert not any("onmouseover" in h for h in dataset_page.hrefs)
    for res in pkg["resources"]:
        assert_only_safe_links(app.get(f"/dataset/{pkg['name']}/resource/{res['id']}", status=200).body)
    # (the actor page does not show the logo's address: issue 29, item 5)
    assert_only_safe_links(app.get(f"/actor/{actor['name']}", status=200).body, [HOSTILE[2]])


@pytest.mark.ckan_config("ckanext.smartcityatlas.legal.impressum_url", "javascript:alert(11)")
@pytest.mark.ckan_config("ckanext.smartcityatlas.legal.datenschutz_url", "https://example.org/datenschutz")
def test_footer_links_only_to_web_addresses(app):
    page = assert_only_safe_links(app.get("/datenwuensche", status=200).body)
    assert "https://example.org/datenschutz" in page.hrefs
    assert "Impressum" in "".join(page.text)  # the title stays, as text
