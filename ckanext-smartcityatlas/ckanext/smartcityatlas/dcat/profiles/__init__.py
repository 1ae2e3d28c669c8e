# SPDX-License-Identifier: AGPL-3.0-or-later
"""ckanext-dcat profiles of DCAT-AP.de, registered in pyproject.toml
(``[ckan.rdf.profiles]``): ``sca_dcatap_de`` (2.0, the default) and
``sca_dcatap_de_3`` (3.0)."""
from ckanext.smartcityatlas.dcat.profiles.dcatap_de import DCATAPdeProfile
from ckanext.smartcityatlas.dcat.profiles.dcatap_de_3 import DCATAPde3Profile

__all__ = ["DCATAPdeProfile", "DCATAPde3Profile"]
