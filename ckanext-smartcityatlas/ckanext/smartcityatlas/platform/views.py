# SPDX-License-Identifier: AGPL-3.0-or-later
"""The platform's place in every request: the app-wide guards (request body
size, NUL characters, JSON bodies, CKAN's own paging, time and yes/no
parameters, rate limits, in this order, before any view runs; a
failed request's database session rolled back and removed; an unreachable Solr
answered with 503), the API
description ``/atlas/openapi.json`` and the city's outlines."""
from __future__ import annotations

import pysolr
from ckan.lib.search.common import SearchError, SearchIndexError, SearchQueryError, SolrConnectionError
from flask import Blueprint, abort, jsonify, send_file
from sqlalchemy.exc import SQLAlchemyError

from ckanext.smartcityatlas.common import city_brand, city_config, city_geometry
from ckanext.smartcityatlas.platform import (core_params, json_body, nul_guard, openapi, rate_limit, request_errors,
                                             request_size, search_unavailable)
from ckanext.smartcityatlas.capability import Registry

register = Registry()

blueprint = register.blueprint(Blueprint("sca_platform", __name__))

blueprint.app_errorhandler(SQLAlchemyError)(request_errors.database_error)
blueprint.app_errorhandler(SearchQueryError)(request_errors.bad_search_query)
# Solr unreachable: 503 with Retry-After (pages, our views and the Action API)
for _error in (SolrConnectionError, SearchError, SearchIndexError, pysolr.SolrError):
    blueprint.app_errorhandler(_error)(search_unavailable.unreachable_error)
blueprint.after_app_request(search_unavailable.api_answer)
blueprint.record_once(request_errors.connect_dispatch_marker)
blueprint.teardown_app_request(request_errors.remove_session)
blueprint.before_app_request(request_size.cap_body)
blueprint.before_app_request(nul_guard.refuse_nul)
blueprint.before_app_request(json_body.refuse_bad_json_body)
blueprint.before_app_request(core_params.refuse_bad_core_params)
blueprint.before_app_request(rate_limit.enforce)


@blueprint.route("/atlas/openapi.json")
def openapi_json():
    return jsonify(openapi.document())


# ---- the city's outlines (/atlas/city/*.geojson): the maps of the entity
# pages, the location picker of every form, the atlas ------------------------------

city_blueprint = register.blueprint(Blueprint("sca_city", __name__))


@city_blueprint.route("/atlas/city/boundary.geojson")
def boundary():
    return city_geometry.respond("boundary")


@city_blueprint.route("/atlas/city/districts.geojson")
def districts():
    return city_geometry.respond("districts")


@city_blueprint.route("/atlas/city/logo")
def logo():
    """The city's logo (city.yaml ``branding.logo``) from its folder."""
    path = city_brand.logo_path(city_config.current())
    if path is None:
        abort(404)
    return send_file(path, mimetype=city_brand.LOGO_TYPES[path.suffix.lower()], max_age=86400)
