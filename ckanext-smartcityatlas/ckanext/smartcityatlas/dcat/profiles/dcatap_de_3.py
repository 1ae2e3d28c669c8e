# SPDX-License-Identifier: AGPL-3.0-or-later
"""DCAT-AP.de 3.0: profile ``sca_dcatap_de_3`` (``?profiles=sca_dcatap_de_3``).

Differences from 2.0: the political geocoding IRI goes into dct:spatial,
originator/maintainer become geodcatap:originator/custodian, legal bases are
dcatap:applicableLegislation IRIs only, availability uses the EU list and
checksums the SPDX algorithms.
"""
from __future__ import annotations

import json

import shapely
import shapely.geometry
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS as DCT, RDF

from ckanext.dcat.profiles.euro_dcat_ap_3 import EuropeanDCATAP3Profile
from ckanext.smartcityatlas.dcat import vocab
from ckanext.smartcityatlas.dcat.profiles.base import DCATAP, GEODCATAP, LOCN, DCATAPdeMixin

GSP = Namespace("http://www.opengis.net/ont/geosparql#")


class DCATAPde3Profile(DCATAPdeMixin, EuropeanDCATAP3Profile):
    VERSION = 3
    PLACE_IRI_IS_LOCATION = True
    ROLE_PREDICATES = {
        "originator": GEODCATAP.originator,
        "maintainer": GEODCATAP.custodian,
        "contributor": DCT.contributor,
        "creator": DCT.creator,
    }

    def parse_dataset(self, dataset_dict, dataset_ref):
        dataset_dict = EuropeanDCATAP3Profile.parse_dataset(self, dataset_dict, dataset_ref)
        return self._parse_dataset_de(dataset_dict, dataset_ref)

    def graph_from_dataset(self, dataset_dict, dataset_ref):
        d = self.prepare(dataset_dict)
        EuropeanDCATAP3Profile.graph_from_dataset(self, d, dataset_ref)
        self._graph_from_dataset_de(d, dataset_ref)
        self._geometry_as_bbox(dataset_ref)
        self._only_iris(dataset_ref)

    def _geometry_as_bbox(self, dataset_ref):
        """The 3.0 shapes want locn:geometry to be a node; DCAT's literal
        properties dcat:bbox and dcat:centroid say the same (as WKT)."""
        g = self.g
        for loc in list(g.objects(dataset_ref, DCT.spatial)):
            for geom in list(g.objects(loc, LOCN.geometry)):
                if not isinstance(geom, Literal):
                    continue
                g.remove((loc, LOCN.geometry, geom))
                shape = _shape(geom)
                if shape is None:
                    continue
                g.add((loc, DCAT.bbox, Literal(shapely.box(*shape.bounds).wkt, datatype=GSP.wktLiteral)))
                g.add((loc, DCAT.centroid, Literal(shape.centroid.wkt, datatype=GSP.wktLiteral)))

    def graph_from_catalog(self, catalog_dict, catalog_ref):
        EuropeanDCATAP3Profile.graph_from_catalog(self, catalog_dict, catalog_ref)
        self._graph_from_catalog_de(catalog_ref)

    def add_geocoding_key(self, ref, iri):
        self.g.add((ref, DCT.spatial, iri))
        self.g.add((iri, RDF.type, DCT.Location))

    def add_availability(self, dist, code):
        self.g.remove((dist, DCATAP.availability, None))  # ckanext-dcat writes the code as a literal
        self.g.add((dist, DCATAP.availability, URIRef(vocab.PLANNED_AVAILABILITY + code.upper())))


def _shape(literal: Literal):
    text = str(literal)
    try:
        if text.lstrip().startswith("{"):
            return shapely.geometry.shape(json.loads(text))
        return shapely.from_wkt(text)
    except (ValueError, TypeError, shapely.errors.ShapelyError):
        return None
