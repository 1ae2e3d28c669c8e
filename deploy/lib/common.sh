# SPDX-License-Identifier: AGPL-3.0-or-later
# Shared settings and helpers of deploy/sca. Sourced, not executed.
#
# Every setting can be overridden from the environment (docs/configuration.md).

SCA_REPO=${SCA_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SCA_DATA=${SCA_DATA:-$SCA_REPO/var}
SCA_VENV=${SCA_VENV:-$SCA_REPO/.venv}
SCA_PYTHON=${SCA_PYTHON:-python3}

SCA_PG_HOST=${SCA_PG_HOST:-127.0.0.1}
SCA_PG_PORT=${SCA_PG_PORT:-5432}
SCA_REDIS_HOST=${SCA_REDIS_HOST:-127.0.0.1}
SCA_REDIS_PORT=${SCA_REDIS_PORT:-6379}
SCA_SOLR_HOST=${SCA_SOLR_HOST:-127.0.0.1}
SCA_SOLR_PORT=${SCA_SOLR_PORT:-8983}
SCA_SOLR_HEAP=${SCA_SOLR_HEAP:-1g}
SCA_CKAN_HOST=${SCA_CKAN_HOST:-127.0.0.1}
SCA_CKAN_PORT=${SCA_CKAN_PORT:-5000}
SCA_SITE_URL=${SCA_SITE_URL:-http://localhost:$SCA_CKAN_PORT}
# The web server: gunicorn with deploy/gunicorn.conf.py; its workers and
# threads are sized from the cores unless set here. SCA_DEV_SERVER=1 serves
# with CKAN's development server instead (one request at a time).
SCA_WEB_WORKERS=${SCA_WEB_WORKERS:-auto}
SCA_WEB_THREADS=${SCA_WEB_THREADS:-auto}
SCA_DEV_SERVER=${SCA_DEV_SERVER:-0}
export SCA_WEB_WORKERS SCA_WEB_THREADS
# Mail: a real server (host:port) for digests and notices; empty runs a local
# sink that keeps every mail in $SCA_DATA/mail (deploy/lib/mailsink.py).
SCA_SMTP_SERVER=${SCA_SMTP_SERVER:-}
SCA_MAIL_PORT=${SCA_MAIL_PORT:-8025}
SCA_MAIL_FROM=${SCA_MAIL_FROM:-opendata@localhost}
# The city: a built-in city's name or the path of a city folder (docs/city.md)
SCA_CITY=${SCA_CITY:-dresden}
# The city's name in the site title; empty: the title of its city.yaml
SCA_CITY_TITLE=${SCA_CITY_TITLE:-}
# The smart-city monitor's own city indicators (a DataStore resource or alias); empty: the demo's
# table (ckan sca monitor-demo) when SCA_DEMO=1, else none
SCA_MONITOR_CITY_INDICATORS=${SCA_MONITOR_CITY_INDICATORS:-}
# A regional atlas: a region folder (docs/city.md); the region demo shows Dresden's demo region
SCA_REGION=${SCA_REGION:-}
if [ -z "$SCA_REGION" ] && [ "${SCA_REGION_DEMO:-0}" = 1 ] && [ "$SCA_CITY" = dresden ]; then
  SCA_REGION=dresden-region-demo
fi
SCA_ADMIN_NAME=${SCA_ADMIN_NAME:-admin}
SCA_ADMIN_EMAIL=${SCA_ADMIN_EMAIL:-opendata@localhost}
SCA_SCHEDULER_INTERVAL=${SCA_SCHEDULER_INTERVAL:-60}
# Harvest fetch consumers (processes importing records of the same queue;
# one job's records are shared among them). More than the cores rarely helps.
SCA_FETCH_CONSUMERS=${SCA_FETCH_CONSUMERS:-1}
# 1: deploy/sca up loads the city's demo atlas (demo/ in the city folder)
SCA_DEMO=${SCA_DEMO:-1}
# How long a service may take to answer after start (seconds).
SCA_START_TIMEOUT=${SCA_START_TIMEOUT:-90}

# PostgreSQL refuses to run as root: as root the databases, Redis and Solr run
# as this unprivileged system user (created if missing). Otherwise everything
# runs as the calling user.
if [ "$(id -u)" = 0 ]; then
  SCA_SERVICE_USER=${SCA_SERVICE_USER:-sca}
else
  SCA_SERVICE_USER=$(id -un)
fi

SCA_LOG=$SCA_DATA/log
SCA_RUN=$SCA_DATA/run
SCA_INI=$SCA_DATA/ckan.ini
# the operator's own CKAN settings, merged into $SCA_INI on every `up` (docs/configuration.md)
SCA_LOCAL_INI=$SCA_DATA/ckan.local.ini
SCA_SECRETS=$SCA_DATA/secrets.env
CKAN="$SCA_VENV/bin/ckan"

# city_yaml_title CITY: the title of a city folder's city.yaml (CITY as in SCA_CITY)
city_yaml_title() {
  local folder=$1
  case $folder in
    /* | .*) ;;
    *) folder=$SCA_REPO/ckanext-smartcityatlas/ckanext/smartcityatlas/cities/$folder ;;
  esac
  sed -n "s/^title:[[:space:]]*//p" "$folder/city.yaml" 2>/dev/null | head -n 1 | sed "s/^[\"']//; s/[\"'][[:space:]]*\$//"
}
[ -n "$SCA_CITY_TITLE" ] || SCA_CITY_TITLE=$(city_yaml_title "$SCA_CITY")

say() { printf '\033[1m[sca]\033[0m %s\n' "$*"; }
warn() { printf '\033[33m[sca] %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31m[sca] ERROR: %s\033[0m\n' "$*" >&2; exit 1; }
# one word in POSIX single quotes (read back by Python's shlex)
shell_quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

is_root() { [ "$(id -u)" = 0 ]; }

# Run a command as the service user (as root) or directly (otherwise).
as_service() {
  if is_root && [ "$SCA_SERVICE_USER" != root ]; then
    runuser -u "$SCA_SERVICE_USER" -- "$@"
  else
    "$@"
  fi
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Refuse to start a service on a port someone else holds.
require_free_port() {  # name host port
  if port_open "$2" "$3"; then
    die "$1 cannot start: port $3 on $2 is already taken by another process ($(port_owner "$3")). Stop it or set the port (see docs/configuration.md)."
  fi
}

port_owner() {
  if command -v ss >/dev/null 2>&1; then
    ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\("[^"]*"\).*/\1/p' | head -1
  fi
}

pid_alive() {  # pidfile
  [ -f "$1" ] && kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null
}

# wait_until NAME LOGFILE TIMEOUT COMMAND...: poll COMMAND once a second.
wait_until() {
  local name=$1 logfile=$2 timeout=$3; shift 3
  local i
  for ((i = 0; i < timeout; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  warn "$name did not come up within ${timeout}s. Last lines of $logfile:"
  tail -n 30 "$logfile" >&2 2>/dev/null || true
  exit 1
}

# Start a long-running command in its own session, detached from the caller;
# its pid goes to $SCA_RUN/NAME.pid and its output to $SCA_LOG/NAME.log.
# A command starting with the word as_service runs as the service user.
start_daemon() {  # name command...
  local name=$1; shift
  local pidfile=$SCA_RUN/$name.pid
  if pid_alive "$pidfile"; then
    say "$name is running (pid $(cat "$pidfile"))"
    return 0
  fi
  if [ "$1" = as_service ]; then
    shift
    if is_root && [ "$SCA_SERVICE_USER" != root ]; then
      set -- runuser -u "$SCA_SERVICE_USER" -- "$@"
    fi
  fi
  setsid nohup "$@" >>"$SCA_LOG/$name.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  say "$name started (pid $!, log $SCA_LOG/$name.log)"
}

stop_pidfile() {  # name pidfile
  local name=$1 pidfile=$2 pid i
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    return 0
  fi
  pid=$(cat "$pidfile")
  # The daemons lead their own session: signal the whole group.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 30; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name did not stop in 30s; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  say "$name stopped"
}

load_secrets() {
  # Generated once per data directory, kept there with mode 0600.
  if [ ! -f "$SCA_SECRETS" ]; then
    local old_umask
    old_umask=$(umask)
    umask 077
    {
      echo "SCA_SECRET_KEY=$(gen_secret)"
      echo "SCA_DB_PASSWORD=$(gen_secret)"
      echo "SCA_PG_SUPERUSER_PASSWORD=$(gen_secret)"
    } >"$SCA_SECRETS"
    umask "$old_umask"
  fi
  # added later: appended to an existing secrets file
  grep -q '^SCA_DATASTORE_RO_PASSWORD=' "$SCA_SECRETS" \
    || echo "SCA_DATASTORE_RO_PASSWORD=$(gen_secret)" >>"$SCA_SECRETS"
  set -a
  # shellcheck disable=SC1090
  . "$SCA_SECRETS"
  set +a
}

gen_secret() { "$SCA_PYTHON" -c 'import secrets; print(secrets.token_urlsafe(32))'; }

ensure_dirs() {
  mkdir -p "$SCA_DATA" "$SCA_LOG" "$SCA_RUN" "$SCA_DATA/storage"
  # The service user must be able to reach its folders inside SCA_DATA.
  if is_root && [ "$SCA_SERVICE_USER" != root ] && id "$SCA_SERVICE_USER" >/dev/null 2>&1; then
    grant_traverse "$SCA_DATA"
  fi
}

# A fresh clone often sits below a private folder (mktemp -d gives 0700). Give
# "others" search permission (x, not r) on the ancestors that lack it, so the
# service user can reach SCA_DATA; say so, since it changes folder modes.
grant_traverse() {
  local dir="" part
  local -a parts
  IFS=/ read -r -a parts <<<"${1#/}"
  for part in "${parts[@]}"; do
    dir="$dir/$part"
    if ! runuser -u "$SCA_SERVICE_USER" -- test -x "$dir" 2>/dev/null; then
      chmod o+x "$dir"
      say "granted search permission (o+x) on $dir so that $SCA_SERVICE_USER can reach $SCA_DATA"
    fi
  done
}
