# SPDX-License-Identifier: AGPL-3.0-or-later
"""Data quality: DCAT-AP.de findings stored per record on every save
(``sca_validation_show``); later the data contacts' workspace."""
from ckanext.smartcityatlas.capability import Capability


def _actions():
    from ckanext.smartcityatlas.quality import actions

    return {"sca_validation_show": actions.sca_validation_show}


def _auth():
    from ckanext.smartcityatlas.quality import auth

    return {"sca_validation_show": auth.sca_validation_show}


def _cli():
    from ckanext.smartcityatlas.quality import cli

    return [cli.validation_refresh]


def _on_saved(context, data):
    from ckanext.smartcityatlas.quality import dataset_validation

    dataset_validation.on_saved(context, data)


CAPABILITY = Capability(
    name="quality",
    actions=_actions,
    auth_functions=_auth,
    cli_commands=_cli,
    saved_hooks=(_on_saved,),
)
