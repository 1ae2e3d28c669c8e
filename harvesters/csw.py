# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_csw``: a geoportal's CSW 2.0.2 catalogue service with ISO 19139 records.

Gather asks ``GetRecords`` for full ISO 19139 records
(``outputSchema=http://www.isotc211.org/2005/gmd``) page by page, following
``nextRecord`` (real servers send odd values, e.g. ``nextRecord="1"`` on the
last page: the next position never goes backwards, and a page that brings
only records already read stops paging without withdrawing anything). A server that answers with Dublin Core or brief
records instead gets one ``GetRecordById`` per record. Service records
(WMS, WFS, Atom) are not datasets in DCAT-AP.de: they become distributions
(``WMS_SRVC``, ``WFS_SRVC``…) of the datasets they operate on
(``srv:operatesOn``, matched by the dataset's identifier or its UUID).
Application and other records are skipped and reported.

Import reads the record with ckanext-spatial's ISO 19139 reader and maps it:
keywords → keywords (and themes where the mapping tables know them), ISO
topic categories → themes, responsible parties → publisher and contact
(functional contacts only unless ``personal_contacts``), bounding box →
spatial, temporal extent, reference dates → issued/modified, maintenance
frequency, use constraints → licence (GDI-DE's JSON form, a licence URL or
a name in the text; the "Quellenvermerk" → attribution), online resources
→ distributions with EU file types.
"""
from __future__ import annotations

import json
import re
import urllib.parse

import ckan.plugins as p
from lxml import etree

from ckanext.harvest.interfaces import IHarvester

from ckanext.smartcityatlas.harvesters import contacts, policy, rdfparse
from ckanext.smartcityatlas.common.fetch import FetchError
from ckanext.smartcityatlas.harvesters.base import Gathered, Record, SCAHarvesterBase, page_failed
from ckanext.smartcityatlas.harvesters.dcat_rdf import form_format, keywords
from ckanext.smartcityatlas.harvesters.mapping import Mapper
from ckanext.smartcityatlas.harvesters.parse_error import describe

GMD = "http://www.isotc211.org/2005/gmd"
NS = {
    "csw": "http://www.opengis.net/cat/csw/2.0.2",
    "gmd": GMD,
    "gco": "http://www.isotc211.org/2005/gco",
    "srv": "http://www.isotc211.org/2005/srv",
    "ows": "http://www.opengis.net/ows",
    "dc": "http://purl.org/dc/elements/1.1/",
}
ACCEPT = "application/xml, text/xml;q=0.9, */*;q=0.1"
_UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.I)
_URL = re.compile(r"https?://[^\s\"'<>)]+")
_ATTRIBUTION = re.compile(r"Quellenvermerk(?: lautet)?\s*:?\s*[\"„“]?(.+?)[\"“”]?\s*$", re.I | re.S)
DATASET_TYPES = ("dataset", "series")
# an OWS exception code ("InvalidParameterValue") is named in the job report;
# the exception's text is the answer's content and is not
_EXCEPTION_CODE = re.compile(r"[A-Za-z][A-Za-z0-9]{0,63}")


class CSWError(ValueError):
    pass


class SCACSWHarvester(SCAHarvesterBase, p.SingletonPlugin):
    p.implements(IHarvester)

    NAME = "sca_csw"
    BUILD_AHEAD = True  # build_package reads only the record and the source configuration
    IMPORT_POLICY = True
    GUID_IS_IDENTIFIER = True  # the record's gmd:fileIdentifier
    TITLE = "CSW geoportal (ISO 19139)"
    DESCRIPTION = ("Metadata of a geoportal's CSW 2.0.2 catalogue service in ISO 19139, "
                   "mapped to the portal's DCAT-AP.de schema")
    CONFIG_KEYS = ("page_size", "constraint", "resource_types", "personal_contacts")

    def check_config(self, values: dict) -> dict:
        size = values.get("page_size", 100)
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 1000:
            raise ValueError("page_size must be a whole number between 1 and 1000")
        constraint = values.get("constraint", "")
        if not isinstance(constraint, str):
            raise ValueError("constraint must be an OGC CQL text, e.g. \"AnyText LIKE '%opendata%'\"")
        types = values.get("resource_types", list(DATASET_TYPES))
        if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
            raise ValueError('resource_types must be a list such as ["dataset", "series"]')
        if not isinstance(values.get("personal_contacts", False), bool):
            raise ValueError("personal_contacts must be true or false")
        return {"page_size": size, "constraint": constraint.strip(), "resource_types": tuple(types),
                "personal_contacts": values.get("personal_contacts", False)}

    # ---- gather ----------------------------------------------------------------

    def gather_records(self, url, cfg, fetcher) -> Gathered:
        opts = cfg.extra
        endpoint = url.strip().split("?", 1)[0]
        problems: list[str] = []
        found: list[etree._Element] = []
        complete = True
        start, pages, seen = 1, 0, set()
        while True:
            if pages >= cfg.max_pages:
                problems.append(f"[error] more than {cfg.max_pages} pages (max_pages); paging stopped")
                complete = False
                break
            pages += 1
            try:
                root = self._request(fetcher, endpoint, get_records_params(start, opts))
                results = root.find("csw:SearchResults", NS)
                if results is None:
                    raise CSWError(f"{endpoint}: GetRecords answered without csw:SearchResults")
            except (FetchError, ValueError) as exc:
                if pages == 1:
                    raise
                problems.append(page_failed(pages, f"GetRecords, startPosition {start}", exc))
                complete = False
                break
            children = list(results)
            fresh = 0
            for child in children:
                record = child if child.tag == f"{{{GMD}}}MD_Metadata" else \
                    self._by_id(fetcher, endpoint, child, problems)
                if record is None:
                    continue
                key = record.findtext("gmd:fileIdentifier/gco:CharacterString", namespaces=NS) or id(record)
                if key not in seen:
                    seen.add(key)
                    fresh += 1
                    found.append(record)
            matched = _int(results.get("numberOfRecordsMatched"))
            following = _int(results.get("nextRecord"))
            if not children or not following or (matched is not None and start + len(children) > matched):
                break
            if not fresh:
                problems.append(f"[error] the server returned the same records again at position {start}; "
                                "paging stopped")
                complete = False
                break
            # real servers send odd nextRecord values: never go backwards
            start = following if following > start else start + len(children)
        return self._records(endpoint, found, opts, problems, complete)

    def _request(self, fetcher, endpoint: str, params: dict):
        response = fetcher(f"{endpoint}?{urllib.parse.urlencode(params)}", accept=ACCEPT)
        root = parse_xml(response.body, response.summary())
        if etree.QName(root).localname == "ExceptionReport":
            found = [(e.get("exceptionCode") or "", e.get("locator") or "") for e in root.iter("{*}Exception")]
            codes = sorted({code for code, _locator in found if _EXCEPTION_CODE.fullmatch(code)})
            # a locator names one of our request parameters: only those are repeated
            locators = sorted({locator for _code, locator in found if locator in params})
            raise CSWError(f"{endpoint}: the CSW reports an error ({', '.join(codes) or 'no code'}"
                           f"{'; parameter ' + ', '.join(locators) if locators else ''})")
        return root

    def _by_id(self, fetcher, endpoint: str, child, problems: list[str]):
        """A Dublin Core/brief record instead of ISO 19139: fetch it alone."""
        identifier = child.findtext("dc:identifier", namespaces=NS)
        if not identifier or not identifier.strip():
            problems.append(f"[error] GetRecords returned a {etree.QName(child).localname} without "
                            "identifier; skipped")
            return None
        root = self._request(fetcher, endpoint, get_record_by_id_params(identifier.strip()))
        record = root.find("gmd:MD_Metadata", NS)
        if record is None:
            problems.append(f"[error] record {identifier.strip()!r}: GetRecordById returned no ISO 19139 "
                            "record; not imported this time")
        return record

    def _records(self, endpoint, found, opts, problems, complete) -> Gathered:
        datasets, services = [], []
        for md in found:
            guid = (md.findtext("gmd:fileIdentifier/gco:CharacterString", namespaces=NS) or "").strip()
            level = md.find("gmd:hierarchyLevel/gmd:MD_ScopeCode", NS)
            kind = (level.get("codeListValue") or level.text or "").strip() if level is not None else "dataset"
            if not guid:
                problems.append("[error] an ISO 19139 record without gmd:fileIdentifier cannot be harvested "
                                "again reliably; skipped")
            elif kind == "service":
                services.append(md)
            elif kind in opts["resource_types"] or (not kind and "dataset" in opts["resource_types"]):
                datasets.append((guid, md))
            else:
                problems.append(f"[warning] record {guid!r} is of type {kind!r}, not a dataset "
                                f"(resource_types: {', '.join(opts['resource_types'])}); skipped")
        coupled = couple_services(services, [md for _guid, md in datasets])
        records = []
        for guid, md in datasets:
            content = {"xml": etree.tostring(md, encoding="unicode"), "services": coupled.get(id(md), [])}
            identifier = _identifier(md) or guid
            records.append(Record(guid=guid, content=json.dumps(content, ensure_ascii=False, sort_keys=True),
                                  identifier=identifier, uri=record_url(endpoint, guid)))
        return Gathered(records=records, complete=complete, problems=problems)

    # ---- import ----------------------------------------------------------------

    def build_package(self, content: str, guid: str, mapper: Mapper) -> dict:
        data = json.loads(content)
        md = parse_xml(data["xml"].encode("utf-8"), guid)
        return to_schema(md, data.get("services") or [], guid, mapper,
                         self.current_config.extra.get("personal_contacts", False))


# ---- requests and XML ---------------------------------------------------------------

def get_records_params(start: int, opts: dict) -> dict:
    params = {
        "service": "CSW", "version": "2.0.2", "request": "GetRecords", "typeNames": "gmd:MD_Metadata",
        "namespace": f"xmlns(gmd={GMD})", "resultType": "results", "elementSetName": "full",
        "outputSchema": GMD, "outputFormat": "application/xml", "startPosition": start,
        "maxRecords": opts["page_size"],
    }
    if opts.get("constraint"):
        params.update({"constraintLanguage": "CQL_TEXT", "constraint_language_version": "1.1.0",
                       "constraint": opts["constraint"]})
    return params


def get_record_by_id_params(identifier: str) -> dict:
    return {"service": "CSW", "version": "2.0.2", "request": "GetRecordById", "id": identifier,
            "outputSchema": GMD, "elementSetName": "full", "outputFormat": "application/xml"}


def record_url(endpoint: str, identifier: str) -> str:
    return f"{endpoint}?{urllib.parse.urlencode(get_record_by_id_params(identifier))}"


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_blank_text=True)


def parse_xml(body: bytes, where: str):
    """Parse XML without DTDs, entities or network; CSWError with the reason
    and the place (never the input: parse_error.py)."""
    try:
        rdfparse.check_xml(body)
    except rdfparse.RDFError as exc:
        raise CSWError(f"{where}: {exc}") from exc
    try:
        return etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise CSWError(f"{where}: {describe(exc)}") from exc


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _identifier(md) -> str | None:
    for path in ("gmd:identificationInfo/*/gmd:citation/gmd:CI_Citation/gmd:identifier/*/gmd:code/"
                 "gco:CharacterString",):
        value = md.findtext(path, namespaces=NS)
        if value and value.strip():
            return value.strip()
    return None


def _keys(md) -> set[str]:
    """Ways a service may name this dataset: file identifier, resource identifier, their UUIDs."""
    keys = set()
    for value in (md.findtext("gmd:fileIdentifier/gco:CharacterString", namespaces=NS), _identifier(md)):
        if value:
            keys.add(value.strip())
            keys.update(u.replace("-", "").lower() for u in _UUID.findall(value))
    return keys


def couple_services(services, datasets) -> dict[int, list[dict]]:
    """id(dataset element) → the distributions its services offer (sorted, for stable hashes)."""
    index: dict[str, object] = {}
    for md in datasets:
        for key in _keys(md):
            index.setdefault(key, md)
    out: dict[int, list[dict]] = {}
    for service in services:
        refs = []
        for op in service.iterfind("gmd:identificationInfo/srv:SV_ServiceIdentification/srv:operatesOn", NS):
            for value in (op.get("uuidref"), op.get("{http://www.w3.org/1999/xlink}href")):
                if value:
                    refs.append(value.strip())
                    refs.extend(u.replace("-", "").lower() for u in _UUID.findall(value))
        targets = {id(index[r]): index[r] for r in refs if r in index}
        if not targets:
            continue
        for dist in service_distributions(service):
            for target in targets:
                out.setdefault(target, [])
                if dist not in out[target]:
                    out[target].append(dist)
    for dists in out.values():
        dists.sort(key=lambda d: (d["url"], d.get("format") or ""))
    return out


def service_distributions(service) -> list[dict]:
    ident = service.find("gmd:identificationInfo/srv:SV_ServiceIdentification", NS)
    if ident is None:
        return []
    title = (ident.findtext("gmd:citation/gmd:CI_Citation/gmd:title/gco:CharacterString", namespaces=NS)
             or "").strip()
    kind = (ident.findtext("srv:serviceType/gco:LocalName", namespaces=NS) or "").strip().lower()
    urls = []
    for res in service.iter(f"{{{GMD}}}CI_OnlineResource"):
        if any(a.tag == f"{{{GMD}}}CI_ResponsibleParty" for a in res.iterancestors()):
            continue  # a contact's web page, not the service
        url = (res.findtext("gmd:linkage/gmd:URL", namespaces=NS) or "").strip()
        protocol = (res.findtext("gmd:protocol/gco:CharacterString", namespaces=NS) or "").strip()
        if url.startswith(("http://", "https://")) and url not in [u for u, _ in urls]:
            urls.append((url, protocol))
    out = []
    for url, protocol in urls:
        fmt = service_format(url, protocol, kind)
        if fmt is None:
            continue  # a page about the service, not the service
        out.append({"url": url, "format": fmt, "name": title or None, "protocol": protocol or None})
    return out


def service_format(url: str, protocol: str, service_type: str = "") -> str | None:
    text = f"{protocol} {url}".lower()
    for key, code in (("wms", "WMS_SRVC"), ("wfs", "WFS_SRVC"), ("wcs", "WCS_SRVC"), ("wmts", "WMTS_SRVC"),
                      ("atom", "ATOM")):
        if re.search(rf"(?:\b|[/_=:]){key}\b", text):
            return "WMTS_SRVC" if key == "wms" and "wmts" in text else code
    return {"view": "WMS_SRVC", "download": "WFS_SRVC"}.get(service_type)


# ---- an ISO 19139 record → our schema -----------------------------------------------

ROLE_ORDER_PUBLISHER = ("publisher", "owner", "custodian", "distributor", "originator", "pointOfContact")
ROLE_ORDER_CONTACT = ("pointOfContact", "custodian", "distributor", "publisher", "owner")
_DOWNLOAD_SUFFIX = {".zip": "ZIP", ".csv": "CSV", ".json": "JSON", ".geojson": "GEOJSON", ".gml": "GML",
                    ".xml": "XML", ".pdf": "PDF", ".xlsx": "XLSX", ".xls": "XLS", ".shp": "SHP",
                    ".tif": "TIFF", ".tiff": "TIFF", ".kml": "KML", ".gpkg": "GPKG"}


def to_schema(md, services: list[dict], guid: str, mapper: Mapper, personal_contacts: bool = False) -> dict:
    from ckanext.spatial.harvested_metadata import ISODocument

    values = ISODocument(xml_tree=md).read_values()
    out: dict = {}
    # a missing title or abstract: the import policy decides (harvesters/policy.py)
    out["title"] = (values.get("title") or "").strip()
    out["notes"] = (values.get("abstract") or "").strip()
    words = list(dict.fromkeys(values.get("tags") or []))
    out["tags"] = keywords(words, mapper, guid)
    _themes(values, words, out, mapper, guid)
    _dates(values, out, mapper, guid)
    for field, kind, key in (("frequency", "frequencies", "frequency-of-update"),):
        if values.get(key):
            code = mapper.map(kind, values[key], guid, field)
            if code:
                out[field] = code
    languages = []
    for value in values.get("dataset-language") or []:
        code = mapper.map("languages", value, guid, "language")
        if code and code not in languages:
            languages.append(code)
    if languages:
        out["language"] = languages
    _parties(values, metadata_contacts(md), out, mapper, guid, personal_contacts)
    _bbox(values, out, mapper, guid)
    identifier = values.get("unique-resource-identifier")
    if identifier:
        out["identifier"] = identifier
    license_id, attribution, original = _licence(values, md, mapper, guid)
    out["license_id"] = license_id
    if license_id is None and original:
        # no table knows it: the policy records it as not open and keeps the source's text
        out[policy.LICENCE_ORIGINAL] = original
    if attribution:
        out["license_attribution"] = attribution
    resources, landing = _resources(values, services, mapper, guid)
    if landing:
        out["url"] = landing
    out["resources"] = resources
    return out


def _themes(values, words, out, mapper, guid):
    themes = []
    for value in values.get("topic-category") or []:
        code = mapper.map("themes", value, guid, "topic category")
        if code and code not in themes:
            themes.append(code)
    for word in words:  # a keyword becomes a theme only where the mapping tables know it
        if mapper.lookup("themes", word)[0]:
            code = mapper.map("themes", word, guid, "keyword → theme")
            if code not in themes:
                themes.append(code)
    if themes:
        out["theme"] = themes


def _dates(values, out, mapper, guid):
    dates = {d.get("type"): d.get("value") for d in values.get("dataset-reference-date") or []
             if isinstance(d, dict)}
    for field, raw in (("issued", dates.get("publication") or dates.get("creation")),
                       ("modified", dates.get("revision") or values.get("metadata-date"))):
        fixed = mapper.date(raw, guid, field)
        if fixed:
            out[field] = fixed
    for field, key in (("temporal_start", "temporal-extent-begin"), ("temporal_end", "temporal-extent-end")):
        raw = values.get(key)
        raw = raw[0] if isinstance(raw, list) and raw else raw
        fixed = mapper.date(raw, guid, field.replace("_", " "))
        if fixed:
            out[field] = fixed


def _pick(parties: list[dict], order) -> dict | None:
    for role in order:
        for party in parties:
            if party.get("role") == role and party.get("organisation-name"):
                return party
    return next((p for p in parties if p.get("organisation-name")), None)


def metadata_contacts(md) -> list[dict]:
    """gmd:contact (who answers for the metadata, often the geoportal's mailbox), shaped as
    ckanext-spatial shapes responsible parties (its reader stops at the dataset's own)."""
    out = []
    for party in md.iterfind("gmd:contact/gmd:CI_ResponsibleParty", NS):
        def text(path):
            return (party.findtext(path, namespaces=NS) or "").strip()
        role = party.find("gmd:role/gmd:CI_RoleCode", NS)
        out.append({
            "individual-name": text("gmd:individualName/gco:CharacterString"),
            "organisation-name": text("gmd:organisationName/gco:CharacterString"),
            "contact-info": {
                "email": text("gmd:contactInfo/gmd:CI_Contact/gmd:address/gmd:CI_Address/"
                              "gmd:electronicMailAddress/gco:CharacterString"),
                "online-resource": text("gmd:contactInfo/gmd:CI_Contact/gmd:onlineResource/"
                                        "gmd:CI_OnlineResource/gmd:linkage/gmd:URL")},
            "role": (role.get("codeListValue") or role.text or "").strip() if role is not None else "",
        })
    return out


def _parties(values, metadata_parties, out, mapper, guid, personal):
    parties = [p for p in (values.get("responsible-organisation") or []) if isinstance(p, dict)]
    parties += [p for p in (values.get("metadata-point-of-contact") or []) if isinstance(p, dict)]
    parties += [p for p in metadata_parties if p not in parties]
    publisher = _pick(parties, ROLE_ORDER_PUBLISHER)
    if publisher:
        out["publisher_name"] = publisher["organisation-name"].strip()
    # the contact: the first party (by role) with an address the portal may show,
    # e.g. the geoportal's functional mailbox when the dataset names an official
    ordered = sorted((p for p in parties if p.get("organisation-name")),
                     key=lambda p: ROLE_ORDER_CONTACT.index(p.get("role")) if p.get("role") in ROLE_ORDER_CONTACT
                     else len(ROLE_ORDER_CONTACT))
    withheld_any = False
    chosen = None
    for party in ordered:
        email = ((party.get("contact-info") or {}).get("email") or "").strip()
        if email and (personal or not contacts.personal_email(email)):
            chosen = party
            break
        withheld_any = withheld_any or bool(email) or bool((party.get("individual-name") or "").strip())
    if chosen is None and ordered:
        chosen = ordered[0]
    if chosen is None:
        return
    if withheld_any and not personal:
        mapper.note(guid, "contact", "(a person's name or e-mail address, not shown)",
                    "(withheld: personal_contacts is off)")
    info = chosen.get("contact-info") or {}
    name = chosen["organisation-name"].strip()
    if personal and (chosen.get("individual-name") or "").strip():
        name = f"{chosen['individual-name'].strip()}, {name}"
    email = (info.get("email") or "").strip()
    if email and (personal or not contacts.personal_email(email)):  # repaired or left out by the policy
        out["contact_email"] = email
    out["contact_name"] = name
    online = info.get("online-resource") or ""
    online = online.get("url") if isinstance(online, dict) else online
    if str(online or "").startswith(("http://", "https://")):
        out["contact_url"] = online


def _bbox(values, out, mapper, guid):
    from ckanext.smartcityatlas.entities import locations

    for box in values.get("bbox") or []:
        try:
            west, east, south, north = (float(box[k]) for k in ("west", "east", "south", "north"))
        except (KeyError, TypeError, ValueError):
            mapper.drop(guid, "bounding box", json.dumps(box))
            continue
        if west > east or south > north:
            mapper.drop(guid, "bounding box (west > east or south > north)", json.dumps(box))
            continue
        geom = {"type": "Polygon", "coordinates": [[[west, south], [east, south], [east, north],
                                                    [west, north], [west, south]]]}
        if west == east and south == north:
            geom = {"type": "Point", "coordinates": [west, south]}
        try:
            locations.parse(geom)
        except locations.LocationError as exc:
            mapper.drop(guid, f"bounding box ({exc})", json.dumps(box))
            continue
        out["spatial"] = json.dumps(geom)
        return


def _licence(values, md, mapper, guid) -> tuple[str | None, str | None, str | None]:
    """(licence code or None, attribution, the use constraints' text when no table knows the licence)."""
    texts = [t for key in ("use-constraints", "limitations-on-public-access")
             for t in (values.get(key) or []) if isinstance(t, str) and t.strip()]
    # ckanext-spatial reads useLimitation of MD_Constraints only; German records use MD_LegalConstraints
    texts += [t for t in md.xpath("gmd:identificationInfo/*/gmd:resourceConstraints/gmd:MD_LegalConstraints/"
                                  "gmd:useLimitation/gco:CharacterString/text()", namespaces=NS)
              if t.strip() and t not in texts]
    attribution = None
    unknown = None  # what names the licence no table knows
    for text in texts:
        data = None
        if text.strip().startswith("{"):
            try:  # GDI-DE convention: {"id": "dl-by-de/2.0", "name": …, "url": …, "quelle": …}
                data = json.loads(text)
            except ValueError:
                data = None
        if isinstance(data, dict):
            attribution = attribution or (str(data.get("quelle")).strip() if data.get("quelle") else None)
            for candidate in (data.get("id"), data.get("url"), data.get("name")):
                if candidate and mapper.lookup("licenses", candidate)[0]:
                    return mapper.map("licenses", candidate, guid, "license"), attribution, None
            named = [str(data[k]).strip() for k in ("name", "url", "id") if data.get(k)]
            unknown = unknown or " – ".join(dict.fromkeys(named)) or None
            continue
        match = _ATTRIBUTION.search(text)
        if match and not attribution:
            attribution = match.group(1).strip()
        for candidate in [text.strip()] + [u.rstrip(".,;") for u in _URL.findall(text)]:
            if mapper.lookup("licenses", candidate)[0]:
                code = mapper.lookup("licenses", candidate)[0]
                mapper.note(guid, "license", candidate if len(candidate) < 120 else candidate[:117] + "…", code)
                return code, attribution, None
    return None, attribution, (unknown or (texts[0] if texts else None) or "")[:1000] or None


def _resources(values, services, mapper, guid) -> tuple[list[dict], str | None]:
    out, landing = [], None
    formats = [f.get("name") for f in values.get("data-format") or [] if isinstance(f, dict) and f.get("name")]
    for i, loc in enumerate(values.get("resource-locator") or [], 1):
        url = (loc.get("url") or "").strip()
        if not url.startswith(("http://", "https://")):
            continue
        protocol = (loc.get("protocol") or "").strip()
        code = service_format(url, protocol)
        if code is None:
            suffix = re.search(r"(\.[a-z0-9]+)(?:$|\?)", url.lower().split("#")[0])
            code = _DOWNLOAD_SUFFIX.get(suffix.group(1)) if suffix else None
        if code is None and formats and "download" in f"{protocol} {loc.get('function')}".lower():
            code = mapper.map("formats", formats[0], guid, f"online resource {i} format")
        if code is None and (loc.get("function") == "information" or "link" in protocol.lower()):
            landing = landing or url  # a page about the data, not the data
            continue
        res = {"_key": url, "url": url}
        if loc.get("name"):
            res["name"] = loc["name"].strip()
        if loc.get("description"):
            res["description"] = loc["description"].strip()
        label = form_format(code) if code else None
        if label:
            res["format"] = label
        out.append(res)
    for dist in services:
        if any(r["url"] == dist["url"] for r in out):
            continue
        res = {"_key": dist["url"], "url": dist["url"], "format": form_format(dist["format"]) or dist["format"]}
        if dist.get("name"):
            res["name"] = dist["name"]
        out.append(res)
    for loc in values.get("resource-locator-identification") or []:
        url = (loc.get("url") or "").strip()
        if not landing and url.startswith(("http://", "https://")) and service_format(url, "") is None:
            landing = url
    return out, landing
