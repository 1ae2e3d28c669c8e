# SPDX-License-Identifier: AGPL-3.0-or-later
"""Funding programme and budget as atlas filters and facets (issue 29,
item 12, as the Smart City Navigator has them)."""
import pytest

from ckanext.smartcityatlas.atlas.funding import budget_class
from tests.helpers.entities import call, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins")]
PROGRAMME = "Modellprojekte Smart Cities (Bund, KfW)"


@pytest.fixture
def projects(world):
    u, org, editor = world["unique"], world["org_a"], world["users"]["editor"]
    made = {
        "big": project_data(f"big-{u}", org, funding_programme=PROGRAMME, budget_eur=2_000_000),
        "small": project_data(f"small-{u}", org, funding_programme="Horizon 2020 (EU)", budget_eur=60_000),
        "none": project_data(f"none-{u}", org),
    }
    return dict(world, **{key: call("package_create", editor, **data)["name"] for key, data in made.items()})


def _names(**filters):
    return sorted(r["name"] for r in call("sca_search", None, **filters)["results"])


def test_filter_and_facets(app, projects):
    org = projects["org_a"]["name"]
    # a name with commas is one value as a list (a JSON body, the page's form)
    assert _names(organization=org, funding=[PROGRAMME]) == [projects["big"]]
    assert _names(organization=org, budget="under_100k") == [projects["small"]]
    assert _names(organization=org, budget="over_1m,under_100k") == sorted([projects["big"], projects["small"]])
    facets = call("sca_search", None, organization=org)["facets"]
    assert facets["sca_funding_programmes"] == {PROGRAMME: 1, "Horizon 2020 (EU)": 1}
    assert facets["sca_budget_class"] == {"over_1m": 1, "under_100k": 1}
    page = app.get("/atlas", query_string={"organization": org}).body
    assert "Förderprogramm" in page and "1 Mio. € und mehr" in page and "Horizon 2020 (EU)" in page
    chosen = app.get("/atlas", query_string={"organization": org, "funding": PROGRAMME}).body
    assert projects["big"] in chosen and projects["small"] not in chosen
    english = app.get("/en/atlas", query_string={"organization": org}).body
    assert "Funding programme" in english and "1 million € and more" in english


@pytest.mark.parametrize("value,expected", [(0, "under_100k"), (99_999.5, "under_100k"), (100_000, "100k_1m"),
                                            ("1000000", "over_1m"), (None, None), ("viel", None), (-5, None)])
def test_budget_classes(value, expected):
    assert budget_class(value) == expected
