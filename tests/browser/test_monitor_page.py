# SPDX-License-Identifier: AGPL-3.0-or-later
"""In headless Chromium: /atlas/monitor at desktop and 360 px width, German
and English, with trend charts, the table, definitions and no serious or
critical axe-core findings; it works without JavaScript and loads nothing
from other hosts; a private dataset is not counted."""
import json
import urllib.parse

import pytest

from ckan.tests import factories, helpers

from ckanext.smartcityatlas.monitoring import indicator_history
from tests.helpers.browser import run_node
from tests.helpers.datasets import create, minimal_dataset

pytestmark = [pytest.mark.usefixtures("with_plugins")]


def test_monitor_page(live_portal, unique, tmp_path):
    import datetime

    org = factories.Organization(image_url="", title="Amt für Digitales")
    create(minimal_dataset(org, f"offen-{unique}"))
    create(minimal_dataset(org, f"geheim-{unique}", private=True))
    today = datetime.date.today()
    for back in (200, 100):  # two earlier quarters with a stored value: a trend line
        indicator_history.store("open_datasets", indicator_history.quarter_of(today - datetime.timedelta(days=back)),
                                back / 100, [])
    from ckan import model

    model.Session.commit()
    public = helpers.call_action("package_search", {"user": "", "ignore_auth": False},
                                 fq="+dataset_type:dataset", rows=0)["count"]

    seen = run_node("monitor_page.mjs", live_portal, str(tmp_path))

    assert seen["errors"] == []
    hosts = {urllib.parse.urlsplit(u).hostname for u in seen["requests"] if u.startswith("http")}
    assert hosts == {"127.0.0.1"}, hosts
    german, mobile, english = seen["runs"]["/de-1280"], seen["runs"]["/de-360"], seen["runs"]["/en-360"]
    assert german["heading"].startswith("Smart-City-Monitor")
    assert english["heading"].startswith("Smart-city monitor")
    [row] = [r for r in german["rows"] if r.startswith("Offene Datensätze")]
    assert row.split()[2] == str(public)  # what a visitor finds: the private dataset is not counted
    assert german["cards"] == len(german["rows"]) >= 10 and german["charts"] >= 1
    assert german["headers"] == 2 + 8 + 1
    for run in seen["runs"].values():
        assert run["definitionInView"] and run["overflow"] <= 0, (run["overflow"], run["wide"])
    assert seen["withoutScript"] == len(german["rows"])
    assert all(findings == [] for findings in seen["axe"].values()), json.dumps(seen["axe"], indent=1)
