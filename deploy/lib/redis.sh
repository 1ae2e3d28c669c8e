# SPDX-License-Identifier: AGPL-3.0-or-later
# The project's own Redis (CKAN jobs and harvest queues), run as the service
# user on 127.0.0.1; its dump lives in $SCA_DATA/redis.

REDIS_DIR=$SCA_DATA/redis

redis_ping() { redis-cli -h "$SCA_REDIS_HOST" -p "$SCA_REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

redis_up() {
  mkdir -p "$REDIS_DIR"
  is_root && chown "$SCA_SERVICE_USER:" "$REDIS_DIR"
  if pid_alive "$SCA_RUN/redis.pid" && redis_ping; then
    say "Redis is running (port $SCA_REDIS_PORT)"
    return 0
  fi
  require_free_port Redis "$SCA_REDIS_HOST" "$SCA_REDIS_PORT"
  start_daemon redis as_service redis-server --bind "$SCA_REDIS_HOST" --port "$SCA_REDIS_PORT" \
    --protected-mode yes --dir "$REDIS_DIR" --dbfilename dump.rdb \
    --save "900 1 300 10 60 10000" --appendonly no --daemonize no --logfile ""
  wait_until Redis "$SCA_LOG/redis.log" "$SCA_START_TIMEOUT" redis_ping
}

redis_down() { stop_pidfile Redis "$SCA_RUN/redis.pid"; }

redis_status() {
  if redis_ping; then echo "redis     up    127.0.0.1:$SCA_REDIS_PORT"; else echo "redis     down"; fi
}
