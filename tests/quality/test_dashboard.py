# SPDX-License-Identifier: AGPL-3.0-or-later
"""/dashboard/quality and its CSV, and the feedback box in the dataset form."""
import pytest

from ckan.tests import factories

from tests.helpers.datasets import create, minimal_dataset

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


@pytest.fixture
def office():
    editor, outsider = factories.User(), factories.User()
    org = factories.Organization(title="Umweltamt", users=[{"name": editor["name"], "capacity": "editor"}])
    other = factories.Organization(title="Bauamt")
    return {"org": org, "other": other, "editor": editor, "outsider": outsider,
            "token": factories.APIToken(user=editor["name"])["token"]}


def test_dashboard_lists_the_offices_drafts_and_nothing_else(app, office):
    draft = create(minimal_dataset(office["org"], "d1", private=True, title="Entwurf Lärmkarte"))
    create(minimal_dataset(office["other"], "d2", private=True, title="Geheimer Bauplan"))
    page = app.get("/dashboard/quality", headers={"Authorization": office["token"]}, status=200).body
    assert "Entwurf Lärmkarte" in page and "Geheimer Bauplan" not in page
    assert f'href="/dataset/edit/{draft["name"]}"' in page
    assert "Kategorien" in page or "Categories" in page  # a criterion the draft misses
    app.get("/dashboard/quality", status=403)
    app.get("/dashboard/quality", query_string={"organization": office["other"]["name"]},
            headers={"Authorization": office["token"]}, status=403)
    app.get("/dashboard/quality", query_string={"sort": "evil"}, headers={"Authorization": office["token"]},
            status=400)


def test_csv_export_is_formula_safe_and_scoped(app, office):
    create(minimal_dataset(office["org"], "d3", title="=HYPERLINK(\"http://evil\")"))
    create(minimal_dataset(office["other"], "d4", title="Fremd"))
    response = app.get("/dashboard/quality.csv", headers={"Authorization": office["token"]}, status=200)
    assert response.headers["Content-Type"].startswith("text/csv")
    text = response.body
    assert text.startswith("\ufeffname;title;organization")
    assert "'=HYPERLINK" in text and "Fremd" not in text
    app.get("/dashboard/quality.csv", status=403)


def test_edit_form_shows_the_records_problems_with_fixes(app, office):
    dataset = create(minimal_dataset(office["org"], "d5"))
    form = app.get(f"/dataset/edit/{dataset['name']}", headers={"Authorization": office["token"]}, status=200).body
    assert "Qualität dieses Datensatzes: 55 von 100" in form or "Quality of this dataset: 55 of 100" in form
    assert 'href="#field-theme"' in form and 'data-field="tag_string"' in form
    assert "Mindestens eine Kategorie" in form or "Choose at least one category" in form
    # the new-dataset form has nothing saved to judge yet
    new = app.get("/dataset/new", headers={"Authorization": office["token"]}, status=200).body
    assert "sca-form-feedback" not in new
