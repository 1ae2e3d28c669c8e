# SPDX-License-Identifier: AGPL-3.0-or-later
"""A harvest source's address: the save-time guard (harvesters/source_guard.py) and
the fetcher (common/fetch.py) read it the same way.

The attack: an editor of the owning organisation changes the address of a
source a sysadmin created (so its harvests may read file://) to
``"\\x01file:///etc/passwd"``. Python's urlsplit drops the control
character, so the fetcher read the file while the guard, looking at the
stripped text, saw no ``file:``; the file's content then came back in the
job report's parse error. One table of spellings says, for each, what the
guard answers an editor and what the fetcher does."""
import json
import re
import urllib.parse

import pytest
import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.tests import factories, helpers

from ckanext.harvest.model import HarvestSource
from ckanext.smartcityatlas.common import fetch
from ckanext.smartcityatlas.common.fetch import FetchError, NetworkPolicy
from tests.helpers.harvest import create_source, harvested, page, record, run_job

DB = pytest.mark.usefixtures("clean_db", "clean_index")

MARKER = "GEHEIM-4711-Marker"
SECRET_TTL = page(record("geheim", title=MARKER)) + f"\n{MARKER} kein RDF mehr\n"
NOBODY = NetworkPolicy.build()
# what the table's rows expect
REFUSED, SAVED, READS_FILE = "refused", "saved", "reads the file"

# (spelling, what the guard answers an editor, what the fetcher does for a source a
# sysadmin created: file:// allowed, no network allowed). {file}: an absolute path
# of a file holding MARKER; {port}/{port6}: a local server on 127.0.0.1 / ::1
SPELLINGS = [
    # file: as it is written: only sysadmins (the fetcher reads it for their sources)
    ("file://{file}", REFUSED, READS_FILE),
    ("FILE://{file}", REFUSED, READS_FILE),
    ("File:{file}", REFUSED, READS_FILE),
    ("file://localhost{file}", REFUSED, READS_FILE),
    # control characters and whitespace anywhere: urlsplit drops some of them
    ("\x01file://{file}", REFUSED, REFUSED),
    ("\x00file://{file}", REFUSED, REFUSED),
    ("\x1ffile://{file}", REFUSED, REFUSED),
    ("\x7ffile://{file}", REFUSED, REFUSED),
    (" file://{file}", REFUSED, REFUSED),
    ("\tfile://{file}", REFUSED, REFUSED),
    ("\nfile://{file}", REFUSED, REFUSED),
    ("\r\nfile://{file}", REFUSED, REFUSED),
    ("fi\nle://{file}", REFUSED, REFUSED),
    ("fi\tle://{file}", REFUSED, REFUSED),
    ("file:\r//{file}", REFUSED, REFUSED),
    ("file://{file}\n", REFUSED, REFUSED),
    ("file://{file} ", REFUSED, REFUSED),
    ("\x85file://{file}", REFUSED, REFUSED),
    ("\u00a0file://{file}", REFUSED, REFUSED),
    ("\u200bfile://{file}", REFUSED, REFUSED),
    ("\ufefffile://{file}", REFUSED, REFUSED),
    ("\u2028file://{file}", REFUSED, REFUSED),
    ("\u3000file://{file}", REFUSED, REFUSED),
    (" http://127.0.0.1:{port}/secret", REFUSED, REFUSED),
    ("http://127.0.0.1:{port}/se\tcret", REFUSED, REFUSED),
    ("http://127.0.0.1:{port}/se cret", REFUSED, REFUSED),
    # other schemes, no scheme, no host, unreadable
    ("fil%65://{file}", REFUSED, REFUSED),
    ("sca-upload:0123456789abcdef0123456789abcdef/x.csv", REFUSED, REFUSED),
    ("gopher://127.0.0.1:{port}/_secret", REFUSED, REFUSED),
    ("ftp://127.0.0.1:{port}/secret", REFUSED, REFUSED),
    ("dict://127.0.0.1:{port}/", REFUSED, REFUSED),
    ("javascript:alert(1)", REFUSED, REFUSED),
    ("data:text/plain,{file}", REFUSED, REFUSED),
    ("//127.0.0.1:{port}/secret", REFUSED, REFUSED),
    ("127.0.0.1:{port}/secret", REFUSED, REFUSED),
    ("localhost:{port}/secret", REFUSED, REFUSED),
    ("http:///secret", REFUSED, REFUSED),
    ("http://[::1", REFUSED, REFUSED),
    # http(s): saved (DNS answers change: the connection is what is checked), and the
    # fetcher refuses every loopback/private spelling before connecting
    ("http://127.0.0.1:{port}/secret", SAVED, REFUSED),
    ("HTTP://127.0.0.1:{port}/secret", SAVED, REFUSED),
    ("hTTp://LOCALHOST:{port}/secret", SAVED, REFUSED),
    ("http://localhost.:{port}/secret", SAVED, REFUSED),
    ("https://127.0.0.1:{port}/secret", SAVED, REFUSED),
    ("http://2130706433:{port}/secret", SAVED, REFUSED),
    ("http://0x7f.1:{port}/secret", SAVED, REFUSED),
    ("http://0x7f000001:{port}/secret", SAVED, REFUSED),
    ("http://017700000001:{port}/secret", SAVED, REFUSED),
    ("http://0177.0.0.1:{port}/secret", SAVED, REFUSED),
    ("http://127.1:{port}/secret", SAVED, REFUSED),
    ("http://0:{port}/secret", SAVED, REFUSED),
    ("http://0.0.0.0:{port}/secret", SAVED, REFUSED),
    ("http://[::1]:{port6}/secret", SAVED, REFUSED),
    ("http://[0:0:0:0:0:0:0:1]:{port6}/secret", SAVED, REFUSED),
    ("http://[::ffff:127.0.0.1]:{port}/secret", SAVED, REFUSED),
    ("http://[::ffff:7f00:1]:{port}/secret", SAVED, REFUSED),
    ("http://[0:0:0:0:0:ffff:127.0.0.1]:{port}/secret", SAVED, REFUSED),
    ("http://[::127.0.0.1]:{port}/secret", SAVED, REFUSED),
    ("http://[::ffff:0:7f00:1]:{port}/secret", SAVED, REFUSED),
    ("http://[64:ff9b::7f00:1]:{port}/secret", SAVED, REFUSED),
    ("http://[2002:7f00:1::1]:{port}/secret", SAVED, REFUSED),  # 6to4: tunnelled to 127.0.0.1
    ("http://[2002:a00:1::1]:{port}/secret", SAVED, REFUSED),  # 6to4 of 10.0.0.1
    ("http://[fec0::1]:{port}/secret", SAVED, REFUSED),  # site-local (Python calls it global)
    ("http://[fe80::1%25lo]:{port}/secret", SAVED, REFUSED),
    ("http://[fd00::1]/secret", SAVED, REFUSED),
    ("http://example.org@127.0.0.1:{port}/secret", SAVED, REFUSED),
    ("http://user:pass@127.0.0.1:{port}/secret", SAVED, REFUSED),
    ("http://127.0.0.1:{port}#@example.org/secret", SAVED, REFUSED),
    ("http://127.0.0.1:{port}?@example.org/secret", SAVED, REFUSED),
    ("http://169.254.169.254/latest/meta-data/", SAVED, REFUSED),
    ("http://10.0.0.1/secret", SAVED, REFUSED),
    ("http://192.168.1.1/secret", SAVED, REFUSED),
]


def _spell(template: str, secret, server, server_v6) -> str:
    return template.format(file=secret, port=server.port, port6=server_v6.port)


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "geheim.ttl"
    path.write_text(SECRET_TTL)
    return path


@pytest.fixture
def editor_and_source(server, harvest_org):
    """An editor of the owning organisation and a source a sysadmin created."""
    editor = factories.User()
    helpers.call_action("organization_member_create", {"ignore_auth": True}, id=harvest_org["id"],
                        username=editor["name"], role="editor")
    source = create_source("https://stadt.example/katalog.ttl", harvest_org, name="von-admin")
    return editor, source


def _stored_url(source_id: str) -> tuple[str, str]:
    model.Session.remove()
    return model.Package.get(source_id).url, HarvestSource.get(source_id).url


def _guard_says(editor: dict, source: dict, url) -> str:
    """What the save-time guard answers the editor (never a 500)."""
    before = _stored_url(source["id"])
    try:
        helpers.call_action("harvest_source_patch", context={"user": editor["name"]}, id=source["id"], url=url)
    except tk.ValidationError as exc:
        assert list(exc.error_dict) == ["url"], (url, exc.error_dict)
        assert _stored_url(source["id"]) == before
        return REFUSED
    assert _stored_url(source["id"]) == (url, url)
    return SAVED


# refused before connecting: for the address, or because the name has no address here
# ("localhost." and a link-local zone do not resolve on every machine)
NOT_CONNECTED = re.compile(r"non-public address|\[Errno -\d+\]")


def _fetcher_does(url: str, saved: bool) -> str:
    """What the fetcher does for a sysadmin's source (file:// allowed), no network allowed."""
    try:
        response = fetch.fetch(url, policy=NOBODY, allow_file=True)
    except FetchError as exc:
        assert MARKER not in str(exc)
        if saved:  # an http(s) address: refused for where it leads
            assert NOT_CONNECTED.search(str(exc)), (url, str(exc))
        return REFUSED
    return READS_FILE if MARKER.encode() in response.body else "fetched"


@DB
def test_the_guard_and_the_fetcher_read_every_spelling_alike(secret, server, server_v6, editor_and_source):
    secret_route = server.add("/secret", body=MARKER, content_type="text/turtle")
    secret_route_v6 = server_v6.add("/secret", body=MARKER, content_type="text/turtle")
    editor, source = editor_and_source
    expected, found = [], []
    for template, guard, fetcher in SPELLINGS:
        url = _spell(template, secret, server, server_v6)
        expected.append((template, guard, fetcher))
        said = _guard_says(editor, source, url)
        found.append((template, said, _fetcher_does(url, said == SAVED)))
    assert found == expected
    assert secret_route.hits == 0 and secret_route_v6.hits == 0  # never connected


@DB
def test_a_sysadmin_may_still_save_a_file_address(secret, server, server_v6, harvest_org):
    for i, (template, _guard, _fetcher) in enumerate(s for s in SPELLINGS if s[2] == READS_FILE):
        url = _spell(template, secret, server, server_v6)
        # (ckanext-harvest allows one source per address and configuration)
        source = create_source(url, harvest_org, name=f"lokal-{i}", config={"priority": i})
        assert _stored_url(source["id"]) == (url, url)


# ---- every path that changes a source's address ------------------------------------

def _harvest_source_update(user, source, url):
    shown = helpers.call_action("harvest_source_show", id=source["id"])
    helpers.call_action("harvest_source_update", context={"user": user}, **{**shown, "url": url})


def _package_update(user, source, url):
    shown = helpers.call_action("harvest_source_show", id=source["id"])
    helpers.call_action("package_update", context={"user": user}, **{**shown, "url": url})


def _package_update_without_type(user, source, url):
    """package_update takes the stored type: the dict need not say it is a source."""
    shown = helpers.call_action("harvest_source_show", id=source["id"])
    shown = {k: v for k, v in shown.items() if k not in ("type", "source_type")}
    helpers.call_action("package_update", context={"user": user}, **{**shown, "url": url})


def _package_patch(user, source, url):
    helpers.call_action("package_patch", context={"user": user}, id=source["id"], url=url)


def _package_revise(user, source, url):
    helpers.call_action("package_revise", context={"user": user}, match={"id": source["id"]},
                        update={"url": url})


def _harvest_source_patch(user, source, url):
    helpers.call_action("harvest_source_patch", context={"user": user}, id=source["id"], url=url)


PATHS = [_harvest_source_patch, _harvest_source_update, _package_update, _package_update_without_type,
         _package_patch, _package_revise]


@DB
@pytest.mark.parametrize("change", PATHS, ids=[p.__name__.strip("_") for p in PATHS])
def test_an_editor_cannot_point_a_sysadmins_source_at_a_file_by_any_action(change, secret, editor_and_source):
    editor, source = editor_and_source
    before = _stored_url(source["id"])
    for prefix in ("\x01", "\x1f", " ", "\t", "\x00"):
        with pytest.raises(tk.ValidationError) as exc:
            change(editor["name"], source, f"{prefix}{secret.as_uri()}")
        assert "url" in exc.value.error_dict, (prefix, exc.value.error_dict)
        assert _stored_url(source["id"]) == before
    if change is not _package_update_without_type:  # (that one misses source_type, which the schema needs)
        change(editor["name"], source, "https://stadt.example/neu.ttl")  # the editor may change it otherwise
        assert _stored_url(source["id"]) == ("https://stadt.example/neu.ttl",) * 2


@DB
def test_the_api_answers_409_naming_the_field(app, secret, editor_and_source):
    editor, source = editor_and_source
    headers = {"Authorization": factories.APIToken(user=editor["name"])["token"]}
    for url in ("\x01" + secret.as_uri(), "http://[::1", ["file:///etc/passwd"], {"a": 1}):
        answer = app.post("/api/3/action/harvest_source_patch", headers=headers,
                          json={"id": source["id"], "url": url})
        assert answer.status_code == 409, (url, answer.body[:500])
        assert "url" in answer.json["error"], answer.json


@DB
def test_the_source_form_refuses_a_control_character(app, secret, editor_and_source):
    from tests.helpers.forms import csrf

    editor, source = editor_and_source
    headers = {"Authorization": factories.APIToken(user=editor["name"])["token"]}
    shown = helpers.call_action("harvest_source_show", id=source["id"])
    form = app.get(f"/en/harvest/edit/{shown['name']}", headers=headers, status=200)
    data = {"_csrf_token": csrf(form.body), "save": "", "url": "\x01" + secret.as_uri(), "name": shown["name"],
            "title": shown["title"], "notes": "", "source_type": shown["source_type"], "frequency": "MANUAL",
            "config": shown["config"] or "{}", "owner_org": shown["owner_org"]}
    answer = app.post(f"/en/harvest/edit/{shown['name']}", data=data, headers=headers, follow_redirects=False)
    assert answer.status_code == 200 and "control character" in answer.body, answer.body[:2000]
    assert _stored_url(source["id"])[0] == "https://stadt.example/katalog.ttl"


# ---- an address already stored (written before the guard knew better) --------------

def _store_url(source_id: str, url: str) -> None:
    model.Session.execute(sa.text("UPDATE package SET url = :url WHERE id = :id"), {"url": url, "id": source_id})
    model.Session.execute(sa.text("UPDATE harvest_source SET url = :url WHERE id = :id"),
                          {"url": url, "id": source_id})
    model.Session.commit()
    model.Session.remove()


def _layouts(tmp_path) -> dict:
    """Per harvester: (the source's file address, what its harvester would read there):
    files that, read, leak MARKER into the report or into a harvested record."""
    from tests.helpers.radar import csv_bytes

    ckan = tmp_path / "portal" / "api" / "3" / "action"
    ckan.mkdir(parents=True)
    (ckan / "package_search").write_text(json.dumps({"success": False, "error": {"message": MARKER}}))
    (tmp_path / "csw.xml").write_text(f"<a><{MARKER}></b>")
    (tmp_path / "radar.csv").write_bytes(csv_bytes([{"Radar-ID": "G-1", "Titel": MARKER, "Typ": "Projekt",
                                                     "Status": "Laufend"}]))
    (tmp_path / "catalog.ttl").write_text(SECRET_TTL)
    return {"sca_dcat_rdf": tmp_path / "catalog.ttl", "sca_ckan": tmp_path / "portal",
            "sca_csw": tmp_path / "csw.xml", "sca_radar": tmp_path / "radar.csv"}


def _assert_nothing_read(report: dict, source_id: str) -> None:
    assert MARKER not in json.dumps(report, ensure_ascii=False, default=str)
    assert any("control character or whitespace" in m for m in report["gather"]), report["gather"]
    assert harvested(source_id) == []
    assert helpers.call_action("package_search", {"ignore_auth": True}, q=f'"{MARKER}"',
                               include_private=True)["count"] == 0


@DB
@pytest.mark.parametrize("source_type", ["sca_dcat_rdf", "sca_ckan", "sca_csw", "sca_radar"])
def test_a_stored_address_with_a_control_character_reads_nothing(source_type, tmp_path, harvest_org):
    path = _layouts(tmp_path)[source_type]
    source = create_source("https://stadt.example/quelle", harvest_org, name="alt", source_type=source_type)
    _store_url(source["id"], "\x01" + path.as_uri())
    _assert_nothing_read(run_job(source), source["id"])


@DB
def test_a_stored_address_reads_nothing_in_any_spelling(secret, harvest_org):
    source = create_source("https://stadt.example/quelle", harvest_org, name="alt")
    for spelling in ("\x1f{uri}", " {uri}", "\t{uri}", "{uri}\n", "fi\nle:{path}", "\x0cfile:{path}"):
        _store_url(source["id"], spelling.format(uri=secret.as_uri(), path=urllib.parse.quote(str(secret))))
        _assert_nothing_read(run_job(source), source["id"])


# ---- redirects ----------------------------------------------------------------------

REDIRECTS = [
    "file://{file}", "FILE://{file}", "File:{file}", " file://{file}", "\x01file://{file}", "\tfile://{file}",
    "fi\tle://{file}", "http://localhost:{port}/secret", "http://2130706433:{port}/secret",
    "http://0x7f.1:{port}/secret", "http://127.1:{port}/secret", "http://0:{port}/secret",
    "http://[::1]:{port6}/secret", "http://[::ffff:127.0.0.1]:{port}/secret",
    "http://[2002:7f00:1::1]:{port}/secret", "http://example.org@localhost:{port}/secret",
    "//localhost:{port}/secret", "http://169.254.169.254/latest/meta-data/",
]


@pytest.mark.parametrize("location", REDIRECTS, ids=[repr(r) for r in REDIRECTS])
def test_a_redirect_reaches_neither_a_file_nor_loopback(location, secret, server, server_v6):
    """The first address is allowed by name (127.0.0.1, as a sysadmin would allow an
    intranet host); where it redirects to is checked again, in every spelling."""
    secret_route = server.add("/secret", body=MARKER)
    secret_route_v6 = server_v6.add("/secret", body=MARKER)
    server.add("/go", status=302, headers={"Location": _spell(location, secret, server, server_v6)})
    with pytest.raises(FetchError) as exc:
        fetch.fetch(server.url("/go"), policy=NetworkPolicy.build(hosts=["127.0.0.1"]), allow_file=True)
    assert MARKER not in str(exc.value)
    assert secret_route.hits == 0 and secret_route_v6.hits == 0
