# SPDX-License-Identifier: AGPL-3.0-or-later
"""A request that fails inside the database leaves no broken session behind:
it answers a 500 page, and the next request of the same worker works."""
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DataError

from ckan import model
from ckan.tests import factories

pytestmark = [pytest.mark.usefixtures("with_plugins")]
BIGINT_OVERFLOW = sa.text("SELECT 9223372036854775807::bigint + 1")


def _database_error():
    # the error of /datenwuensche?page=99999999999999999999 before paging was checked
    model.Session.execute(BIGINT_OVERFLOW)
    return "unreachable"


def _swallowed_database_error():
    try:
        model.Session.execute(BIGINT_OVERFLOW)
    except DataError:
        pass  # code that swallows a database error and fails later for another reason
    raise RuntimeError("failed after a swallowed database error")


@pytest.fixture
def failing_app(app):
    # test-only routes, added before the app serves its first request
    app.flask_app.add_url_rule("/__test__/database-error", view_func=_database_error)
    app.flask_app.add_url_rule("/__test__/swallowed-database-error", view_func=_swallowed_database_error)
    return app


def test_a_database_error_does_not_break_the_next_requests(failing_app):
    user = factories.User()
    token = factories.APIToken(user=user["name"])["token"]
    headers = {"Authorization": token}
    # the error page renders (the logged-in header reads the database too)
    resp = failing_app.get("/__test__/database-error", headers=headers)
    assert resp.status_code == 500
    assert "<html" in resp.body
    for path in ("/dashboard/datasets", "/datenwuensche", "/atlas"):
        assert failing_app.get(path, headers=headers).status_code == 200, path
    assert failing_app.get("/api/3/action/status_show").status_code == 200


def test_the_session_is_removed_even_when_the_error_page_fails(failing_app):
    user = factories.User()
    headers = {"Authorization": factories.APIToken(user=user["name"])["token"]}
    # production answers a bare 500 here (its error page fails on the aborted
    # transaction); the test app re-raises instead
    with pytest.raises(RuntimeError):
        failing_app.get("/__test__/swallowed-database-error", headers=headers)
    assert failing_app.get("/dashboard/datasets", headers=headers).status_code == 200


def test_a_request_context_inside_an_operation_keeps_the_operations_session(app, unique):
    # CKAN pushes request contexts of its own inside long operations (url_for
    # in a harvest job), and errors pass through them; only requests Flask
    # dispatched may end the session
    model.Session.add(model.Package(name=f"in-progress-{unique}"))
    model.Session.flush()
    with pytest.raises(ValueError):
        with app.flask_app.test_request_context():
            raise ValueError("caught by the operation")
    with app.flask_app.test_request_context():
        pass
    assert model.Session.query(model.Package).filter_by(name=f"in-progress-{unique}").count() == 1
    model.Session.rollback()
