#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# Run once by the postgres image at the first start: the DataStore database
# (owned by CKAN's user, which writes) and the read-only role of datastore_search.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v pw="$SCA_DATASTORE_RO_PASSWORD" <<'SQL'
CREATE ROLE datastore_ro LOGIN PASSWORD :'pw';
CREATE DATABASE datastore OWNER ckan ENCODING 'UTF8';
SQL
