#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Render deploy/ckan.ini.template: ``render_ini.py TEMPLATE OUT``.

Every ${NAME} must be set in the environment; a missing one is an error, so a
typo cannot silently produce a half-configured portal. The output is written
with mode 0600 because it contains secrets.
"""
import os
import string
import sys


def main(template_path: str, out_path: str) -> int:
    with open(template_path, encoding="utf-8") as f:
        template = string.Template(f.read())
    try:
        text = template.substitute(os.environ)
    except KeyError as exc:
        print(f"render_ini: {exc.args[0]} is not set", file=sys.stderr)
        return 1
    tmp = out_path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, out_path)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
