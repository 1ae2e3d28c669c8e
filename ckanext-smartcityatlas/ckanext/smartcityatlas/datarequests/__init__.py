# SPDX-License-Identifier: AGPL-3.0-or-later
"""Data requests ("Datenwünsche", ``/datenwuensche``): anyone asks for
missing data, the responsible office or the central open-data team answers
in public (in review, published with a link to the dataset, declined with a
reason); the requester's optional address is never public, is used only for
status mails and is deleted after a configurable time."""
from ckanext.smartcityatlas.capability import Capability


def _actions():
    from ckanext.smartcityatlas.datarequests import actions

    return {name: getattr(actions, name) for name in (
        "sca_datarequest_create", "sca_datarequest_list", "sca_datarequest_show", "sca_datarequest_update")}


def _auth():
    from ckanext.smartcityatlas.datarequests import auth

    return {name: getattr(auth, name) for name in (
        "sca_datarequest_create", "sca_datarequest_list", "sca_datarequest_show", "sca_datarequest_update")}


def _blueprints():
    from ckanext.smartcityatlas.datarequests import views

    return [views.blueprint]


def _purge():
    from ckanext.smartcityatlas.datarequests import actions

    actions.purge_old_contacts()


CAPABILITY = Capability(
    name="datarequests",
    actions=_actions,
    auth_functions=_auth,
    blueprints=_blueprints,
    periodic_tasks=(("purge_datarequest_contacts", _purge),),
)
