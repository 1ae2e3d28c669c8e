# SPDX-License-Identifier: AGPL-3.0-or-later
"""Harvesters of the Smart City Atlas, installed as
``ckanext.smartcityatlas.harvesters``: one short module per source format on
a shared base (gather, fetch, import; mapping, validation, provenance and
idempotence live once in the base)."""
