#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# Renders ckan.ini from the same template as the native stack, then runs:
#   init   migrations and the sysadmin (once, before the others start)
#   web    gunicorn on :5000
#   *      any ckan command, e.g. "sca harvest-consumer gather"
set -eu
python /srv/app/src/deploy/lib/render_ini.py /srv/app/src/deploy/ckan.ini.template "$CKAN_INI"

case "${1:-web}" in
  init)
    ckan -c "$CKAN_INI" db upgrade
    # the DataStore's rights for its read-only role (CKAN's SQL, as the database owner)
    ckan -c "$CKAN_INI" datastore set-permissions | python /srv/app/src/deploy/lib/datastore_permissions.py \
      "postgresql://${SCA_DB_USER}:${SCA_DB_PASSWORD}@${SCA_PG_HOST}:${SCA_PG_PORT}/${SCA_DATASTORE_DB}"
    # the environment dashboard's daily summary of sensor tables written before it existed
    ckan -c "$CKAN_INI" sca environment-summary
    exec ckan -c "$CKAN_INI" sca ensure-sysadmin "${SCA_ADMIN_NAME:-admin}" --email "${SCA_ADMIN_EMAIL:?}"
    ;;
  web)
    # JavaScript translations (ckan run builds them itself; gunicorn does not)
    ckan -c "$CKAN_INI" translation js
    # the same settings as the native stack (workers and threads from the cores)
    SCA_WEB_BIND=0.0.0.0:5000 SCA_WEB_ACCESS_LOG=- exec gunicorn -c /srv/app/src/deploy/gunicorn.conf.py
    ;;
  *)
    exec ckan -c "$CKAN_INI" "$@"
    ;;
esac
