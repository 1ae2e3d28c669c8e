# SPDX-License-Identifier: AGPL-3.0-or-later
# CKAN: configuration, database migrations, the sysadmin, the web server and
# the background processes (harvest consumers, jobs worker, scheduler).

SCA_DB_USER=${SCA_DB_USER:-ckan}
SCA_DATASTORE_RO_USER=${SCA_DATASTORE_RO_USER:-datastore_ro}
CKAN_PROCESSES="ckan-web harvest-gather harvest-fetch jobs-worker scheduler mailsink"

# render_ini OUT [NAME=VALUE...]: write a CKAN ini from the template
# (with the operator's settings of $SCA_LOCAL_INI when OUT is the portal's).
render_ini() {
  local out=$1 local_ini=; shift
  [ "$out" = "$SCA_INI" ] && local_ini=$SCA_LOCAL_INI
  env SCA_SITE_ID="${SCA_SITE_ID:-smartcityatlas}" SCA_DB_NAME="${SCA_DB_NAME:-ckan}" \
    SCA_SOLR_CORE="${SCA_SOLR_CORE:-ckan}" SCA_REDIS_DB="${SCA_REDIS_DB:-0}" \
    SCA_STORAGE_PATH="${SCA_STORAGE_PATH:-$SCA_DATA/storage}" \
    SCA_DATASTORE_DB="${SCA_DATASTORE_DB:-datastore}" SCA_DATASTORE_RO_USER="$SCA_DATASTORE_RO_USER" \
    SCA_DATASTORE_RO_PASSWORD="$SCA_DATASTORE_RO_PASSWORD" \
    SCA_DB_USER="$SCA_DB_USER" SCA_PG_HOST="$SCA_PG_HOST" SCA_PG_PORT="$SCA_PG_PORT" \
    SCA_SOLR_HOST="$SCA_SOLR_HOST" SCA_SOLR_PORT="$(solr_port)" \
    SCA_REDIS_HOST="$SCA_REDIS_HOST" SCA_REDIS_PORT="$SCA_REDIS_PORT" \
    SCA_CKAN_HOST="$SCA_CKAN_HOST" SCA_CKAN_PORT="$SCA_CKAN_PORT" SCA_SITE_URL="$SCA_SITE_URL" \
    SCA_CITY="$SCA_CITY" SCA_CITY_TITLE="$SCA_CITY_TITLE" SCA_REGION="$SCA_REGION" \
    SCA_MONITOR_CITY_INDICATORS="${SCA_MONITOR_CITY_INDICATORS:-$(demo_city_indicators)}" \
    SCA_SMTP="${SCA_SMTP_SERVER:-127.0.0.1:$SCA_MAIL_PORT}" SCA_MAIL_FROM="$SCA_MAIL_FROM" \
    "$@" "$SCA_PYTHON" "$SCA_REPO/deploy/lib/render_ini.py" "$SCA_REPO/deploy/ckan.ini.template" "$out" \
    ${local_ini:+"$local_ini"} || die "could not write $out"
}

ckan_cli() { "$CKAN" -c "$SCA_INI" "$@"; }

# The alias of the demo's city indicator table (demo/city_indicators.py) when the demo is loaded.
demo_city_indicators() { [ "${SCA_DEMO:-1}" != 1 ] || echo sca_demo_city_indicators; }

# The rendered ini's checksum; nothing (and no complaint) before the first up wrote it.
ini_fingerprint() { [ ! -f "$SCA_INI" ] || sha256sum <"$SCA_INI"; }

ckan_migrate() {  # ini
  "$CKAN" -c "$1" db upgrade >>"$SCA_LOG/migrations.log" 2>&1 \
    || { tail -n 30 "$SCA_LOG/migrations.log" >&2; die "database migrations failed; see $SCA_LOG/migrations.log"; }
}

# The DataStore database (CKAN's user owns and writes it) and its read-only
# role; the datastore plugin checks the role when CKAN loads.
ckan_datastore_db() {  # database
  pg_ensure_db "$1" "$SCA_DB_USER" "$SCA_DB_PASSWORD"
  pg_ensure_role "$SCA_DATASTORE_RO_USER" "$SCA_DATASTORE_RO_PASSWORD"
}

# The read-only role's rights (CKAN's own SQL, run as superuser), after the migrations.
ckan_datastore_permissions() {  # ini database
  "$CKAN" -c "$1" datastore set-permissions 2>>"$SCA_LOG/migrations.log" \
    | psql_admin -d "$2" >>"$SCA_LOG/migrations.log" 2>&1 \
    || { tail -n 30 "$SCA_LOG/migrations.log" >&2; die "DataStore permissions failed on $2; see $SCA_LOG/migrations.log"; }
}

ckan_api_ready() {
  curl -fsS "http://$SCA_CKAN_HOST:$SCA_CKAN_PORT/api/3/action/status_show" 2>/dev/null | grep -q '"success": true'
}

# How the web server runs: gunicorn (production, the default) or CKAN's
# development server (SCA_DEV_SERVER=1), with its workers and threads.
ckan_web_mode() {
  if [ "$SCA_DEV_SERVER" = 1 ]; then
    echo "development server"
  else
    echo "gunicorn workers=$SCA_WEB_WORKERS threads=$SCA_WEB_THREADS"
  fi
}

# JavaScript translations (German labels of the map and the location picker):
# `ckan run` builds them itself, gunicorn does not. Rebuilt when a catalogue
# or CKAN itself is newer than the last build (a CKAN start costs seconds).
ckan_js_translations() {
  local stamp=$SCA_RUN/js-translations.stamp
  if [ -f "$stamp" ] && [ -z "$(find "$SCA_REPO/ckanext-smartcityatlas" "$SCA_VENV/lib" -name '*.mo' -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  "$CKAN" -c "$SCA_INI" translation js >>"$SCA_LOG/ckan-web.log" 2>&1 \
    || die "could not build the JavaScript translations; see $SCA_LOG/ckan-web.log"
  touch "$stamp"
}

# The web server on $SCA_CKAN_HOST:$SCA_CKAN_PORT. gunicorn takes its settings
# from deploy/gunicorn.conf.py (workers and threads sized from the cores).
ckan_web_start() {
  if pid_alive "$SCA_RUN/ckan-web.pid"; then
    say "ckan-web is running (pid $(cat "$SCA_RUN/ckan-web.pid"), $(cat "$SCA_RUN/ckan-web.mode" 2>/dev/null))"
    return 0
  fi
  # the workers of a server killed with -9 notice their master is gone within seconds
  local i
  for ((i = 0; i < 30; i++)); do
    port_open "$SCA_CKAN_HOST" "$SCA_CKAN_PORT" || break
    sleep 1
  done
  require_free_port CKAN "$SCA_CKAN_HOST" "$SCA_CKAN_PORT"
  ckan_web_mode >"$SCA_RUN/ckan-web.mode"
  if [ "$SCA_DEV_SERVER" = 1 ]; then
    start_daemon ckan-web "$CKAN" -c "$SCA_INI" run -H "$SCA_CKAN_HOST" -p "$SCA_CKAN_PORT" --disable-reloader
    return 0
  fi
  ckan_js_translations
  start_daemon ckan-web env CKAN_INI="$SCA_INI" SCA_WEB_BIND="$SCA_CKAN_HOST:$SCA_CKAN_PORT" \
    SCA_WEB_ACCESS_LOG="$SCA_LOG/ckan-access.log" \
    "$SCA_VENV/bin/gunicorn" -c "$SCA_REPO/deploy/gunicorn.conf.py"
}

# Running CKAN processes keep the code and configuration they started with:
# when either changed since (after a git pull, an edit, new pins), gunicorn
# reloads gracefully (HUP: new workers with the new code take over, running
# requests finish) and the background processes restart. A changed server
# mode (SCA_DEV_SERVER, SCA_WEB_WORKERS, SCA_WEB_THREADS) restarts the server.
ckan_restart_if_changed() {
  local before=$1 pidfile=$SCA_RUN/ckan-web.pid changed="" proc
  pid_alive "$pidfile" || return 0
  if [ "$(ckan_web_mode)" != "$(cat "$SCA_RUN/ckan-web.mode" 2>/dev/null)" ]; then
    say "web server settings changed ($(ckan_web_mode)): restarting the CKAN processes"
    ckan_down
    return 0
  fi
  [ "$before" = "$(sha256sum <"$SCA_INI")" ] || changed="configuration"
  if [ -z "$changed" ] && [ -n "$(cd "$SCA_REPO" && find ckanext-smartcityatlas harvesters schemas \
      pyproject.toml requirements.txt deploy/constraints.txt deploy/gunicorn.conf.py -newer "$pidfile" -type f ! -name '*.pyc' -print -quit)" ]; then
    changed="code"
  fi
  [ -n "$changed" ] || return 0
  if [ "$SCA_DEV_SERVER" = 1 ]; then
    say "$changed changed since CKAN started: restarting the CKAN processes"
    ckan_down
    return 0
  fi
  say "$changed changed since CKAN started: reloading gunicorn gracefully, restarting the background processes"
  ckan_js_translations
  kill -HUP "$(cat "$pidfile")"
  touch "$pidfile"  # the code is now as new as this reload
  for proc in $(ckan_processes); do
    [ "$proc" = ckan-web ] || stop_pidfile "$proc" "$SCA_RUN/$proc.pid"
  done
}

ckan_up() {
  local ini_before
  pg_ensure_db ckan "$SCA_DB_USER" "$SCA_DB_PASSWORD"
  ckan_datastore_db datastore
  ini_before=$(ini_fingerprint)
  render_ini "$SCA_INI"
  ckan_restart_if_changed "$ini_before"
  ckan_migrate "$SCA_INI"
  ckan_datastore_permissions "$SCA_INI" datastore
  # before the demo: its data requests notify the office
  if [ -z "$SCA_SMTP_SERVER" ]; then
    start_daemon mailsink "$SCA_PYTHON" "$SCA_REPO/deploy/lib/mailsink.py" 127.0.0.1 "$SCA_MAIL_PORT" "$SCA_DATA/mail"
  fi
  # The idempotent steps in one CKAN process (CKAN starts once, not once per step):
  # - the sysadmin (its password printed once, when created);
  # - the daily summary of sensor tables written before it existed (the harvests keep it; optional:
  #   a portal without the sensor capability has none, the dashboard then reads the hourly rows);
  # - the city's demo atlas (unchanged entries are skipped), the example Smart-City-Radar file harvested
  #   (docs/radar.md), the shipped sensor samples through replay servers on loopback, the monitor's
  #   snapshot with a demo history (labelled demo), and the regional view when asked for
  #   (off by default; an invented neighbour's atlas through sca_atlas, docs/exchange-format.md).
  local steps=("ensure-sysadmin $(shell_quote "$SCA_ADMIN_NAME") --email $(shell_quote "$SCA_ADMIN_EMAIL")"
               environment-summary)
  if [ "${SCA_DEMO:-1}" = 1 ]; then
    steps+=(demo-load radar-demo sensors-demo monitor-demo)
    [ "${SCA_REGION_DEMO:-0}" != 1 ] || steps+=(region-demo)
  fi
  local log=$SCA_LOG/up-steps.log from failed
  printf '\n== deploy/sca up %s\n' "$(date -Is)" >>"$log"
  from=$(wc -c <"$log")
  if ! ckan_cli sca steps --optional environment-summary "${steps[@]}" 2>>"$log"; then
    failed=$(tail -c +"$((from + 1))" "$log" | grep -o 'step [a-z-]* failed' | tail -n 1)
    die "${failed:-a start step failed}: see $log"
  fi
  if tail -c +"$((from + 1))" "$log" | grep -q "(optional: skipped)"; then
    warn "the environment summary could not be built (see $log); the dashboard reads the hourly rows"
  fi
  ckan_web_start
  # ckan sca harvest-consumer: the stock consumers die when idle with redis-py 8.
  start_daemon harvest-gather "$CKAN" -c "$SCA_INI" sca harvest-consumer gather
  local n file
  [[ "$SCA_FETCH_CONSUMERS" =~ ^[1-9][0-9]*$ ]] || die "SCA_FETCH_CONSUMERS must be a whole number of at least 1, not '$SCA_FETCH_CONSUMERS'"
  for ((n = 1; n <= SCA_FETCH_CONSUMERS; n++)); do
    start_daemon "$(fetch_consumer_name "$n")" "$CKAN" -c "$SCA_INI" sca harvest-consumer fetch
  done
  for file in "$SCA_RUN"/harvest-fetch-*.pid; do  # fewer consumers than before
    [ -e "$file" ] || continue
    n=${file##*-}; n=${n%.pid}
    [ "$n" -le "$SCA_FETCH_CONSUMERS" ] || stop_pidfile "harvest-fetch-$n" "$file"
  done
  start_daemon jobs-worker "$CKAN" -c "$SCA_INI" jobs worker
  start_daemon scheduler "$CKAN" -c "$SCA_INI" sca scheduler --interval "$SCA_SCHEDULER_INTERVAL"
  wait_until CKAN "$SCA_LOG/ckan-web.log" "$SCA_START_TIMEOUT" ckan_api_ready
}

# Fetch consumers: harvest-fetch, harvest-fetch-2, … (SCA_FETCH_CONSUMERS).
fetch_consumer_name() {  # n
  if [ "$1" = 1 ]; then echo harvest-fetch; else echo "harvest-fetch-$1"; fi
}

# The CKAN processes that run or have a pid file (extra fetch consumers of an
# earlier, larger SCA_FETCH_CONSUMERS included).
ckan_processes() {
  local file
  echo $CKAN_PROCESSES
  for file in "$SCA_RUN"/harvest-fetch-*.pid; do
    [ -e "$file" ] && basename "$file" .pid
  done
  return 0
}

ckan_down() {
  local proc
  for proc in $(ckan_processes); do stop_pidfile "$proc" "$SCA_RUN/$proc.pid"; done
}

ckan_status() {
  local proc
  if ckan_api_ready; then
    echo "ckan      up    $SCA_SITE_URL (listening on $SCA_CKAN_HOST:$SCA_CKAN_PORT, $(cat "$SCA_RUN/ckan-web.mode" 2>/dev/null))"
  else
    echo "ckan      down"
  fi
  for proc in $(ckan_processes); do
    [ "$proc" = ckan-web ] && continue
    if pid_alive "$SCA_RUN/$proc.pid"; then
      printf '%-15s running (pid %s)\n' "$proc" "$(cat "$SCA_RUN/$proc.pid")"
    else
      printf '%-15s not running\n' "$proc"
    fi
  done
}

# The test configuration: same template, separate database, Solr core and
# Redis database, so tests never touch the portal's data. Each run starts
# from an empty test database, core and Redis database (tests create unique
# names instead of wiping per test; leftovers of earlier runs would collide).
ckan_test_ini() {
  local ini=$SCA_REPO/test.ini
  psql_admin -c "DROP DATABASE IF EXISTS ckan_test WITH (FORCE)" >/dev/null \
    || die "could not reset the test database"
  psql_admin -c "DROP DATABASE IF EXISTS datastore_test WITH (FORCE)" >/dev/null \
    || die "could not reset the test DataStore database"
  pg_ensure_db ckan_test "$SCA_DB_USER" "$SCA_DB_PASSWORD"
  ckan_datastore_db datastore_test
  mkdir -p "$SCA_DATA/test-storage"
  # SCA_SMTP: the discard port, where nothing listens (tests that read mails run their own sink)
  render_ini "$ini" SCA_SITE_ID=smartcityatlas-test SCA_DB_NAME=ckan_test SCA_DATASTORE_DB=datastore_test \
    SCA_MONITOR_CITY_INDICATORS= \
    SCA_SOLR_CORE=ckan_test SCA_REDIS_DB=1 SCA_STORAGE_PATH="$SCA_DATA/test-storage" SCA_SMTP=127.0.0.1:9 \
    SCA_REGION=  # tests configure a region themselves
  curl -fsS "$(solr_url)/ckan_test/update?commit=true" -H 'Content-Type: text/xml' \
    --data-binary '<delete><query>*:*</query></delete>' >/dev/null || die "could not empty the test Solr core"
  redis-cli -h "$SCA_REDIS_HOST" -p "$SCA_REDIS_PORT" -n 1 flushdb >/dev/null || die "could not empty Redis database 1"
  ckan_migrate "$ini"
  ckan_datastore_permissions "$ini" datastore_test
}

# The benchmark configurations: their own database, Solr core and Redis
# database, so generated data never mixes with the portal's or the tests'.
# Instance "bench" holds generated load; "load" a city portal at launch (demo
# atlas, radar example, generated datasets) for bench/load.py; "quality" the demo atlas alone (for
# the matching quality figures, which other data would distort); "harvest"
# starts empty on every run (database, Solr core and Redis database reset),
# so harvest figures never depend on what an earlier run left.
ckan_bench_ini() {  # [instance]
  local instance=${1:-bench} redis_db fresh=""
  case $instance in
    bench) redis_db=2 ;;
    load) redis_db=5 ;;
    quality) redis_db=3 ;;
    harvest) redis_db=4; fresh=1 ;;
    *) die "unknown bench instance: $instance" ;;
  esac
  local ini=$SCA_DATA/$instance.ini
  if [ -n "$fresh" ]; then
    psql_admin -c "DROP DATABASE IF EXISTS ckan_$instance WITH (FORCE)" >/dev/null \
      || die "could not reset the database ckan_$instance"
    curl -fsS "$(solr_url)/ckan_$instance/update?commit=true" -H 'Content-Type: text/xml' \
      --data-binary '<delete><query>*:*</query></delete>' >/dev/null || die "could not empty the Solr core ckan_$instance"
    redis-cli -h "$SCA_REDIS_HOST" -p "$SCA_REDIS_PORT" -n "$redis_db" flushdb >/dev/null \
      || die "could not empty Redis database $redis_db"
  fi
  pg_ensure_db "ckan_$instance" "$SCA_DB_USER" "$SCA_DB_PASSWORD"
  ckan_datastore_db "datastore_$instance"
  mkdir -p "$SCA_DATA/$instance-storage"
  render_ini "$ini" SCA_SITE_ID="smartcityatlas-$instance" SCA_DB_NAME="ckan_$instance" \
    SCA_MONITOR_CITY_INDICATORS= \
    SCA_DATASTORE_DB="datastore_$instance" \
    SCA_SOLR_CORE="ckan_$instance" SCA_REDIS_DB=$redis_db SCA_STORAGE_PATH="$SCA_DATA/$instance-storage"
  ckan_migrate "$ini"
  ckan_datastore_permissions "$ini" "datastore_$instance" >&2
  echo "$ini"
}
