# SPDX-License-Identifier: AGPL-3.0-or-later
"""A stock CKAN of its own, as a city runs one, for tests/deploy/test_wheel_install.py:
a fresh virtualenv with CKAN from the package index, its own database and
DataStore database on the suite's PostgreSQL, its own Solr core (created with
CKAN's stock schema) on the suite's Solr, its own Redis database, and
``ckan run`` as its web server. What docs/install.md says is run from the
page's own blocks (``wheel.install_block``)."""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import requests
import sqlalchemy as sa

from tests.helpers.web_server import free_port, wait_answering
from tests.helpers.wheel import REPO, install_block

SOLR_CONF = REPO / "deploy" / "solr" / "home" / "configsets" / "ckan" / "conf"
# what docs/install.md copies into an existing core (schema.xml names the word lists)
SOLR_FILES = ("schema.xml", "compounds_de.txt", "synonyms.txt", "protwords.txt")
COMMAND_TIMEOUT = 900


class Services:
    """The suite's PostgreSQL, Solr and Redis, as test.ini names them; the
    databases, role and core made here are dropped again by ``remove``."""

    def __init__(self, config):
        self.db_url = sa.engine.make_url(config["sqlalchemy.url"])
        self.solr = config["solr_url"].rsplit("/", 1)[0]
        redis = urllib.parse.urlsplit(config["ckan.redis.url"])
        self.redis_base = f"{redis.scheme}://{redis.netloc}"

    def superuser(self) -> sa.engine.Engine:
        """PostgreSQL's superuser through the cluster's own socket, where
        deploy/lib/postgres.sh has it (the data folder as deploy/sca sets it)."""
        folder = Path(os.environ.get("SCA_DATA") or REPO / "var") / "pg" / "socket"
        url = sa.engine.URL.create("postgresql", username="postgres", database="postgres",
                                   query={"host": str(folder), "port": str(self.db_url.port)})
        return sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)

    def database_url(self, name: str, user: str | None = None, password: str | None = None) -> str:
        url = self.db_url.set(database=name)
        if user:
            url = url.set(username=user, password=password)
        return url.render_as_string(hide_password=False)

    def create_database(self, name: str) -> str:
        """An empty database owned by the suite's CKAN role; its URL."""
        self.drop_database(name)
        with self.superuser().connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}" OWNER "{self.db_url.username}" '
                                       "ENCODING 'UTF8' TEMPLATE template0")
        return self.database_url(name)

    def drop_database(self, name: str) -> None:
        with self.superuser().connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def create_role(self, name: str) -> str:
        """A login role with a new password (the DataStore's read-only role); the password."""
        password = secrets.token_urlsafe(16)
        with self.superuser().connect() as connection:
            connection.exec_driver_sql(f'DROP ROLE IF EXISTS "{name}"')
            connection.exec_driver_sql(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'")
        return password

    def drop_role(self, name: str) -> None:
        with self.superuser().connect() as connection:
            connection.exec_driver_sql(f'DROP ROLE IF EXISTS "{name}"')

    def psql(self, script: str) -> None:
        """A script (with psql's meta-commands, such as CKAN's DataStore
        permissions) run by psql as the superuser."""
        folder = self.superuser().url.query["host"]
        psql = shutil.which("psql") or sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"))[-1]
        proc = subprocess.run([str(psql), "-X", "-q", "--set", "ON_ERROR_STOP=1", "-h", folder,
                               "-p", str(self.db_url.port), "-U", "postgres", "-d", "postgres"],
                              input=script, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr

    def scalar(self, database: str, sql: str, **params):
        """One value read from ``database`` as the superuser."""
        engine = sa.create_engine(self.superuser().url.set(database=database), poolclass=sa.pool.NullPool)
        with engine.connect() as connection:
            return connection.execute(sa.text(sql), params).scalar()

    def relation_exists(self, database: str, name: str) -> bool:
        """Whether a table or index ``name`` exists in ``database``."""
        return self.scalar(database, "SELECT to_regclass(:n)", n=name) is not None

    def solr_api(self, path: str, **params) -> dict:
        answer = requests.get(f"{self.solr}/{path}", params={**params, "wt": "json"}, timeout=120)
        assert answer.ok, answer.text[:2000]
        return answer.json()

    def create_core(self, name: str, schema: Path) -> Path:
        """A core as an existing CKAN has it: CKAN's stock ``schema``, a
        classic-schema solrconfig.xml; its conf folder."""
        self.remove_core(name)
        home = Path(self.solr_api("admin/info/system")["solr_home"])
        folder = home / "cores" / name
        shutil.rmtree(folder, ignore_errors=True)
        conf = folder / "conf"
        conf.mkdir(parents=True)
        shutil.copy(SOLR_CONF / "solrconfig.xml", conf)
        shutil.copy(schema, conf / "schema.xml")
        for name_ in ("synonyms.txt", "protwords.txt"):  # what the stock schema names
            shutil.copy(SOLR_CONF / name_, conf)
        owner = home.stat()
        for path in [folder, *folder.rglob("*")]:  # Solr runs as the stack's service user
            os.chown(path, owner.st_uid, owner.st_gid)
        self.solr_api("admin/cores", action="CREATE", name=name, instanceDir=str(folder))
        return conf

    def reload_core(self, name: str) -> None:
        self.solr_api("admin/cores", action="RELOAD", core=name)

    def remove_core(self, name: str) -> None:
        if name in self.solr_api("admin/cores", action="STATUS")["status"]:
            self.solr_api("admin/cores", action="UNLOAD", core=name, deleteInstanceDir="true")

    def field_exists(self, core: str, field: str) -> bool:
        return requests.get(f"{self.solr}/{core}/schema/fields/{field}", timeout=30).ok

    def redis_url(self, db: int) -> str:
        return f"{self.redis_base}/{db}"

    def flush_redis(self, db: int) -> None:
        """An empty Redis database (queues and keys of an earlier run gone)."""
        import redis

        redis.Redis.from_url(self.redis_url(db)).flushdb()


def clean_env(**extra) -> dict:
    """The environment of the stock CKAN's commands: the suite's own
    settings and virtualenv left out (pip's index settings kept)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CKAN_", "SCA_")) and k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
    env.update({k: str(v) for k, v in extra.items()})
    return env


class StockCkan:
    """One stock CKAN: its virtualenv, ini, database, Solr core and web server."""

    def __init__(self, folder: Path, version: str, services: Services, redis_db: int):
        self.folder, self.version, self.services, self.redis_db = folder, version, services, redis_db
        self.name = "sca_wheel_" + re.sub(r"\W", "_", version)
        self.venv = folder / "venv"
        self.ini = folder / "ckan.ini"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.processes: dict[str, subprocess.Popen] = {}
        self.solr_conf: Path | None = None
        self.token = ""
        self.timings: dict[str, float] = {}

    # commands -----------------------------------------------------------
    @property
    def env(self) -> dict:
        return clean_env(CKAN_VENV=self.venv, CKAN_INI=self.ini)

    def run(self, *args, step: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
        """A command in the site's folder; its time counted under ``step``."""
        started = time.monotonic()
        proc = subprocess.run([str(a) for a in args], env={**self.env, **(env or {})}, cwd=self.folder,
                              capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
        if step:
            self.timings[step] = self.timings.get(step, 0) + time.monotonic() - started
        assert proc.returncode == 0, f"{' '.join(map(str, args))} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
        return proc

    def ckan(self, *args, step: str | None = None) -> subprocess.CompletedProcess:
        return self.run(self.venv / "bin" / "ckan", "-c", self.ini, *args, step=step)

    def doc(self, block: str, step: str | None = None, **env) -> subprocess.CompletedProcess:
        """Run docs/install.md's shell block ``block`` as the page writes it."""
        return self.run("bash", "-euo", "pipefail", "-c", install_block(block), step=step or block,
                        env={k: str(v) for k, v in env.items()})

    def python(self, code: str) -> str:
        return self.run(self.venv / "bin" / "python", "-c", code).stdout

    # the stock CKAN -------------------------------------------------------
    def create(self) -> None:
        """The virtualenv with CKAN and its pinned requirements (CKAN's
        documented package install), a generated ckan.ini for the suite's
        services, a Solr core with CKAN's stock schema (``self.solr_conf``)
        and `ckan db init` with CKAN's default plugins."""
        base = getattr(sys, "_base_executable", sys.executable)
        self.run(base, "-m", "venv", self.venv, step="venv")
        self.run(self.venv / "bin" / "pip", "install", "--disable-pip-version-check", "-q",
                 f"ckan[requirements]=={self.version}", step="pip ckan")
        self.run(self.venv / "bin" / "ckan", "generate", "config", self.ini)
        self.solr_conf = self.services.create_core(self.name, self.stock_schema)
        self.services.flush_redis(self.redis_db)
        storage = self.folder / "storage"
        storage.mkdir()
        self.set(**{"sqlalchemy.url": self.services.create_database(self.name),
                    "ckan.site_url": self.url, "ckan.site_id": self.name, "solr_url": self.solr_url,
                    "ckan.redis.url": self.services.redis_url(self.redis_db),
                    "ckan.storage_path": storage})
        self.ckan("db", "init", step="db init")

    @property
    def solr_url(self) -> str:
        return f"{self.services.solr}/{self.name}"

    def set(self, **options) -> None:
        """Settings of the ini, with CKAN's own tool."""
        self.run(self.venv / "bin" / "ckan", "config-tool", self.ini, *[f"{k}={v}" for k, v in options.items()])

    def merge(self, block: str) -> None:
        """docs/install.md's ini block ``block``, saved and merged as the page says."""
        (self.folder / "atlas.ini").write_text(install_block(block), encoding="utf-8")
        self.doc("merge")

    def ckan_pins(self) -> dict[str, str]:
        """name → version CKAN pins (its ``requirements`` extra), and what is installed of each."""
        return json.loads(self.python(
            "import importlib.metadata as m, json, re\n"
            "pins = {}\n"
            "for line in m.distribution('ckan').requires or ():\n"
            "    found = re.match(r'([\\w.-]+)(\\[[^]]*\\])?\\s*==\\s*([^;\\s]+)\\s*;\\s*extra\\s*==\\s*.requirements.', line)\n"
            "    if found:\n"
            "        pins[found[1]] = [found[3], m.version(found[1])]\n"
            "print(json.dumps(pins))\n"))

    @property
    def stock_schema(self) -> Path:
        found = list((self.venv / "lib").glob("python3*/site-packages/ckan/config/solr/schema.xml"))
        assert len(found) == 1, found
        return found[0]

    # the web server and the background processes ------------------------
    def spawn(self, name: str, *args) -> subprocess.Popen:
        """A long-running ``ckan`` command (its output in ``name``.log); stopped by ``stop``."""
        log = (self.folder / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            [str(self.venv / "bin" / "ckan"), "-c", str(self.ini), *map(str, args)], env=self.env,
            cwd=self.folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        return self.processes[name]

    def start(self) -> None:
        """CKAN's development server (a stock CKAN has no other) and the
        harvest consumers docs/install.md names."""
        self.stop()
        started = time.monotonic()
        server = self.spawn("ckan-run", "run", "-H", "127.0.0.1", "-p", self.port, "--disable-reloader")
        for stage in ("gather", "fetch"):
            self.spawn(f"harvest-{stage}", "sca", "harvest-consumer", stage)
        wait_answering(self.url, server, self.folder / "ckan-run.log", 180, "ckan run")
        self.timings["server start"] = self.timings.get("server start", 0) + time.monotonic() - started

    def stop(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=60)
        self.processes = {}

    def log_tail(self, name: str = "ckan-run") -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-5000:] if path.exists() else ""

    def harvest(self, source_id: str, timeout: float = 180) -> dict:
        """One job of the source through the consumers, finished by
        ``harvest_jobs_run`` (the scheduler's call) once they imported every
        record (called earlier, it sends records a consumer has just taken
        but not yet marked to the queue again)."""
        started = time.monotonic()
        job = self.api("harvest_job_create", {"source_id": source_id, "run": True})
        pending = ("SELECT (SELECT gather_finished IS NULL FROM harvest_job WHERE id = :job)::int"
                   " + (SELECT count(*) FROM harvest_object WHERE harvest_job_id = :job"
                   "    AND state IN ('WAITING', 'FETCH'))")
        while True:
            if not self.services.scalar(self.name, pending, job=job["id"]):
                self.api("harvest_jobs_run", {"source_id": source_id})
                job = self.api("harvest_job_show", id=job["id"])
                if job["status"] == "Finished":
                    break
            assert time.monotonic() - started < timeout, (
                f"harvest job {job['status']} after {timeout} s\n"
                + self.log_tail("harvest-gather") + self.log_tail("harvest-fetch"))
            time.sleep(0.5)
        self.timings["harvest"] = self.timings.get("harvest", 0) + time.monotonic() - started
        return job

    def sysadmin_token(self) -> str:
        """A sysadmin (CKAN's own commands) and an API token of it."""
        password = secrets.token_urlsafe(12)
        self.ckan("user", "add", "atlas-admin", "email=opendata@stadt.example", f"password={password}")
        self.ckan("sysadmin", "add", "atlas-admin")
        self.token = self.ckan("user", "token", "add", "atlas-admin", "smoke").stdout.strip().splitlines()[-1].strip()
        return self.token

    def api(self, action: str, data: dict | None = None, status: int = 200, **params) -> dict:
        headers = {"Authorization": self.token} if self.token else {}
        if data is None:
            answer = requests.get(f"{self.url}/api/3/action/{action}", params=params, headers=headers, timeout=120)
        else:
            answer = requests.post(f"{self.url}/api/3/action/{action}", json=data, headers=headers, timeout=120)
        assert answer.status_code == status, f"{action}: {answer.status_code} {answer.text[:3000]}\n{self.log_tail()}"
        return answer.json()["result"] if status == 200 else answer.json()

    def get(self, path: str) -> requests.Response:
        answer = requests.get(f"{self.url}{path}", timeout=120)
        assert answer.ok, f"{path}: {answer.status_code} {answer.text[:2000]}"
        return answer

    def remove(self) -> None:
        self.stop()
        self.services.remove_core(self.name)
        self.services.drop_database(self.name)
        self.services.drop_database(self.name + "_datastore")
        self.services.drop_role(self.name + "_ro")
        self.services.flush_redis(self.redis_db)
