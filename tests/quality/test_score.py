# SPDX-License-Identifier: AGPL-3.0-or-later
"""Quality scores: computed on save from the record and its findings,
stored with a history; one criterion fixed changes exactly its points."""
import datetime
import re
from pathlib import Path

import pytest

from ckan.tests import factories, helpers

from ckanext.smartcityatlas.quality import record_checks, score
from tests.helpers.datasets import create, full_dataset, minimal_dataset

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


def show(**params):
    return helpers.call_action("sca_quality_show", **params)


def failed(found):
    return {c["id"] for c in found["criteria"] if not c["passed"]}


def test_a_complete_record_scores_full_marks_and_a_bare_one_low(org):
    good = show(id=create(full_dataset(org, "q1", frequency="IRREG"))["id"])
    assert good["score"] == 100 and good["rating"] == "excellent", failed(good)
    assert good["points"] == good["max_points"] == score.MAX_POINTS
    bare = show(id=create(minimal_dataset(org, "q2"))["id"])
    missing = {"keywords", "themes", "spatial", "temporal", "download_url", "access_rights",
               "contact_point", "attribution", "byte_size", "issued", "modified", "frequency"}
    assert failed(bare) == missing
    lost = sum(score.criterion(c).points for c in missing)
    assert lost == 180 and bare["score"] == 55 and bare["rating"] == "good"
    theme = next(c for c in bare["criteria"] if c["id"] == "themes")
    assert theme["fix"]["de"].startswith("Mindestens eine Kategorie") and theme["field"] == "theme"


def test_fixing_one_criterion_changes_exactly_its_points(org):
    sysadmin = factories.Sysadmin()["name"]
    dataset = create(minimal_dataset(org, "q3"))
    before = show(id=dataset["id"])
    helpers.call_action("package_patch", context={"user": sysadmin}, id=dataset["id"], theme=["ENVI"])
    after = show(id=dataset["id"])
    assert failed(before) - failed(after) == {"themes"} and failed(after) <= failed(before)
    assert after["points"] - before["points"] == score.criterion("themes").points


def test_proprietary_only_formats_and_an_organisation_contact(org):
    sysadmin = factories.Sysadmin()["name"]
    pdf = create(minimal_dataset(org, "q4", resources=[{"url": "https://example.org/a.pdf", "format": "PDF"}]))
    assert "machine_readable" in failed(show(id=pdf["id"]))
    assert "contact_point" in failed(show(id=pdf["id"]))
    helpers.call_action("organization_patch", context={"user": sysadmin}, id=org["id"],
                        contact_email="opendata@example.org")
    helpers.call_action("package_patch", context={"user": sysadmin}, id=pdf["id"], title="Neu")
    assert "contact_point" not in failed(show(id=pdf["id"]))


def test_staleness_follows_the_declared_frequency(org):
    old = (datetime.datetime.utcnow() - datetime.timedelta(days=60)).date().isoformat()
    monthly = create(minimal_dataset(org, "q5", frequency="MONTHLY", modified=old))
    weekly_fresh = create(minimal_dataset(org, "q6", frequency="WEEKLY",
                                          modified=datetime.date.today().isoformat()))
    assert "up_to_date" in failed(show(id=monthly["id"])) and show(id=monthly["id"])["stale"]
    assert "up_to_date" not in failed(show(id=weekly_fresh["id"]))
    # time passes: the scheduler task flips it without a save
    later = datetime.datetime.utcnow() + datetime.timedelta(days=30)
    assert record_checks.refresh_staleness(later) == 1
    assert show(id=weekly_fresh["id"])["stale"] is True
    assert record_checks.refresh_staleness(later) == 0


def test_history_has_a_row_per_change_not_per_save(org):
    import sqlalchemy as sa

    from ckan import model

    sysadmin = factories.Sysadmin()["name"]
    dataset = create(minimal_dataset(org, "q7"))
    for title in ("A", "B"):  # the score does not change
        helpers.call_action("package_patch", context={"user": sysadmin}, id=dataset["id"], title=title)
    helpers.call_action("package_patch", context={"user": sysadmin}, id=dataset["id"], theme=["ENVI"])
    rows = model.Session.execute(sa.text(
        "select score from sca_quality_history where package_id = :id order by id"), {"id": dataset["id"]}).all()
    assert len(rows) == 2 and rows[1].score > rows[0].score


def test_docs_list_every_criterion_with_its_points():
    text = (Path(__file__).resolve().parents[2] / "docs" / "quality-score.md").read_text(encoding="utf-8")
    for c in score.CRITERIA:
        assert re.search(rf"\| `{c.id}` \|[^\n]*\| {c.points} \|", text), c.id
    assert f"**{score.MAX_POINTS}**" in text
