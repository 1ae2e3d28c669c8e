# SPDX-License-Identifier: AGPL-3.0-or-later
"""A large DCAT-AP.de catalog in German municipal style, for harvest benches.

``pages(count, page_size, base_url)`` → {path: Turtle bytes}: ``count``
datasets on Hydra-paged pages (``hydra:PartialCollectionView`` with
``hydra:nextPage``, absolute addresses), reproducible by seed. The records
vary as real catalogs do: licences, formats, themes, frequencies, dates,
keywords, one to three distributions, contact, publisher, spatial and
temporal coverage for some. A few need repairs of the kind every catalog
has and that ckanext-dcat's stock harvester still stores as they are
(so both harvesters can import every record): media types as literals
(``"text/csv"``), formats as plain labels (``"CSV"``), licence IRIs of
``https://www.dcat-ap.de``, date-times with a space instead of ``T`` or an
offset without colon, German dates (``01.03.2021``). No personal data:
contacts are functional addresses at example domains.
"""
from __future__ import annotations

import json
import random

import generator

EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
LICENCE = "http://dcat-ap.de/def/licenses/"
BASE = "https://opendata.musterstadt.example/"
GEOJSON_IMT = "https://www.iana.org/assignments/media-types/application/vnd.geo+json"

PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcatde: <http://dcat-ap.de/def/dcatde/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
@prefix locn: <http://www.w3.org/ns/locn#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

LICENCES = ["dl-by-de/2.0", "dl-by-de/2.0", "dl-zero-de/2.0", "dl-zero-de/2.0", "cc-by/4.0", "cc-zero",
            "cc-by-sa/4.0", "odbl"]
# (EU file type, IANA media type, file extension)
FILE_TYPES = [("CSV", "text/csv", "csv"), ("JSON", "application/json", "json"),
              ("GEOJSON", "application/geo+json", "geojson"), ("XLSX", None, "xlsx"),
              ("PDF", "application/pdf", "pdf"), ("SHP", None, "zip"), ("XML", "application/xml", "xml"),
              ("WMS_SRVC", None, "wms"), ("WFS_SRVC", None, "wfs"), ("ZIP", "application/zip", "zip")]
THEMES = ["ENVI", "TRAN", "REGI", "ENER", "SOCI", "EDUC", "ECON", "GOVE", "HEAL", "JUST", "AGRI", "TECH"]
FREQUENCIES = ["DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "ANNUAL", "IRREG", "CONT", "ANNUAL"]


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """A Turtle string literal."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r"))
    out = f'"{escaped}"'
    if lang:
        out += "@" + lang
    elif datatype:
        out += f"^^<{datatype}>"
    return out


def _date(rng: random.Random, year_from=2015) -> tuple[int, int, int]:
    return rng.randint(year_from, 2025), rng.randint(1, 12), rng.randint(1, 28)


def _issued(i: int, rng: random.Random) -> tuple[str, bool]:
    """dct:issued as catalogs write it; True when our harvester repairs it."""
    y, m, d = _date(rng)
    kind = i % 25
    if kind == 3:
        return lit(f"{y}-{m:02d}-{d:02d} 08:15:00", datatype="http://www.w3.org/2001/XMLSchema#dateTime"), True
    if kind == 8:
        return lit(f"{y}-{m:02d}-{d:02d}T10:00:00+0100", datatype="http://www.w3.org/2001/XMLSchema#dateTime"), True
    if kind == 17:
        return lit(f"{d:02d}.{m:02d}.{y}"), True
    return lit(f"{y}-{m:02d}-{d:02d}", datatype="http://www.w3.org/2001/XMLSchema#date"), False


def dataset(i: int, rng: random.Random, kind: str = "ds") -> tuple[str, str, int]:
    """(Turtle of one dataset with what hangs off it, its IRI, repairs needed)."""
    office_name, office_title = generator.OFFICES[i % len(generator.OFFICES)]
    subject, qualifier = rng.choice(generator.SUBJECTS), rng.choice(generator.QUALIFIERS)
    period = rng.choice(generator.PERIODS)
    words = dict(office=office_title, subject=subject, qualifier=qualifier, period=period)
    notes = " ".join(s.format(**words) for s in rng.sample(generator.SENTENCES, rng.randint(2, 5)))
    slug = f"{kind}-{i:06d}"
    ref = f"<{BASE}dataset/{slug}>"
    repairs = 0
    t = [f"{ref} a dcat:Dataset ;",
         f"  dct:title {lit(f'{subject} {qualifier} {period} ({i})', 'de')} ;",
         f"  dct:description {lit(notes, 'de')} ;"]
    if i % 10 != 9:  # some records are identified by their IRI alone
        t.append(f"  dct:identifier {lit(f'urn:de:musterstadt:opendata:{slug}')} ;")
    for theme in rng.sample(THEMES, 1 + (i % 3 == 0)):
        t.append(f"  dcat:theme <{EU}data-theme/{theme}> ;")
    for kw in rng.sample(generator.TAGS, rng.randint(1, 4)):
        t.append(f"  dcat:keyword {lit(kw, 'de')} ;")
    t.append(f"  dct:accrualPeriodicity <{EU}frequency/{rng.choice(FREQUENCIES)}> ;")
    t.append(f"  dct:language <{EU}language/DEU> ;")
    issued, repaired = _issued(i, rng)
    repairs += repaired
    t.append(f"  dct:issued {issued} ;")
    y, m, d = _date(rng, 2024)
    t.append(f"  dct:modified {lit(f'{y}-{m:02d}-{d:02d}T06:{i % 60:02d}:00', datatype='http://www.w3.org/2001/XMLSchema#dateTime')} ;")
    t.append(f"  dcat:landingPage <{BASE}dataset/{slug}.html> ;")
    t.append(f"  dct:publisher <{BASE}organisation/{office_name}> ;")
    t.append(f"  dcat:contactPoint [ a vcard:Organization ; vcard:fn {lit(office_title + ' – Open-Data-Team')} ; "
             f"vcard:hasEmail <mailto:opendata-{office_name}@musterstadt.example> ] ;")
    t.append("  dcatde:contributorID <http://dcat-ap.de/def/contributors/freistaatSachsen> ;")
    t.append("  dcatde:politicalGeocodingLevelURI <http://dcat-ap.de/def/politicalGeocoding/Level/municipality> ;")
    if i % 2 == 0:
        geometry = json.dumps(generator.location(rng), separators=(",", ":"))
        t.append(f"  dct:spatial [ a dct:Location ; locn:geometry {lit(geometry, datatype=GEOJSON_IMT)} ] ;")
    if i % 3 == 1:
        y1 = rng.randint(2010, 2022)
        t.append(f"  dct:temporal [ a dct:PeriodOfTime ; dcat:startDate {lit(f'{y1}-01-01', datatype='http://www.w3.org/2001/XMLSchema#date')} ; "
                 f"dcat:endDate {lit(f'{y1 + rng.randint(0, 3)}-12-31', datatype='http://www.w3.org/2001/XMLSchema#date')} ] ;")
    licence = random.Random(i).choice(LICENCES)
    dists = []
    for j, (code, media, ext) in enumerate(rng.sample(FILE_TYPES, rng.randint(1, 3)), 1):
        dist = f"<{BASE}dataset/{slug}/distribution/{j}>"
        t.append(f"  dcat:distribution {dist} ;")
        dl = [f"{dist} a dcat:Distribution ;",
              f"  dct:title {lit(f'{subject} {qualifier} ({code.split(chr(95))[0]})', 'de')} ;",
              f"  dcat:accessURL <{BASE}dataset/{slug}/distribution/{j}/access> ;"]
        if not code.endswith("_SRVC"):
            dl.append(f"  dcat:downloadURL <https://files.musterstadt.example/{slug}/{j}.{ext}> ;")
        if code in ("CSV", "JSON", "XML") and (i + j) % 9 == 0:
            dl.append(f"  dct:format {lit(code)} ;")  # a label where the EU IRI belongs
            repairs += 1
        else:
            dl.append(f"  dct:format <{EU}file-type/{code}> ;")
        if media:
            if (i + j) % 4 == 0:
                dl.append(f"  dcat:mediaType {lit(media)} ;")  # a literal where the IANA IRI belongs
                repairs += 1
            else:
                dl.append(f"  dcat:mediaType <{IANA}{media}> ;")
        if (i + j) % 11 == 0:
            dl.append(f"  dct:license <https://www.dcat-ap.de/def/licenses/{licence}> ;")
        else:
            dl.append(f"  dct:license <{LICENCE}{licence}> ;")
        dl.append(f"  dcatde:licenseAttributionByText {lit('Landeshauptstadt Musterstadt, ' + office_title)} ;")
        if j == 1 and i % 4 == 0:
            dl.append(f"  dcat:byteSize {lit(str(rng.randint(2000, 9_000_000)), datatype='http://www.w3.org/2001/XMLSchema#decimal')} ;")
        if j == 1 and i % 5 == 0:
            dl.append(f"  dct:modified {lit(f'{y}-{m:02d}-{d:02d}T12:00:00', datatype='http://www.w3.org/2001/XMLSchema#dateTime')} ;")
        dl[-1] = dl[-1][:-2] + " ."
        dists.append("\n".join(dl))
    t[-1] = t[-1][:-2] + " ."
    return "\n".join(t) + "\n" + "\n".join(dists) + "\n", f"{BASE}dataset/{slug}", repairs


def publishers() -> str:
    return "\n".join(f"<{BASE}organisation/{name}> a foaf:Organization ; foaf:name {lit(title)} ."
                     for name, title in generator.OFFICES) + "\n"


def pages(count: int, page_size: int, base_url: str, prefix: str = "/catalog",
          seed: int = 20261126, kind: str = "ds") -> tuple[dict[str, bytes], dict]:
    """{path: Turtle bytes} of the paged catalog and figures about it. The
    same ``seed`` and ``kind`` give the same records under any ``prefix``."""
    rng = random.Random(seed)
    n_pages = max(1, -(-count // page_size))
    out, repairs, uris = {}, 0, []
    for page in range(1, n_pages + 1):
        path = f"{prefix}-p{page}.ttl"
        catalog = f"<{BASE}catalog>"
        body = [PREFIXES,
                f"{catalog} a dcat:Catalog ; dct:title {lit('Offene Daten Musterstadt', 'de')} ; "
                f"dct:description {lit('Datenkatalog der Landeshauptstadt Musterstadt', 'de')} .",
                f"<{base_url}{path}> a hydra:PartialCollectionView ;"
                f" hydra:totalItems {count} ; hydra:itemsPerPage {page_size} ;"
                f" hydra:first <{base_url}{prefix}-p1.ttl> ; hydra:last <{base_url}{prefix}-p{n_pages}.ttl>"
                + (f" ; hydra:nextPage <{base_url}{prefix}-p{page + 1}.ttl>" if page < n_pages else "") + " .",
                publishers()]
        for i in range((page - 1) * page_size, min(count, page * page_size)):
            text, uri, needed = dataset(i, rng, kind)
            body.append(f"{catalog} dcat:dataset <{uri}> .")
            body.append(text)
            uris.append(uri)
            repairs += needed
        out[path] = "\n".join(body).encode("utf-8")
    return out, {"pages": n_pages, "bytes": sum(len(b) for b in out.values()), "uris": uris,
                 "repairs": repairs, "first": f"{base_url}{prefix}-p1.ttl"}
