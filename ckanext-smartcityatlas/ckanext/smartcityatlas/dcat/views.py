# SPDX-License-Identifier: AGPL-3.0-or-later
"""Serves the atlas open-data files (``/opendata/atlas/<file>``)."""
from __future__ import annotations

from flask import Blueprint, abort, send_from_directory

from ckanext.smartcityatlas.dcat import opendata
from ckanext.smartcityatlas.capability import Registry

register = Registry()

blueprint = register.blueprint(Blueprint("sca_opendata", __name__))
MEDIA_TYPES = {ext: media for ext, _label, media in opendata.FILES}


@blueprint.route("/opendata/atlas/<filename>")
def atlas_file(filename: str):
    # only the files the job writes: no path tricks, no other files of the folder
    allowed = {opendata.file_name(kind, ext) for kind in opendata.KINDS for ext in MEDIA_TYPES}
    if filename not in allowed or not (opendata.folder() / filename).is_file():
        abort(404)
    media = MEDIA_TYPES[filename.rsplit(".", 1)[1]]
    response = send_from_directory(opendata.folder(), filename, mimetype=media + "; charset=utf-8",
                                   max_age=300)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
