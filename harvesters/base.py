# SPDX-License-Identifier: AGPL-3.0-or-later
"""The base of every Smart City Atlas harvester (ckanext-harvest stages).

A harvester subclass says only how to read its source:

* ``gather_records(url, cfg, fetcher)`` → ``Gathered``: one ``Record`` per
  upstream record (guid, content to store, identifier, original URI);
* ``build_package(record_content, guid, mapper)`` → the dataset fields of
  our schema (no id/name/organisation/provenance), raising ``RecordError``
  for a record that cannot be repaired.

Optional hooks:

* ``CONFIG_KEYS`` and ``check_config(values)``: source configuration keys of
  its own, checked when a source is saved and at every stage (``cfg.extra``
  holds the checked values); ``cfg.source_id`` names the source in every
  stage, ``self.current_config`` is the configuration of the job at hand;
* incremental gathering: ``Record.state`` (the upstream version, e.g.
  ``metadata_modified``), ``known_states()`` (guid → the state of its last
  successful import) and ``Gathered.present`` (guids still upstream but not
  gathered again: not withdrawn);
* ``build_package`` may name another organisation (``_organization``);
* ``BUILD_AHEAD = True`` when ``build_package`` reads nothing but the record
  and the source configuration: the job's worker process builds the next
  records ahead while this process saves (``harvesters/worker.py``, which also
  validates the saved records);
* records that are not DCAT datasets (``sca_radar``: projects):
  ``DATASET_TYPE``, ``VALIDATE_DCAT``, ``OWNED_FIELDS``/``owned_fields(built)``
  (what a curator may take over), ``package_id(source, guid, built)`` (land
  in an existing record) and ``keep_from_existing(pkg, existing)`` (write
  only some fields of it);

for a harvester that publishes what it computes (e.g. the sensor aggregates
of ``sca_opensensemap``) rather than copying records:

* ``complete_package(pkg)``: fill in what needs the final dataset and
  resource ids (e.g. links to routes of the portal), before the unchanged
  check;
* ``after_import(harvest_object, cfg, package_id)``: after the dataset was
  saved or found unchanged, e.g. to write DataStore tables; a
  ``RecordError`` it raises is reported like one of ``build_package``.

Everything else lives here, once: source configuration, the job report,
stable identifiers, unchanged detection, field ownership, duplicates across
sources, removal, strictness, provenance and, for harvesters of other
catalogues' datasets (``IMPORT_POLICY``), the import policy "repair,
degrade, report" (``harvesters/policy.py``).

The job report: every note about a record is kept, by kind, in its harvest
object's ``sca_report`` extra and summed up by the action
``sca_harvest_job_report``. Notes that need a person (``error``,
``violation``, ``degraded``, ``flagged``, a lost ``duplicate``) are also harvest object
errors, so ckanext-harvest's own job page and error counts show them;
``repair``, ``warning``, ``curated``, ``withdrawn`` and a won ``duplicate``
are information and would otherwise count every repaired record as errored.

Stable identifiers: the dataset id is a UUID5 of (source id, guid), so the
same upstream record always lands in the same dataset. Unchanged: a hash of
the built dataset dict is kept with the current harvest object; the same
hash at the next harvest means no package_update at all (no activity,
metadata_modified unchanged). Removal and failures: removals are computed
only after a complete gather; a gather that fails changes nothing.
"""
from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime
import hashlib
import json
import logging
import re

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.munge import munge_title_to_name

from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestObject, HarvestObjectError, HarvestObjectExtra

from ckanext.smartcityatlas.harvesters import config as source_config
from ckanext.smartcityatlas.harvesters import saved_record
from ckanext.smartcityatlas.harvesters import worker as harvest_worker
from ckanext.smartcityatlas.common import fetch, search_index
from ckanext.smartcityatlas.common.ids import dataset_id, resource_id
from ckanext.smartcityatlas.harvesters import addresses, mapping, ownership, parse_error
from ckanext.smartcityatlas.harvesters import checks, job_end, job_reindex, policy
from ckanext.smartcityatlas.harvesters.errors import RecordError

log = logging.getLogger(__name__)

PROVENANCE_FIELDS = ("sca_harvest_source", "sca_harvest_source_url", "sca_harvested_at",
                     "sca_original_identifier", "sca_original_uri", "sca_withdrawn",
                     "sca_withdrawn_reason")
EXTRA_HASH = "sca_content_hash"
EXTRA_FIELDS = "sca_field_hashes"
EXTRA_IDENTIFIER = "sca_identifier"
EXTRA_URI = "sca_uri"
EXTRA_REPORT = "sca_report"
EXTRA_STATE = "sca_state"
EXTRA_OUTCOME = "sca_outcome"  # "created" or "updated" by this object (ckanext-harvest's
# report_status says "added" for the first object of a dataset, even one it updated)
EXTRA_STATUS = "status"  # "delete": removed upstream (same key as ckanext-harvest's own harvesters)


NEEDS_ATTENTION = ("error", "violation", "degraded", "flagged", "duplicate")


@dataclasses.dataclass
class Record:
    guid: str
    content: str
    identifier: str | None = None
    uri: str | None = None
    # the upstream version (e.g. metadata_modified), for incremental gathering
    state: str | None = None


@dataclasses.dataclass
class Gathered:
    records: list[Record]
    # False when paging stopped early (loop, page limit): nothing is withdrawn then
    complete: bool = True
    problems: list[str] = dataclasses.field(default_factory=list)
    # guids still upstream but not gathered again (unchanged since the last harvest,
    # or a row rejected this time): not withdrawn
    present: set[str] = dataclasses.field(default_factory=set)


def page_failed(number: int, where: str, exc: Exception) -> str:
    """The note for page ``number`` (2 or later) of a catalog that could not be
    read: the records of the pages before it are imported, no record is
    withdrawn (the job is incomplete) and the next run reads the whole catalog
    again, so a first harvest never ends empty because page 2 of 3 timed out.
    (A first page that cannot be read stops the gather: nothing is changed.)"""
    return (f"[incomplete] page {number} ({where}) could not be read: {exc}; the records of the "
            f"{number - 1} page(s) before it are imported, no record was withdrawn, and the next run reads "
            "the whole catalog again")


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def content_hash(pkg: dict) -> str:
    data = {k: v for k, v in pkg.items() if k != "sca_harvested_at"}
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
                          .encode("utf-8")).hexdigest()


class SCAHarvesterBase(HarvesterBase):
    """Shared gather/fetch/import logic; subclasses implement the two hooks."""

    NAME = ""
    TITLE = ""
    DESCRIPTION = ""
    # configuration keys of this harvester type, checked by ``check_config``
    CONFIG_KEYS: tuple[str, ...] = ()
    # the configuration of the source being gathered or imported (its ``extra``
    # holds the CONFIG_KEYS values)
    current_config: source_config.SourceConfig = source_config.SourceConfig()
    # what the records become and which of their fields a curator may take
    # over (ownership); DCAT-AP.de validation applies to datasets only
    DATASET_TYPE = "dataset"
    OWNED_FIELDS = ownership.OWNED_FIELDS
    VALIDATE_DCAT = True
    # build_package depends on nothing but the record and the source
    # configuration (no database, no network): the job's worker process may
    # build the next records ahead (harvesters/worker.py)
    BUILD_AHEAD = False
    # the records are other catalogues' datasets: repair, degrade, report
    # (harvesters/policy.py) instead of refusing what can be fixed;
    # GUID_IS_IDENTIFIER: the guid is the upstream record's own identifier
    # (not only its IRI), so it may stand in for a missing title
    IMPORT_POLICY = False
    GUID_IS_IDENTIFIER = False

    # ---- the two hooks ---------------------------------------------------

    def gather_records(self, url: str, cfg: source_config.SourceConfig, fetcher) -> Gathered:
        raise NotImplementedError

    def build_package(self, content: str, guid: str, mapper: mapping.Mapper) -> dict:
        """May set ``_organization`` (name or id) to place this record in
        another organisation than the source's."""
        raise NotImplementedError

    # ---- optional hooks (module doc) ---------------------------------------

    def check_config(self, values: dict) -> dict | None:
        """Check the values of ``CONFIG_KEYS``: the checked values (defaults
        filled in), or None for the values as given; ValueError with a clear message."""
        return None

    def complete_package(self, pkg: dict) -> dict:
        return pkg

    def after_import(self, harvest_object, cfg: source_config.SourceConfig, package_id: str) -> None:
        pass

    def prepare_import(self, harvest_object) -> None:
        """Before each object's import: read what the whole job needs once
        (e.g. the actors a record may name), keyed by the job."""

    def import_scope(self, harvest_object):
        """A context manager around the import of one object (e.g. to collect
        work for the end of the job)."""
        return contextlib.nullcontext()

    def job_imported(self, harvest_object) -> None:
        """The job's last object has been imported: finish work deferred during
        the job, before the job's one Solr commit."""

    def build_ahead(self, content: str, guid: str, source_id: str, config: str | None) -> tuple:
        """``build_package`` in the job's worker process, before the import
        asks (``BUILD_AHEAD``): ("ok", dict, mapper notes) or
        ("record_error", message, mapper notes); other errors are left to
        the import."""
        cfg = self.parse_config(config, source_id)
        mapper = mapping.Mapper.for_source(cfg.mappings)
        self.current_config = cfg
        try:
            return "ok", self._built(content, guid, mapper), _mapper_notes(mapper)
        except RecordError as exc:
            return "record_error", str(exc), _mapper_notes(mapper)

    def _built(self, content: str, guid: str, mapper: mapping.Mapper) -> dict:
        """build_package, with the web addresses made valid (``addresses``)
        and, for other catalogues' datasets, the import policy applied."""
        built = addresses.repair(self.build_package(content, guid, mapper), mapper, guid)
        if self.IMPORT_POLICY:
            built = policy.apply(built, mapper, guid, self.GUID_IS_IDENTIFIER)
        return built

    def _build(self, harvest_object, source, mapper: mapping.Mapper) -> dict:
        """The record's dataset fields: as the job's worker built them ahead,
        else built here."""
        ahead = harvest_worker.built(self, harvest_object, source.config)
        if ahead is None:
            return self._built(harvest_object.content, harvest_object.guid, mapper)
        status, value, (mapper.repairs, mapper.unmapped, mapper.notes) = ahead
        if status == "record_error":
            raise RecordError(value)
        return value

    def parse_config(self, text: str | None, source_id: str | None = None) -> source_config.SourceConfig:
        def check(values: dict) -> dict:
            checked = self.check_config(values)
            return values if checked is None else checked

        cfg = source_config.parse(text, self.CONFIG_KEYS, check)
        return dataclasses.replace(cfg, source_id=source_id) if source_id else cfg

    def _config(self, source) -> source_config.SourceConfig:
        return self.parse_config(source.config, source.id)

    def known_states(self) -> dict[str, str]:
        """guid → the ``Record.state`` of its last successful import from the
        source being gathered (for incremental gathering)."""
        source_id = self.current_config.source_id
        if not source_id:
            return {}
        rows = model.Session.execute(sa.text(
            "SELECT DISTINCT ON (o.guid) o.guid, o.state, e.value FROM harvest_object o "
            "LEFT JOIN harvest_object_extra e ON e.harvest_object_id = o.id AND e.key = :key "
            "WHERE o.harvest_source_id = :source AND o.state IN ('COMPLETE', 'ERROR') "
            "ORDER BY o.guid, o.import_finished DESC NULLS LAST, o.gathered DESC"),
            {"key": EXTRA_STATE, "source": source_id})
        return {guid: value for guid, state, value in rows if state == "COMPLETE" and value}

    # ---- what records become (defaults: DCAT datasets) ----------------------

    def package_id(self, source, guid: str, built: dict) -> str:
        """The id the record lands in: a UUID5 of (source, guid)."""
        return dataset_id(source.id, guid)

    def owned_fields(self, built: dict) -> tuple[str, ...]:
        """The fields of this record a curator may take over (ownership)."""
        return self.OWNED_FIELDS

    def keep_from_existing(self, pkg: dict, existing: dict) -> dict:
        """The dict to save over an existing record (after ownership); a
        harvester that writes only some fields of a record keeps the others."""
        return pkg

    # ---- IHarvester --------------------------------------------------------

    def info(self):
        from ckanext.smartcityatlas.harvesters.labels import harvester_label

        try:  # translated when shown (the harvest source form lists the harvesters)
            title, description = harvester_label(self.NAME)
        except (KeyError, RuntimeError, TypeError):  # no request (CLI) or no label yet
            title, description = self.TITLE, self.DESCRIPTION
        return {"name": self.NAME, "title": title, "description": description}

    def validate_config(self, config):
        cfg = self.parse_config(config)
        if cfg.organization:
            try:
                tk.get_action("organization_show")({"ignore_auth": True}, {"id": cfg.organization})
            except tk.ObjectNotFound:
                raise ValueError(f"organization {cfg.organization!r} does not exist")
        return config

    def gather_stage(self, harvest_job):
        source = harvest_job.source
        try:
            cfg = self._config(source)
        except ValueError as exc:
            self._save_gather_error(f"[error] configuration: {exc}", harvest_job)
            return None
        allow_file = _local_source(source)
        policy = fetch.NetworkPolicy.from_config()

        def fetcher(url, accept="*/*"):
            return fetch.fetch(url, cfg.limits(), policy=policy, allow_file=allow_file, accept=accept)

        self.current_config = cfg
        try:
            # refused here already (not only by the fetcher): harvesters build
            # their addresses from it, and a .strip() would drop some controls
            fetch.split_url(source.url)
            gathered = self.gather_records(source.url, cfg, fetcher)
        except (fetch.FetchError, ValueError) as exc:
            # nothing was created, updated or withdrawn
            self._save_gather_error(f"[error] {exc}; previously harvested records are unchanged",
                                    harvest_job)
            return None
        for problem in gathered.problems:
            self._save_gather_error(problem, harvest_job)

        objects, seen = [], {}
        for record in gathered.records:
            if record.guid in seen:
                self._save_gather_error(
                    f"[duplicate] record {record.guid!r} appears twice in the source "
                    f"({record.uri or '?'}, {seen[record.guid] or '?'}); the first was used", harvest_job)
                continue
            seen[record.guid] = record.uri
            obj = HarvestObject(guid=record.guid, job=harvest_job, source=harvest_job.source,
                                content=record.content)
            obj.extras = [HarvestObjectExtra(key=EXTRA_IDENTIFIER, value=record.identifier or ""),
                          HarvestObjectExtra(key=EXTRA_URI, value=record.uri or "")]
            if record.state:
                obj.extras.append(HarvestObjectExtra(key=EXTRA_STATE, value=record.state))
            obj.add()
            objects.append(obj)
        # one commit for the job's objects, not one per record
        model.Session.flush()
        ids = [obj.id for obj in objects]
        model.Session.commit()

        if cfg.removal != "keep":
            if gathered.complete:
                ids.extend(self._removal_objects(harvest_job, set(seen) | gathered.present))
            else:
                self._save_gather_error(
                    "[warning] the catalog was not read completely; no record was withdrawn", harvest_job)
        if not ids and not gathered.records and not gathered.present:
            self._save_gather_error("[warning] the source lists no records", harvest_job)
        return ids

    def fetch_stage(self, harvest_object):
        return True  # the gather stage stored each record's content

    def import_stage(self, harvest_object):
        self.prepare_import(harvest_object)
        try:
            # the neighbours a save would reindex (a project's actors): once per job (job_reindex.py)
            with job_reindex.collecting(harvest_object.harvest_job_id), self.import_scope(harvest_object):
                return self._import(harvest_object)
        finally:
            _commit_index(harvest_object, self.end_of_job)

    def end_of_job(self, harvest_object) -> None:
        """Everything due when a job's last record is imported (run once per
        job, by whichever consumer sees it: ``job_end``)."""
        job_reindex.job_ended(harvest_object.harvest_job_id)
        self.job_imported(harvest_object)

    def _import(self, harvest_object):
        source = harvest_object.source
        cfg = self._config(source)
        if _extra(harvest_object, EXTRA_STATUS) == "delete":
            try:
                return self._remove(harvest_object, cfg)
            except Exception as exc:  # noqa: BLE001 - the other records go on
                log.exception("harvest: withdrawing %s failed", harvest_object.package_id)
                model.Session.rollback()
                self._error(harvest_object, f"[error] dataset {harvest_object.package_id} was removed "
                                            f"upstream but could not be withdrawn: {exc!r}")
                return False
        mapper = mapping.Mapper.for_source(cfg.mappings)
        self.current_config = cfg  # for build_package (one object at a time per process)
        guid = harvest_object.guid
        try:
            built = self._build(harvest_object, source, mapper)
        except RecordError as exc:
            self._report_mapping(harvest_object, mapper)
            self._error(harvest_object, f"[error] record {guid!r} not imported: {exc}")
            return False
        except Exception as exc:  # noqa: BLE001 - one unreadable record must not stop the job
            log.exception("harvest: record %s could not be read", guid)
            self._report_mapping(harvest_object, mapper)
            self._error(harvest_object, f"[error] record {guid!r} could not be read: {parse_error.describe(exc)}")
            return False
        # committed with the record, or by whatever ends the import (a note,
        # ckanext-harvest's state change); if a rollback below takes them
        # back, they are noted again
        reported = _extra(harvest_object, EXTRA_REPORT)
        self._report_mapping(harvest_object, mapper, commit=False)
        # the save changes the dicts it is given; a second try needs them as built
        retry = copy.deepcopy(built) if self.IMPORT_POLICY else None
        try:
            return self._save_and_finish(harvest_object, source, cfg, built)
        except tk.ValidationError as exc:
            model.Session.rollback()
            self._report_mapping_again(harvest_object, mapper, reported)
            if retry is not None:
                return self._save_without_invalid(harvest_object, source, cfg, retry, exc.error_dict, mapper,
                                                  reported)
            return self._refused(harvest_object, exc.error_dict)
        except Exception as exc:  # noqa: BLE001 - reported, the other records go on
            return self._save_failed(harvest_object, mapper, reported, exc)

    def _save_without_invalid(self, obj, source, cfg, built: dict, refused: dict, mapper, reported):
        """The record again without the optional values the dataset schema
        refused (degraded), unless it refused an essential one."""
        before = len(mapper.unmapped)
        degraded = policy.without_invalid(built, refused, mapper, obj.guid)
        if degraded is None:
            return self._refused(obj, refused)
        self._notes(obj, [f"[degraded] {d.degraded()}" for d in mapper.unmapped[before:]], commit=False)
        try:
            return self._save_and_finish(obj, source, cfg, degraded)
        except tk.ValidationError as again:
            model.Session.rollback()
            self._report_mapping_again(obj, mapper, reported)
            return self._refused(obj, again.error_dict)
        except Exception as exc:  # noqa: BLE001 - reported, the other records go on
            return self._save_failed(obj, mapper, reported, exc)

    def _refused(self, obj, error_dict: dict) -> bool:
        self._error(obj, f"[error] record {obj.guid!r} refused by the dataset schema: {_flatten_errors(error_dict)}")
        return False

    def _save_and_finish(self, harvest_object, source, cfg, built: dict):
        status = self._save(harvest_object, source, cfg, built)
        if status:
            self.after_import(harvest_object, cfg, self.package_id(source, harvest_object.guid, built))
        return status

    def _save_failed(self, harvest_object, mapper, reported, exc) -> bool:
        guid = harvest_object.guid
        if not isinstance(exc, RecordError):
            log.exception("harvest: record %s could not be saved", guid)
        model.Session.rollback()
        self._report_mapping_again(harvest_object, mapper, reported)
        if isinstance(exc, RecordError):
            self._error(harvest_object, f"[error] record {guid!r} not imported: {exc}")
        else:  # as ckanext-harvest's own harvesters do
            self._error(harvest_object, f"[error] record {guid!r} could not be saved: {exc!r}")
        return False

    # ---- import --------------------------------------------------------------

    def _save(self, obj, source, cfg, built: dict):
        guid = obj.guid
        pkg_id = self.package_id(source, guid, built)
        built = dict(built)
        org = self._job_organization(obj, source, cfg, built.pop("_organization", None))
        identifier = _extra(obj, EXTRA_IDENTIFIER) or None
        uri = _extra(obj, EXTRA_URI) or None
        pkg = dict(built)
        pkg.update({
            "id": pkg_id, "type": built.get("type") or self.DATASET_TYPE, "owner_org": org, "private": cfg.private,
            "sca_harvest_source": source.id, "sca_harvest_source_url": source.url,
            "sca_original_identifier": identifier or "", "sca_original_uri": uri or "",
            "sca_withdrawn": "", "sca_withdrawn_reason": "",
        })
        if identifier:
            pkg["identifier"] = identifier
        for i, res in enumerate(pkg.get("resources") or []):
            res["id"] = resource_id(pkg_id, res.pop("_key", None) or str(i))
        pkg = self.complete_package(pkg)
        digest = content_hash(pkg)

        # the checks before a save read the dataset's row; its package_show
        # dict is read only when the record is written over it. A record seen
        # for the first time (the whole first harvest) needs one query.
        first = _first_seen(source.id, guid, pkg_id, identifier)
        if first:
            existing = previous = None
        else:
            existing = _package_state(pkg_id)
            previous = _current_object(source.id, guid)
        if existing is not None and existing.get("state") == "deleted" and previous is not None:
            # deleted by a person (a removal upstream leaves no current object): respected
            self._error(obj, "[curated] the dataset was deleted on this portal; not restored")
            return "unchanged"

        if identifier and not first and not self._wins_duplicates(obj, source, cfg, identifier, pkg_id, existing):
            return False

        if (existing is not None and existing.get("state") == "active" and not existing.get("sca_withdrawn")
                and previous is not None and _extra(previous, EXTRA_HASH) == digest):
            return "unchanged"

        pkg["sca_harvested_at"] = _now()
        recorded = json.loads(_extra(previous, EXTRA_FIELDS) or "{}") if previous is not None else {}
        keep_hashes: dict[str, str] = {}
        if existing is not None:
            existing = _package(pkg_id)
            pkg["name"] = existing["name"]
            pkg, kept, keep_hashes = ownership.merge(pkg, existing, recorded, cfg.overwrite(),
                                                     self.owned_fields(built))
            for field in kept:
                self._error(obj, f"[curated] {field}: kept the curator's value (edited after the last harvest)")
            pkg = self.keep_from_existing(pkg, existing)
        else:
            pkg["name"] = self._gen_new_name(pkg.get("title") or guid)

        findings = None
        if cfg.strictness == "reject_violations" and self.VALIDATE_DCAT:
            findings = checks.validate(_as_shown(pkg, org))
            if getattr(findings, "error", None):
                self._error(obj, f"[error] record {guid!r} not imported: it could not be validated "
                                 f"({findings.error})")
                return False
            if findings.violations:
                for finding in findings.violations:
                    self._error(obj, f"[violation] {checks.describe(finding)}")
                self._error(obj, f"[error] record {guid!r} not imported: {len(findings.violations)} "
                                 "DCAT-AP.de violations (strictness: reject_violations)"
                            + ("; the dataset keeps its previous version" if existing else ""))
                return False

        # The action neither commits nor indexes (defer_commit): the dataset,
        # its stored findings and its harvest object are committed together
        # below, and indexed without a Solr commit of its own.
        # The on-save checks (DCAT-AP.de validation, quality score) run below
        # on the record as read for the index, instead of in the action's hook
        # with a package_show of their own.
        # The action reads the saved record once, for the index and for the
        # activity stream's snapshot (harvesters/saved_record.py).
        read = {}
        user = self._get_user_name()
        context = {"user": user, "auth_user_obj": self._job_user(obj, user), "ignore_auth": True,
                   "defer_commit": True, "return_id_only": True, checks.DEFER_CHECKS: True,
                   "sca_harvest_source": source.id, saved_record.READ_AFTER_SAVE: read}
        if existing is None:
            # the harvest object points to the dataset before it exists
            model.Session.execute(sa.text("SET CONSTRAINTS harvest_object_package_id_fkey DEFERRED"))
        else:
            pkg["state"] = "active"
            read["modified_before"] = existing.get("metadata_modified") or ""
            model.Session.query(HarvestObject).filter(HarvestObject.package_id == pkg_id) \
                .update({"current": False})
        # current before the save: the record as read after it names this
        # object (ckanext-harvest's after_dataset_show and before_dataset_index)
        obj.package_id = pkg_id
        obj.current = True
        obj.add()
        model.Session.flush()
        with saved_record.answering_snapshot():
            tk.get_action("package_create" if existing is None else "package_update")(context, pkg)
        # the record as saved: the dicts CKAN indexes, package_show's own among them
        both = read.get("dicts") or search_index.dataset_dicts({"ignore_auth": True}, pkg_id)
        saved = both[1]
        # validated in the second process while this one indexes it
        pending = checks.start_checks(saved, obj.harvest_job_id, self)
        hashes = ownership.hashes(saved, self.owned_fields(built))
        hashes.update(keep_hashes)
        _set_extra(obj, EXTRA_HASH, digest)
        _set_extra(obj, EXTRA_OUTCOME, "created" if existing is None else "updated")
        _set_extra(obj, EXTRA_FIELDS, json.dumps(hashes, sort_keys=True))
        # Indexed as CKAN's actions index (before the commit, so a failure
        # rolls the record back), without a Solr commit per dataset: the entry
        # is in Solr's update log at once, searchable after Solr's soft commit
        # (a second with the portal's solrconfig.xml) and at the latest when
        # the job's last record is imported (_commit_index).
        search_index.index_dicts(both, defer_commit=True)
        try:
            checked = checks.check_saved(saved, pending)
            if cfg.strictness == "import_with_warnings" and self.VALIDATE_DCAT:
                self._report_findings(obj, checked or checks.after_save(saved), commit=False)
            obj.add()
            model.Session.commit()
        except Exception:
            # the index has the record the database does not keep
            model.Session.rollback()
            _reindex(pkg_id)
            raise
        return True

    def _wins_duplicates(self, obj, source, cfg, identifier, pkg_id, existing) -> bool:
        """Resolve a dct:identifier shared with another source: higher
        ``priority`` wins; on a tie the record harvested first keeps it."""
        for other_obj in _others_with_identifier(identifier, source.id):
            other = _package(other_obj.package_id)
            if other is None or other.get("state") != "active" or other.get("sca_withdrawn"):
                continue
            other_source = other_obj.source
            try:
                other_priority = source_config.parse(other_source.config, ignore_unknown=True).priority
            except ValueError:
                other_priority = 0
            mine_first = existing is not None and existing["metadata_created"] < other["metadata_created"]
            if cfg.priority > other_priority or (cfg.priority == other_priority and mine_first):
                self._withdraw(other, f"duplicate of dct:identifier {identifier!r}, kept from source "
                                      f"{source.title or source.url} (priority {cfg.priority})")
                self._error(obj, f"[duplicate] dct:identifier {identifier!r}: this source (priority "
                                 f"{cfg.priority}) wins over {other_source.title or other_source.url} "
                                 f"(priority {other_priority}); its dataset {other['name']} was withdrawn")
                continue
            reason = "higher priority" if other_priority > cfg.priority else "same priority, harvested first"
            self._error(obj, f"[duplicate] dct:identifier {identifier!r} is already harvested from "
                             f"{other_source.title or other_source.url} (priority {other_priority}, {reason}: "
                             f"dataset {other['name']}); this record was not imported")
            if existing is not None and existing.get("state") == "active" and not existing.get("sca_withdrawn"):
                self._withdraw(existing, f"duplicate of dct:identifier {identifier!r} from "
                                         f"{other_source.title or other_source.url}")
            return False
        return True

    @classmethod
    def _gen_new_name(cls, title, existing_name=None, append_type=None):
        """ckanext-harvest's name for a new dataset (the title as a name, or
        with the lowest free number appended), found by exact name lookups:
        its own query matches every name starting like it with ILIKE, which
        no index serves (a scan of the whole package table per new dataset,
        7 ms with 10,000 datasets)."""
        append_type = append_type or tk.config.get("ckanext.harvest.default_dataset_name_append") \
            or "number-sequence"
        if existing_name or append_type != "number-sequence":
            return super()._gen_new_name(title, existing_name=existing_name, append_type=append_type)
        ideal = re.sub("-+", "-", munge_title_to_name(title))[:model.PACKAGE_NAME_MAX_LENGTH]
        for start in range(0, 1000, 50):
            candidates = [ideal if n == 0 else ideal[:model.PACKAGE_NAME_MAX_LENGTH - len(str(n))] + str(n)
                          for n in range(start, min(start + 50, 1000))]
            taken = {row[0] for row in model.Session.query(model.Package.name)
                     .filter(model.Package.name.in_(candidates))}
            free = next((name for name in candidates if name not in taken), None)
            if free is not None:
                return free
        return super()._gen_new_name(title, existing_name=existing_name, append_type=append_type)

    # ---- removal -------------------------------------------------------------

    def _removal_objects(self, harvest_job, seen: set[str]) -> list[str]:
        ids = []
        current = model.Session.query(HarvestObject.guid, HarvestObject.package_id) \
            .join(model.Package, model.Package.id == HarvestObject.package_id) \
            .filter(HarvestObject.harvest_source_id == harvest_job.source.id) \
            .filter(HarvestObject.current == True) \
            .filter(model.Package.state == "active")  # noqa: E712
        for guid, package_id in current:
            if guid in seen:
                continue
            pkg = _package(package_id)
            if pkg is None or pkg.get("sca_withdrawn"):
                continue
            obj = HarvestObject(guid=guid, job=harvest_job, source=harvest_job.source, package_id=package_id,
                                extras=[HarvestObjectExtra(key=EXTRA_STATUS, value="delete")])
            obj.save()
            ids.append(obj.id)
        return ids

    def _remove(self, obj, cfg):
        pkg = _package(obj.package_id)
        obj.current = False
        obj.save()
        if pkg is None or pkg.get("state") != "active":
            return True
        if cfg.removal == "delete":
            tk.get_action("package_delete")({"ignore_auth": True, "user": self._get_user_name()},
                                            {"id": pkg["id"]})
            model.Session.query(HarvestObject).filter(HarvestObject.package_id == pkg["id"]) \
                .update({"current": False})
            model.Session.commit()
            self._error(obj, f"[withdrawn] {pkg['name']}: removed upstream, deleted (removal: delete)")
            return True
        self._withdraw(pkg, "removed upstream")
        self._error(obj, f"[withdrawn] {pkg['name']}: removed upstream, made private (removal: withdraw)")
        return True

    def _withdraw(self, pkg: dict, reason: str) -> None:
        """Private and marked: nothing is lost, a curator can still see it,
        and a record that reappears upstream is published again."""
        patch = {"id": pkg["id"], "private": True, "sca_withdrawn": _now(), "sca_withdrawn_reason": reason}
        tk.get_action("package_patch")({"ignore_auth": True, "user": self._get_user_name()}, patch)
        model.Session.commit()

    # ---- helpers -------------------------------------------------------------

    def _per_job(self, obj, key: tuple, compute):
        """``compute()`` once per harvest job and ``key`` (a query per record otherwise)."""
        memo = getattr(self, "_job_memo", None)
        if memo is None or memo[0] != obj.harvest_job_id:
            memo = self._job_memo = (obj.harvest_job_id, {})
        if key not in memo[1]:
            memo[1][key] = compute()
        return memo[1][key]

    def _job_organization(self, obj, source, cfg, chosen: str | None) -> str:
        """``_organization`` of the record, looked up once per job."""
        return self._per_job(obj, ("organization", source.id, chosen, cfg.organization),
                             lambda: self._organization(source, cfg, chosen))

    def _job_user(self, obj, name: str):
        """The harvest user's object, looked up once per job (the action's
        authorisation check would look it up for every record)."""
        return self._per_job(obj, ("user", name), lambda: model.User.get(name))

    def _organization(self, source, cfg, chosen: str | None = None) -> str:
        for name, what in ((chosen, "mapped for this record"), (cfg.organization, "of the configuration")):
            if name:
                group = model.Group.get(name)
                if group is None or not group.is_organization or group.state != "active":
                    raise RecordError(f"organisation {name!r} ({what}) does not exist")
                return group.id
        pkg = model.Package.get(source.id)
        if pkg is None or not pkg.owner_org:
            raise RecordError("the harvest source has no organisation; set one or "
                              "\"organization\" in its configuration")
        return pkg.owner_org

    def _report_mapping(self, obj, mapper: mapping.Mapper, commit: bool = True) -> None:
        messages = [f"[repair] {repair}" for repair in mapper.repairs]
        messages += [f"[degraded] {dropped.degraded()}" for dropped in mapper.unmapped]
        messages += [f"[{kind}] {message}" for kind, message in mapper.notes]
        self._notes(obj, messages, commit)

    def _report_mapping_again(self, obj, mapper: mapping.Mapper, before: str | None) -> None:
        """After a rollback: the mapping notes again, unless they were committed before it."""
        if _extra(obj, EXTRA_REPORT) == before:
            self._report_mapping(obj, mapper, commit=False)

    def _report_findings(self, obj, findings, commit: bool = True) -> None:
        # the findings of the import itself (dcat.import_flags) are noted already, by the policy
        self._notes(obj, [f"[violation] {checks.describe(f)}" for f in findings.violations if not f.get("code")]
                    + [f"[warning] {checks.describe(f)}" for f in findings.warnings if not f.get("code")], commit)

    def _error(self, obj, message: str) -> None:
        """A note for the job report; the kinds in NEEDS_ATTENTION also as object errors."""
        self._notes(obj, [message])

    def _notes(self, obj, messages: list[str], commit: bool = True) -> None:
        """Notes for the job report, saved together (one commit, or none with
        ``commit=False`` when the caller commits them with the record)."""
        if not messages:
            return
        notes = json.loads(_extra(obj, EXTRA_REPORT) or "[]")
        errors = []
        for message in messages:
            kind = message[1:message.index("]")] if message.startswith("[") else "error"
            text = message[message.index("]") + 2:] if message.startswith("[") else message
            notes.append({"kind": kind, "message": text})
            if kind in NEEDS_ATTENTION and not (kind == "duplicate" and "wins over" in text):
                errors.append(message)
        _set_extra(obj, EXTRA_REPORT, json.dumps(notes, ensure_ascii=False))
        if not commit:
            obj.add()
            model.Session.add_all(HarvestObjectError(message=m, object=obj, stage="Import") for m in errors)
        elif errors:
            for message in errors:  # ckanext-harvest's own way (it commits, the notes with it)
                self._save_object_error(message, obj, "Import")
        else:
            obj.save()


# ---- module helpers -----------------------------------------------------------

def _local_source(source) -> bool:
    """Whether this source may read local files: its own address is a
    ``file:`` one and a sysadmin created it. Only then: a web source's page
    that names ``file:///…`` as its next page (hydra:nextPage) must not make
    the portal read its own files (an editor of the source's office may point
    a sysadmin's source at any web page)."""
    try:
        local = fetch.split_url(source.url).scheme == "file"
    except fetch.FetchError:
        return False
    return local and _created_by_sysadmin(source)


def _created_by_sysadmin(source) -> bool:
    pkg = model.Package.get(source.id)
    user = model.User.get(pkg.creator_user_id) if pkg is not None and pkg.creator_user_id else None
    return bool(user and user.sysadmin)


def _extra(obj, key: str) -> str | None:
    for extra in obj.extras:
        if extra.key == key:
            return extra.value
    return None


def _set_extra(obj, key: str, value: str) -> None:
    for extra in obj.extras:
        if extra.key == key:
            extra.value = value
            return
    obj.extras.append(HarvestObjectExtra(key=key, value=value))


def _package(pkg_id: str | None) -> dict | None:
    """The dataset with this id, or None. A primary-key lookup first: for a
    dataset that does not exist, package_show would also look for it by name."""
    if not pkg_id or model.Session.get(model.Package, pkg_id) is None:
        return None
    try:
        return tk.get_action("package_show")({"ignore_auth": True, "use_cache": False}, {"id": pkg_id})
    except tk.ObjectNotFound:
        return None


def _first_seen(source_id: str, guid: str, pkg_id: str, identifier: str | None) -> bool:
    """No dataset with this id, no current object of this record, and no
    other source's current record with this identifier: nothing to check."""
    return not model.Session.execute(sa.text(
        "SELECT EXISTS (SELECT 1 FROM package WHERE id = :pkg) "
        "OR EXISTS (SELECT 1 FROM harvest_object WHERE harvest_source_id = :source AND guid = :guid "
        "           AND current) "
        "OR (:identifier <> '' AND EXISTS (SELECT 1 FROM harvest_object_extra e "
        "           JOIN harvest_object o ON o.id = e.harvest_object_id "
        "           WHERE e.key = :key AND e.value = :identifier AND o.current "
        "           AND o.harvest_source_id <> :source))"),
        {"pkg": pkg_id, "source": source_id, "guid": guid, "key": EXTRA_IDENTIFIER,
         "identifier": identifier or ""}).scalar()


def _package_state(pkg_id: str) -> dict | None:
    """What the unchanged and duplicate checks need of a dataset (the keys
    of its package_show dict), from its row: no dictization."""
    row = model.Session.get(model.Package, pkg_id)
    if row is None:
        return None
    return {"id": row.id, "name": row.name, "state": row.state,
            "metadata_created": row.metadata_created.isoformat() if row.metadata_created else None,
            "sca_withdrawn": (row.extras or {}).get("sca_withdrawn") or ""}


def _commit_index(obj, job_imported=None) -> None:
    """One Solr commit when the last record of a job has been imported, so
    the job ends with every record searchable (CKAN would commit once per
    dataset); ``job_imported(obj)`` runs first. Two consumers finishing the
    last records at the same moment each see the other's still running: the
    consumer asks again once the record's state is committed
    (``job_end.after_object``), and ``job_end.finish`` runs the end once.
    ``ckan.search.solr_commit = false`` leaves every commit to Solr."""
    try:
        if not job_end.others_unfinished(obj):
            job_end.finish(obj, job_imported)
    except Exception:  # noqa: BLE001 - the record is saved; Solr's own commits still come
        log.exception("harvest: committing the search index after job %s failed", obj.harvest_job_id)


def _mapper_notes(mapper: mapping.Mapper) -> tuple:
    return mapper.repairs, mapper.unmapped, mapper.notes


def _reindex(package_id: str) -> None:
    """The index entry of a dataset as the database has it (after a rollback
    of a record already sent to the index)."""
    try:
        search_index.update({"ignore_auth": True}, package_id, defer_commit=True)
    except tk.ObjectNotFound:
        search_index.remove(package_id)
    except Exception:  # noqa: BLE001 - the save's own error is the one to report
        log.exception("harvest: the index entry of %s could not be restored", package_id)


def _current_object(source_id: str, guid: str):
    return model.Session.query(HarvestObject) \
        .filter(HarvestObject.harvest_source_id == source_id) \
        .filter(HarvestObject.guid == guid) \
        .filter(HarvestObject.current == True) \
        .order_by(HarvestObject.import_finished.desc().nullslast()).first()  # noqa: E712


def _others_with_identifier(identifier: str, source_id: str):
    return model.Session.query(HarvestObject) \
        .join(HarvestObjectExtra, HarvestObjectExtra.harvest_object_id == HarvestObject.id) \
        .filter(HarvestObjectExtra.key == EXTRA_IDENTIFIER, HarvestObjectExtra.value == identifier) \
        .filter(HarvestObject.current == True) \
        .filter(HarvestObject.harvest_source_id != source_id).all()  # noqa: E712


def _as_shown(pkg: dict, org_id: str) -> dict:
    """Enough of package_show's shape for serialising before the save."""
    shown = dict(pkg)
    org = model.Group.get(org_id)
    if org is not None:
        shown["organization"] = {"id": org.id, "name": org.name, "title": org.title}
    shown["tags"] = [t if isinstance(t, dict) else {"name": t} for t in pkg.get("tags") or []]
    return shown


def _flatten_errors(errors) -> str:
    parts = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            parts.append(f"{key}: {_flatten_errors(value)}")
    elif isinstance(errors, list):
        parts.extend(_flatten_errors(v) for v in errors if v)
    else:
        parts.append(str(errors))
    return "; ".join(p for p in parts if p)
