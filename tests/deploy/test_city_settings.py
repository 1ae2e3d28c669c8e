# SPDX-License-Identifier: AGPL-3.0-or-later
"""What deploy/sca derives from the city and the data directory without
starting anything: the site title names the configured city, and the first
`up` (no ckan.ini yet) complains about nothing."""
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _bash(script: str, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SCA_")}
    return subprocess.run(["bash", "-c", f"source deploy/lib/common.sh && source deploy/lib/ckan.sh && {script}"],
                          cwd=REPO, env=dict(base, **env), capture_output=True, text=True, timeout=60)


def test_the_site_title_names_the_citys_title(tmp_path):
    (tmp_path / "city.yaml").write_text('name: wiesenstadt\ntitle: "Bad Wiesenstadt"\n', encoding="utf-8")
    title = 'printf %s "$SCA_CITY_TITLE"'
    assert _bash(title).stdout == "Dresden"  # the built-in default city
    assert _bash(title, SCA_CITY=str(tmp_path)).stdout == "Bad Wiesenstadt"
    assert _bash(title, SCA_CITY=str(tmp_path), SCA_CITY_TITLE="Wiesenstadt").stdout == "Wiesenstadt"


def test_the_first_up_reads_no_ini_that_is_not_there(tmp_path):
    first = _bash('before=$(ini_fingerprint); printf "[%s]" "$before"', SCA_DATA=str(tmp_path / "var"))
    assert (first.returncode, first.stdout, first.stderr) == (0, "[]", "")
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "ckan.ini").write_text("[app:main]\n", encoding="utf-8")
    later = _bash("ini_fingerprint", SCA_DATA=str(tmp_path / "var"))
    assert later.stdout.split()[0] == hashlib.sha256(b"[app:main]\n").hexdigest()


def test_the_demo_portal_names_the_demo_city_indicator_table(tmp_path):
    option = "ckanext.smartcityatlas.monitor.city_indicators"
    render = f'render_ini "{tmp_path}/ckan.ini" SCA_SECRET_KEY=s SCA_DB_PASSWORD=p SCA_DATASTORE_RO_PASSWORD=r ' \
             f'&& grep "^{option}" "{tmp_path}/ckan.ini"'
    env = {"SCA_DATA": str(tmp_path / "var"), "SCA_PYTHON": sys.executable}
    assert _bash(render, **env).stdout.strip() == f"{option} = sca_demo_city_indicators"  # ckan sca monitor-demo's
    assert _bash(render, SCA_DEMO="0", **env).stdout.strip() == f"{option} ="
    assert _bash(render, SCA_MONITOR_CITY_INDICATORS="stadtindikatoren", **env).stdout.strip() == \
        f"{option} = stadtindikatoren"


def test_the_region_demo_configures_the_demo_region(tmp_path):
    region = 'printf %s "$SCA_REGION"'
    assert _bash(region).stdout == ""  # one city by default
    assert _bash(region, SCA_REGION_DEMO="1").stdout == "dresden-region-demo"
    assert _bash(region, SCA_REGION_DEMO="1", SCA_REGION="/etc/ckan/regions/sachsen").stdout == \
        "/etc/ckan/regions/sachsen"
    # the demo region is Dresden's: another city gets none
    (tmp_path / "city.yaml").write_text("name: wiesenstadt\ntitle: Wiesenstadt\n", encoding="utf-8")
    assert _bash(region, SCA_REGION_DEMO="1", SCA_CITY=str(tmp_path)).stdout == ""
    # the template without SCA_REGION in the environment (docker, older .env files) renders one city
    out = tmp_path / "out.ini"
    base = {k: v for k, v in os.environ.items() if not k.startswith("SCA_")}
    template = REPO / "deploy" / "ckan.ini.template"
    names = set(re.findall(r"\$\{(\w+)\}", template.read_text(encoding="utf-8"))) - {"SCA_REGION"}
    proc = subprocess.run([sys.executable, "deploy/lib/render_ini.py", str(template), str(out)], cwd=REPO,
                          env={**base, **{n: "x" for n in names}, "SCA_CITY": "dresden"},
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "ckanext.smartcityatlas.region = \n" in out.read_text(encoding="utf-8")
