# SPDX-License-Identifier: AGPL-3.0-or-later
"""German first, English too: every UI string of ours has a German translation."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ckan.tests import factories

REPO = Path(__file__).resolve().parents[1]


def test_every_message_is_translated_and_compiled():
    proc = subprocess.run([sys.executable, str(REPO / "deploy" / "lib" / "i18n.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize("prefix,expected", [("", "vertauscht"), ("/en", "swapped")])
def test_validation_message_in_the_page_language(app, unique, prefix, expected):
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    headers = {"Authorization": factories.APIToken(user=editor["name"])["token"]}
    form = app.get(f"{prefix}/actor/new", headers=headers)
    assert form.status_code == 200
    resp = app.post(f"{prefix}/actor/new", headers=headers, data={
        "_ckan_phase": "dataset_new_1", "save": "", "title": "Falsch", "name": f"falsch-{unique}", "notes": "x",
        "owner_org": org["id"], "actor_kind": "company", "helix_sector": "business",
        "spatial": json.dumps({"type": "Point", "coordinates": [51.05, 13.73]}),
    })
    assert expected in resp.body
