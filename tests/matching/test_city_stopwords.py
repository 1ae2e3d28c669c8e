# SPDX-License-Identifier: AGPL-3.0-or-later
"""Nearly every entry names its city: the configured city's name (and its
``matching.stopwords``) says nothing about a partner, another city's does."""
from ckanext.smartcityatlas.matching import profile
from tests.helpers.city_folder import write_example_city


def test_the_configured_citys_name_is_a_stopword(ckan_config, monkeypatch, tmp_path):
    assert {"dresden", "dresdner"} <= profile.city_stopwords()
    assert "dresden" not in profile.STOPWORDS
    folder = write_example_city(tmp_path / "musterstadt", boundary=True)
    monkeypatch.setitem(ckan_config, "ckanext.smartcityatlas.city", str(folder))
    assert "musterstadt" in profile.city_stopwords() and "dresden" not in profile.city_stopwords()
