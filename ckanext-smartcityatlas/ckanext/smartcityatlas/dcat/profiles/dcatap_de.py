# SPDX-License-Identifier: AGPL-3.0-or-later
"""DCAT-AP.de 2.0 (what GovData harvests today): profile ``sca_dcatap_de``."""
from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS as DCT

from ckanext.dcat.profiles.euro_dcat_ap_2 import EuropeanDCATAP2Profile
from ckanext.dcat.profiles.euro_dcat_ap_scheming import EuropeanDCATAPSchemingProfile
from ckanext.smartcityatlas.dcat.profiles.base import DCATDE, DCATAPdeMixin

PLANNED_AVAILABILITY = "http://dcat-ap.de/def/plannedAvailability/"


class DCATAPdeProfile(DCATAPdeMixin, EuropeanDCATAP2Profile, EuropeanDCATAPSchemingProfile):
    VERSION = 2
    ROLE_PREDICATES = {
        "originator": DCATDE.originator,
        "maintainer": DCATDE.maintainer,
        "contributor": DCT.contributor,
        "creator": DCT.creator,
    }

    def parse_dataset(self, dataset_dict, dataset_ref):
        dataset_dict = EuropeanDCATAP2Profile.parse_dataset(self, dataset_dict, dataset_ref)
        dataset_dict = self._parse_dataset_v2_scheming(dataset_dict, dataset_ref)
        legal = self._object_value(dataset_ref, DCATDE.legalBasis)
        if legal:
            dataset_dict["legal_basis"] = legal
        return self._parse_dataset_de(dataset_dict, dataset_ref)

    def graph_from_dataset(self, dataset_dict, dataset_ref):
        d = self.prepare(dataset_dict)
        EuropeanDCATAP2Profile.graph_from_dataset(self, d, dataset_ref)
        self._graph_from_dataset_de(d, dataset_ref)
        if d.get("legal_basis"):
            self.g.add((dataset_ref, DCATDE.legalBasis, Literal(d["legal_basis"], lang="de")))
        # GovData's conventions want provenance as a literal (a statement node is only a warning)
        for node in list(self.g.objects(dataset_ref, DCT.provenance)):
            self.g.remove((dataset_ref, DCT.provenance, node))
        if d.get("provenance"):
            self.g.add((dataset_ref, DCT.provenance, Literal(d["provenance"], lang="de")))
        self._only_iris(dataset_ref)

    def graph_from_catalog(self, catalog_dict, catalog_ref):
        EuropeanDCATAP2Profile.graph_from_catalog(self, catalog_dict, catalog_ref)
        self._graph_from_catalog_de(catalog_ref)

    def add_geocoding_key(self, ref, iri):
        self.g.add((ref, DCATDE.politicalGeocodingURI, iri))

    def add_availability(self, dist, code):
        self.g.add((dist, DCATDE.plannedAvailability, URIRef(PLANNED_AVAILABILITY + code.lower())))
