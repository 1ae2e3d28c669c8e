# SPDX-License-Identifier: AGPL-3.0-or-later
"""Platform: operations commands (sysadmin bootstrap, scheduler), status, rate limits, request
size, NUL characters, JSON bodies, CKAN's own paging parameters, what a failed request leaves
behind and the dataset types that can be saved."""
from ckanext.smartcityatlas.capability import Capability
from ckanext.smartcityatlas.platform import actions, auth, cli, dataset_types, views

CAPABILITY = Capability(
    name="platform",
    actions=lambda: {"sca_status_show": actions.sca_status_show, **dataset_types.actions()},
    auth_functions=lambda: {"sca_status_show": auth.sca_status_show},
    cli_commands=lambda: [cli.ensure_sysadmin, cli.scheduler],
    blueprints=lambda: [views.blueprint],
)
