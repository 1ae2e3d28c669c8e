# SPDX-License-Identifier: AGPL-3.0-or-later
"""sca_match: a constructed case with a known best match and its reasons,
explanations that add up to the score, permissions, input validation."""
import json

import pytest

import ckan.plugins.toolkit as tk

from tests.helpers.entities import actor_data, call, project_data

pytestmark = [pytest.mark.usefixtures("with_plugins")]
KINDS = {"shared_topics", "matching_terms", "shared_partners", "same_measure", "complementary_sector", "distance"}
NEAR = {"type": "Point", "coordinates": [13.7390, 51.0510]}   # by the Altmarkt
FAR = {"type": "Point", "coordinates": [13.9000, 51.0000]}    # Schönfeld-Weißig


@pytest.fixture
def case(world):
    """A hydrogen-bus project run by a firm; candidate actors of known fit."""
    u, org, editor = world["unique"], world["org_a"], world["users"]["editor"]
    # a word only this case uses (letters only: the analysis splits letters from digits)
    marker = "".join(chr(ord("k") + int(c, 16)) for c in u) + "wort"

    def actor(key, **kw):
        return call("package_create", editor, **actor_data(f"{key}-{u}", org, **kw))

    firm = actor("firm", title=f"Verkehrsbetrieb {u}", actor_kind="company", helix_sector="business",
                 notes="Betreibt Busse und Bahnen.", topics=["mobility"])
    best = actor("best", title=f"Institut für Brennstoffzellen {u}", helix_sector="science",
                 notes=f"Forschung zu Wasserstoff, Brennstoffzellen und emissionsfreien Bussen {marker}.",
                 topics=["mobility", "energy"], competences=["Wasserstofftankstellen"], spatial=json.dumps(NEAR))
    topical = actor("topical", title=f"Fahrradinitiative {u}", actor_kind="civil_society", helix_sector="civil_society",
                    notes="Setzt sich für sichere Radwege ein.", topics=["mobility"], spatial=json.dumps(FAR))
    unrelated = actor("unrelated", title=f"Sportverein {u}", actor_kind="civil_society", helix_sector="civil_society",
                      notes="Fußball und Leichtathletik.", topics=["health_sports"], spatial=json.dumps(FAR))
    hidden = actor("hidden", title=f"Wasserstofflabor {u}", private=True, helix_sector="science",
                   notes=f"Wasserstoff und Brennstoffzellen für Busse {marker}.", topics=["mobility", "energy"])
    project = call("package_create", editor, **project_data(
        f"bus-{u}", org, title=f"Wasserstoffbusse {u}", topics=["mobility", "energy"],
        notes=f"Erprobung von Bussen mit Brennstoffzellen und eigener Wasserstofftankstelle {marker}.",
        spatial=json.dumps({"type": "Point", "coordinates": [13.7383, 51.0504]}),
        partners=[{"actor": firm["id"], "role": "lead"}]))
    return dict(world, marker=marker, firm=firm, best=best, topical=topical, unrelated=unrelated, hidden=hidden, project=project)


def _ids(result):
    return [r["id"] for r in result["results"]]


def test_the_known_best_match_comes_first_with_its_reasons(case):
    result = call("sca_match", None, project_id=case["project"]["id"], limit=50)
    ids = _ids(result)
    assert ids[0] == case["best"]["id"]
    # (other tests' actors share topics too, so only the order of ours is known)
    assert case["unrelated"]["id"] not in ids[:3]
    if case["topical"]["id"] in ids and case["unrelated"]["id"] in ids:
        assert ids.index(case["topical"]["id"]) < ids.index(case["unrelated"]["id"])
    assert case["firm"]["id"] not in ids  # already a partner
    first = result["results"][0]
    kinds = {e["kind"] for e in first["explanation"]}
    assert {"shared_topics", "matching_terms", "complementary_sector", "distance"} <= kinds
    terms = next(e for e in first["explanation"] if e["kind"] == "matching_terms")
    assert "Wasserstoff" in terms["detail"] and "Brennstoffzellen" in terms["detail"]


def test_explanations_add_up_to_the_score(case):
    for params in ({"project_id": case["project"]["id"]}, {"actor_id": case["firm"]["id"]},
                   {"q": "Wasserstoff Busse Brennstoffzellen"}):
        results = call("sca_match", None, limit=50, **params)["results"]
        assert results
        for r in results:
            assert r["explanation"] and {e["kind"] for e in r["explanation"]} <= KINDS
            assert all(e["detail"] and e["weight"] > 0 for e in r["explanation"])
            assert abs(sum(e["weight"] for e in r["explanation"]) - r["score"]) <= 0.001 * r["score"]
        assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)


def test_explanations_are_german_by_default_and_english_on_request(app, case):
    de = app.get("/api/3/action/sca_match", query_string={"project_id": case["project"]["id"]}).json["result"]
    details = " ".join(e["detail"] for r in de["results"] for e in r["explanation"])
    assert "Gemeinsame Themen" in details and "Mobilität und Verkehr" in details
    en = app.get("/en/api/3/action/sca_match", query_string={"project_id": case["project"]["id"]}).json["result"]
    details = " ".join(e["detail"] for r in en["results"] for e in r["explanation"])
    assert "Shared topics" in details and "Mobility and transport" in details


@pytest.mark.parametrize("role,sees_private", [("anonymous", False), ("other_editor", False), ("member", True)])
def test_private_actors_are_proposed_only_to_those_who_may_see_them(case, role, sees_private):
    ids = _ids(call("sca_match", case["users"][role], project_id=case["project"]["id"], limit=50))
    assert (case["hidden"]["id"] in ids) is sees_private


def test_a_private_source_is_not_matchable_by_outsiders(case):
    private = call("package_create", case["users"]["editor"], **project_data(
        f"geheim-{case['unique']}", case["org_a"], private=True, topics=["mobility"]))
    with pytest.raises(tk.NotAuthorized):
        call("sca_match", None, project_id=private["id"])
    assert call("sca_match", case["users"]["member"], project_id=private["id"])["results"]


def test_shared_partners_and_measure(case):
    u, org, editor = case["unique"], case["org_a"], case["users"]["editor"]
    measure = call("package_create", editor, **project_data(f"m-{u}", org, project_kind="measure", title=f"Maßnahme {u}",
                                                             partners=[{"actor": case["topical"]["id"], "role": "partner"}]))
    # the firm worked with the cycling initiative elsewhere; the bus project joins the measure
    call("package_create", editor, **project_data(f"other-{u}", org, topics=["housing"], partners=[
        {"actor": case["firm"]["id"], "role": "lead"}, {"actor": case["topical"]["id"], "role": "partner"}]))
    call("package_patch", editor, id=case["project"]["id"], part_of=measure["id"])
    result = call("sca_match", None, project_id=case["project"]["id"], limit=50)
    topical = next(r for r in result["results"] if r["id"] == case["topical"]["id"])
    kinds = {e["kind"]: e for e in topical["explanation"]}
    assert case["firm"]["title"] in kinds["shared_partners"]["detail"]
    assert measure["title"] in kinds["same_measure"]["detail"]


def test_filters_limit_the_candidates(case):
    ids = _ids(call("sca_match", None, project_id=case["project"]["id"], sectors="civil_society", limit=50))
    assert case["topical"]["id"] in ids and case["best"]["id"] not in ids
    ids = _ids(call("sca_match", None, project_id=case["project"]["id"], types="research_institute", limit=50))
    assert case["best"]["id"] in ids and case["topical"]["id"] not in ids
    ids = _ids(call("sca_match", None, project_id=case["project"]["id"], radius_km=2, limit=50))
    assert case["best"]["id"] in ids and case["topical"]["id"] not in ids
    ids = _ids(call("sca_match", None, q="Radwege Fahrrad", lat=51.0, lon=13.9, radius_km=1, limit=50))
    assert ids == [case["topical"]["id"]] or case["topical"]["id"] in ids and case["best"]["id"] not in ids
    assert len(call("sca_match", None, project_id=case["project"]["id"], limit=1)["results"]) == 1


@pytest.mark.parametrize("params", [
    {}, {"actor_id": "x", "q": "y"}, {"q": "Bus", "fq": "*:*"}, {"q": "Bus", "lat": 51},
    {"q": "Bus", "lat": 100, "lon": 13}, {"q": "Bus", "limit": 500}, {"q": "Bus", "radius_km": 5},
    {"q": "Bus", "lat": "abc", "lon": 13},
])
def test_bad_input_is_a_validation_error(case, params):
    with pytest.raises(tk.ValidationError):
        call("sca_match", None, **params)


def test_the_wrong_entity_type_is_a_validation_error(case):
    with pytest.raises(tk.ValidationError):
        call("sca_match", None, actor_id=case["project"]["id"])
    with pytest.raises(tk.ObjectNotFound):
        call("sca_match", None, project_id="does-not-exist")


@pytest.mark.parametrize("q", ["{!lucene}*:*", "*:* OR id:*", "capacity:private", "\\", "{!term f=id}x"])
def test_solr_syntax_in_the_needs_text_is_just_text(case, q):
    try:
        results = call("sca_match", None, q=f"{q} Wasserstoff {case['marker']}")["results"]
    except tk.ValidationError:
        return
    assert case["hidden"]["id"] not in _ids({"results": results})


def test_get_works(app, case):
    resp = app.get("/api/3/action/sca_match", query_string={"q": f"Brennstoffzellen {case['marker']}"})
    assert resp.status_code == 200 and resp.json["result"]["results"][0]["id"] == case["best"]["id"]


def test_cached_answers_follow_edits_and_permissions(case):
    params = {"project_id": case["project"]["id"], "limit": 50}
    first = call("sca_match", None, **params)
    assert call("sca_match", None, **params) == first
    # an edit changes the index state, so the next answer is computed anew
    call("package_patch", case["users"]["editor"], id=case["topical"]["id"], topics=["health_sports"])
    after = call("sca_match", None, **params)
    topical = next((r for r in after["results"] if r["id"] == case["topical"]["id"]), None)
    assert topical is None or "shared_topics" not in {e["kind"] for e in topical["explanation"]}
    # the member's answer (with the private actor) is never the anonymous one
    assert case["hidden"]["id"] in _ids(call("sca_match", case["users"]["member"], **params))
    assert case["hidden"]["id"] not in _ids(call("sca_match", None, **params))


@pytest.fixture
def wordy(world):
    """Actors whose texts share only generic words with a request, and one
    whose English description alone says what an English request asks."""
    u, org, editor = world["unique"], world["org_a"], world["users"]["editor"]
    marker = "".join(chr(ord("k") + int(c, 16)) for c in u) + "wort"

    def actor(key, **kw):
        return call("package_create", editor, **actor_data(f"{key}-{u}", org, topics=["health_sports"], **kw))

    generic = actor("generic", title=f"Netzwerkbüro {u}",
                    notes="Partner für Maßnahmen des Modellprojekts; Partnerschaften und Kooperation.",
                    description_en="Partner for the measures of the model project; partnerships.")
    english = actor("english", title=f"Elektrolyselabor {u}", notes="Ein Labor der Hochschule.",
                    description_en=f"Electrolysers for green hydrogen and {marker}.")
    return dict(world, marker=marker, generic=generic, english=english)


def _matched_terms(result, actor_id):
    entry = next((r for r in result["results"] if r["id"] == actor_id), None)
    if entry is None:
        return None
    return next((e["detail"] for e in entry["explanation"] if e["kind"] == "matching_terms"), "")


def test_generic_domain_words_are_no_matching_terms(wordy):
    """Issue 29, item 7: "Partner", "Maßnahmen", "Modellprojekts" say nothing."""
    result = call("sca_match", None, q=f"Partner für Maßnahmen des Modellprojekts zu {wordy['marker']}", limit=50)
    for generic in ("Partner", "Maßnahmen", "Modellprojekt", "Projekt", "Modell"):
        assert all(generic not in (_matched_terms(result, r["id"]) or "") for r in result["results"]), generic
    assert _matched_terms(result, wordy["generic"]["id"]) in (None, "")
    with pytest.raises(tk.ValidationError):  # nothing specific is left to look for
        call("sca_match", None, q="Partner für Maßnahmen des Modellprojekts")


def test_an_english_request_matches_english_descriptions_and_not_partner(wordy):
    result = call("sca_match", None, q=f"Looking for a partner with electrolysers for {wordy['marker']}", limit=50)
    assert result["results"][0]["id"] == wordy["english"]["id"]
    terms = _matched_terms(result, wordy["english"]["id"])
    assert "lectrolyser" in terms and wordy["marker"] in terms.lower() and "artner" not in terms
    assert _matched_terms(result, wordy["generic"]["id"]) in (None, "")
