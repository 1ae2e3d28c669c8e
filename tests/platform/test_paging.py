# SPDX-License-Identifier: AGPL-3.0-or-later
"""Paged pages take a page number from 1 to the last page within
paging.max_offset; anything else is HTTP 400 naming the parameter (a huge
one was a database error that broke the worker, or a Solr error)."""
import pytest

from ckan.tests import factories

pytestmark = [pytest.mark.usefixtures("with_plugins")]

PAGED = ("/datenwuensche", "/atlas", "/atlas/embed", "/atlas/netzwerk", "/dashboard/quality",
         "/atlas/export.csv")
BAD_PAGES = ("99999999999999999999", "99999999", "0", "-1", "abc", "1.0", " 2", "+2", "٣", "1_0")


@pytest.fixture
def headers():
    return {"Authorization": factories.APIToken(user=factories.Sysadmin()["name"])["token"]}


@pytest.mark.parametrize("path", PAGED)
def test_bad_page_numbers_are_400_naming_the_parameter(app, headers, path):
    for page in BAD_PAGES:
        resp = app.get(path, query_string={"page": page}, headers=headers)
        assert resp.status_code == 400, (page, resp.status_code)
        assert "„page“ muss eine ganze Zahl von 1 bis" in resp.body, page
    assert app.get(path, query_string={"page": "2"}, headers=headers).status_code == 200


@pytest.mark.ckan_config("ckanext.smartcityatlas.paging.max_offset", "100")
def test_the_last_page_follows_the_maximum_offset(app, headers):
    # 20 data requests a page: rows 0-19 … 100-119, so page 6 is the last
    assert app.get("/datenwuensche", query_string={"page": "6"}, headers=headers).status_code == 200
    resp = app.get("/datenwuensche", query_string={"page": "7"}, headers=headers)
    assert resp.status_code == 400 and "1 bis 6" in resp.body
