# SPDX-License-Identifier: AGPL-3.0-or-later
"""The container's DataStore permissions step (deploy/lib/datastore_permissions.py)
applies CKAN's psql-flavoured SQL as the databases' owner, without psql."""
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "deploy" / "lib" / "datastore_permissions.py"
CKAN = Path(sys.executable).parent / "ckan"


def _run(sql: str, url: str):
    return subprocess.run([sys.executable, str(SCRIPT), url], input=sql, capture_output=True, text=True, timeout=60)


def test_ckans_sql_runs_as_owner_and_the_read_role_may_read_but_not_create(ckan_config, request):
    ini = request.config.getoption("ckan_ini")
    sql = subprocess.run([str(CKAN), "-c", ini, "datastore", "set-permissions"],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert sql.lstrip().startswith("/*") and "\\connect" in sql  # the psql meta-command the server refuses
    write_url = ckan_config["ckan.datastore.write_url"]
    proc = _run(sql, write_url)
    assert proc.returncode == 0, proc.stderr

    table = "sca_permissions_probe"
    writer = sqlalchemy.create_engine(write_url)
    reader = sqlalchemy.create_engine(ckan_config["ckan.datastore.read_url"])
    try:
        with writer.begin() as c:
            c.exec_driver_sql(f'DROP TABLE IF EXISTS "{table}"')
            c.exec_driver_sql(f'CREATE TABLE "{table}" (value int)')  # default privileges give the reader SELECT
            c.exec_driver_sql(f'INSERT INTO "{table}" VALUES (7)')
        with reader.connect() as c:
            assert c.exec_driver_sql(f'SELECT value FROM "{table}"').scalar() == 7
        with pytest.raises(sqlalchemy.exc.ProgrammingError, match="permission denied"):
            with reader.begin() as c:
                c.exec_driver_sql('CREATE TABLE sca_not_allowed (value int)')
    finally:
        with writer.begin() as c:
            c.exec_driver_sql(f'DROP TABLE IF EXISTS "{table}"')
        writer.dispose()
        reader.dispose()


def test_no_sql_on_standard_input_is_refused_clearly(ckan_config):
    proc = _run("", "postgresql://nobody@127.0.0.1:1/none")
    assert proc.returncode == 1
    assert "set-permissions" in proc.stderr
