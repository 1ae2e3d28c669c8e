# SPDX-License-Identifier: AGPL-3.0-or-later
"""Actor and project schemas: good records pass, bad ones get clear messages."""
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from tests.helpers.entities import ALTMARKT, WEIXDORF, actor_data, call, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins")]


@pytest.fixture
def editor_org():
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    return editor, org


def test_good_actor_is_saved_with_its_district(unique, editor_org):
    editor, org = editor_org
    actor = call("package_create", editor, **actor_data(unique, org, contact_email="info@example.org",
                                                         url="https://example.org", founding_year="1828",
                                                         postal_code="01069", sdgs=["7", "11"]))
    assert actor["type"] == "actor"
    assert actor["sca_districts"] == [{"id": "01", "name": "Innere Altstadt", "group_type": "stadtbezirk", "group": "Altstadt"}]
    assert actor["sca_warnings"] == []
    assert actor["topics"] == ["energy"]
    assert json.loads(actor["spatial"]) == ALTMARKT


def test_district_in_an_ortschaft(unique, editor_org):
    editor, org = editor_org
    actor = call("package_create", editor, **actor_data(unique, org, spatial=json.dumps(WEIXDORF)))
    assert [(d["name"], d["group_type"], d["group"]) for d in actor["sca_districts"]] == [("Weixdorf", "ortschaft", "Weixdorf")]


def test_client_cannot_set_derived_fields(unique, editor_org):
    editor, org = editor_org
    actor = call("package_create", editor, **actor_data(unique, org, sca_districts='[{"name": "Erfunden"}]',
                                                         sca_warnings="[]"))
    assert [d["name"] for d in actor["sca_districts"]] == ["Innere Altstadt"]


@pytest.mark.parametrize("field,value,message", [
    ("spatial", '{"type": "Point", "coordinates": [51.0504, 13.7383]}', "swapped"),
    ("spatial", '{"type": "Point", "coordinates": [13.7, 95.0]}', "out of range"),
    ("spatial", "not json", "not valid GeoJSON"),
    ("spatial", '{"type": "LineString", "coordinates": [[13.7, 51.0], [13.8, 51.1]]}', "Point, MultiPoint"),
    ("spatial", '{"type": "Polygon", "coordinates": [[[13.7,51.0],[13.8,51.1],[13.8,51.0],[13.7,51.1],[13.7,51.0]]]}', "invalid"),
    ("contact_email", "info(at)example.org", "valid e-mail"),
    ("url", "www.example.org", "http://"),
    ("actor_kind", "spaceship", "must be one of"),
    ("topics", ["energy", "teleportation"], "unexpected choice"),
    ("founding_year", "1066", "between 1200"),
    ("postal_code", "1069", "five digits"),
])
def test_bad_actor_values_are_refused_with_a_message(unique, editor_org, field, value, message):
    editor, org = editor_org
    with pytest.raises(tk.ValidationError) as err:
        call("package_create", editor, **actor_data(unique, org, **{field: value}))
    assert field in err.value.error_dict
    assert message.lower() in " ".join(map(str, err.value.error_dict[field])).lower()


@pytest.mark.parametrize("value,message", [
    ('https://example.org/a"b', 'nicht vorkommen dürfen: ".'),
    ("https://example.org/a b", "nicht vorkommen dürfen: Leerzeichen."),
    ("https://example.org/<x>", "nicht vorkommen dürfen: <, >."),
    ("https://example.org/{x}|y", "nicht vorkommen dürfen: {, }, |."),
    ("https://example.org/a\\b^c`d", "nicht vorkommen dürfen: \\, ^, `."),
    ("https://example.org/\tx\ny", "nicht vorkommen dürfen: U+0009, U+000A."),
    ("https://example.org/\u202egnp.exe", "nicht vorkommen dürfen: U+202E."),
    ("https://example.org/a\u00a0b", "nicht vorkommen dürfen: U+00A0."),
    ("https://example.org/100%", "zwei Hexadezimalziffern"),
    ("https://example.org/%zz", "zwei Hexadezimalziffern"),
    ("https://", "gültigen Rechnernamen"),
    ("https:///pfad", "gültigen Rechnernamen"),
    ("https://:443/", "gültigen Rechnernamen"),
    ("https://a@b@example.org/", "gültigen Rechnernamen"),
    ("https://example.org:port/", "gültigen Rechnernamen"),
    ("https:example.org", "gültigen Rechnernamen"),
    ("ftp://example.org/datei", "mit http:// oder https:// beginnt"),
    ("javascript:alert(1)", "mit http:// oder https:// beginnt"),
    ("//example.org/", "mit http:// oder https:// beginnt"),
])
def test_urls_that_are_no_iris_are_refused_naming_the_field(app, unique, editor_org, value, message):
    """Over the Action API: 409 naming ``url`` (the value would break the
    Turtle of the atlas open data), in the portal's language."""
    editor, org = editor_org
    token = factories.APIToken(user=editor["name"])["token"]
    response = app.post("/api/3/action/package_create", json=actor_data(unique, org, url=value),
                        headers={"Authorization": token}, status=409)
    error = response.json["error"]
    assert list(k for k in error if k != "__type") == ["url"]
    assert message.lower() in " ".join(error["url"]).lower()


def test_a_nul_in_a_url_is_refused_before_the_validators_naming_the_field(app, unique, editor_org):
    """A NUL in a JSON body never reaches CKAN's own actions (platform/json_body.py): 400 naming ``url``."""
    editor, org = editor_org
    token = factories.APIToken(user=editor["name"])["token"]
    response = app.post("/api/3/action/package_create", json=actor_data(unique, org, url="https://example.org/\x00"),
                        headers={"Authorization": token}, status=400)
    assert "url" in response.json["error"]["message"]


@pytest.mark.parametrize("value", [
    "https://example.org", "HTTPS://Example.org/Straße?q=ä&x=1#teil", "http://example.org:8080/%20a%C3%A4",
    "https://[2001:db8::1]:8443/a", "https://nutzer:pw@example.org/", "https://例え.jp/パス",
    "https://example.org/a[1]",
])
def test_web_addresses_are_accepted(unique, editor_org, value):
    editor, org = editor_org
    assert call("package_create", editor, **actor_data(unique, org, url=value, logo_url=value))["url"] == value


def test_every_url_field_is_checked(unique, editor_org):
    """The project's further links, the dataset's sca_url fields and IRI lists."""
    from tests.helpers.datasets import minimal_dataset

    editor, org = editor_org
    with pytest.raises(tk.ValidationError) as err:
        call("package_create", editor, **project_data(unique, org, links=["https://example.org/ok", 'https://x.org/"']))
    assert "links" in err.value.error_dict
    for field, value in (("contact_url", "https://example.org/a b"), ("documentation", ["https://example.org/<x>"]),
                         ("conforms_to", ["https://example.org/{x}"]), ("url", "https://example.org/`")):
        with pytest.raises(tk.ValidationError) as err:
            call("package_create", editor, **minimal_dataset(org, unique, private=True, **{field: value}))
        assert list(err.value.error_dict) == [field], field
        assert "may not hold" in " ".join(map(str, err.value.error_dict[field]))
    with pytest.raises(tk.ValidationError) as err:
        call("package_create", editor, **minimal_dataset(org, unique, private=True, resources=[
            {"url": "https://example.org/x.csv", "download_url": "https://example.org/x y.csv"}]))
    assert "download_url" in str(err.value.error_dict["resources"])


def test_location_outside_the_city_is_saved_with_a_warning_for_editors(unique, editor_org):
    editor, org = editor_org
    leipzig = {"type": "Point", "coordinates": [12.3731, 51.3397]}
    actor = call("package_create", editor, **actor_data(unique, org, spatial=json.dumps(leipzig)))
    assert actor["sca_districts"] == []
    assert [w["field"] for w in actor["sca_warnings"]] == ["spatial"]
    # The public sees the record, not the editors' notes.
    public = call("package_show", None, id=actor["id"])
    assert "sca_warnings" not in public
    assert call("package_show", editor, id=actor["id"])["sca_warnings"]


def test_project_dates_and_references(unique, editor_org):
    editor, org = editor_org
    with pytest.raises(tk.ValidationError) as err:
        call("package_create", editor, **project_data(unique, org, start_date="2024-05-01", end_date="2023-01-01"))
    assert "end must not be before the start" in str(err.value.error_dict["end_date"])

    with pytest.raises(tk.ValidationError) as err:
        call("package_create", editor, **project_data(unique, org, part_of="gibt-es-nicht"))
    assert "no measure" in str(err.value.error_dict["part_of"])

    with pytest.raises(tk.ValidationError) as err:
        call("package_create", editor, **project_data(unique, org, partners=[{"actor": "gibt-es-nicht", "role": "lead"}]))
    assert "no actor" in str(err.value.error_dict["partners"])

    with pytest.raises(tk.ValidationError) as err:
        call("package_create", editor, **project_data(unique, org, partners=[{"name": "Extern GmbH", "role": "boss"}]))
    assert "partners" in err.value.error_dict


def test_project_with_partners_measure_and_polygon(unique, editor_org):
    editor, org = editor_org
    actor = call("package_create", editor, **actor_data(unique, org))
    measure = call("package_create", editor, **project_data(f"m-{unique}", org, project_kind="measure"))
    area = {"type": "Polygon", "coordinates": [[[13.75, 51.03], [13.79, 51.03], [13.79, 51.045], [13.75, 51.045], [13.75, 51.03]]]}
    project = call("package_create", editor, **project_data(
        unique, org, part_of=measure["name"], start_date="2023-01-01", end_date="2025-12-31",
        spatial=json.dumps(area), links=["https://example.org/projekt"],
        partners=[{"actor": actor["name"], "role": "lead"}, {"name": "Extern GmbH", "role": "partner"}]))
    assert project["part_of"] == measure["id"]  # stored by id, given by name
    assert project["partners"][0] == {"actor": actor["id"], "role": "lead"} | {k: v for k, v in project["partners"][0].items() if k == "name"}
    assert project["partners"][1]["name"] == "Extern GmbH"
    assert {d["name"] for d in project["sca_districts"]} >= {"Seevorstadt-Ost/Großer Garten"}

    with pytest.raises(tk.ValidationError) as err:
        call("package_create", editor, **project_data(f"x-{unique}", org, links=["ftp//kaputt"]))
    assert "links" in err.value.error_dict


def test_district_precision_hides_the_address_point_from_the_public(unique, editor_org):
    from ckan.lib.search.common import make_connection

    editor, org = editor_org
    home = {"type": "Point", "coordinates": [13.7702, 51.0652]}  # a private address in Blasewitz area
    actor = call("package_create", editor, **actor_data(
        unique, org, actor_kind="civil_society", helix_sector="civil_society", location_precision="district",
        spatial=json.dumps(home), street_address="Musterstraße 1"))
    district = actor["sca_districts"][0]["name"]

    public = call("package_show", None, id=actor["id"])
    assert public["location_coarsened"] is True
    assert json.loads(public["spatial"]) != home and "street_address" not in public
    # the editor still sees (and edits) the exact values
    own = call("package_show", editor, id=actor["id"])
    assert json.loads(own["spatial"]) == home and own["street_address"] == "Musterstraße 1"
    assert "location_coarsened" not in own

    # search results, stored index fields and radius search reveal nothing more
    found = call("package_search", None, fq=f'id:"{actor["id"]}"')["results"][0]
    assert json.loads(found["spatial"]) == json.loads(public["spatial"])
    doc = list(make_connection().search(q=f'id:"{actor["id"]}"', fl="*"))[0]
    stored = json.dumps(doc, ensure_ascii=False, default=str)
    assert "Musterstraße" not in stored and "13.7702" not in stored
    lon, lat = home["coordinates"]
    near = call("package_search", None, fq=f'id:"{actor["id"]}"',
                extras={"ext_lat": lat, "ext_lon": lon, "ext_radius_km": 0.05})
    assert near["count"] == 0
    assert district  # it is still placed in its district
