# SPDX-License-Identifier: AGPL-3.0-or-later
# The project's own PostgreSQL cluster under $SCA_DATA/pg, run by pg_ctl as the
# service user (no systemd, no Debian cluster). TCP only on 127.0.0.1 with
# passwords; the superuser connects through a private Unix socket.

PG_DIR=$SCA_DATA/pg
PGDATA_DIR=$PG_DIR/data
PG_SOCKET=$PG_DIR/socket
PG_LOGFILE=$PG_DIR/postgres.log

pg_ctl_cmd() { as_service "$(pg_bindir)/pg_ctl" -D "$PGDATA_DIR" "$@"; }

pg_running() { pg_ctl_cmd status >/dev/null 2>&1; }

psql_admin() {  # SQL run as superuser on database postgres
  as_service "$(pg_bindir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET" -p "$SCA_PG_PORT" \
    -U postgres -d postgres -tA "$@"
}

pg_init_cluster() {
  [ -f "$PGDATA_DIR/PG_VERSION" ] && return 0
  say "initialising PostgreSQL cluster in $PGDATA_DIR"
  mkdir -p "$PGDATA_DIR" "$PG_SOCKET"
  is_root && chown -R "$SCA_SERVICE_USER:" "$PG_DIR"
  chmod 700 "$PGDATA_DIR" "$PG_SOCKET"
  as_service "$(pg_bindir)/initdb" -D "$PGDATA_DIR" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$SCA_LOG/initdb.log" 2>&1 \
    || { tail -n 20 "$SCA_LOG/initdb.log" >&2; die "initdb failed; see $SCA_LOG/initdb.log"; }
}

pg_up() {
  pg_init_cluster
  if pg_running; then
    say "PostgreSQL is running (port $SCA_PG_PORT)"
  else
    require_free_port PostgreSQL "$SCA_PG_HOST" "$SCA_PG_PORT"
    # Local (socket) access is trust, so only the service user may open the socket.
    if ! pg_ctl_cmd -l "$PG_LOGFILE" -w -t "$SCA_START_TIMEOUT" \
      -o "-c listen_addresses=$SCA_PG_HOST -p $SCA_PG_PORT -k $PG_SOCKET -c unix_socket_permissions=0700" \
      start >/dev/null; then
      warn "PostgreSQL did not start. Last lines of $PG_LOGFILE:"
      tail -n 30 "$PG_LOGFILE" >&2
      exit 1
    fi
    say "PostgreSQL started (port $SCA_PG_PORT, log $PG_LOGFILE)"
  fi
}

# pg_ensure_db NAME OWNER PASSWORD: create role and database if missing; the
# role's password follows the secrets file.
pg_ensure_db() {
  local db=$1 owner=$2 password=$3
  psql_admin -v role="$owner" -v pw="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" LOGIN PASSWORD :'pw';
SQL
  if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
    psql_admin -c "CREATE DATABASE \"$db\" OWNER \"$owner\" ENCODING 'UTF8' TEMPLATE template0" \
      || die "could not create database $db"
    say "created database $db"
  fi
}

# pg_ensure_role NAME PASSWORD: a login role (no database of its own).
pg_ensure_role() {
  psql_admin -v role="$1" -v pw="$2" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" LOGIN PASSWORD :'pw';
SQL
}

pg_down() {
  [ -f "$PGDATA_DIR/PG_VERSION" ] || return 0
  if pg_running; then
    pg_ctl_cmd -m fast -w stop >/dev/null && say "PostgreSQL stopped"
  fi
}

pg_status() {
  if pg_running; then echo "postgres  up    127.0.0.1:$SCA_PG_PORT"; else echo "postgres  down"; fi
}
