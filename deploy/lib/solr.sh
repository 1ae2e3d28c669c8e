# SPDX-License-Identifier: AGPL-3.0-or-later
# Apache Solr 9 in embedded Jetty (deploy/solr/launcher), run as the service
# user on 127.0.0.1. The core configuration is copied from deploy/solr/home
# on every `up`; a changed configuration reloads the cores.

SOLR_DIR=$SCA_DATA/solr
SOLR_HOME=$SOLR_DIR/home
SOLR_CORES=${SOLR_CORES:-ckan ckan_test ckan_bench ckan_quality ckan_harvest ckan_load}

solr_url() { echo "http://$SCA_SOLR_HOST:$SCA_SOLR_PORT/solr"; }

solr_core_ready() {  # core
  curl -fsS "$(solr_url)/$1/admin/ping?wt=json" 2>/dev/null | grep -q '"status":"OK"'
}

solr_all_cores_ready() {
  local core
  for core in $SOLR_CORES; do solr_core_ready "$core" || return 1; done
}

# Copy the configuration; print "changed" if it differs from what Solr runs.
# With "stopped", new cores get a core.properties for discovery at start;
# a running Solr gets new cores through the CoreAdmin API (solr_ensure_cores).
solr_sync_config() {
  local state=$1 core before after
  before=$(cat "$SOLR_HOME/.config-stamp" 2>/dev/null)
  mkdir -p "$SOLR_HOME/configsets" "$SOLR_HOME/cores"
  rm -rf "$SOLR_HOME/configsets.new"
  cp -r "$SCA_REPO/deploy/solr/home/configsets" "$SOLR_HOME/configsets.new"
  rm -rf "$SOLR_HOME/configsets"
  mv "$SOLR_HOME/configsets.new" "$SOLR_HOME/configsets"
  cp "$SCA_REPO/deploy/solr/home/solr.xml" "$SOLR_HOME/solr.xml"
  if [ "$state" = stopped ]; then
    for core in $SOLR_CORES; do
      mkdir -p "$SOLR_HOME/cores/$core"
      [ -f "$SOLR_HOME/cores/$core/core.properties" ] \
        || printf 'name=%s\nconfigSet=ckan\n' "$core" >"$SOLR_HOME/cores/$core/core.properties"
    done
  fi
  is_root && chown -R "$SCA_SERVICE_USER:" "$SOLR_DIR"
  after=$(cd "$SOLR_HOME" && find configsets solr.xml -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
  echo "$after" >"$SOLR_HOME/.config-stamp"
  [ "$before" = "$after" ] || echo changed
}

solr_core_loaded() {  # core
  curl -fsS "$(solr_url)/admin/cores?action=STATUS&core=$1&wt=json" 2>/dev/null | grep -q '"instanceDir"'
}

solr_ensure_cores() {
  local core
  for core in $SOLR_CORES; do
    solr_core_loaded "$core" && continue
    # A core.properties Solr did not load (written while it ran) would make
    # CREATE fail; CREATE writes its own. The index folder, if any, is kept.
    rm -f "$SOLR_HOME/cores/$core/core.properties"
    curl -fsS "$(solr_url)/admin/cores?action=CREATE&name=$core&instanceDir=cores/$core&configSet=ckan" >/dev/null \
      || die "Solr could not create core $core; see $SCA_LOG/solr.log"
    say "created Solr core $core"
  done
}

solr_up() {
  local changed core
  mkdir -p "$SOLR_DIR"
  if pid_alive "$SCA_RUN/solr.pid"; then
    # Running (or still starting): wait for the node before touching cores.
    wait_until Solr "$SCA_LOG/solr.log" "$SCA_START_TIMEOUT" \
      curl -fsS "$(solr_url)/admin/cores?action=STATUS&wt=json"
    changed=$(solr_sync_config running)
    solr_ensure_cores
    if [ -n "$changed" ]; then
      for core in $SOLR_CORES; do
        curl -fsS "$(solr_url)/admin/cores?action=RELOAD&core=$core" >/dev/null \
          || die "Solr could not reload core $core with the new configuration; see $SCA_LOG/solr.log"
      done
      say "Solr configuration changed: cores reloaded"
    fi
    say "Solr is running (port $SCA_SOLR_PORT)"
  else
    changed=$(solr_sync_config stopped)
    require_free_port Solr "$SCA_SOLR_HOST" "$SCA_SOLR_PORT"
    start_daemon solr as_service java "-Xmx$SCA_SOLR_HEAP" -Xss512k \
      -Dsolr.log.dir="$SOLR_DIR" -Dsolr.install.dir="$SOLR_DIR" \
      -Dlog4j.configurationFile="$SCA_REPO/deploy/solr/log4j2.xml" \
      -Dlog4j2.formatMsgNoLookups=true -Djava.io.tmpdir="$SOLR_DIR" \
      -cp "$SOLR_RUNTIME/classes:$SOLR_RUNTIME/lib/*" \
      SolrLauncher "$SOLR_HOME" "$SCA_SOLR_PORT"
  fi
  wait_until Solr "$SCA_LOG/solr.log" "$SCA_START_TIMEOUT" solr_all_cores_ready
}

solr_down() { stop_pidfile Solr "$SCA_RUN/solr.pid"; }

solr_status() {
  if solr_all_cores_ready; then echo "solr      up    $(solr_url) (cores: $SOLR_CORES)"; else echo "solr      down"; fi
}
