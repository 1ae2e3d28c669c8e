# SPDX-License-Identifier: AGPL-3.0-or-later
"""What several capabilities use, in one place: safe fetching (``fetch``),
the caller's and the site's action context and permission labels
(``caller``), the language of a request (``language``), list coercion
(``lists``), stable record ids (``ids``), web addresses (``web_address``),
input schemas of the actions (``input_schema``), answers in the Action
API's shape (``responses``), the spreadsheet rule (``spreadsheet``) and the
city configuration (``city_config``).

Dependencies run one way: capabilities → common → CKAN. Nothing here
imports a capability (tests/test_architecture.py checks it).
"""
