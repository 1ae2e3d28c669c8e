# SPDX-License-Identifier: AGPL-3.0-or-later
"""One date format per language (issue 29, item 5): a date with its time
reads like the same date without one ("6. Dezember 2026" and "6. Dezember
2026, 10:05 (MEZ)"), not in CKAN's English order ("Dezember 6, 2026")."""
import datetime

import pytest

import ckan.plugins.toolkit as tk

pytestmark = [pytest.mark.usefixtures("with_plugins")]
STAMP = datetime.datetime(2024, 10, 27, 9, 5, tzinfo=datetime.timezone.utc)  # 10:05 in Berlin (winter time)


@pytest.mark.ckan_config("ckan.display_timezone", "Europe/Berlin")
@pytest.mark.parametrize("lang,date,with_hours", [
    ("de", "27. Oktober 2024", "27. Oktober 2024, 10:05 (MEZ)"),
    ("en", "October 27, 2024", "October 27, 2024, 10:05 ("),
])
def test_a_time_keeps_the_languages_date(app, lang, date, with_hours):
    with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": lang}):
        assert tk.h.render_datetime(STAMP) == date
        assert tk.h.render_datetime(STAMP, with_hours=True).startswith(with_hours)
        assert tk.h.render_datetime(STAMP.replace(tzinfo=None).isoformat(), with_hours=True).startswith(with_hours)
        assert tk.h.render_datetime(STAMP, date_format="%Y") == "2024"  # an explicit format stays
        assert tk.h.render_datetime(None, with_hours=True) == ""
