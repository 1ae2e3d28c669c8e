# SPDX-License-Identifier: AGPL-3.0-or-later
"""SolrCloud (SCA_SOLR_MODE=cloud) end to end: a throw-away stack on its own
ports and data directory whose search runs on two Solr nodes (node 1 with
the embedded ZooKeeper), one collection per index with 2 shards x 2 replicas.

Proves: `deploy/sca up` builds the cloud with a replica of every shard on each
node and points CKAN at it; CKAN indexes into it and finds through it with
German analysis, spatial filters and its permissions; after `kill -9` of
node 2 search answers complete results, new datasets are still indexed, and
`up` restarts the node, whose replicas catch up without a reindex; a
configset in ZooKeeper that differs from the repository's is replaced and the
collections reloaded; `up` again changes nothing.
"""
import io
import json
import os
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CONFSET = REPO / "deploy" / "solr" / "home" / "configsets" / "ckan" / "conf"
PORTS = {"SCA_PG_PORT": 25442, "SCA_REDIS_PORT": 26389, "SCA_SOLR_PORT": 28993, "SCA_CKAN_PORT": 25010,
         "SCA_MAIL_PORT": 28035}
NODE1, NODE2 = PORTS["SCA_SOLR_PORT"] + 1, PORTS["SCA_SOLR_PORT"] + 2  # the defaults of deploy/lib/solr.sh
ZK = NODE1 + 1000
COLLECTION = "ckan"

# Fixed ids: Solr routes a document by its index_id (from the id), so the
# corpus always spreads over both shards (checked below).
DOCS = {  # name: (id, title, notes, geometry or None)
    "stadt": ("5f2c1a40-0001-4000-8000-000000000001", "Die Stadt im Wandel",
              "Wie sich die Stadt Dresden digital entwickelt.", None),
    "haus": ("5f2c1a40-0002-4000-8000-000000000002", "Das Haus der Presse",
             "Ein Haus am Altmarkt als Treffpunkt.", None),
    "energie": ("5f2c1a40-0003-4000-8000-000000000003", "Energieversorgung im Quartier",
                "Smarte Energieversorgung für ein Wohnquartier.", None),
    "altmarkt": ("5f2c1a40-0004-4000-8000-000000000004", "Messpunkt Altmarkt", "Ein Messpunkt.",
                 {"type": "Point", "coordinates": [13.7383, 51.0504]}),
    "flughafen": ("5f2c1a40-0005-4000-8000-000000000005", "Messpunkt Flughafen", "Ein Messpunkt.",
                  {"type": "Point", "coordinates": [13.7672, 51.1343]}),
    "garten": ("5f2c1a40-0006-4000-8000-000000000006", "Großer Garten", "Ein Park.",
               {"type": "Polygon", "coordinates": [[[13.75, 51.03], [13.79, 51.03], [13.79, 51.045],
                                                    [13.75, 51.045], [13.75, 51.03]]]}),
    "baum": ("5f2c1a40-0007-4000-8000-000000000007", "Baumkataster", "Alle Bäume mit Art und Pflanzjahr.", None),
    "ampel": ("5f2c1a40-0008-4000-8000-000000000008", "Ampeln", "Lichtsignalanlagen an Kreuzungen.", None),
}


def _ports_free(ports):
    for port in ports:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return False
    return True


def _get(url, timeout=30):
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return json.load(resp)


def solr(port, handler, **params):
    return _get(f"http://127.0.0.1:{port}/solr/{handler}?{urllib.parse.urlencode({**params, 'wt': 'json'})}")


def cluster():
    return solr(NODE1, "admin/collections", action="CLUSTERSTATUS")["cluster"]


def replicas(state=None):
    """{core name: (shard, node port, state, leader)} of the portal's collection."""
    state = state or cluster()
    found = {}
    for shard_name, shard in state["collections"][COLLECTION]["shards"].items():
        for replica in shard["replicas"].values():
            port = int(replica["node_name"].split("_")[0].rsplit(":", 1)[1])
            found[replica["core"]] = (shard_name, port, replica["state"], replica.get("leader") == "true")
    return found


def core_docs(port, core):
    """{dataset id: metadata_modified} in one replica, asked without distribution."""
    docs = solr(port, f"{core}/select", q="*:*", fl="id,metadata_modified", rows=1000,
                distrib="false")["response"]["docs"]
    return {d["id"]: d["metadata_modified"] for d in docs}


def copies_by_shard(state=None):
    """{shard: {node port: core_docs}}: what each replica holds."""
    found = {}
    for core, (shard, port, *_rest) in replicas(state).items():
        found.setdefault(shard, {})[port] = core_docs(port, core)
    return found


def wait_for(what, check, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return time.monotonic()
        except OSError:
            pass
        time.sleep(1)
    raise AssertionError(f"{what} within {timeout}s")


class Cloud:
    def __init__(self, data, env):
        self.data, self.env, self.token, self.org = data, env, None, None
        self.timings = {}

    def sca(self, *args, check=True):
        proc = subprocess.run([str(REPO / "deploy" / "sca"), *args], env=self.env, cwd=REPO,
                              capture_output=True, text=True, timeout=900)
        if check and proc.returncode != 0:
            raise AssertionError(f"deploy/sca {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc

    def api(self, action, data=None, auth=True):
        url = f"http://127.0.0.1:{PORTS['SCA_CKAN_PORT']}/api/3/action/{action}"
        req = urllib.request.Request(url, data=json.dumps(data or {}).encode(),
                                     headers={"Content-Type": "application/json"})
        if auth:
            req.add_header("Authorization", self.token)
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.load(resp)["result"]

    def search(self, auth=False, **params):
        params.setdefault("fq", f"owner_org:{self.org}")
        params.setdefault("rows", 100)
        return self.api("package_search", params, auth=auth)

    def names(self, **params):
        return sorted(d["name"] for d in self.search(**params)["results"])

    def create(self, name, title, notes, geometry=None, **extra):
        data = {"type": "dataset", "name": name, "title": title, "notes": notes, "owner_org": self.org,
                "license_id": "dl-by-de/2.0", **extra}
        if geometry:
            data["spatial"] = json.dumps(geometry)
        return self.api("package_create", data)


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    ports = [*PORTS.values(), NODE1, NODE2, ZK]
    if not _ports_free(ports):
        pytest.fail(f"ports {sorted(ports)} must be free for the SolrCloud test")
    data = tmp_path_factory.mktemp("cloud") / "var"
    env = dict(os.environ, SCA_DATA=str(data), SCA_SITE_URL=f"http://localhost:{PORTS['SCA_CKAN_PORT']}",
               SCA_SOLR_MODE="cloud", SCA_DEMO="0", SCA_SOLR_HEAP="512m", SCA_WEB_WORKERS="2",
               **{k: str(v) for k, v in PORTS.items()})
    env.pop("SOLR_CORES", None)
    cloud = Cloud(data, env)
    started = time.monotonic()
    try:
        cloud.first_up = cloud.sca("up")
        cloud.timings["first up (install runtime, PostgreSQL, SolrCloud, CKAN)"] = time.monotonic() - started
        cloud.token = subprocess.run(
            [str(REPO / ".venv" / "bin" / "ckan"), "-c", str(data / "ckan.ini"), "user", "token", "add", "admin",
             "cloud-test"], capture_output=True, text=True, check=True,
        ).stdout.strip().splitlines()[-1].strip()
        cloud.org = cloud.api("organization_create", {"name": "cloud-amt", "title": "Cloud-Amt"})["id"]
        for name, (id_, title, notes, geometry) in DOCS.items():
            cloud.create(name, title, notes, geometry, id=id_)
        yield cloud
    finally:
        cloud.sca("stop", check=False)
        for what, seconds in cloud.timings.items():
            print(f"[solr cloud] {what}: {seconds:.1f}s")


def test_up_builds_two_shards_with_a_replica_on_each_node(cloud):
    assert "created SolrCloud collection ckan (2 shards x 2 replicas)" in cloud.first_up.stdout
    state = cluster()
    assert sorted(state["live_nodes"]) == sorted([f"127.0.0.1:{NODE1}_solr", f"127.0.0.1:{NODE2}_solr"])
    for name in ("ckan", "ckan_test", "ckan_bench"):
        shards = state["collections"][name]["shards"]
        assert sorted(shards) == ["shard1", "shard2"]
        for shard in shards.values():
            nodes = sorted(r["node_name"] for r in shard["replicas"].values())
            assert nodes == sorted(state["live_nodes"]), f"{name}: {nodes}"
            assert {r["state"] for r in shard["replicas"].values()} == {"active"}
    # CKAN talks to the collection on node 1 like to a core
    assert f"solr_url = http://127.0.0.1:{NODE1}/solr/ckan\n" in (cloud.data / "ckan.ini").read_text()
    status = cloud.sca("status").stdout
    assert "solr      up" in status and "2/2 nodes live" in status and "24/24 replicas active" in status
    # the cloud nodes type _version_ as a long (replicas read it as a number)
    assert solr(NODE1, "ckan/schema/fields/_version_")["field"]["type"] == "version_long"


def test_ckan_indexes_into_both_shards_and_finds_everything(cloud):
    assert cloud.names() == sorted(DOCS)
    copies = copies_by_shard()
    for shard, by_node in copies.items():
        assert by_node[NODE1] == by_node[NODE2], f"the replicas of {shard} differ"
        assert by_node[NODE1], f"{shard} holds none of the corpus: the kill test below would prove less"
    assert set().union(*(by_node[NODE1] for by_node in copies.values())) == {id_ for id_, *_ in DOCS.values()}


def test_updates_reach_both_replicas_at_once(cloud):
    """CKAN indexes a dataset again on every change. The replica that does
    not lead its shard must apply the update, not fail it and drop into
    recovery (as it does with CKAN's own string _version_, ckan/ckan#8373)."""
    for name, (_id, _title, notes, _geometry) in DOCS.items():
        cloud.api("package_patch", {"id": name, "notes": f"{notes} Geprüft."})
    assert {state for _shard, _port, state, _leader in replicas().values()} == {"active"}
    for shard, by_node in copies_by_shard().items():
        assert by_node[NODE1] == by_node[NODE2], f"the replicas of {shard} differ after the update"
    assert cloud.names(q="Geprüft") == sorted(DOCS)


@pytest.mark.parametrize("query,expected", [
    ("Städte", "stadt"),
    ("Häuser", "haus"),
    ("Energieversorgungen", "energie"),
    ("Versorgung", "energie"),  # a part of a compound
])
def test_german_analysis_on_the_collection(cloud, query, expected):
    assert cloud.names(q=query) == [expected]


def test_spatial_filters_on_the_collection(cloud):
    assert cloud.names(extras={"ext_bbox": "13.72,51.04,13.745,51.06"}) == ["altmarkt"]
    # inside the polygon, away from its corners: geometries, not bboxes of points
    assert cloud.names(extras={"ext_bbox": "13.76,51.035,13.77,51.04"}) == ["garten"]
    lon, lat = DOCS["altmarkt"][3]["coordinates"]
    assert cloud.names(extras={"ext_lat": lat, "ext_lon": lon, "ext_radius_km": 2}) == ["altmarkt", "garten"]
    assert cloud.names(extras={"ext_lat": lat, "ext_lon": lon, "ext_radius_km": 12}) == [
        "altmarkt", "flughafen", "garten"]


def test_private_dataset_is_never_found_by_anonymous(cloud):
    cloud.create("intern", "Interne Haushaltsplanung", "Nur für das Amt.", private=True)
    for params in ({"q": "Haushaltsplanung"}, {"q": "Haushaltsplanung", "include_private": True},
                   {"q": "*:*", "include_private": True, "fq": "capacity:private"}):
        assert cloud.search(**params)["count"] == 0, params
    assert cloud.names(auth=True, q="Haushaltsplanung", include_private=True) == ["intern"]
    cloud.api("package_delete", {"id": "intern"})


def test_killed_node_search_stays_complete_and_it_recovers_without_reindex(cloud):
    before = replicas()
    on_node2 = {core for core, (_shard, port, *_rest) in before.items() if port == NODE2}
    assert len(on_node2) == 2
    everything = cloud.names()
    pid = int((cloud.data / "run" / "solr-node2.pid").read_text())
    os.killpg(pid, signal.SIGKILL)  # the node's whole process group (runuser and java as root)
    killed = time.monotonic()

    # Every shard has a replica on node 1: results stay complete, at once.
    for _ in range(6):
        assert cloud.names() == everything
        assert cloud.names(q="Energieversorgungen") == ["energie"]

    # When its ZooKeeper session expires node 2 leaves the cluster and
    # node 1 leads every shard; then new datasets are indexed as before.
    def node2_gone_and_node1_leads():
        state = cluster()
        leaders = {shard for shard, port, _s, leader in replicas(state).values() if leader and port == NODE1}
        return f"127.0.0.1:{NODE2}_solr" not in state["live_nodes"] and leaders == {"shard1", "shard2"}

    cloud.timings["node 2 killed -> out of live_nodes, node 1 leads"] = (
        wait_for("node 2 left the cluster", node2_gone_and_node1_leads) - killed)
    missed = cloud.create("waehrend-ausfall", "Neu während des Ausfalls", "Angelegt, als Knoten 2 fehlte.")
    assert cloud.names(q="Ausfall") == ["waehrend-ausfall"]

    restarted = time.monotonic()
    again = cloud.sca("up")
    cloud.timings["up after the kill (restarts node 2, waits for active replicas)"] = time.monotonic() - restarted
    assert "solr-node2 started" in again.stdout
    assert "Solr node 1 is running" in again.stdout
    # idempotent: nothing created, uploaded or reloaded
    for word in ("created SolrCloud", "uploaded", "reloaded"):
        assert word not in again.stdout, again.stdout

    after = replicas()
    # the same replicas (no new cores), all active again
    assert {core: (shard, port) for core, (shard, port, *_r) in after.items()} == {
        core: (shard, port) for core, (shard, port, *_r) in before.items()}
    assert {state for _shard, _port, state, _leader in after.values()} == {"active"}
    # node 2's replicas caught up with what they missed: the same documents as node 1's
    copies = copies_by_shard()
    for shard, by_node in copies.items():
        assert by_node[NODE1] == by_node[NODE2], shard
    assert missed["id"] in set().union(*(by_node[NODE2] for by_node in copies.values()))
    assert cloud.names() == sorted([*everything, "waehrend-ausfall"])


def test_configset_differing_in_zookeeper_is_uploaded_and_collections_reloaded(cloud):
    # someone uploaded another configset (an older synonyms.txt, no stamp)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in CONFSET.iterdir():
            text = path.read_bytes() if path.name != "synonyms.txt" else b"ampel => verkehrsampel\n"
            archive.writestr(path.name, text)
    req = urllib.request.Request(
        f"http://127.0.0.1:{NODE1}/solr/admin/configs?action=UPLOAD&name=ckan&overwrite=true&cleanup=true",
        data=buffer.getvalue(), headers={"Content-Type": "application/octet-stream"})
    urllib.request.urlopen(req, timeout=60).read()
    core = next(core for core, (_shard, port, *_rest) in replicas().items() if port == NODE1)
    started = solr(NODE1, "admin/cores", action="STATUS", core=core)["status"][core]["startTime"]

    again = cloud.sca("up")
    assert "configset ckan uploaded to ZooKeeper" in again.stdout
    assert "collections reloaded" in again.stdout
    synonyms = solr(NODE1, "admin/zookeeper", path="/configs/ckan/synonyms.txt", detail="true")
    assert synonyms["znode"]["data"] == (CONFSET / "synonyms.txt").read_text()
    assert solr(NODE1, "admin/cores", action="STATUS", core=core)["status"][core]["startTime"] != started
    assert cloud.names(q="Energieversorgungen") == ["energie"]
    # and up once more: in ZooKeeper is what the repository has, nothing to do
    assert "uploaded" not in cloud.sca("up").stdout
