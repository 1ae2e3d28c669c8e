# SPDX-License-Identifier: AGPL-3.0-or-later
"""Radar files uploaded in the harvest source form (docs/radar.md).

An upload is checked (size, and its type by content: an XLSX workbook, JSON,
or CSV text in UTF-8 or Windows-1252), stored under
``<ckan.storage_path>/smartcityatlas/radar-uploads/<token>`` and the source's
URL becomes ``sca-upload:<token>/<file name>``. This internal address is
resolved only by the ``sca_radar`` harvester, only for the source the upload
belongs to (``<token>.json`` names it): the file never gets a public URL and
is not fetched over HTTP. Editors of the source download it at
``/harvest/radar-file/<source>``.

Nobody types such an address: a source gets one only by an upload, or keeps
the one it has. Replacing the file stores the new one next to the old; the
old is deleted when a run of the new one has finished (``prune``), so a
failed run still has the previous file, and a failed run changes no records.
"""
from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import re
import uuid
import zipfile
from pathlib import Path

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.smartcityatlas.capability import Registry
from ckanext.smartcityatlas.common import fetch

SCHEME = "sca-upload:"
FIELD = "radar_file"
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "json": "application/json", "csv": "text/csv"}
_TOKEN = re.compile(r"[0-9a-f]{32}")


class UploadError(ValueError):
    """An upload that is refused; the message is shown in the form."""


register = Registry()
# context key: the address of the file this save stored (source_guard lets it pass)
STORED_URL = "sca_radar_stored_url"


def is_upload(url: str | None) -> bool:
    """Whether ``url`` is an upload address, read as the fetcher reads
    addresses (harvesters/source_guard.py decides who may save one)."""
    try:
        return fetch.split_url(url or "").scheme == SCHEME[:-1]
    except fetch.FetchError:
        return False


def folder() -> Path:
    path = tk.config.get("ckan.storage_path")
    if not path:
        raise UploadError(tk._("File uploads need ckan.storage_path to be configured."))
    return Path(path) / "smartcityatlas" / "radar-uploads"


def max_bytes() -> int:
    return int(tk.config.get("ckanext.smartcityatlas.radar.upload_max_mb")) * 1024 * 1024


def token_of(url: str) -> str | None:
    rest = str(url or "").strip()[len(SCHEME):] if is_upload(url) else ""
    token = rest.split("/", 1)[0]
    return token if _TOKEN.fullmatch(token) else None


# ---- checking ------------------------------------------------------------------

def sniff(body: bytes) -> str:
    """The format by content, or UploadError: an XLSX workbook (a ZIP with a
    workbook part), JSON, or text (UTF-8 or Windows-1252) that is no HTML/XML."""
    if not body.strip():
        raise UploadError(tk._("The file is empty."))
    if body[:4] == b"PK\x03\x04":
        try:
            names = set(zipfile.ZipFile(io.BytesIO(body)).namelist())
        except (zipfile.BadZipFile, ValueError):
            raise UploadError(tk._("The file is a damaged ZIP archive, not an Excel workbook (XLSX)."))
        if "xl/workbook.xml" not in names:
            raise UploadError(tk._("The file is a ZIP archive but no Excel workbook (XLSX)."))
        return "xlsx"
    if body[:4] == b"\xd0\xcf\x11\xe0":
        raise UploadError(tk._("Old Excel files (XLS) are not supported: save the file as XLSX or CSV."))
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = body.decode("cp1252")
        except UnicodeDecodeError:
            text = None
    if text is None or "\x00" in text or re.search(r"[\x01-\x08\x0e-\x1f]", text):
        raise UploadError(tk._("The file is neither an Excel workbook (XLSX) nor text (CSV, JSON)."))
    head = text.lstrip()[:64].lower()
    if head[:1] in ("[", "{"):
        try:
            json.loads(text)
        except ValueError:
            raise UploadError(tk._("The file starts like JSON but is not valid JSON."))
        return "json"
    if head.startswith(("<!doc", "<html", "<?xml", "<")):
        raise UploadError(tk._("The file is HTML or XML, not a radar export (CSV, XLSX or JSON)."))
    return "csv"


def _read(upload) -> bytes:
    limit = max_bytes()
    stream = getattr(upload, "stream", upload)
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise UploadError(tk._("The file is larger than {size} MB.").format(size=limit // (1024 * 1024)))
    return body


def _file_name(name: str | None, fmt: str) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", os.path.basename(str(name or "")).strip())[:80].strip("._")
    return base or f"radar.{fmt}"


# ---- the form and API (harvesters/source_guard.py calls this) ------------------------------

def uploaded_file(data_dict: dict):
    """The uploaded file of this save: in the data (API, multipart) or in the
    request's files (the harvest source form, whose view passes only the form
    fields on). None when no file was chosen."""
    upload = data_dict.pop(FIELD, None)
    if not getattr(upload, "filename", None):
        try:
            upload = tk.request.files.get(FIELD)
        except (RuntimeError, AttributeError, TypeError):  # no request (CLI, jobs)
            upload = None
    return upload if getattr(upload, "filename", None) else None


def store(context: dict, data_dict: dict, upload, existing) -> Path:
    """Check the upload and store it; sets the source's URL to it. Returns the
    stored file (``commit`` after the source was saved, ``discard`` on failure)."""
    if data_dict.get("source_type", getattr(existing, "type", None)) != "sca_radar":
        raise tk.ValidationError({FIELD: [tk._("File uploads are for Smart-City-Radar sources only.")]})
    try:
        body = _read(upload)
        fmt = sniff(body)
        target = folder()
    except UploadError as exc:
        raise tk.ValidationError({FIELD: [str(exc)]})
    target.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    path = target / token
    partial = target / f".{token}.part"
    partial.write_bytes(body)
    os.replace(partial, path)
    name = _file_name(upload.filename, fmt)
    data_dict["url"] = f"{SCHEME}{token}/{name}"
    meta = {"file_name": name, "format": fmt, "size": len(body), "sha256": hashlib.sha256(body).hexdigest(),
            "uploaded_at": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
            "uploaded_by": context.get("user") or "",
            "previous": token_of(existing.url) if existing is not None else None}
    path.with_suffix(".pending").write_text(json.dumps(meta, ensure_ascii=False))
    return path


def commit(path: Path, source_id: str) -> None:
    """The source was saved: the upload is its file from now on."""
    pending = path.with_suffix(".pending")
    meta = json.loads(pending.read_text())
    meta["source_id"] = source_id
    path.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False))
    pending.unlink()


def discard(path: Path) -> None:
    for p in (path, path.with_suffix(".pending")):
        p.unlink(missing_ok=True)


# ---- the harvester and the download ---------------------------------------------

def meta(url: str) -> dict | None:
    token = token_of(url)
    if token is None:
        return None
    try:
        return json.loads((folder() / f"{token}.json").read_text())
    except (OSError, ValueError):
        return None


def read(url: str, source_id: str) -> tuple[bytes, dict]:
    """The stored file of this source's upload address, or UploadError."""
    info = meta(url)
    if info is None or info.get("source_id") != source_id:
        raise UploadError(f"the uploaded file {url!r} is not stored for this source; upload it again")
    try:
        return (folder() / token_of(url)).read_bytes(), info
    except OSError:
        raise UploadError(f"the uploaded file {url!r} is missing from the storage; upload it again")


def download_url(source_id: str) -> str:
    """The stable address of a source's uploaded file (for its editors)."""
    return f"{tk.config.get('ckan.site_url', '').rstrip('/')}/harvest/radar-file/{source_id}"


def prune(source_id: str, keep_url: str) -> None:
    """After a run of the current file: the source's earlier uploads go."""
    keep = token_of(keep_url)
    try:
        metas = list(folder().glob("*.json"))
    except UploadError:
        return
    for path in metas:
        token = path.stem
        if token == keep:
            continue
        try:
            owner = json.loads(path.read_text()).get("source_id")
        except (OSError, ValueError):
            continue
        if owner == source_id:
            (path.parent / token).unlink(missing_ok=True)
            path.unlink(missing_ok=True)


def existing_source(data_dict: dict):
    ref = data_dict.get("id") or data_dict.get("name")
    pkg = model.Package.get(ref) if ref else None
    if pkg is None or pkg.type != "harvest":
        return None
    from ckanext.harvest.model import HarvestSource

    return HarvestSource.get(pkg.id)


# ---- the file of a save: a chain of package_create/package_update ------------------

@register.chained_saves
def save_with_file(up, context, data_dict, action: str):
    """A radar file in this save: checked and stored only for someone allowed
    to save the source, kept only if the source was saved."""
    existing = existing_source(data_dict) if action == "package_update" else None
    if existing is None and not (data_dict.get("type") == "harvest" or "source_type" in data_dict):
        return up(context, data_dict)
    file = uploaded_file(data_dict)
    if file is None:
        return up(context, data_dict)
    # authorised before anything is read or stored
    tk.check_access(action, dict(context), {"id": existing.id} if existing is not None else data_dict)
    stored = store(context, data_dict, file, existing)
    context[STORED_URL] = data_dict["url"]
    try:
        result = up(context, data_dict)
    except Exception:
        discard(stored)
        raise
    finally:
        context.pop(STORED_URL, None)
    saved_id = result if isinstance(result, str) else (result or {}).get("id")
    commit(stored, saved_id or (existing.id if existing is not None else ""))
    return result
