# SPDX-License-Identifier: AGPL-3.0-or-later
# Apache Solr 9 in embedded Jetty (deploy/solr/launcher), run as the service
# user on 127.0.0.1: a standalone node with one core per index (the default)
# or, with SCA_SOLR_MODE=cloud, a SolrCloud of two nodes (deploy/lib/solrcloud.py).
# The core configuration is copied from deploy/solr/home on every `up`; a
# changed configuration reloads the cores (standalone) or is uploaded to
# ZooKeeper and reloads the collections (cloud).

# standalone: one Solr node on SCA_SOLR_PORT; cloud: SolrCloud, see below
SCA_SOLR_MODE=${SCA_SOLR_MODE:-standalone}
# SolrCloud: node 1 runs Solr's embedded ZooKeeper and is the node CKAN's
# solr_url names; each shard has a replica on both nodes.
SCA_SOLR_NODE1_PORT=${SCA_SOLR_NODE1_PORT:-$((SCA_SOLR_PORT + 1))}
SCA_SOLR_NODE2_PORT=${SCA_SOLR_NODE2_PORT:-$((SCA_SOLR_PORT + 2))}
# ZooKeeper's client port: Solr's own convention, node port + 1000
SCA_ZK_PORT=${SCA_ZK_PORT:-$((SCA_SOLR_NODE1_PORT + 1000))}
SCA_SOLR_SHARDS=${SCA_SOLR_SHARDS:-2}
SCA_SOLR_REPLICAS=${SCA_SOLR_REPLICAS:-2}

SOLR_DIR=$SCA_DATA/solr
SOLR_HOME=$SOLR_DIR/home
SOLR_CLOUD_DIR=$SOLR_DIR/cloud
# the cores (standalone) or collections (cloud): portal, tests, benches
SOLR_CORES=${SOLR_CORES:-ckan ckan_test ckan_bench ckan_quality ckan_harvest ckan_load}

solr_cloud() {
  case $SCA_SOLR_MODE in
    cloud) return 0 ;;
    standalone) return 1 ;;
    *) die "SCA_SOLR_MODE must be standalone or cloud, not '$SCA_SOLR_MODE'" ;;
  esac
}

# The port CKAN talks to: the standalone node, or SolrCloud's node 1 (a
# collection answers there under its name, like a core).
solr_port() { if solr_cloud; then echo "$SCA_SOLR_NODE1_PORT"; else echo "$SCA_SOLR_PORT"; fi; }

solr_url() { echo "http://$SCA_SOLR_HOST:$(solr_port)/solr"; }

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
  if solr_cloud; then
    solr_cloud_up
    return
  fi
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

# Whatever runs, in either mode: node 2 before node 1, which holds ZooKeeper.
solr_down() {
  stop_pidfile "Solr node 2" "$SCA_RUN/solr-node2.pid"
  stop_pidfile "Solr node 1" "$SCA_RUN/solr-node1.pid"
  stop_pidfile Solr "$SCA_RUN/solr.pid"
}

solr_status() {
  if solr_cloud; then
    solr_cloud_py status --zk "127.0.0.1:$SCA_ZK_PORT"
  elif solr_all_cores_ready; then echo "solr      up    $(solr_url) (cores: $SOLR_CORES)"; else echo "solr      down"; fi
}

# --- SolrCloud (SCA_SOLR_MODE=cloud) ---------------------------------------
# Two Solr processes from the same runtime and launcher, each with its own
# Solr home under $SOLR_CLOUD_DIR (node1, node2). Node 1 runs ZooKeeper in its
# JVM (Solr's zkRun, data in node1/zoo_data), node 2 joins through it. The
# configset and the cluster state live in ZooKeeper.

solr_cloud_py() {  # command [args]: deploy/lib/solrcloud.py against node 1
  local command=$1; shift
  "$SCA_PYTHON" "$SCA_REPO/deploy/lib/solrcloud.py" "$command" "$(solr_url)" --collections "$SOLR_CORES" \
    --nodes 2 "$@"
}

solr_cloud_node_ready() {  # port
  curl -fsS "http://127.0.0.1:$1/solr/admin/info/system?wt=json" >/dev/null 2>&1
}

solr_cloud_node_start() {  # number port [java system properties]
  local n=$1 port=$2 home=$SOLR_CLOUD_DIR/node$1; shift 2
  if pid_alive "$SCA_RUN/solr-node$n.pid"; then
    say "Solr node $n is running (port $port)"
    return 0
  fi
  require_free_port "Solr node $n" 127.0.0.1 "$port"
  start_daemon "solr-node$n" as_service java "-Xmx$SCA_SOLR_HEAP" -Xss512k \
    -Dsolr.log.dir="$home" -Dsolr.install.dir="$home" \
    -Dlog4j.configurationFile="$SCA_REPO/deploy/solr/log4j2.xml" \
    -Dlog4j2.formatMsgNoLookups=true -Djava.io.tmpdir="$home" \
    -Dhost=127.0.0.1 -Dsca.version.type=version_long "$@" \
    -cp "$SOLR_RUNTIME/classes:$SOLR_RUNTIME/lib/*" \
    SolrLauncher "$home" "$port"
}

solr_cloud_up() {
  local n
  for n in 1 2; do
    mkdir -p "$SOLR_CLOUD_DIR/node$n"
    cp "$SCA_REPO/deploy/solr/cloud/solr.xml" "$SOLR_CLOUD_DIR/node$n/solr.xml"
  done
  cp "$SCA_REPO/deploy/solr/cloud/zoo.cfg" "$SOLR_CLOUD_DIR/node1/zoo.cfg"
  is_root && chown -R "$SCA_SERVICE_USER:" "$SOLR_CLOUD_DIR"
  pid_alive "$SCA_RUN/solr-node1.pid" || require_free_port ZooKeeper 127.0.0.1 "$SCA_ZK_PORT"
  solr_cloud_node_start 1 "$SCA_SOLR_NODE1_PORT" -DzkRun="127.0.0.1:$SCA_ZK_PORT"
  wait_until "Solr node 1" "$SCA_LOG/solr-node1.log" "$SCA_START_TIMEOUT" solr_cloud_node_ready "$SCA_SOLR_NODE1_PORT"
  solr_cloud_node_start 2 "$SCA_SOLR_NODE2_PORT" -DzkHost="127.0.0.1:$SCA_ZK_PORT"
  wait_until "Solr node 2" "$SCA_LOG/solr-node2.log" "$SCA_START_TIMEOUT" solr_cloud_node_ready "$SCA_SOLR_NODE2_PORT"
  solr_cloud_py ensure --configset "$SCA_REPO/deploy/solr/home/configsets/ckan/conf" \
    --shards "$SCA_SOLR_SHARDS" --replicas "$SCA_SOLR_REPLICAS" --timeout "$SCA_START_TIMEOUT" \
    || die "SolrCloud is not ready; see $SCA_LOG/solr-node1.log and $SCA_LOG/solr-node2.log"
  say "SolrCloud is running (nodes on ports $SCA_SOLR_NODE1_PORT and $SCA_SOLR_NODE2_PORT, ZooKeeper on $SCA_ZK_PORT)"
}
