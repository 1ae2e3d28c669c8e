# SPDX-License-Identifier: AGPL-3.0-or-later
"""deploy/lib/render_ini.py: the template rendered, the operator's
ckan.local.ini merged into it (replace in place, add to the section, new
sections), a broken file refused with its name."""
import os
import subprocess
import sys
from pathlib import Path

import configparser

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "deploy" / "lib" / "render_ini.py"
TEMPLATE = "# head\n[DEFAULT]\ndebug = false\n\n[app:main]\nuse = egg:ckan\nckan.site_title = Atlas ${CITY}\nckan.plugins = a\n    b\n\n[logger_ckan]\nlevel = INFO\n"


def _render(tmp_path, local_text=None):
    template = tmp_path / "t.ini"
    template.write_text(TEMPLATE, encoding="utf-8")
    args = [sys.executable, str(SCRIPT), str(template), str(tmp_path / "out.ini")]
    if local_text is not None:
        (tmp_path / "ckan.local.ini").write_text(local_text, encoding="utf-8")
    args.append(str(tmp_path / "ckan.local.ini"))  # a missing file is no error
    proc = subprocess.run(args, env=dict(os.environ, CITY="Testheim"), capture_output=True, text=True)
    out = tmp_path / "out.ini"
    return proc, (out.read_text(encoding="utf-8") if out.exists() else None)


def _parsed(text):
    parser = configparser.RawConfigParser()
    parser.optionxform = str
    parser.read_string(text)
    return parser


def test_without_local_file_the_template_is_rendered(tmp_path):
    proc, text = _render(tmp_path)
    assert proc.returncode == 0 and proc.stderr == ""
    assert text == TEMPLATE.replace("${CITY}", "Testheim")


def test_local_settings_replace_add_and_create_sections(tmp_path):
    proc, text = _render(tmp_path, (
        "# settings before any header belong to [app:main]\n"
        "ckan.site_title = Mein Atlas 100% ${NOT_SUBSTITUTED}\n"
        "ckan.plugins = a\n  b\n  c\n"
        "ckanext.smartcityatlas.harvest.allowed_networks = 10.0.0.0/8\n"
        "[logger_ckan]\nlevel = DEBUG\n"
        "[logger_custom]\nlevel = WARNING\n"))
    assert proc.returncode == 0, proc.stderr
    assert "replaces [app:main] ckan.site_title, [app:main] ckan.plugins, [logger_ckan] level" in proc.stderr
    ini = _parsed(text)
    assert ini.get("app:main", "ckan.site_title") == "Mein Atlas 100% ${NOT_SUBSTITUTED}"
    assert ini.get("app:main", "ckan.plugins").split() == ["a", "b", "c"]
    assert ini.get("app:main", "ckanext.smartcityatlas.harvest.allowed_networks") == "10.0.0.0/8"
    assert ini.get("app:main", "use") == "egg:ckan"
    assert ini.get("logger_ckan", "level") == "DEBUG"
    assert ini.get("logger_custom", "level") == "WARNING"
    assert text.count("ckan.site_title") == 1 and text.startswith("# head\n")


def test_broken_local_file_is_refused_with_its_name(tmp_path):
    proc, text = _render(tmp_path, "[app:main\nckan.site_title = x\n")
    assert proc.returncode == 1
    assert "ckan.local.ini" in proc.stderr and "cannot use the operator settings" in proc.stderr
    assert text is None  # nothing half-written
    proc, _ = _render(tmp_path, "[app:main]\na = 1\na = 2\n")
    assert proc.returncode == 1 and "'a'" in proc.stderr  # duplicate key named


def _render_title(tmp_path, **env):
    template = tmp_path / "t.ini"
    template.write_text("[app:main]\nckan.site_title = Smart City Atlas ${SCA_CITY_TITLE}\n", encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SCA_")}
    proc = subprocess.run([sys.executable, str(SCRIPT), str(template), str(tmp_path / "out.ini")],
                          env={**clean, **env}, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return _parsed((tmp_path / "out.ini").read_text(encoding="utf-8"))["app:main"]["ckan.site_title"]


def test_an_empty_city_title_comes_from_the_citys_own_folder(tmp_path):
    # what docker-compose passes by default: the container is titled after SCA_CITY, not after Dresden
    folder = tmp_path / "musterstadt"
    folder.mkdir()
    (folder / "city.yaml").write_text("title: Musterstadt\n", encoding="utf-8")
    assert _render_title(tmp_path, SCA_CITY=str(folder), SCA_CITY_TITLE="") == "Smart City Atlas Musterstadt"
    assert _render_title(tmp_path, SCA_CITY="dresden", SCA_CITY_TITLE="") == "Smart City Atlas Dresden"
    assert _render_title(tmp_path, SCA_CITY=str(folder), SCA_CITY_TITLE="Eigener Titel") == \
        "Smart City Atlas Eigener Titel"
