# SPDX-License-Identifier: AGPL-3.0-or-later
"""Packaging for ckanext-smartcityatlas.

The repository layout follows the design card: the CKAN extension lives in
``ckanext-smartcityatlas/``, the harvesters in ``harvesters/`` and the
scheming YAML in ``schemas/``. All three are installed inside the
``ckanext.smartcityatlas`` namespace, so nothing generic lands at the top
level of site-packages.
"""
from setuptools import find_packages, setup

EXT = "ckanext-smartcityatlas/ckanext/smartcityatlas"


def _packages(root: str, prefix: str) -> list[str]:
    """All packages below ``root`` (a folder), named inside ``prefix``."""
    return [prefix] + [f"{prefix}.{name}" for name in find_packages(root)]


setup(
    name="ckanext-smartcityatlas",
    version="0.1.0",
    description=(
        "Smart City Atlas: actors, projects, matching, map and DCAT-AP.de "
        "harvesting for CKAN"
    ),
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    package_dir={
        "ckanext.smartcityatlas": EXT,
        "ckanext.smartcityatlas.harvesters": "harvesters",
        "ckanext.smartcityatlas.schemas": "schemas",
    },
    packages=(
        _packages(EXT, "ckanext.smartcityatlas")
        + _packages("harvesters", "ckanext.smartcityatlas.harvesters")
        + ["ckanext.smartcityatlas.schemas"]
    ),
    package_data={
        "ckanext.smartcityatlas": [
            "config_declaration.yaml",
            "templates/**/*",
            "templates_harvest/**/*",
            "assets/**/*",
            "public/**/*",
            "i18n/**/*",
            "cities/**/*",
            "legal/texts/*",
            "legal/laender.yaml",
            "migration/**/*",
            "dcat/shapes/**/*",
            "dcat/licenses.json",
            "sensors/*.yaml",
        ],
        "ckanext.smartcityatlas.harvesters": ["mappings/*.yaml"],
        "ckanext.smartcityatlas.schemas": ["*.yaml", "*.json"],
    },
    include_package_data=True,
    zip_safe=False,
    # Versions are pinned in requirements.txt (with CKAN itself); here only
    # what the extension imports directly.
    install_requires=["geojson", "numpy", "openpyxl", "requests", "shapely"],
    entry_points={
        "ckan.plugins": [
            # all capabilities in one plugin, or the opt-in plugins below (plugin.py)
            "smartcityatlas = ckanext.smartcityatlas.plugin:SmartCityAtlasPlugin",
            "sca_platform = ckanext.smartcityatlas.plugin:PlatformPlugin",
            "sca_entities = ckanext.smartcityatlas.plugin:EntitiesPlugin",
            "sca_matching = ckanext.smartcityatlas.plugin:MatchingPlugin",
            "sca_atlas = ckanext.smartcityatlas.plugin:AtlasPlugin",
            "sca_dcat = ckanext.smartcityatlas.plugin:DcatPlugin",
            "sca_harvest = ckanext.smartcityatlas.plugin:HarvestPlugin",
            "sca_quality = ckanext.smartcityatlas.plugin:QualityPlugin",
            "sca_sensors = ckanext.smartcityatlas.plugin:SensorsPlugin",
            "sca_datarequests = ckanext.smartcityatlas.plugin:DatarequestsPlugin",
            "sca_demo = ckanext.smartcityatlas.plugin:DemoPlugin",
            # harvesters (ckanext-harvest IHarvester plugins)
            "sca_dcat_rdf = ckanext.smartcityatlas.harvesters.dcat_rdf:SCADCATRDFHarvester",
            "sca_ckan = ckanext.smartcityatlas.harvesters.ckan_api:SCACKANHarvester",
            "sca_csw = ckanext.smartcityatlas.harvesters.csw:SCACSWHarvester",
            "sca_opensensemap = ckanext.smartcityatlas.harvesters.opensensemap:SCAOpenSenseMapHarvester",
            "sca_sensorthings = ckanext.smartcityatlas.harvesters.sensorthings:SCASensorThingsHarvester",
            "sca_radar = ckanext.smartcityatlas.harvesters.radar.harvester:SCARadarHarvester",
        ],
        # ckanext-dcat profiles (ckanext.dcat.rdf.profiles, ?profiles=…); named sca_* so
        # they cannot clash with GovData's ckanext-dcatde (dcat/profile_names.py)
        "ckan.rdf.profiles": [
            "sca_dcatap_de = ckanext.smartcityatlas.dcat.profiles:DCATAPdeProfile",
            "sca_dcatap_de_3 = ckanext.smartcityatlas.dcat.profiles:DCATAPde3Profile",
        ],
    },
)
