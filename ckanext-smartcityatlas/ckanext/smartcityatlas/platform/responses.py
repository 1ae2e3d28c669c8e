# SPDX-License-Identifier: AGPL-3.0-or-later
"""Refusals in the shape of CKAN's Action API answers."""
from __future__ import annotations

import json

from flask import Response


def api_error(status: int, kind: str, message: str, headers: dict | None = None) -> Response:
    body = {"success": False, "error": {"__type": kind, "message": message}}
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json",
                    headers=headers)
