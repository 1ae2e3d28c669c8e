#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""Apply CKAN's DataStore permissions SQL without psql (the container image
has no PostgreSQL client).

    ckan -c ckan.ini datastore set-permissions | python datastore_permissions.py DATASTORE_URL

CKAN writes the SQL for psql: it begins with ``\\connect <datastore db>``, a
psql meta-command the server does not know. The URL already names that
database, so meta-commands are dropped and the rest runs in one transaction
as the given user (the owner of both databases, or a superuser).
"""
import sys

import sqlalchemy


def statements(sql: str) -> str:
    return "".join(line for line in sql.splitlines(keepends=True) if not line.lstrip().startswith("\\"))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    sql = statements(sys.stdin.read())
    if "GRANT" not in sql.upper():
        print("no permissions SQL on standard input (did `ckan datastore set-permissions` fail?)", file=sys.stderr)
        return 1
    engine = sqlalchemy.create_engine(argv[1])
    # the driver's cursor without parameters: CKAN's SQL holds "%" (format()
    # in its trigger function), which a parameterised execute would read as placeholders
    connection = engine.raw_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
        connection.commit()
    finally:
        connection.close()
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
