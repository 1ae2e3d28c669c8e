# SPDX-License-Identifier: AGPL-3.0-or-later
"""Data requests ("Datenwünsche", ``/datenwuensche``): anyone asks for
missing data, the responsible office or the central open-data team answers
in public (in review, published with a link to the dataset, declined with a
reason); the requester's optional address is never public, is used only for
status mails and is deleted after a configurable time."""
from ckanext.smartcityatlas.capability import Capability

CAPABILITY = Capability(name="datarequests", package=__name__, modules=("actions", "auth", "views"))
