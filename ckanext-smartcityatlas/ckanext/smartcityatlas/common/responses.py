# SPDX-License-Identifier: AGPL-3.0-or-later
"""Refusals as JSON: in the shape of CKAN's Action API answers (``api_error``),
or the short ``{"error": …}`` of the atlas' data endpoints (``json_error``)."""
from __future__ import annotations

import json

from flask import Response


def api_error(status: int, kind: str, message: str, headers: dict | None = None) -> Response:
    body = {"success": False, "error": {"__type": kind, "message": message}}
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json",
                    headers=headers)


def json_error(status: int, message) -> Response:
    """``{"error": message}`` (the map data, exports, network: read by the atlas' scripts)."""
    return Response(json.dumps({"error": message}, ensure_ascii=False), status=status,
                    mimetype="application/json")
