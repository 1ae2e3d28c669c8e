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


def _config(env):
    exe = shutil.which("docker-compose")
    assert exe, "docker-compose is missing: `deploy/sca test` installs Debian's docker-compose"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SCA_")}
    return subprocess.run([exe, "-f", str(COMPOSE), "config"], env={**clean, **env},
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def config():
    proc = _config(ENV)
    assert proc.returncode == 0, proc.stderr
    return yaml.safe_load(proc.stdout)


def test_all_services_are_there(config):
    assert set(config["services"]) == CKAN_SERVICES | {"db", "redis", "solr"}


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
