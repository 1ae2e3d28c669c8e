# SPDX-License-Identifier: AGPL-3.0-or-later
"""What DCAT-AP.de 2.0 and 3.0 share, on top of ckanext-dcat's DCAT-AP profiles.

The profiles first turn the form's short codes into IRIs (``prepare``), let
ckanext-dcat write the DCAT-AP properties, then add the German ones and
fix what DCAT-AP.de wants differently. Each version module says only where
2.0 and 3.0 differ (``VERSION``-specific hooks).
"""
from __future__ import annotations

import copy
import json

from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS as DCT, FOAF, RDF, RDFS, SKOS


from ckanext.dcat.profiles.base import DCAT, VCARD
from ckanext.smartcityatlas.common.lists import as_list
from ckanext.smartcityatlas.dcat import iris, settings, vocab

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
GEODCATAP = Namespace("http://data.europa.eu/930/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
ADMS_LICENCE_TYPE = URIRef("http://purl.org/adms/licencetype/UnknownIPR")

# what describes one dataset's extent rather than a shared place IRI
LOCATION_DETAILS = (LOCN.geometry, DCAT.bbox, DCAT.centroid, SKOS.prefLabel, RDFS.label)

DATASET_CODE_FIELDS = {
    "theme": vocab.THEME,
    "language": vocab.LANGUAGE,
}


class DCATAPdeMixin:
    """Shared DCAT-AP.de behaviour; ``VERSION`` is 2 or 3."""

    VERSION = 2
    # 2.0 wants a geometry on every dct:Location, so a bare place IRI stays
    # untyped there; the 3.0 shapes want dct:spatial objects typed
    PLACE_IRI_IS_LOCATION = False
    # role → predicate, per version
    ROLE_PREDICATES: dict[str, URIRef] = {}

    # ---- CKAN → RDF -------------------------------------------------------

    def prepare(self, dataset_dict: dict) -> dict:
        """A copy of the dataset dict with IRIs where the form has codes."""
        d = copy.deepcopy(dataset_dict)
        for key, base in DATASET_CODE_FIELDS.items():
            values = as_list(d.get(key))
            if values:
                d[key] = json.dumps([vocab.code_iri(base, v) for v in values])
        if d.get("frequency"):
            d["frequency"] = vocab.code_iri(vocab.FREQUENCY, d["frequency"])
        if d.get("access_rights"):
            d["access_rights"] = vocab.code_iri(vocab.ACCESS_RIGHT, d["access_rights"])
        if d.get("spatial_uri"):
            pass  # written by us together with the political geocoding
        for res in d.get("resources", []):
            license_id = res.get("license") or d.get("license_id")
            res["license"] = vocab.license_iri(license_id)
            fmt, media = vocab.format_iris(res.get("format"))
            res["format"] = fmt
            res["mimetype"] = vocab.media_type_iri(res.get("mimetype")) or media
            # CKAN's upload URL is both the access and the download address
            if res.get("url_type") == "upload" and not res.get("download_url"):
                res["download_url"] = res.get("url")
            res.pop("hash_algorithm_iri", None)
        return d

    def _graph_from_dataset_de(self, d: dict, ref) -> None:
        g = self.g
        g.bind("dcatde", DCATDE)
        # ckanext-dcat writes an identifier that looks like an address as an
        # IRI; DCAT-AP.de wants dct:identifier as a literal (harvested records
        # often use their landing page as identifier)
        for value in list(g.objects(ref, DCT.identifier)):
            if isinstance(value, URIRef):
                g.remove((ref, DCT.identifier, value))
                g.add((ref, DCT.identifier, Literal(str(value))))
        cfg = settings.dcat_settings()
        if cfg.get("contributor_id"):
            g.add((ref, DCATDE.contributorID, URIRef(cfg["contributor_id"])))
        self._add_geocoding(ref, cfg)
        self._fix_languages_and_titles(d, ref)
        self._fix_spatial(d, ref)
        self._add_contact(d, ref, cfg)
        self._add_roles(d, ref)
        for res in d.get("resources", []):
            dist = self._distribution_ref(ref, res)
            if dist is not None:
                self._distribution_de(d, res, dist)

    def _only_iris(self, ref) -> None:
        """Last step of a record (and of the catalog node): what is no IRI
        (older or harvested values, unchecked resource fields) is left out,
        else it would break the Turtle of the whole catalog (dcat/iris.py)."""
        iris.drop_invalid_iris(self.g, [ref], record=str(ref))

    def _add_geocoding(self, ref, cfg: dict) -> None:
        level = cfg.get("geocoding_level")
        if level:
            self.g.add((ref, DCATDE.politicalGeocodingLevelURI, URIRef(vocab.GEOCODING_LEVEL + level)))
        key, key_type = cfg.get("geocoding_key"), cfg.get("geocoding_key_type")
        if key and key_type:
            self.add_geocoding_key(ref, URIRef(f"{vocab.GEOCODING}{key_type}/{key}"))

    def add_geocoding_key(self, ref, iri: URIRef) -> None:  # per version
        raise NotImplementedError

    def _fix_languages_and_titles(self, d: dict, ref) -> None:
        g = self.g
        for key, pred in (("title", DCT.title), ("notes", DCT.description)):
            for value in list(g.objects(ref, pred)):
                if isinstance(value, Literal) and not value.language:
                    g.remove((ref, pred, value))
                    g.add((ref, pred, Literal(str(value), lang="de")))
        for key, pred in (("title_en", DCT.title), ("description_en", DCT.description)):
            if d.get(key):
                g.add((ref, pred, Literal(d[key], lang="en")))

    def _fix_spatial(self, d: dict, ref) -> None:
        """dct:spatial as a dct:Location with a GeoJSON geometry (DCAT-AP
        wants the geometry literal typed) and the optional IRI/label."""
        g = self.g
        if d.get("spatial_uri"):
            g.add((ref, DCT.spatial, URIRef(d["spatial_uri"])))
        for loc in list(g.objects(ref, DCT.spatial)):
            if isinstance(loc, URIRef):
                self._own_location_node(ref, loc)
                if not self.PLACE_IRI_IS_LOCATION:
                    g.remove((loc, RDF.type, DCT.Location))
            elif isinstance(loc, BNode):
                g.add((loc, RDF.type, DCT.Location))

    def _own_location_node(self, ref, iri: URIRef) -> None:
        """ckanext-dcat hangs the dataset's geometry and label on the
        spatial IRI itself. That IRI (e.g. the municipality key) is shared by
        many datasets, so a catalogue would give it several geometries (the
        shapes allow one); the dataset's own extent goes on a node of its own."""
        g = self.g
        moved = [(p, o) for p in LOCATION_DETAILS for o in g.objects(iri, p)]
        if not moved:
            return
        node = BNode()
        g.add((ref, DCT.spatial, node))
        g.add((node, RDF.type, DCT.Location))
        for p, o in moved:
            g.remove((iri, p, o))
            g.add((node, p, o))

    def _add_contact(self, d: dict, ref, cfg: dict) -> None:
        g = self.g
        contacts = list(g.objects(ref, DCAT.contactPoint))
        if not contacts:
            # the office's functional data contact, else the city's
            cfg = _office_contact(d.get("owner_org")) or cfg
            node = BNode()
            g.add((ref, DCAT.contactPoint, node))
            g.add((node, RDF.type, VCARD.Organization))
            g.add((node, VCARD.fn, Literal(cfg.get("contact_name") or settings.city_title())))
            if cfg.get("contact_email"):
                g.add((node, VCARD.hasEmail, URIRef("mailto:" + cfg["contact_email"])))
            if cfg.get("contact_url"):
                g.add((node, VCARD.hasURL, URIRef(cfg["contact_url"])))
            return
        if d.get("contact_url"):
            g.add((contacts[0], VCARD.hasURL, URIRef(d["contact_url"])))
        if not list(g.objects(contacts[0], VCARD.fn)):
            g.add((contacts[0], VCARD.fn, Literal(d.get("contact_name") or settings.city_title())))

    def _add_roles(self, d: dict, ref) -> None:
        for entry in d.get("roles") or []:
            predicate = self.ROLE_PREDICATES.get(entry.get("role"))
            if predicate is None or not entry.get("name"):
                continue
            agent = BNode()
            self.g.add((ref, predicate, agent))
            self._agent(agent, entry)

    def _agent(self, node, entry: dict) -> None:
        g = self.g
        g.add((node, RDF.type, FOAF.Organization))
        g.add((node, FOAF.name, Literal(entry["name"])))
        if entry.get("url"):
            g.add((node, FOAF.homepage, URIRef(entry["url"])))
        if entry.get("email"):
            g.add((node, FOAF.mbox, URIRef("mailto:" + entry["email"])))

    def _distribution_ref(self, dataset_ref, res: dict):
        from ckanext.dcat.utils import resource_uri

        ref = URIRef(resource_uri(res))
        return ref if (dataset_ref, DCAT.distribution, ref) in self.g else None

    def _distribution_de(self, d: dict, res: dict, dist) -> None:
        g = self.g
        # ckanext-dcat types every licence IRI as adms UnknownIPR: wrong for the dcat-ap.de list
        for lic in g.objects(dist, DCT.license):
            g.remove((lic, DCT.type, ADMS_LICENCE_TYPE))
            g.add((lic, RDF.type, DCT.LicenseDocument))
        attribution = res.get("license_attribution") or d.get("license_attribution")
        if attribution:
            g.add((dist, DCATDE.licenseAttributionByText, Literal(attribution)))
        if res.get("availability"):
            self.add_availability(dist, res["availability"])
        checksum = next(iter(g.objects(dist, SPDX.checksum)), None)
        if checksum is not None:
            g.remove((checksum, SPDX.algorithm, None))
            algorithm = vocab.HASH_ALGORITHMS.get((res.get("hash_algorithm") or "sha256").lower())
            if algorithm:
                g.add((checksum, SPDX.algorithm, URIRef(algorithm[0 if self.VERSION == 2 else 1])))
        for pred in (DCT.title, DCT.description):
            for value in list(g.objects(dist, pred)):
                if isinstance(value, Literal) and not value.language:
                    g.remove((dist, pred, value))
                    g.add((dist, pred, Literal(str(value), lang="de")))
        # a distribution without an access URL is invalid; the dataset page is the fallback
        if not list(g.objects(dist, DCAT.accessURL)):
            g.add((dist, DCAT.accessURL, URIRef(res.get("download_url") or settings.dataset_page(d))))

    def add_availability(self, dist, code: str) -> None:  # per version
        raise NotImplementedError

    def _graph_from_catalog_de(self, catalog_ref) -> None:
        g = self.g
        g.bind("dcatde", DCATDE)
        cfg = settings.dcat_settings()
        for lang in list(g.objects(catalog_ref, DCT.language)):
            g.remove((catalog_ref, DCT.language, lang))
        g.add((catalog_ref, DCT.language, URIRef(vocab.LANGUAGE + "DEU")))
        for pred in (DCT.title, DCT.description):
            for value in list(g.objects(catalog_ref, pred)):
                if isinstance(value, Literal) and not value.language:
                    g.remove((catalog_ref, pred, value))
                    g.add((catalog_ref, pred, Literal(str(value), lang="de")))
        if not list(g.objects(catalog_ref, DCT.description)):
            g.add((catalog_ref, DCT.description, Literal(settings.catalog_description(), lang="de")))
        if not list(g.objects(catalog_ref, DCT.publisher)):
            publisher = URIRef(cfg["publisher_url"]) if cfg.get("publisher_url") else BNode()
            g.add((catalog_ref, DCT.publisher, publisher))
            g.add((publisher, RDF.type, FOAF.Organization))
            g.add((publisher, FOAF.name, Literal(cfg.get("publisher_name") or settings.city_title())))
        g.add((catalog_ref, DCAT.themeTaxonomy, URIRef(vocab.THEME.rstrip("/"))))
        taxonomy = URIRef(vocab.THEME.rstrip("/"))
        g.add((taxonomy, RDF.type, SKOS.ConceptScheme))
        g.add((taxonomy, DCT.title, Literal("Data theme", lang="en")))
        self._only_iris(catalog_ref)

    # ---- RDF → CKAN -------------------------------------------------------

    def _parse_dataset_de(self, dataset_dict: dict, dataset_ref) -> dict:
        g = self.g
        for key, base in DATASET_CODE_FIELDS.items():
            values = as_list(dataset_dict.get(key))
            if values:
                dataset_dict[key] = [vocab.code_from_iri(base, v) for v in values]
        for key, base in (("frequency", vocab.FREQUENCY), ("access_rights", vocab.ACCESS_RIGHT)):
            if dataset_dict.get(key):
                dataset_dict[key] = vocab.code_from_iri(base, dataset_dict[key])
        for lang_key, pred in (("title_en", DCT.title), ("description_en", DCT.description)):
            for value in g.objects(dataset_ref, pred):
                if isinstance(value, Literal) and value.language == "en":
                    dataset_dict[lang_key] = str(value)
        for value in g.objects(dataset_ref, DCT.title):
            if isinstance(value, Literal) and value.language == "de":
                dataset_dict["title"] = str(value)
        for value in g.objects(dataset_ref, DCT.description):
            if isinstance(value, Literal) and value.language == "de":
                dataset_dict["notes"] = str(value)
        roles = []
        for role, predicate in self.ROLE_PREDICATES.items():
            for agent in g.objects(dataset_ref, predicate):
                name = next(iter(g.objects(agent, FOAF.name)), None)
                if name is None:
                    continue
                entry = {"role": role, "name": str(name)}
                url = next(iter(g.objects(agent, FOAF.homepage)), None)
                if url is not None:
                    entry["url"] = str(url)
                roles.append(entry)
        if roles:
            dataset_dict["roles"] = roles
        for contact in g.objects(dataset_ref, DCAT.contactPoint):
            url = next(iter(g.objects(contact, VCARD.hasURL)), None)
            if url is not None:
                dataset_dict["contact_url"] = str(url)
        licences = []
        for res in dataset_dict.get("resources", []):
            license_id = vocab.license_id_from_iri(res.get("license"))
            res["license"] = license_id
            if license_id:
                licences.append(license_id)
            res["format"] = _format_label(res.get("format"))
            if res.get("hash_algorithm"):
                res["hash_algorithm"] = _hash_code(res["hash_algorithm"])
            # the schema's url is the access URL (ckanext-dcat prefers the download URL)
            if res.get("access_url"):
                res["url"] = res.pop("access_url")
            if res.get("mimetype", "").startswith(vocab.IANA):
                res["mimetype"] = res["mimetype"][len(vocab.IANA):]
        for dist in g.objects(dataset_ref, DCAT.distribution):
            attribution = next(iter(g.objects(dist, DCATDE.licenseAttributionByText)), None)
            if attribution is None:
                continue
            for res in dataset_dict.get("resources", []):
                if res.get("uri") == str(dist):
                    res["license_attribution"] = str(attribution)
        if licences:
            # DCAT licenses distributions only: the most common licence becomes
            # the dataset's, the others stay as per-resource overrides
            dataset_dict["license_id"] = max(set(licences), key=licences.count)
            for res in dataset_dict.get("resources", []):
                if res.get("license") in (None, dataset_dict["license_id"]):
                    res.pop("license", None)
        return dataset_dict


def _hash_code(value):
    """A checksum-algorithm IRI (dcat-ap.de or SPDX) → the form's code."""
    value = str(value)
    for code, known in vocab.HASH_ALGORITHMS.items():
        if value in known:
            return code
    return value


def _format_label(value):
    if not value:
        return value
    value = str(value)
    if value.startswith(vocab.FILE_TYPE):
        code = value[len(vocab.FILE_TYPE):]
        for label, (eu_code, _media) in vocab.FORMATS.items():
            if eu_code == code:
                return label
        return code
    return value


def _office_contact(owner_org: str | None) -> dict | None:
    """The organisation's functional contact (organisation schema) as the
    contact settings of a record that names none."""
    if not owner_org:
        return None
    from ckan import model

    # owner_org is an id: Session.get answers repeated lookups from the
    # session's identity map (a catalog page names the same offices often)
    return contact_of(model.Session.get(model.Group, owner_org))


def contact_of(group) -> dict | None:
    """What a dataset of ``group`` without a contact of its own publishes
    as contact point: None for no organisation or one without a functional contact."""
    extras = (group.extras or {}) if group is not None else {}
    if not (extras.get("contact_email") or extras.get("contact_url")):
        return None
    return {"contact_name": extras.get("contact_name") or group.title,
            "contact_email": extras.get("contact_email"), "contact_url": extras.get("contact_url")}


def office_contacts(owner_orgs) -> dict[str, dict | None]:
    """``contact_of`` for many organisations with one query (a catalog page's offices)."""
    from ckan import model

    ids = [org for org in set(owner_orgs) if org]
    groups = model.Session.query(model.Group).filter(model.Group.id.in_(ids)).all() if ids else []
    found = {group.id: contact_of(group) for group in groups}
    return {org: found.get(org) for org in ids}
