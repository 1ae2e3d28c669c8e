# SPDX-License-Identifier: AGPL-3.0-or-later
"""ckanext-scheming YAML of the Smart City Atlas, installed as package data
of ``ckanext.smartcityatlas.schemas`` (referenced from ckan.ini as
``ckanext.smartcityatlas.schemas:<file>.yaml``)."""
