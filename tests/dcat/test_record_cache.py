# SPDX-License-Identifier: AGPL-3.0-or-later
"""Catalog pages joined from each dataset's stored RDF (dcat/record_cache.py):
the same graph as a page built anew, in every format and both profiles,
and never stale: an edit of the dataset or of its office, a deletion or a
dataset made private shows on the next request."""
import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCAT, RDF

from ckan import model
from ckan.lib import jobs
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories, helpers

from ckanext.smartcityatlas.dcat import record_rdf, record_store, record_warm
from tests.helpers.datasets import create, full_dataset, minimal_dataset

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index")]

PROFILES = ("sca_dcatap_de", "sca_dcatap_de_3")
# endpoint → rdflib parser
FORMATS = {"ttl": "turtle", "rdf": "xml", "xml": "xml", "jsonld": "json-ld", "n3": "n3"}
MUNICIPALITY = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/14612000"
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
CACHE = "ckanext.smartcityatlas.dcat.record_cache"


def _page(app, fmt="ttl", user=None, **params):
    headers = {"Authorization": user["token"]} if user else {}
    body = app.get(f"/catalog.{fmt}", query_string=params, headers=headers, status=200).body
    return rdflib.Graph().parse(data=body, format=FORMATS[fmt])


def _uncached(app, fmt="ttl", **params):
    with helpers.changed_config(CACHE, False):
        return _page(app, fmt, **params)


def _assert_same(cached, uncached):
    if not isomorphic(cached, uncached):
        _both, only_cached, only_uncached = graph_diff(to_isomorphic(cached), to_isomorphic(uncached))
        pytest.fail(f"only cached: {sorted(only_cached)[:5]}\nonly uncached: {sorted(only_uncached)[:5]}")


def _stored(profile, fmt="turtle"):
    return model.Session.query(record_store.records).filter_by(profile=profile, format=fmt).count()


@pytest.fixture
def datasets(org, unique):
    """A full and a minimal dataset and one sharing the municipality IRI (a node several datasets describe)."""
    return [create(full_dataset(org, unique, spatial_uri=MUNICIPALITY)),
            create(minimal_dataset(org, unique)),
            create(minimal_dataset(org, f"{unique}b", spatial_uri=MUNICIPALITY))]


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "2")
@pytest.mark.parametrize("profile", PROFILES)
def test_cached_pages_are_the_graph_of_uncached_ones(app, datasets, profile):
    for fmt in FORMATS:
        for page in (1, 2):  # page 1 with a next link, page 2 with a previous one
            first = _page(app, fmt, profiles=profile, page=page)  # builds and stores what is missing
            again = _page(app, fmt, profiles=profile, page=page)  # from the store
            uncached = _uncached(app, fmt, profiles=profile, page=page)
            assert len(set(first.subjects(RDF.type, DCAT.Dataset))) == (2 if page == 1 else 1)
            _assert_same(first, uncached)
            _assert_same(again, uncached)
    assert _stored(profile, "turtle") == _stored(profile, "pretty-xml") == _stored(profile, "json-ld") == 3


def test_page_is_joined_from_the_stored_texts(app, org, unique):
    """The texts are really used: a marker written into a stored text shows up in the page."""
    dataset = create(minimal_dataset(org, unique))
    _page(app)
    marker = f"<urn:marker:{unique}> <urn:p> \"stored\" ."
    model.Session.execute(record_store.records.update()
                          .where(record_store.records.c.package_id == dataset["id"])
                          .values(body=record_store.records.c.body + "\n" + marker))
    model.Session.commit()
    graph = _page(app)
    assert (rdflib.URIRef(f"urn:marker:{unique}"), rdflib.URIRef("urn:p"), rdflib.Literal("stored")) in graph


def _contact_emails(graph, dataset):
    ref = next(s for s in graph.subjects(RDF.type, DCAT.Dataset) if dataset["id"] in str(s))
    return {str(o) for c in graph.objects(ref, DCAT.contactPoint) for o in graph.objects(c, VCARD.hasEmail)}


@pytest.mark.parametrize("profile", PROFILES)
def test_office_contact_change_shows_at_once(app, unique, profile):
    office = factories.Organization(contact_name="Daten-Team", contact_email=f"alt-{unique}@example.org")
    dataset = create(minimal_dataset(office, unique))  # no contact of its own: the office's
    assert _contact_emails(_page(app, profiles=profile), dataset) == {f"mailto:alt-{unique}@example.org"}
    helpers.call_action("organization_patch", {"user": factories.Sysadmin()["name"]}, id=office["id"],
                        contact_email=f"neu-{unique}@example.org")
    for fmt in FORMATS:
        assert _contact_emails(_page(app, fmt, profiles=profile), dataset) == {f"mailto:neu-{unique}@example.org"}


@pytest.mark.parametrize("profile", PROFILES)
def test_dataset_edit_shows_at_once(app, org, unique, profile):
    dataset = create(minimal_dataset(org, unique))
    _page(app, profiles=profile)
    helpers.call_action("package_patch", {"user": factories.Sysadmin()["name"]}, id=dataset["id"],
                        title=f"Neuer Titel {unique}")
    for fmt in FORMATS:
        titles = {str(t) for t in _page(app, fmt, profiles=profile).objects(None, rdflib.namespace.DCTERMS.title)}
        assert f"Neuer Titel {unique}" in titles and f"Minimal {unique}" not in titles, fmt


@pytest.mark.parametrize("profile", PROFILES)
def test_deleted_and_private_datasets_leave_the_page(app, org, unique, profile):
    kept = create(minimal_dataset(org, unique))
    deleted = create(minimal_dataset(org, f"{unique}d"))
    hidden = create(minimal_dataset(org, f"{unique}p"))
    sysadmin = factories.SysadminWithToken()
    for fmt in FORMATS:
        _page(app, fmt, profiles=profile)  # all three stored
    context = {"user": sysadmin["name"]}
    helpers.call_action("package_delete", context, id=deleted["id"])
    helpers.call_action("package_patch", context, id=hidden["id"], private=True)
    for fmt in FORMATS:
        for user in (None, sysadmin):
            ids = {str(s).rsplit("/", 1)[-1] for s in _page(app, fmt, user=user, profiles=profile)
                   .subjects(RDF.type, DCAT.Dataset)}
            assert ids == {kept["id"]}, (fmt, user and "sysadmin")


def test_site_url_change_rebuilds(app, org, unique):
    dataset = create(minimal_dataset(org, unique))
    _page(app)
    with helpers.changed_config("ckan.site_url", "https://daten.stadt.example"):
        refs = set(_page(app).subjects(RDF.type, DCAT.Dataset))
    assert refs == {rdflib.URIRef(f"https://daten.stadt.example/dataset/{dataset['id']}")}


# ---- background builds ---------------------------------------------------------

@pytest.fixture
def queue():
    def reset():
        redis = connect_to_redis()
        redis.delete(record_warm.PENDING, record_warm.QUEUED, record_warm.SITE, record_warm.TOKENS,
                     *redis.keys(record_warm.TAKEN + "*"), *redis.keys(record_warm.LEASE + "*"))
        jobs.get_queue().empty()

    reset()
    yield jobs.get_queue()
    reset()


def _build_jobs(q):
    return [j for j in q.jobs if j.func_name.endswith("record_warm.build_job")]


def test_saves_queue_one_build_that_stores_every_profile_and_format(app, queue, org, unique):
    first = create(minimal_dataset(org, unique))
    second = create(minimal_dataset(org, f"{unique}b"))
    assert len(_build_jobs(queue)) == 1  # one job for both
    _build_jobs(queue)[0].perform()
    for profile in PROFILES:
        for fmt in record_rdf.STORED:
            assert record_store.fingerprints(profile, fmt, [first["id"], second["id"]]).keys() == {
                first["id"], second["id"]}
    # the page builds nothing: the stored texts match
    built_at = model.Session.execute(record_store.records.select()).all()
    _page(app, profiles="sca_dcatap_de_3")
    assert model.Session.execute(record_store.records.select()).all() == built_at
    # a deletion queues the next job, which drops the dataset's texts
    helpers.call_action("package_delete", {"user": factories.Sysadmin()["name"]}, id=first["id"])
    _build_jobs(queue)[-1].perform()
    assert record_store.stored_ids() == {second["id"]}


def test_office_edit_queues_its_datasets(queue, unique):
    office = factories.Organization()
    create(minimal_dataset(office, unique))
    connect_to_redis().delete(record_warm.PENDING)
    helpers.call_action("organization_patch", {"user": factories.Sysadmin()["name"]}, id=office["id"],
                        contact_email=f"team-{unique}@example.org")
    assert {m.decode() for m in connect_to_redis().smembers(record_warm.PENDING)} == {f"org:{office['id']}"}


def test_new_site_inputs_queue_everything_once(queue, org, unique):
    dataset = create(minimal_dataset(org, unique))
    record_store.clear()
    assert record_warm.queue_after_site_change() is True
    assert record_warm.queue_after_site_change() is False  # unchanged: nothing more
    _build_jobs(queue)[-1].perform()
    assert record_store.stored_ids() == {dataset["id"]}
    with helpers.changed_config("ckanext.dcat.base_uri", "https://daten.stadt.example"):
        assert record_warm.queue_after_site_change() is True


# ---- joining ---------------------------------------------------------------------

@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("pretty-xml", "xml")])
def test_made_up_prefixes_never_clash(fmt, parser):
    """rdflib names an unbound namespace ns1 in every graph; here the prefix
    is derived from the namespace, and a clash is refused (the page is then built anew)."""
    parts = []
    for ns in ("http://one.example/v#", "http://two.example/v#"):
        graph = rdflib.Graph()
        graph.add((rdflib.URIRef("urn:s"), rdflib.URIRef(ns + "p"), rdflib.Literal("x")))
        parts.append(record_rdf.write(graph, fmt))
    made_up = [{p for p in part.prefixes if p.startswith("ns")} for part in parts]
    assert made_up[0] and made_up[1] and made_up[0].isdisjoint(made_up[1])
    joined = record_rdf.join(fmt, parts)
    assert {str(p) for p in rdflib.Graph().parse(data=joined, format=parser).predicates()} == {
        "http://one.example/v#p", "http://two.example/v#p"}
    clash = record_rdf.Part({"a": "<http://one.example/>"}, "")
    assert record_rdf.join(fmt, [clash, record_rdf.Part({"a": "<http://two.example/>"}, "")]) is None


def test_a_job_takes_its_share_and_leaves_the_rest_to_the_next(queue, org, unique, monkeypatch):
    """A large build (the whole catalog after an upgrade) must not hit the
    worker's job timeout nor hold up other jobs: what does not fit goes back."""
    ids = {create(minimal_dataset(org, f"{unique}{i}"))["id"] for i in range(3)}
    record_store.clear()
    queue.empty()
    connect_to_redis().delete(record_warm.PENDING, record_warm.QUEUED)
    monkeypatch.setattr(record_warm, "JOB_SECONDS", 1e-9)
    record_warm.request([record_warm.EVERYTHING])
    _build_jobs(queue)[-1].perform()
    assert record_store.stored_ids() == set()
    assert {m.decode() for m in connect_to_redis().smembers(record_warm.PENDING)} == ids
    monkeypatch.setattr(record_warm, "JOB_SECONDS", 60)
    _build_jobs(queue)[-1].perform()
    assert record_store.stored_ids() == ids


def test_what_a_dead_job_took_is_built_by_the_next(queue, org, unique):
    """The jobs worker killed in the middle of a build (kill -9, OOM): its job
    had taken the pending ids and never finished. Once its lease has run
    out, the scheduler's task puts them back and queues a job that builds them."""
    ids = {create(minimal_dataset(org, f"{unique}{i}"))["id"] for i in range(2)}
    record_store.clear()
    redis = connect_to_redis()
    # what the dying job did before it was killed (build_job's first steps)
    queue.empty()
    redis.delete(record_warm.QUEUED)
    token, taken = record_warm.take()
    assert taken == ids and not redis.exists(record_warm.PENDING)
    assert record_warm.queue_after_site_change() is True  # (first run: the site's inputs are new)
    queue.empty()
    redis.delete(record_warm.QUEUED)
    assert record_warm.recover_from_dead_jobs() is False  # the lease holds: the job may still be running
    redis.delete(record_warm.LEASE + token)  # the lease runs out
    assert record_warm.queue_after_site_change() is True
    assert not redis.exists(record_warm.TAKEN + token)
    _build_jobs(queue)[-1].perform()
    assert record_store.stored_ids() == ids
    assert redis.keys(record_warm.TAKEN + "*") == [] and redis.keys(record_warm.LEASE + "*") == []
    assert not redis.exists(record_warm.TOKENS)  # nothing left for the next tick to look at
    assert record_warm.queue_after_site_change() is False
