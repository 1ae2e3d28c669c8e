# SPDX-License-Identifier: AGPL-3.0-or-later
"""German for CKAN's own strings that CKAN 2.12's German catalogue leaves
English on pages of the portal (its .po has them, its compiled .mo not).

Nothing calls this: it only names the strings, so that ``deploy/lib/i18n.py``
puts them into this extension's catalogue, which CKAN merges over its own
(a plugin's translation of a msgid wins).
"""
from ckan.common import _


def core_messages() -> list[str]:
    return [
        _("Unpublish"),  # the dataset form's button (package/snippets/package_form.html)
    ]
