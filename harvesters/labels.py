# SPDX-License-Identifier: AGPL-3.0-or-later
"""Titles and descriptions of the harvesters as the harvest source form
shows them, translated per request (the msgids must be literal here for
deploy/lib/i18n.py to find them)."""
import ckan.plugins.toolkit as tk


def harvester_label(name: str) -> tuple[str, str]:
    """(title, description) of a harvester in the current language."""
    _ = tk._
    labels = {
        "sca_dcat_rdf": (
            _("DCAT-AP.de (RDF)"),
            _("DCAT-AP.de or DCAT-AP catalogues as RDF/XML, Turtle or JSON-LD (paged with Hydra), "
              "mapped and repaired to the portal's DCAT-AP.de schema"),
        ),
        "sca_ckan": (
            _("CKAN (Action API)"),
            _("Datasets of another CKAN portal through its Action API, incremental by "
              "metadata_modified, mapped to the portal's DCAT-AP.de schema"),
        ),
        "sca_csw": (
            _("CSW geoportal (ISO 19139)"),
            _("Metadata of a geoportal's CSW 2.0.2 catalogue service in ISO 19139, "
              "mapped to the portal's DCAT-AP.de schema"),
        ),
        "sca_opensensemap": (
            _("openSenseMap (sensor aggregates)"),
            _("senseBox readings of the openSenseMap API inside the city, as hourly and daily "
              "aggregates per sensor and district in DataStore tables"),
        ),
        "sca_sensorthings": (
            _("OGC SensorThings API (sensor aggregates)"),
            _("Observations of an OGC SensorThings API 1.1 server inside the city, as hourly and daily "
              "aggregates per sensor and district in DataStore tables"),
        ),
        "sca_radar": (
            _("Smart-City-Radar"),
            _("Smart-City-Radar exports (CSV, XLSX, JSON) with a mapping file: measures, projects, "
              "activities and topics with their partners, locations and status history"),
        ),
        "sca_atlas": (
            _("Smart City Atlas (exchange format)"),
            _("Actors, projects, measures and partner relations of another Smart City Atlas, from its "
              "exchange format 1.x, with their provenance; shared actors shown once"),
        ),
    }
    return labels[name]
