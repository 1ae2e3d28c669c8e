# SPDX-License-Identifier: AGPL-3.0-or-later
"""CKAN's error page in the page language with ways back into the portal
(issue 29, item 7: "404 Not Found" and nothing else before)."""
import uuid

import pytest

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def test_404_in_german_with_ways_back(app):
    page = app.get("/gibt-es-nicht", status=404).body
    assert "Seite nicht gefunden" in page and "Not Found" not in page
    assert 'href="/atlas"' in page and 'href="/dataset/"' in page
    assert 'name="q"' in page  # a search


def test_404_in_english(app):
    page = app.get("/en/does-not-exist", status=404).body
    assert "Page not found" in page and "Not Found" not in page and "Seite" not in page
    assert 'href="/en/atlas"' in page


def test_a_views_own_message_is_kept(app):
    page = app.get(f"/en/datenwuensche/{uuid.uuid4()}", status=404).body
    assert "Data request not found" in page and "Page not found" in page


def test_unpublish_in_german(app):
    from ckan.tests import factories

    from tests.helpers.datasets import create, minimal_dataset

    dataset = create(minimal_dataset(factories.Organization(), uuid.uuid4().hex[:8]))
    sysadmin = factories.Sysadmin()
    token = factories.APIToken(user=sysadmin["name"])["token"]
    form = app.get(f"/dataset/edit/{dataset['name']}", headers={"Authorization": token}, status=200).body
    assert "Veröffentlichung zurückziehen" in form and "Unpublish" not in form
