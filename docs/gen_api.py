#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Write the action reference of docs/api.md from the OpenAPI document the
portal serves at ``/atlas/openapi.json`` (platform/openapi.py: every
registered ``sca_*`` action with its input schema, docstring and auth
function, and the raw routes).

The reference sits between the marker comments BEGIN and END below; the
prose above them is written by hand. The document needs CKAN with the
plugins loaded, so this script starts CKAN with a configuration, by default
test.ini (option defaults, as the tests see them), and needs its services
(``deploy/sca test`` writes test.ini and leaves them running):

    .venv/bin/python docs/gen_api.py [-c test.ini]          # rewrite the section
    .venv/bin/python docs/gen_api.py [-c test.ini] --check  # exit 1 when out of date

tests/test_docs.py compares the section with the document as well.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs/api.md"
BEGIN = "<!-- BEGIN GENERATED: actions -->"
END = "<!-- END GENERATED -->"
ACTION_PATH = "/api/3/action/"


def _cell(text) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:g}"
    return f"{int(value):,}"


def value_type(schema: dict) -> str:
    """What a parameter takes, in words: type, choices, range, length, default."""
    kind = schema.get("type")
    if "enum" in schema:
        text = "one of " + ", ".join(f"`{value}`" for value in schema["enum"])
    elif schema.get("format") == "date":
        text = "date (YYYY-MM-DD)"
    elif kind == "string" and schema.get("maxLength") == 0:
        text = "must stay empty"
    elif kind == "string":
        text = f"text, at most {_number(schema['maxLength'])} characters" if "maxLength" in schema else "text"
    elif kind in ("integer", "number"):
        text = "whole number" if kind == "integer" else "number"
        if "minimum" in schema and "maximum" in schema:
            text += f" {_number(schema['minimum'])} … {_number(schema['maximum'])}"
    elif kind == "boolean":
        text = "true or false"
    else:
        text = str(kind or "any")
    if "default" in schema:
        default = schema["default"]
        text += f", default `{str(default).lower() if isinstance(default, bool) else default}`"
    return text


def parameters(op: dict) -> list[dict]:
    """Query parameters, or the properties of a JSON body, as name, required,
    description, schema."""
    if "parameters" in op:
        return op["parameters"]
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    required = set(body.get("required", []))
    return [{"name": name, "required": name in required, "description": prop.get("description", ""),
             "schema": {key: value for key, value in prop.items() if key != "description"}}
            for name, prop in body.get("properties", {}).items()]


def _rows(op: dict) -> list[str]:
    return [f"| `{param['name']}` | {_cell(value_type(param['schema']))} | "
            f"{'yes' if param['required'] else ''} | {_cell(param['description'])} |" for param in parameters(op)]


def parameter_table(op: dict, where: str, shown: dict[str, list[str]]) -> list[str]:
    """The parameters as a table; those of an action shown before (``shown``:
    its rows by name; at least three rows in the same order) by reference."""
    rows = _rows(op)
    if not rows:
        return ["No parameters.", ""]
    same = max((name for name, before in shown.items() if len(before) >= 3 and rows[:len(before)] == before),
               key=lambda name: len(shown[name]), default=None)
    if same and len(shown[same]) == len(rows):
        return [f"The {where}s of [`{same}`](#{same}).", ""]
    intro = [f"The {where}s of [`{same}`](#{same}), and:", ""] if same else []
    rest = rows[len(shown[same]):] if same else rows
    return [*intro, f"| {where} | type | required | description |", "|---|---|---|---|", *rest, ""]


def authorization(op: dict) -> list[str]:
    if "x-authorization" not in op:
        return []
    anonymous = {} in op.get("security", [])
    token = "allowed" if anonymous else "refused (an API token is needed)"
    return [f"**Authorization:** {op['x-authorization']} *Anonymous callers:* {token}.", ""]


def result(op: dict) -> list[str]:
    schema = op.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {}).get(
        "schema", {}).get("properties", {}).get("result", {})
    if "$ref" not in schema:
        return []
    return [f"**Result:** `{schema['$ref'].rsplit('/', 1)[1]}` (its schema: `components` of `/atlas/openapi.json`)", ""]


def responses(op: dict) -> list[str]:
    lines = []
    for status, response in sorted(op.get("responses", {}).items()):
        media = ", ".join(f"`{kind}`" for kind in response.get("content", {}))
        headers = ", ".join(f"`{name}` ({_cell(header.get('description', ''))})"
                            for name, header in response.get("headers", {}).items())
        lines.append(f"- `{status}` {_cell(response['description'])}" + (f", {media}" if media else "")
                     + (f"; headers {headers}" if headers else ""))
    return ["**Responses:**", "", *lines, ""] if lines else []


def action(path: str, item: dict, shown: dict[str, list[str]]) -> list[str]:
    (method, op), = item.items()
    name = path[len(ACTION_PATH):]
    how = (f"`GET {path}` (or `POST` with the parameters as a JSON body)" if method == "get"
           else f"`POST {path}` with a JSON body")
    where = "query parameter" if method == "get" else "body field"
    return [f"### `{name}`", "", how, "", f"{op['summary'].rstrip('.')}.", "",
            *([op["description"], ""] if op.get("description") else []),
            *parameter_table(op, where, shown), *result(op), *authorization(op)]


def route(path: str, item: dict, shown: dict[str, list[str]]) -> list[str]:
    lines = []
    for method, op in sorted(item.items()):
        lines += [f"### `{method.upper()} {path}`", "", f"{op['summary'].rstrip('.')}.", "",
                  *([op["description"], ""] if op.get("description") else []),
                  *parameter_table(op, "query parameter", shown), *responses(op), *authorization(op)]
    return lines


def render(doc: dict) -> str:
    """The generated section (between the markers) for an OpenAPI document."""
    actions = sorted(path for path in doc["paths"] if path.startswith(ACTION_PATH))
    routes = sorted(path for path in doc["paths"] if not path.startswith(ACTION_PATH))
    index = ["| action | method | summary |", "|---|---|---|"]
    for path in actions:
        (method, op), = doc["paths"][path].items()
        name = path[len(ACTION_PATH):]
        index.append(f"| [`{name}`](#{name}) | {method.upper()} | {_cell(op['summary'].rstrip('.'))} |")
    parts = [
        "<!-- Generated by docs/gen_api.py from /atlas/openapi.json (platform/openapi.py);",
        "     do not edit by hand: change the docstrings, schemas or DETAILS and run it. -->",
        "",
        "## Action reference",
        "",
        f"{len(actions)} actions and {len(routes)} routes, as `/atlas/openapi.json` describes them. Read actions",
        "are `GET` (or `POST`), the others `POST` with a JSON body; every answer is",
        "CKAN's envelope `{\"success\", \"result\"}` or `{\"success\": false, \"error\"}`",
        "(HTTP 403 not authorised, 404 a record named by a parameter not found, 409",
        "invalid parameters, 429 rate limit).",
        "",
        *index,
        "",
    ]
    shown: dict[str, list[str]] = {}
    for path in actions:
        parts += action(path, doc["paths"][path], shown)
        (op,) = doc["paths"][path].values()
        shown[path[len(ACTION_PATH):]] = _rows(op)
    parts += ["## Route reference", ""]
    for path in routes:
        parts += route(path, doc["paths"][path], shown)
    return "\n".join(parts).strip("\n")


def section(text: str) -> str:
    """The generated section of docs/api.md's text (without the markers)."""
    if BEGIN not in text or END not in text:
        return ""
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n")


def spliced(text: str, generated: str) -> str:
    """docs/api.md's text with the generated section replaced (appended if missing)."""
    block = f"{BEGIN}\n{generated}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        return head + block + rest.split(END, 1)[1]
    return text.rstrip("\n") + "\n\n" + block + "\n"


def load_document(ini: Path) -> dict:
    """The OpenAPI document of a portal configured by ``ini`` (plugins loaded)."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    make_app(load_config(str(ini)))
    from ckanext.smartcityatlas.platform import openapi

    return openapi.document()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", type=Path, default=REPO / "test.ini",
                        help="CKAN configuration to load (default: test.ini of deploy/sca test)")
    parser.add_argument("--check", action="store_true", help="exit 1 when docs/api.md is out of date")
    args = parser.parse_args()
    if not args.config.exists():
        print(f"{args.config} is missing: run deploy/sca test once (it writes test.ini), or pass -c", file=sys.stderr)
        return 2
    try:
        generated = render(load_document(args.config))
    except Exception as error:  # noqa: BLE001 - say what to do instead of a long traceback
        print(f"CKAN did not start with {args.config} (are its services up? deploy/sca test starts them): "
              f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}", file=sys.stderr)
        return 2
    current = OUT.read_text(encoding="utf-8")
    if args.check:
        if section(current) != generated:
            print("docs/api.md is out of date: run .venv/bin/python docs/gen_api.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(spliced(current, generated), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
