# SPDX-License-Identifier: AGPL-3.0-or-later
"""``sca_ckan``: datasets of another CKAN portal through its Action API.

Gather pages through ``package_search`` (sorted by id, so pages do not move
while paging). Incremental by ``metadata_modified``: the listing asks only
for ``id`` and ``metadata_modified``; records whose ``metadata_modified``
equals the one of their last successful import are not fetched again (they
stay, and a record missing from a complete listing is withdrawn as with
every harvester). The others are fetched in batches by id
(``package_search`` with ``fq=id:(…)``), a record the search does not return
by ``package_show``. A portal that ignores ``fl`` simply returns the whole
records with the listing.

Import maps CKAN core fields, the extras portals commonly use (ckanext-dcat's
``contact_*``/``publisher_*``/``temporal_*``/``spatial*``/``theme``…, the
older German OGD ones like ``temporal_coverage_from``) and ckanext-dcat's
scheming fields (``contact``, ``publisher``, ``temporal_coverage``…) onto our
DCAT-AP.de schema through the base's mapping tables; CKAN groups become
themes through the same tables. Organisations are mapped by configuration
(``"organizations": {"remote-name": "local-name"}``).
"""
from __future__ import annotations

import json
import re
import urllib.parse

import ckan.plugins as p

from ckanext.harvest.interfaces import IHarvester

from ckanext.smartcityatlas.common.lists import as_list
from ckanext.smartcityatlas.harvesters import contacts, policy
from ckanext.smartcityatlas.harvesters.base import Gathered, Record, SCAHarvesterBase, page_failed
from ckanext.smartcityatlas.harvesters.dcat_rdf import form_format, keywords
from ckanext.smartcityatlas.common.fetch import FetchError
from ckanext.smartcityatlas.harvesters.mapping import Mapper, media_type
from ckanext.smartcityatlas.harvesters.parse_error import describe

ACCEPT = "application/json"
FETCH_BATCH = 50
_API_SUFFIX = re.compile(r"/api(?:/\d+)?(?:/action)?/?$")
# CKAN's error types ("Not Found Error", "Validation Error"): named in the
# job report; the error's text is the answer's content and is not
_ERROR_TYPE = re.compile(r"[A-Za-z][A-Za-z ]{0,39}")


class SCACKANHarvester(SCAHarvesterBase, p.SingletonPlugin):
    p.implements(IHarvester)

    NAME = "sca_ckan"
    BUILD_AHEAD = True  # build_package reads only the record and the source configuration
    IMPORT_POLICY = True
    GUID_IS_IDENTIFIER = True  # the portal's dct:identifier or the record's id
    TITLE = "CKAN (Action API)"
    DESCRIPTION = ("Datasets of another CKAN portal through its Action API (package_search), "
                   "incremental by metadata_modified, mapped to the portal's DCAT-AP.de schema")
    CONFIG_KEYS = ("fq", "rows", "incremental", "organizations", "personal_contacts")

    def check_config(self, values: dict) -> dict:
        fq = values.get("fq", "")
        if not isinstance(fq, str):
            raise ValueError('fq must be a Solr filter query text, e.g. "organization:umweltamt"')
        rows = values.get("rows", 500)
        if isinstance(rows, bool) or not isinstance(rows, int) or not 1 <= rows <= 1000:
            raise ValueError("rows must be a whole number between 1 and 1000")
        organizations = values.get("organizations", {})
        if not isinstance(organizations, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and v for k, v in organizations.items()):
            raise ValueError('organizations must map remote organisation names to local ones, '
                             'e.g. {"umweltamt": "umwelt"}')
        for key in ("incremental", "personal_contacts"):
            if not isinstance(values.get(key, False), bool):
                raise ValueError(f"{key} must be true or false")
        return {"fq": fq.strip(), "rows": rows, "incremental": values.get("incremental", True),
                "organizations": organizations, "personal_contacts": values.get("personal_contacts", False)}

    # ---- gather ----------------------------------------------------------------

    def gather_records(self, url, cfg, fetcher) -> Gathered:
        api = action_base(url)
        opts = cfg.extra
        listing: dict[str, dict] = {}
        problems: list[str] = []
        complete = True
        start, pages = 0, 0
        params = {"q": "*:*", "rows": opts["rows"], "sort": "id asc"}
        if opts["fq"]:
            params["fq"] = opts["fq"]
        if opts["incremental"]:
            params["fl"] = "id,name,metadata_modified"
        while True:
            if pages >= cfg.max_pages:
                problems.append(f"[error] more than {cfg.max_pages} pages of {opts['rows']} (max_pages); "
                                "paging stopped")
                complete = False
                break
            pages += 1
            try:
                result = call(fetcher, api, "package_search", {**params, "start": start})
                if not isinstance(result, dict) or not isinstance(result.get("results"), list):
                    raise ValueError(f"{api}package_search: the answer has no result list")
            except (FetchError, ValueError) as exc:
                if pages == 1:
                    raise
                problems.append(page_failed(pages, f"package_search, start {start}", exc))
                complete = False
                break
            found = result["results"]
            fresh = 0
            for item in found:
                if not isinstance(item, dict) or not item.get("id"):
                    problems.append(f"[error] package_search (start {start}) returned a record without id; "
                                    "skipped")
                    continue
                if item["id"] not in listing:
                    fresh += 1
                listing[str(item["id"])] = item
            count = result.get("count")
            start += len(found)
            if not found or not isinstance(count, int) or start >= count:
                break
            if not fresh:
                problems.append(f"[error] package_search returned the same records again at start {start}; "
                                "paging stopped")
                complete = False
                break
        if complete and isinstance(count, int) and len(listing) < count:
            problems.append(f"[warning] the portal reported {count} datasets but listed {len(listing)} "
                            "(changed while paging?); no record was withdrawn")
            complete = False

        known = self.known_states() if opts["incremental"] else {}
        present = {guid for guid, item in listing.items()
                   if item.get("metadata_modified") and known.get(guid) == item["metadata_modified"]}
        wanted = [guid for guid in listing if guid not in present]
        full = {guid: listing[guid] for guid in wanted if "title" in listing[guid]}
        missing = [guid for guid in wanted if guid not in full]
        full.update(self._fetch_full(fetcher, api, missing, problems))
        records = [self._record(api, full[guid]) for guid in wanted if guid in full]
        return Gathered(records=records, complete=complete and len(records) == len(wanted),
                        problems=problems, present=present)

    def _fetch_full(self, fetcher, api: str, ids: list[str], problems: list[str]) -> dict[str, dict]:
        out: dict[str, dict] = {}
        unread: set[str] = set()
        for i in range(0, len(ids), FETCH_BATCH):
            batch = ids[i:i + FETCH_BATCH]
            fq = "id:(" + " OR ".join(f'"{guid}"' for guid in batch) + ")"
            try:
                result = call(fetcher, api, "package_search", {"q": "*:*", "fq": fq, "rows": len(batch)})
            except (FetchError, ValueError) as exc:
                # the records read so far are imported; the gather is incomplete
                problems.append(f"[incomplete] {len(batch)} records could not be read ({exc}); they are "
                                "imported at the next run, no record was withdrawn")
                unread.update(batch)
                continue
            for item in (result or {}).get("results") or []:
                if isinstance(item, dict) and item.get("id") in batch:
                    out[item["id"]] = item
        for guid in (g for g in ids if g not in out and g not in unread):
            try:
                out[guid] = call(fetcher, api, "package_show", {"id": guid})
            except ValueError as exc:  # gone between listing and fetching
                problems.append(f"[error] dataset {guid}: {exc}; not imported this time")
        return out

    def _record(self, api: str, pkg: dict) -> Record:
        extras = _extras(pkg)
        portal = api[: -len("api/3/action/")]
        uri = extras.get("uri") or pkg.get("uri") or f"{portal}dataset/{pkg['id']}"
        identifier = extras.get("identifier") or pkg.get("identifier") or extras.get("guid") or pkg["id"]
        return Record(guid=str(pkg["id"]), content=json.dumps(pkg, ensure_ascii=False, sort_keys=True),
                      identifier=str(identifier), uri=str(uri), state=pkg.get("metadata_modified"))

    # ---- import ----------------------------------------------------------------

    def build_package(self, content: str, guid: str, mapper: Mapper) -> dict:
        opts = self.current_config.extra
        return to_schema(json.loads(content), guid, mapper, opts["organizations"], opts["personal_contacts"])


# ---- the Action API ---------------------------------------------------------------

def action_base(url: str) -> str:
    """``https://portal`` or ``…/api/3/action`` → ``https://portal/api/3/action/``."""
    base = _API_SUFFIX.sub("", url.strip().rstrip("/"))
    return base.rstrip("/") + "/api/3/action/"


def call(fetcher, api: str, action: str, params: dict):
    """GET one action; its ``result``, or ValueError naming the portal's error type."""
    url = f"{api}{action}?{urllib.parse.urlencode(params)}"
    try:
        response = fetcher(url, accept=ACCEPT)
    except FetchError as exc:
        if "HTTP 404" in str(exc) and action == "package_show":
            raise ValueError(f"{action}: not found") from exc
        raise
    try:
        data = json.loads(response.body)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"{response.summary()}: the answer is not JSON ({describe(exc)})") from exc
    if not isinstance(data, dict) or data.get("success") is not True:
        error = data.get("error") if isinstance(data, dict) else None
        kind = error.get("__type") if isinstance(error, dict) else None
        named = f" ({kind})" if isinstance(kind, str) and _ERROR_TYPE.fullmatch(kind) else ""
        raise ValueError(f"{url}: the portal reports an error{named}")
    return data.get("result")


# ---- a CKAN dataset → our schema ------------------------------------------------

def _extras(pkg: dict) -> dict[str, str]:
    out = {}
    for extra in pkg.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key") and extra.get("value") not in (None, ""):
            out[str(extra["key"])] = str(extra["value"])
    return out


def _json(value):
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _http(value) -> str | None:
    text = str(value or "").strip()
    return text if text.startswith(("http://", "https://")) else None


def _first_dict(value) -> dict:
    value = _json(value)
    if isinstance(value, list):
        value = value[0] if value else {}
    return value if isinstance(value, dict) else {}


def _field(pkg: dict, extras: dict, *keys):
    """The first non-empty value of top-level fields or extras of these names."""
    for key in keys:
        for where in (pkg, extras):
            value = where.get(key)
            if value not in (None, "", []):
                return value
    return None


def to_schema(pkg: dict, guid: str, mapper: Mapper, organizations: dict | None = None,
              personal_contacts: bool = False) -> dict:
    extras = _extras(pkg)
    out: dict = {}
    # a missing title or description: the import policy decides (harvesters/policy.py)
    out["title"] = (pkg.get("title") or "").strip()
    out["notes"] = (pkg.get("notes") or "").strip()
    out["tags"] = keywords(pkg.get("tags") or [], mapper, guid)
    landing = _http(pkg.get("url")) or _http(extras.get("landing_page"))
    if landing:
        out["url"] = landing
    for key in ("identifier",):
        value = _field(pkg, extras, key, "guid")
        if value:
            out[key] = str(value)
    for key in ("provenance", "access_rights"):
        value = _field(pkg, extras, key)
        if value:
            out[key] = str(value)
    for key in ("conforms_to", "documentation"):
        values = [v for v in as_list(_json(_field(pkg, extras, key))) if _http(v)]
        if values:
            out[key] = values
    _themes(pkg, extras, out, mapper, guid)
    _controlled(pkg, extras, out, mapper, guid)
    _dates(pkg, extras, out, mapper, guid)
    _agents(pkg, extras, out, mapper, guid, personal_contacts)
    _coverage(pkg, extras, out, mapper, guid)
    license_id, original = _licence(pkg, extras, mapper, guid)
    resources = [_resource(res, i, mapper, guid) for i, res in
                 enumerate((r for r in pkg.get("resources") or [] if isinstance(r, dict)), 1)]
    if license_id is None:
        own = [r["license"] for r in resources if r.get("license")]
        license_id = max(set(own), key=own.count) if own else None
    if license_id is None:
        # no table knows it: the policy records it as not open and keeps the source's text
        out[policy.LICENCE_ORIGINAL] = original or next(
            (r[policy.LICENCE_ORIGINAL] for r in resources if r.get(policy.LICENCE_ORIGINAL)), None)
    policy.settle_licence(out, resources, license_id)
    out["resources"] = resources
    remote_org = (pkg.get("organization") or {}).get("name") if isinstance(pkg.get("organization"), dict) else None
    local = (organizations or {}).get(remote_org) if remote_org else None
    if local:
        out["_organization"] = local
    return out


def _themes(pkg, extras, out, mapper, guid):
    themes: list[str] = []
    raw = as_list(_json(_field(pkg, extras, "theme")))
    for group in pkg.get("groups") or []:
        if isinstance(group, dict):
            # a group is known by its name (often a theme code) or its title
            code, _ = mapper.lookup("themes", group.get("name"))
            raw.append(group.get("name") if code else group.get("title") or group.get("name"))
    for value in raw:
        code = mapper.map("themes", value, guid, "theme")
        if code and code not in themes:
            themes.append(code)
    if themes:
        out["theme"] = themes


def _controlled(pkg, extras, out, mapper, guid):
    frequency = _field(pkg, extras, "frequency", "accrual_periodicity", "update_frequency")
    if frequency:
        code = mapper.map("frequencies", frequency, guid, "frequency")
        if code:
            out["frequency"] = code
    languages = []
    for value in as_list(_json(_field(pkg, extras, "language"))):
        for part in str(value).split(",") if "," in str(value) else [value]:
            code = mapper.map("languages", str(part).strip(), guid, "language")
            if code and code not in languages:
                languages.append(code)
    if languages:
        out["language"] = languages


def _date(value, mapper: Mapper, guid: str, field: str) -> str | None:
    # CKAN writes "2014-04-29T13:28:38.663027" and OGD extras "2000-01-01 00:00:00"
    return mapper.date(str(value).split(".")[0].replace(" 00:00:00", "") if value else value, guid, field)


def _dates(pkg, extras, out, mapper, guid):
    # the data's dates where the portal has them, else the record's (as ckanext-dcat does)
    for field, keys in (("issued", ("issued", "dcat_issued", "metadata_created")),
                        ("modified", ("modified", "dcat_modified", "metadata_modified"))):
        value = _date(_field(pkg, extras, *keys), mapper, guid, field)
        if value:
            out[field] = value
    temporal = _first_dict(pkg.get("temporal_coverage"))
    start = temporal.get("start") or _field(pkg, extras, "temporal_start", "temporal_coverage_from")
    end = temporal.get("end") or _field(pkg, extras, "temporal_end", "temporal_coverage_to")
    for field, raw in (("temporal_start", start), ("temporal_end", end)):
        value = _date(raw, mapper, guid, field.replace("_", " ")) if raw else None
        if value:
            out[field] = value.split("T")[0] if value.endswith("T00:00:00") else value


def _agents(pkg, extras, out, mapper, guid, personal: bool):
    publisher = _first_dict(pkg.get("publisher"))
    organization = pkg.get("organization") if isinstance(pkg.get("organization"), dict) else {}
    name = publisher.get("name") or extras.get("publisher_name") or organization.get("title")
    if name:
        out["publisher_name"] = str(name)
    url = _http(publisher.get("url") or publisher.get("uri") or extras.get("publisher_url")
                or extras.get("publisher_uri"))
    if url:
        out["publisher_url"] = url
    contact = _first_dict(pkg.get("contact"))
    name = contact.get("name") or extras.get("contact_name") or pkg.get("maintainer") or pkg.get("author")
    email = (contact.get("email") or extras.get("contact_email") or pkg.get("maintainer_email")
             or pkg.get("author_email") or "")
    email = str(email).removeprefix("mailto:").strip()

    def withheld(field):
        mapper.note(guid, field, "(a person's, not shown)", "(withheld: personal_contacts is off)")

    name, email = contacts.functional_contact(str(name) if name else None, email or None, personal, withheld)
    if name:
        out["contact_name"] = name
    if email:  # repaired or left out by the import policy (harvesters/emails.py)
        out["contact_email"] = email
    contact_url = _http(contact.get("url") or extras.get("contact_url") or extras.get("contact_uri"))
    if contact_url:
        out["contact_url"] = contact_url


def _coverage(pkg, extras, out, mapper, guid):
    from ckanext.smartcityatlas.entities import locations

    spatial = _first_dict(pkg.get("spatial_coverage"))
    geom = spatial.get("geom") or pkg.get("spatial") or extras.get("spatial")
    if geom:
        geom = _json(geom) if isinstance(geom, str) else geom
        if isinstance(geom, dict) and isinstance(geom.get("type"), str):
            fixed = {"Polygon": "Polygon", "Multipolygon": "MultiPolygon", "Point": "Point"}.get(
                geom["type"].capitalize(), geom["type"])
            if fixed != geom["type"]:
                mapper.note(guid, "spatial type", geom["type"], fixed)
                geom = dict(geom, type=fixed)
        try:
            locations.parse(geom)
            out["spatial"] = json.dumps(geom)
        except locations.LocationError as exc:
            mapper.drop(guid, f"spatial ({exc})", json.dumps(geom)[:200] if not isinstance(geom, str) else geom[:200])
    reference = _first_dict(extras.get("spatial_reference"))
    text = spatial.get("text") or extras.get("spatial_text") or extras.get("geocodingText") or reference.get("text")
    if text:
        out["spatial_text"] = str(text)
    uri = _http(spatial.get("uri") or extras.get("spatial_uri") or extras.get("politicalGeocodingURI"))
    if uri:
        out["spatial_uri"] = uri


def _licence(pkg, extras, mapper, guid) -> tuple[str | None, str | None]:
    """(the licence's code, or None and what the portal gave: its title or URL, else its id)."""
    terms = _first_dict(extras.get("terms_of_use"))
    candidates = [pkg.get("license_id"), terms.get("license_id"), pkg.get("license_url"), pkg.get("license_title")]
    candidates = [str(c) for c in candidates if c]
    for value in candidates:
        code, _ = mapper.lookup("licenses", value)
        if code:
            return mapper.map("licenses", value, guid, "license"), None
    given = [str(v) for v in (pkg.get("license_title"), pkg.get("license_url"), pkg.get("license_id")) if v]
    return None, " – ".join(dict.fromkeys(given)) or None


def _resource(res: dict, i: int, mapper: Mapper, guid: str) -> dict:
    out = {"_key": res.get("id") or res.get("url") or str(i)}
    # none: the policy leaves the resource out (degraded), not the record
    out["url"] = _http(res.get("url")) or _http(res.get("access_url"))
    for key in ("name", "description"):
        if res.get(key):
            out[key] = str(res[key])
    download = _http(res.get("download_url"))
    if download:
        out["download_url"] = download
    fmt = res.get("format")
    if fmt:
        code = mapper.map("formats", fmt, guid, f"resource {i} format")
        label = form_format(code) if code else None
        if label:
            out["format"] = label
    bare = media_type(res.get("mimetype") or "") if res.get("mimetype") else None
    if bare:
        out["mimetype"] = bare
    if res.get("size") not in (None, ""):
        try:
            out["size"] = int(float(res["size"]))
        except (TypeError, ValueError):
            mapper.drop(guid, f"resource {i} size", res["size"])
    for field, key in (("issued", "created"), ("modified", "last_modified")):
        value = res.get(field) or res.get(key)
        fixed = _date(value, mapper, guid, f"resource {i} {field}")
        if fixed:
            out[field] = fixed
    if res.get("hash"):
        out["hash"] = str(res["hash"])
    licence = res.get("license") or res.get("license_id")
    if licence:
        if mapper.lookup("licenses", licence)[0]:
            out["license"] = mapper.map("licenses", licence, guid, f"resource {i} license")
        else:  # never the record's (maybe open) licence instead
            out[policy.LICENCE_ORIGINAL] = str(licence)
    return out

