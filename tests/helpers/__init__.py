# SPDX-License-Identifier: AGPL-3.0-or-later
"""Builders, fake servers and data the tests share; fixtures live in the
conftest.py files, and no test module imports another (tests/test_layout.py).

entities      actor and project data, ``call`` an action as a user
datasets      full and minimal datasets, ``create``, the DCAT catalogue graph,
              values written past the validators
harvest       harvest sources and jobs, their reports, DCAT catalogue pages
local_server  the local HTTP server, slow and huge bodies, ALLOW_LOCAL
fake_ckan     a remote CKAN portal's Action API
fake_csw      a geoportal's CSW and ISO 19139 records
radar         radar files (CSV, XLSX), radar sources and jobs
sensors       openSenseMap boxes and readings, sensor harvest runs and tables
sensorthings  SensorThings Things and observations
browser       node scripts with Playwright (``run_node``)
forms         the CSRF token of a web form
hostile       hostile inputs and what an answer must never contain
smtp_sink     the mail sink
plugins       the plugins of a full portal
"""
