#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""The SolrCloud side of deploy/sca (SCA_SOLR_MODE=cloud), through Solr's
Collections and Configsets APIs on node 1 (standard library only).

    solrcloud.py ensure URL --configset DIR --collections "ckan ckan_test" \\
        --nodes 2 --shards 2 --replicas 2 [--timeout 90]
    solrcloud.py status URL --collections "..." --nodes 2 --zk HOST:PORT

``ensure`` waits until all nodes are live, uploads the configset when the one
in ZooKeeper differs from DIR (then reloads every collection), creates the
missing collections with each shard's replicas on different nodes, and waits
until every replica is active. Running it again changes nothing.
"""
import argparse
import hashlib
import io
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CONFIGSET = "ckan"
# Kept in the configset in ZooKeeper: the hash of the files it was uploaded
# from, written last, so an interrupted upload or reload is redone next time.
STAMP_FILE = "sca-configset.sha256"


class CloudError(Exception):
    pass


def say(message: str) -> None:
    print(f"\033[1m[sca]\033[0m {message}", flush=True)


def api(base: str, path: str, params: dict | None = None, body: bytes | None = None, timeout: float = 180) -> dict:
    query = urllib.parse.urlencode({**(params or {}), "wt": "json"})
    request = urllib.request.Request(f"{base}/{path}?{query}", data=body, method="POST" if body is not None else "GET")
    if body is not None:
        request.add_header("Content-Type", "application/octet-stream")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as e:
        detail = e.read().decode("utf-8", "replace")
        try:
            detail = json.loads(detail)["error"]["msg"]
        except (ValueError, KeyError, TypeError):
            pass
        raise CloudError(f"{path} {params or ''}: HTTP {e.code}: {detail}") from None
    except (OSError, ValueError) as e:
        raise CloudError(f"{path}: {e}") from None


def cluster(base: str) -> dict:
    return api(base, "admin/collections", {"action": "CLUSTERSTATUS"}, timeout=30)["cluster"]


def wait_for(what: str, check, timeout: float):
    """Poll check() (None or a problem text) until it passes."""
    deadline = time.monotonic() + timeout
    problem = "not checked"
    while time.monotonic() < deadline:
        try:
            problem = check()
        except CloudError as e:
            problem = str(e)
        if problem is None:
            return
        time.sleep(1)
    raise CloudError(f"{what} within {timeout:.0f}s: {problem}")


def configset_files(directory: Path) -> list[tuple[str, bytes]]:
    return sorted((str(p.relative_to(directory)), p.read_bytes()) for p in directory.rglob("*") if p.is_file())


def stamp(files: list[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for name, data in files:
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def uploaded_stamp(base: str) -> str | None:
    if CONFIGSET not in api(base, "admin/configs", {"action": "LIST"}, timeout=30).get("configSets", []):
        return None
    try:
        node = api(base, "admin/zookeeper", {"path": f"/configs/{CONFIGSET}/{STAMP_FILE}", "detail": "true"}, timeout=30)
    except CloudError:
        return None
    return (node.get("znode", {}).get("data") or "").strip() or None


def upload(base: str, files: list[tuple[str, bytes]]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    # cleanup: files no longer in the configset disappear from ZooKeeper too
    api(base, "admin/configs", {"action": "UPLOAD", "name": CONFIGSET, "overwrite": "true", "cleanup": "true"},
        buffer.getvalue())


def write_stamp(base: str, value: str) -> None:
    api(base, "admin/configs", {"action": "UPLOAD", "name": CONFIGSET, "filePath": STAMP_FILE, "overwrite": "true"},
        value.encode())


def replica_problems(state: dict, collections: list[str], nodes: int, replicas: int) -> str | None:
    """None when every collection's shards have `replicas` active replicas on
    distinct live nodes; else what is not so."""
    live = set(state.get("live_nodes", []))
    if len(live) < nodes:
        return f"{len(live)} of {nodes} nodes live"
    for name in collections:
        collection = state["collections"].get(name)
        if collection is None:
            return f"collection {name} missing"
        for shard_name, shard in collection["shards"].items():
            found = shard["replicas"].values()
            active = [r for r in found if r["state"] == "active" and r["node_name"] in live]
            if len(active) < replicas:
                return f"{name}/{shard_name}: {len(active)} of {replicas} replicas active"
            if len({r["node_name"] for r in found}) < len(found):
                return f"{name}/{shard_name}: two replicas on one node"
    return None


def ensure(args) -> None:
    base = args.url
    collections = args.collections.split()
    if args.replicas > args.nodes:
        raise CloudError(f"{args.replicas} replicas per shard need as many nodes; there are {args.nodes}")

    def nodes_live():
        live = cluster(base)["live_nodes"]
        return None if len(live) >= args.nodes else f"live nodes: {live}"

    wait_for(f"{args.nodes} Solr nodes did not join the cluster", nodes_live, args.timeout)

    files = [(name, data) for name, data in configset_files(Path(args.configset)) if name != STAMP_FILE]
    wanted = stamp(files)
    state = cluster(base)
    existing = set(state["collections"])
    changed = uploaded_stamp(base) != wanted
    if changed:
        upload(base, files)
        say(f"configset {CONFIGSET} uploaded to ZooKeeper")
    missing = [c for c in collections if c not in existing]
    for name in sorted(existing & set(collections)):
        shards = len(state["collections"][name]["shards"])
        if shards != args.shards:
            print(f"solrcloud: collection {name} has {shards} shards, not {args.shards}: the shape of an "
                  f"existing collection stays (docs/solrcloud.md)", file=sys.stderr)
    # every collection on this configset (they all read it from ZooKeeper)
    reload = sorted(c for c in existing if state["collections"][c].get("configName") == CONFIGSET) if changed else []
    with ThreadPoolExecutor(max_workers=4) as pool:
        # the Overseer creates and reloads collections side by side
        created = pool.map(lambda c: api(base, "admin/collections", {
            "action": "CREATE", "name": c, "numShards": args.shards, "replicationFactor": args.replicas,
            "collection.configName": CONFIGSET, "waitForFinalState": "true"}), missing)
        reloaded = pool.map(lambda c: api(base, "admin/collections", {"action": "RELOAD", "name": c}), reload)
        list(created), list(reloaded)
    for name in missing:
        say(f"created SolrCloud collection {name} ({args.shards} shards x {args.replicas} replicas); "
            f"it starts empty: `ckan search-index rebuild` fills it from the database")
    if reload:
        say(f"configset changed: collections reloaded ({' '.join(reload)})")
    if changed:
        write_stamp(base, wanted)
    wait_for("the SolrCloud replicas did not become active",
             lambda: replica_problems(cluster(base), collections, args.nodes, args.replicas), args.timeout)


def status(args) -> None:
    label = f"{args.url} (SolrCloud, ZooKeeper {args.zk}"
    try:
        state = cluster(args.url)
    except CloudError:
        print("solr      down")
        return
    collections = args.collections.split()
    total = active = 0
    live = set(state.get("live_nodes", []))
    for name in collections:
        for shard in state["collections"].get(name, {}).get("shards", {}).values():
            for replica in shard["replicas"].values():
                total += 1
                active += replica["state"] == "active" and replica["node_name"] in live
    word = "up   " if len(live) >= args.nodes and total and active == total else "degraded"
    print(f"solr      {word} {label}; {len(live)}/{args.nodes} nodes live; "
          f"collections {' '.join(collections)}: {active}/{total} replicas active)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["ensure", "status"])
    parser.add_argument("url", help="node 1, e.g. http://127.0.0.1:8984/solr")
    parser.add_argument("--collections", required=True)
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--configset")
    parser.add_argument("--zk", default="")
    parser.add_argument("--timeout", type=float, default=90)
    args = parser.parse_args(argv)
    try:
        ensure(args) if args.command == "ensure" else status(args)
    except CloudError as e:
        print(f"solrcloud: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
