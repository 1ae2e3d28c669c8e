# SPDX-License-Identifier: AGPL-3.0-or-later
"""Search understands German: inflection, umlauts and ß, compounds.

Each case is checked twice: through package_search on the real Solr core,
and, as a control, through Solr's analysis of CKAN's stock English field type
(kept as text_en), which must fail the same case.
"""
import json
import urllib.parse
import urllib.request

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

pytestmark = [pytest.mark.usefixtures("with_plugins")]

DOCS = {
    "stadt": ("Die Stadt im Wandel", "Wie sich die Stadt Dresden digital entwickelt."),
    "haus": ("Das Haus der Presse", "Ein Haus am Altmarkt als Treffpunkt."),
    "strasse": ("Straßenbeleuchtung Königsbrücker Straße", "Messwerte der Straße."),
    "energie": ("Energieversorgung im Quartier", "Smarte Energieversorgung für ein Wohnquartier."),
    "anderes": ("Baumkataster", "Alle Bäume mit Art und Pflanzjahr."),
}

CASES = [  # (query, the only document it must find)
    ("Städte", "stadt"),
    ("Häuser", "haus"),
    ("strasse", "strasse"),
    ("Energieversorgungen", "energie"),
    ("Versorgung", "energie"),  # a part of a compound
]


@pytest.fixture(scope="module")
def corpus():
    unique = factories.fake.unique.pyint()
    sysadmin = factories.Sysadmin()
    org = factories.Organization()
    names = {}
    for key, (title, notes) in DOCS.items():
        names[key] = f"de-{key}-{unique}"
        helpers.call_action(
            "package_create", context={"user": sysadmin["name"]},
            name=names[key], title=title, notes=notes, owner_org=org["id"], license_id="dl-by-de/2.0",
        )
    return org["id"], names


def _analyze(fieldtype: str, text: str) -> set[str]:
    """Terms Solr's index analyzer of fieldtype produces for text."""
    query = urllib.parse.urlencode(
        {"analysis.fieldtype": fieldtype, "analysis.fieldvalue": text, "wt": "json"})
    with urllib.request.urlopen(f"{tk.config['solr_url']}/analysis/field?{query}", timeout=10) as resp:
        analysis = json.load(resp)["analysis"]["field_types"][fieldtype]["index"]
    return {token["text"] for token in analysis[-1]}


def _query_terms(fieldtype: str, text: str) -> set[str]:
    query = urllib.parse.urlencode(
        {"analysis.fieldtype": fieldtype, "analysis.query": text, "analysis.fieldvalue": "", "wt": "json"})
    with urllib.request.urlopen(f"{tk.config['solr_url']}/analysis/field?{query}", timeout=10) as resp:
        analysis = json.load(resp)["analysis"]["field_types"][fieldtype]["query"]
    return {token["text"] for token in analysis[-1]}


@pytest.mark.parametrize("query,expected", CASES)
def test_german_query_finds_exactly_the_right_dataset(corpus, query, expected):
    org_id, names = corpus
    result = helpers.call_action("package_search", q=query, fq=f"owner_org:{org_id}")
    assert [d["name"] for d in result["results"]] == [names[expected]]


@pytest.mark.parametrize("query,expected", CASES)
def test_stock_english_analysis_fails_the_same_case(query, expected):
    title, notes = DOCS[expected]
    german = _analyze("text", f"{title} {notes}")
    english = _analyze("text_en", f"{title} {notes}")
    assert _query_terms("text", query) <= german
    assert not _query_terms("text_en", query) <= english
