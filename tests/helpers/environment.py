# SPDX-License-Identifier: AGPL-3.0-or-later
"""The environment dashboard as a caller sees it, and the sensor datasets it reads."""
from ckan.tests import helpers

from tests.helpers.sensors import datasets


def show(user=None, **params):
    """sca_environment_show as ``user`` (default: an anonymous visitor)."""
    context = {"user": user["name"] if user else "", "ignore_auth": False}
    return helpers.call_action("sca_environment_show", context, **params)


def dataset_of(source, phenomenon):
    """The sensor dataset of ``phenomenon`` harvested by ``source``."""
    return next(pkg for pkg in datasets(source["id"]).values()
                if phenomenon in [t["name"] for t in pkg["tags"]])
