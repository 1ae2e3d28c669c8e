# SPDX-License-Identifier: AGPL-3.0-or-later
"""Profile names that cannot clash with GovData's ckanext-dcatde: ours are
``sca_dcatap_de`` and ``sca_dcatap_de_3``; the old names are accepted for one
release with a deprecation warning, unless another package registers them."""
import logging
import sys
from importlib.metadata import entry_points

import pytest
from rdflib.compare import isomorphic
from rdflib.namespace import Namespace

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")

from ckanext.smartcityatlas.dcat import profile_names
from tests.helpers.datasets import catalog_graph, create, full_dataset

pytestmark = [pytest.mark.usefixtures("clean_db", "clean_index")]


def _ours(name):
    found = entry_points(group="ckan.rdf.profiles", name=name)
    return [ep for ep in found if ep.value.startswith("ckanext.smartcityatlas.")]


def test_only_the_new_names_are_registered():
    assert _ours("sca_dcatap_de") and _ours("sca_dcatap_de_3")
    assert not _ours("dcatap_de") and not _ours("dcatap_de_3")


def _without_paging(graph):
    """The page links repeat the query's own parameters."""
    for page in set(graph.subjects(predicate=HYDRA.totalItems)):
        graph.remove((page, None, None))
    return graph


def test_old_profile_name_in_the_query_gives_the_new_profile_and_warns(app, org, unique, caplog):
    create(full_dataset(org, unique))
    profile_names._warn_once.cache_clear()
    # the test app's logging configuration disables the existing ckanext loggers
    logger = logging.getLogger(profile_names.__name__)
    disabled, logger.disabled = logger.disabled, False
    logger.addHandler(caplog.handler)
    try:
        old = _without_paging(catalog_graph(app, profiles="dcatap_de_3"))
    finally:
        logger.removeHandler(caplog.handler)
        logger.disabled = disabled
    new = _without_paging(catalog_graph(app, profiles="sca_dcatap_de_3"))
    assert len(new) > 50 and isomorphic(old, new)
    assert not isomorphic(new, _without_paging(catalog_graph(app)))  # 3.0 is not the default 2.0
    assert any("'dcatap_de_3'" in record.getMessage() and "deprecated" in record.getMessage()
               for record in caplog.records)


def test_old_profile_name_on_the_dataset_endpoint(app, org, unique):
    dataset = create(full_dataset(org, unique))
    old = app.get(f"/dataset/{dataset['id']}.ttl", query_string={"profiles": "dcatap_de_3"}, status=200)
    new = app.get(f"/dataset/{dataset['id']}.ttl", query_string={"profiles": "sca_dcatap_de_3"}, status=200)
    assert old.body == new.body


def test_settings_with_old_names_are_rewritten():
    config = {"ckanext.dcat.rdf.profiles": "dcatap_de euro_dcat_ap_2",
              "ckanext.smartcityatlas.dcat.record_cache_profiles": "dcatap_de dcatap_de_3"}
    profile_names.update_settings(config)
    assert config == {"ckanext.dcat.rdf.profiles": "sca_dcatap_de euro_dcat_ap_2",
                      "ckanext.smartcityatlas.dcat.record_cache_profiles": "sca_dcatap_de sca_dcatap_de_3"}


@pytest.fixture
def dcatde_installed(tmp_path):
    """A distribution that registers ``dcatap_de`` as ckanext-dcatde does
    (a real dist-info on sys.path, found by importlib.metadata)."""
    info = tmp_path / "ckanext_dcatde-9.9.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ckanext-dcatde\nVersion: 9.9\n")
    (info / "entry_points.txt").write_text(
        "[ckan.rdf.profiles]\ndcatap_de = ckanext.dcatde.profiles:DCATdeProfile\n")
    sys.path.append(str(tmp_path))
    profile_names._registered_by_another_package.cache_clear()
    yield
    sys.path.remove(str(tmp_path))
    profile_names._registered_by_another_package.cache_clear()


@pytest.mark.usefixtures("dcatde_installed")
def test_a_name_another_package_registers_stays_that_packages():
    assert profile_names.current("dcatap_de", "test") == "dcatap_de"
    assert profile_names.current("dcatap_de_3", "test") == "sca_dcatap_de_3"
