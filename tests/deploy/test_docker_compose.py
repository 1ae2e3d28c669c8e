# SPDX-License-Identifier: AGPL-3.0-or-later
"""deploy/docker-compose.yml is valid and consistent with the native stack.

No Docker engine runs here, so the file is checked with `docker-compose
config` (Debian's docker-compose, installed by `deploy/sca test`). A missing
docker-compose fails the test: it is never skipped silently.
"""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "deploy" / "docker-compose.yml"
ENV = {"SCA_SECRET_KEY": "s3cret", "SCA_DB_PASSWORD": "pw", "SCA_DATASTORE_RO_PASSWORD": "ro",
       "SCA_ADMIN_EMAIL": "opendata@example.org", "SCA_SMTP_SERVER": "mail.example.org:25",
       "SCA_MAIL_FROM": "opendata@example.org"}
CKAN_SERVICES = {"init", "ckan", "harvest-gather", "harvest-fetch", "jobs-worker", "scheduler"}
CLOUD_SERVICES = {"zookeeper", "solr-node1", "solr-node2", "solr-cloud-init"}


def _config(env, profile=None):
    exe = shutil.which("docker-compose")
    assert exe, "docker-compose is missing: `deploy/sca test` installs Debian's docker-compose"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SCA_") and k != "COMPOSE_PROFILES"}
    profiles = ["--profile", profile] if profile else []
    return subprocess.run([exe, "-f", str(COMPOSE), *profiles, "config"], env={**clean, **env},
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module", params=[None, "solr-cloud"], ids=["default", "solr-cloud"])
def config(request):
    """The services `up` would start: Debian's docker-compose 1.29 prints
    every service in `config`, so those of other profiles are left out here."""
    proc = _config(ENV, request.param)
    assert proc.returncode == 0, proc.stderr
    loaded = yaml.safe_load(proc.stdout)
    loaded["services"] = {name: s for name, s in loaded["services"].items()
                          if not s.get("profiles") or request.param in s["profiles"]}
    loaded["profile"] = request.param
    return loaded


def test_all_services_are_there(config):
    cloud = CLOUD_SERVICES if config["profile"] == "solr-cloud" else set()
    assert set(config["services"]) == CKAN_SERVICES | {"db", "redis", "solr"} | cloud


def test_images_are_pinned(config):
    for name, service in config["services"].items():
        image = service["image"]
        repo, _, tag = image.rpartition(":")
        assert repo and tag and tag != "latest" and re.search(r"\d", tag), f"{name}: {image}"


def test_ckan_services_share_one_image_and_wait_for_init(config):
    images = {config["services"][s]["image"] for s in CKAN_SERVICES}
    assert len(images) == 1
    for name in CKAN_SERVICES - {"init"}:
        assert config["services"][name]["depends_on"]["init"]["condition"] == "service_completed_successfully"
    assert config["services"]["ckan"]["command"] == ["web"]
    assert config["services"]["harvest-gather"]["command"] == ["sca", "harvest-consumer", "gather"]


def test_every_template_placeholder_is_set_for_ckan(config):
    template = (REPO / "deploy" / "ckan.ini.template").read_text()
    placeholders = set(re.findall(r"\$\{(\w+)\}", template))
    for name in CKAN_SERVICES:
        missing = placeholders - set(config["services"][name]["environment"])
        assert not missing, f"{name} lacks {missing}"


def test_same_solr_core_files_as_the_native_stack():
    dockerfile = (REPO / "deploy" / "docker" / "solr.Dockerfile").read_text()
    assert "COPY deploy/solr/home/configsets/ckan " in dockerfile
    assert (REPO / "deploy" / "solr" / "home" / "configsets" / "ckan" / "conf" / "schema.xml").exists()
    entrypoint = (REPO / "deploy" / "docker" / "entrypoint.sh").read_text()
    assert "deploy/ckan.ini.template" in entrypoint


def test_only_the_web_port_is_published_and_on_loopback_by_default(config):
    published = {name: s.get("ports") for name, s in config["services"].items() if s.get("ports")}
    assert list(published) == ["ckan"]
    port = published["ckan"][0]
    text = port if isinstance(port, str) else f"{port.get('host_ip')}:{port.get('published')}:{port.get('target')}"
    assert text.startswith("127.0.0.1:5000:5000")


def test_missing_secret_is_refused():
    proc = _config({k: v for k, v in ENV.items() if k != "SCA_SECRET_KEY"})
    assert proc.returncode != 0
    assert "SCA_SECRET_KEY" in proc.stderr


def test_solr_cloud_profile_runs_two_nodes_on_zookeeper_and_creates_the_collection():
    proc = _config(ENV, "solr-cloud")
    assert proc.returncode == 0, proc.stderr
    services = yaml.safe_load(proc.stdout)["services"]
    for name in CLOUD_SERVICES:
        assert services[name]["profiles"] == ["solr-cloud"]
    nodes = [services["solr-node1"], services["solr-node2"]]
    # the image with JTS and our configset, the same as the single core's
    assert {n["image"] for n in nodes} == {services["solr"]["image"], services["solr-cloud-init"]["image"]}
    assert {n["environment"]["SOLR_HOST"] for n in nodes} == {"solr-node1", "solr-node2"}
    for node in nodes:
        assert node["environment"]["ZK_HOST"] == "zookeeper:2181"
        assert "-Dsca.version.type=version_long" in node["environment"]["SOLR_OPTS"]
        assert node["depends_on"]["zookeeper"]["condition"] == "service_healthy"
    assert len({v for n in nodes for v in n["volumes"]}) == 2, "each node keeps its own index"
    init = services["solr-cloud-init"]
    assert {n: d["condition"] for n, d in init["depends_on"].items()} == {
        "solr-node1": "service_healthy", "solr-node2": "service_healthy"}
    env = init["environment"]
    assert (env["SCA_SOLR_COLLECTIONS"], env["SCA_SOLR_SHARDS"], env["SCA_SOLR_REPLICAS"]) == ("ckan", "2", "2")
    script = (REPO / "deploy" / "docker" / "solr-cloud-init.sh").read_text()
    assert "zk upconfig -n ckan" in script and "action=CREATE" in script and "action=RELOAD" in script
    # CKAN follows SCA_SOLR_HOST to node 1
    cloud = _config({**ENV, "SCA_SOLR_HOST": "solr-node1"}, "solr-cloud")
    assert yaml.safe_load(cloud.stdout)["services"]["ckan"]["environment"]["SCA_SOLR_HOST"] == "solr-node1"
    assert services["ckan"]["environment"]["SCA_SOLR_HOST"] == "solr"
