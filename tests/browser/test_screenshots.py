# SPDX-License-Identifier: AGPL-3.0-or-later
"""Not a test: takes the documentation's screenshots (docs/screenshots/)
from the Dresden demo atlas. Runs only with SCA_SCREENSHOTS=1, because it
wipes the test database first:

    SCA_SCREENSHOTS=1 deploy/sca test tests/browser/test_screenshots.py
"""
import collections
import json
import os
import shutil
import subprocess

import pytest

from ckan.tests import helpers

from ckanext.smartcityatlas.demo import loader
from tests.helpers.browser import REPO

pytestmark = [
    pytest.mark.skipif(os.environ.get("SCA_SCREENSHOTS") != "1", reason="set SCA_SCREENSHOTS=1 to take screenshots"),
    pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins"),
]


def test_take_documentation_screenshots(live_portal):
    loader.load()
    actors = helpers.call_action("package_search", fq="+dataset_type:actor", rows=1000, fl="name,sca_project_ids")
    actor = max(actors["results"], key=lambda a: (len(a.get("sca_project_ids") or []), a["name"]))["name"]
    # the project most actors name
    named = collections.Counter(i for a in actors["results"] for i in a.get("sca_project_ids") or [])
    project = helpers.call_action("package_show", id=max(named, key=lambda i: (named[i], i)))["name"]
    out = REPO / "docs" / "screenshots"
    proc = subprocess.run([shutil.which("node"), str(out / "take.mjs"), live_portal, actor, project, str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1])["taken"] == [
        "start-page.png", "atlas.png", "network-view.png", "actor-page.png", "project-page.png",
        "start-page-mobile.png", "atlas-mobile.png", "actor-page-mobile.png", "project-page-mobile.png"]
