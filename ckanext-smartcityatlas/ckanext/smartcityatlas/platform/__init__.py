# SPDX-License-Identifier: AGPL-3.0-or-later
"""Platform: operations commands (sysadmin bootstrap) and service status."""
from ckanext.smartcityatlas.capability import Capability
from ckanext.smartcityatlas.platform import cli

CAPABILITY = Capability(name="platform", cli_commands=lambda: [cli.ensure_sysadmin, cli.scheduler])
