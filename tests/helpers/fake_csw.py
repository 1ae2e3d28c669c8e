# SPDX-License-Identifier: AGPL-3.0-or-later
"""A geoportal's CSW 2.0.2 for the ``sca_csw`` tests: GetRecords (paged by
startPosition/maxRecords, answering with ``nextRecord``) and GetRecordById,
over ISO 19139 records: Berlin's FIS-Broker sample (unchanged, in
``fixtures/harvest/csw``) and records of a fictitious city's geoportal
written the way German geoportals write them (GDI-DE licence JSON in
otherConstraints, download and WMS online resources, functional contacts).
Served by the tests' local HTTP server."""
from __future__ import annotations

import urllib.parse
from pathlib import Path

from lxml import etree

from tests.helpers.harvest import create_source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "harvest" / "csw"
CSW_NS = ('xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:gmd="http://www.isotc211.org/2005/gmd" '
          'xmlns:gco="http://www.isotc211.org/2005/gco" xmlns:gml="http://www.opengis.net/gml/3.2" '
          'xmlns:srv="http://www.isotc211.org/2005/srv" xmlns:xlink="http://www.w3.org/1999/xlink" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/"')
LICENCES = [
    '{"id": "dl-by-de/2.0", "name": "Datenlizenz Deutschland Namensnennung 2.0", '
    '"url": "https://www.govdata.de/dl-de/by-2-0", "quelle": "Stadt Musterstadt, Amt für Geodaten"}',
    '{"id": "dl-zero-de/2.0", "name": "Datenlizenz Deutschland – Zero – Version 2.0", '
    '"url": "https://www.govdata.de/dl-de/zero-2-0"}',
    "Es gilt die Lizenz Creative Commons Namensnennung 4.0 International "
    "(https://creativecommons.org/licenses/by/4.0/). Quellenvermerk: Stadt Musterstadt",
]
TOPICS = ["planningCadastre", "transportation", "environment", "society", "imageryBaseMapsEarthCover"]
FREQUENCIES = ["annually", "daily", "asNeeded", "irregular", "monthly"]


def berlin_records() -> list[str]:
    """The three records of Berlin's sample (service, dataset, application), unchanged."""
    tree = etree.parse(str(FIXTURES / "getrecords-response.xml"))
    return [etree.tostring(md, encoding="unicode")
            for md in tree.iterfind(".//{http://www.isotc211.org/2005/gmd}MD_Metadata")]


def city_record(i: int, title: str | None = None) -> str:
    uid = f"9c0e{i:04d}-6d1b-4c55-8a7e-0b1c2d3e{i:04d}"
    title = title or f"Bebauungspläne Teilgebiet {i:02d}"
    lic = LICENCES[i % len(LICENCES)]
    return f"""<gmd:MD_Metadata {CSW_NS}>
  <gmd:fileIdentifier><gco:CharacterString>{uid}</gco:CharacterString></gmd:fileIdentifier>
  <gmd:language><gmd:LanguageCode codeList="http://www.loc.gov/standards/iso639-2/" codeListValue="ger">ger</gmd:LanguageCode></gmd:language>
  <gmd:hierarchyLevel><gmd:MD_ScopeCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#MD_ScopeCode" codeListValue="dataset">dataset</gmd:MD_ScopeCode></gmd:hierarchyLevel>
  <gmd:contact><gmd:CI_ResponsibleParty>
    <gmd:organisationName><gco:CharacterString>Stadt Musterstadt, Amt für Geodaten und Kataster</gco:CharacterString></gmd:organisationName>
    <gmd:contactInfo><gmd:CI_Contact><gmd:address><gmd:CI_Address>
      <gmd:electronicMailAddress><gco:CharacterString>geodaten@musterstadt.example</gco:CharacterString></gmd:electronicMailAddress>
    </gmd:CI_Address></gmd:address></gmd:CI_Contact></gmd:contactInfo>
    <gmd:role><gmd:CI_RoleCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#CI_RoleCode" codeListValue="pointOfContact">pointOfContact</gmd:CI_RoleCode></gmd:role>
  </gmd:CI_ResponsibleParty></gmd:contact>
  <gmd:dateStamp><gco:DateTime>2025-0{1 + i % 9}-15T09:30:00</gco:DateTime></gmd:dateStamp>
  <gmd:identificationInfo><gmd:MD_DataIdentification uuid="{uid}">
    <gmd:citation><gmd:CI_Citation>
      <gmd:title><gco:CharacterString>{title}</gco:CharacterString></gmd:title>
      <gmd:date><gmd:CI_Date><gmd:date><gco:Date>2023-05-{1 + i % 28:02d}</gco:Date></gmd:date>
        <gmd:dateType><gmd:CI_DateTypeCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#CI_DateTypeCode" codeListValue="publication">publication</gmd:CI_DateTypeCode></gmd:dateType></gmd:CI_Date></gmd:date>
      <gmd:date><gmd:CI_Date><gmd:date><gco:Date>2025-02-{1 + i % 28:02d}</gco:Date></gmd:date>
        <gmd:dateType><gmd:CI_DateTypeCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#CI_DateTypeCode" codeListValue="revision">revision</gmd:CI_DateTypeCode></gmd:dateType></gmd:CI_Date></gmd:date>
      <gmd:identifier><gmd:MD_Identifier><gmd:code><gco:CharacterString>https://registry.gdi-de.org/id/de.musterstadt/{uid}</gco:CharacterString></gmd:code></gmd:MD_Identifier></gmd:identifier>
    </gmd:CI_Citation></gmd:citation>
    <gmd:abstract><gco:CharacterString>Rechtskräftige Bebauungspläne im Teilgebiet {i} mit Geltungsbereichen, Festsetzungen und Begründung; Straßen-, Grün- und Bauflächen.</gco:CharacterString></gmd:abstract>
    <gmd:pointOfContact><gmd:CI_ResponsibleParty>
      <gmd:organisationName><gco:CharacterString>Stadt Musterstadt, Stadtplanungsamt</gco:CharacterString></gmd:organisationName>
      <gmd:contactInfo><gmd:CI_Contact><gmd:address><gmd:CI_Address>
        <gmd:electronicMailAddress><gco:CharacterString>stadtplanung@musterstadt.example</gco:CharacterString></gmd:electronicMailAddress>
      </gmd:CI_Address></gmd:address>
      <gmd:onlineResource><gmd:CI_OnlineResource><gmd:linkage><gmd:URL>https://www.musterstadt.example/stadtplanung</gmd:URL></gmd:linkage></gmd:CI_OnlineResource></gmd:onlineResource>
      </gmd:CI_Contact></gmd:contactInfo>
      <gmd:role><gmd:CI_RoleCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#CI_RoleCode" codeListValue="pointOfContact">pointOfContact</gmd:CI_RoleCode></gmd:role>
    </gmd:CI_ResponsibleParty></gmd:pointOfContact>
    <gmd:pointOfContact><gmd:CI_ResponsibleParty>
      <gmd:organisationName><gco:CharacterString>Landeshauptstadt Musterstadt</gco:CharacterString></gmd:organisationName>
      <gmd:role><gmd:CI_RoleCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#CI_RoleCode" codeListValue="publisher">publisher</gmd:CI_RoleCode></gmd:role>
    </gmd:CI_ResponsibleParty></gmd:pointOfContact>
    <gmd:resourceMaintenance><gmd:MD_MaintenanceInformation><gmd:maintenanceAndUpdateFrequency>
      <gmd:MD_MaintenanceFrequencyCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#MD_MaintenanceFrequencyCode" codeListValue="{FREQUENCIES[i % len(FREQUENCIES)]}"/>
    </gmd:maintenanceAndUpdateFrequency></gmd:MD_MaintenanceInformation></gmd:resourceMaintenance>
    <gmd:descriptiveKeywords><gmd:MD_Keywords>
      <gmd:keyword><gco:CharacterString>Bebauungsplan</gco:CharacterString></gmd:keyword>
      <gmd:keyword><gco:CharacterString>Stadtplanung</gco:CharacterString></gmd:keyword>
      <gmd:keyword><gco:CharacterString>opendata</gco:CharacterString></gmd:keyword>
    </gmd:MD_Keywords></gmd:descriptiveKeywords>
    <gmd:resourceConstraints><gmd:MD_LegalConstraints>
      <gmd:accessConstraints><gmd:MD_RestrictionCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#MD_RestrictionCode" codeListValue="otherRestrictions"/></gmd:accessConstraints>
      <gmd:otherConstraints><gco:CharacterString>Es gelten keine Zugriffsbeschränkungen</gco:CharacterString></gmd:otherConstraints>
    </gmd:MD_LegalConstraints></gmd:resourceConstraints>
    <gmd:resourceConstraints><gmd:MD_LegalConstraints>
      <gmd:useConstraints><gmd:MD_RestrictionCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#MD_RestrictionCode" codeListValue="otherRestrictions"/></gmd:useConstraints>
      <gmd:otherConstraints><gco:CharacterString>{lic}</gco:CharacterString></gmd:otherConstraints>
    </gmd:MD_LegalConstraints></gmd:resourceConstraints>
    <gmd:language><gmd:LanguageCode codeList="http://www.loc.gov/standards/iso639-2/" codeListValue="ger">ger</gmd:LanguageCode></gmd:language>
    <gmd:topicCategory><gmd:MD_TopicCategoryCode>{TOPICS[i % len(TOPICS)]}</gmd:MD_TopicCategoryCode></gmd:topicCategory>
    <gmd:extent><gmd:EX_Extent>
      <gmd:geographicElement><gmd:EX_GeographicBoundingBox>
        <gmd:westBoundLongitude><gco:Decimal>13.57</gco:Decimal></gmd:westBoundLongitude>
        <gmd:eastBoundLongitude><gco:Decimal>13.97</gco:Decimal></gmd:eastBoundLongitude>
        <gmd:southBoundLatitude><gco:Decimal>50.97</gco:Decimal></gmd:southBoundLatitude>
        <gmd:northBoundLatitude><gco:Decimal>51.18</gco:Decimal></gmd:northBoundLatitude>
      </gmd:EX_GeographicBoundingBox></gmd:geographicElement>
      <gmd:temporalElement><gmd:EX_TemporalExtent><gmd:extent>
        <gml:TimePeriod gml:id="tp{i}"><gml:beginPosition>2019-01-01</gml:beginPosition><gml:endPosition>2024-12-31</gml:endPosition></gml:TimePeriod>
      </gmd:extent></gmd:EX_TemporalExtent></gmd:temporalElement>
    </gmd:EX_Extent></gmd:extent>
  </gmd:MD_DataIdentification></gmd:identificationInfo>
  <gmd:distributionInfo><gmd:MD_Distribution>
    <gmd:distributionFormat><gmd:MD_Format><gmd:name><gco:CharacterString>Shape</gco:CharacterString></gmd:name><gmd:version><gco:CharacterString>-</gco:CharacterString></gmd:version></gmd:MD_Format></gmd:distributionFormat>
    <gmd:transferOptions><gmd:MD_DigitalTransferOptions>
      <gmd:onLine><gmd:CI_OnlineResource><gmd:linkage><gmd:URL>https://geoportal.musterstadt.example/download/bplan_{i:02d}.zip</gmd:URL></gmd:linkage>
        <gmd:protocol><gco:CharacterString>WWW:DOWNLOAD-1.0-http--download</gco:CharacterString></gmd:protocol>
        <gmd:name><gco:CharacterString>Download Shape</gco:CharacterString></gmd:name>
        <gmd:function><gmd:CI_OnLineFunctionCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#CI_OnLineFunctionCode" codeListValue="download"/></gmd:function></gmd:CI_OnlineResource></gmd:onLine>
      <gmd:onLine><gmd:CI_OnlineResource><gmd:linkage><gmd:URL>https://geoportal.musterstadt.example/wms/bplan?SERVICE=WMS&amp;REQUEST=GetCapabilities</gmd:URL></gmd:linkage>
        <gmd:protocol><gco:CharacterString>OGC:WMS-1.3.0-http-get-capabilities</gco:CharacterString></gmd:protocol>
        <gmd:name><gco:CharacterString>Darstellungsdienst</gco:CharacterString></gmd:name></gmd:CI_OnlineResource></gmd:onLine>
      <gmd:onLine><gmd:CI_OnlineResource><gmd:linkage><gmd:URL>https://www.musterstadt.example/bauleitplanung/{i}</gmd:URL></gmd:linkage>
        <gmd:protocol><gco:CharacterString>WWW:LINK-1.0-http--link</gco:CharacterString></gmd:protocol>
        <gmd:function><gmd:CI_OnLineFunctionCode codeList="http://standards.iso.org/iso/19139/resources/gmxCodelists.xml#CI_OnLineFunctionCode" codeListValue="information"/></gmd:function></gmd:CI_OnlineResource></gmd:onLine>
    </gmd:MD_DigitalTransferOptions></gmd:transferOptions>
  </gmd:MD_Distribution></gmd:distributionInfo>
</gmd:MD_Metadata>"""


class FakeCSW:
    """The geoportal's records and its CSW as a route handler."""

    def __init__(self, records: list[str]):
        self.records = list(records)
        self.calls: list[dict] = []
        self.dublin_core = False  # answer GetRecords with csw:Record (Dublin Core) like some servers
        self.next_record_override = None  # a broken server's nextRecord
        self.ignore_start = False  # a broken server that always answers with the first page
        self.raw: bytes | None = None  # answer every request with these bytes

    def route(self, server, path: str = "/csw") -> str:
        server.add_prefix(path, self.handler)
        return server.url(path)

    def handler(self, req, route):
        query = urllib.parse.urlsplit(req.path).query
        params = {k.lower(): v[0] for k, v in urllib.parse.parse_qs(query).items()}
        self.calls.append(params)
        if self.raw is not None:
            return _send(req, self.raw)
        if params.get("request") == "GetRecordById":
            return _send(req, self.by_id(params.get("id", "")))
        start, size = int(params.get("startposition", 1)), int(params.get("maxrecords", 10))
        if self.ignore_start:
            start = 1
        page = self.records[start - 1:start - 1 + size]
        following = start + len(page) if start - 1 + size < len(self.records) else 0
        if self.next_record_override is not None:
            following = self.next_record_override
        if self.dublin_core:
            page = [f'<csw:Record><dc:identifier>{_file_id(r)}</dc:identifier><dc:title>{_file_id(r)}</dc:title>'
                    '</csw:Record>' for r in page]
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<csw:GetRecordsResponse {CSW_NS} version="2.0.2">'
                f'<csw:SearchStatus timestamp="2026-11-26T02:00:00Z"/>'
                f'<csw:SearchResults numberOfRecordsMatched="{len(self.records)}" '
                f'numberOfRecordsReturned="{len(page)}" elementSet="full" nextRecord="{following}" '
                f'recordSchema="http://www.isotc211.org/2005/gmd">{"".join(page)}</csw:SearchResults>'
                f'</csw:GetRecordsResponse>')
        return _send(req, body.encode("utf-8"))

    def by_id(self, identifier: str) -> bytes:
        found = [r for r in self.records if _file_id(r) == identifier]
        if not found:
            return (FIXTURES / "getrecordbyid-empty.xml").read_bytes()
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<csw:GetRecordByIdResponse {CSW_NS}>{found[0]}'
                '</csw:GetRecordByIdResponse>').encode("utf-8")


def _file_id(record: str) -> str:
    start = record.index("<gco:CharacterString>", record.index("fileIdentifier")) + len("<gco:CharacterString>")
    return record[start:record.index("</gco:CharacterString>", start)]


def _send(req, body: bytes, status: int = 200):
    req.send_response(status)
    req.send_header("Content-Type", "application/xml;charset=utf-8")
    req.send_header("Content-Length", str(len(body)))
    req.end_headers()
    req.wfile.write(body)


def csw_source(server, harvest_org, csw, config=None, name="geoportal"):
    """An ``sca_csw`` harvest source of ``csw`` served by the local ``server``."""
    return create_source(csw.route(server), harvest_org, config=config, name=name, source_type="sca_csw")
