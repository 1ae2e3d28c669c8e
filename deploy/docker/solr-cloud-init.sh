#!/bin/bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Profile solr-cloud of deploy/docker-compose.yml, run once per `up` after both
# Solr nodes are healthy: uploads the configset baked into the Solr image to
# ZooKeeper, then creates each collection with SCA_SOLR_SHARDS shards of
# SCA_SOLR_REPLICAS replicas (Solr places a shard's replicas on different
# nodes) or, if it exists, reloads it with the uploaded configset.
set -euo pipefail

solr zk upconfig -n ckan -d /opt/solr/server/solr/configsets/ckan -z "$ZK_HOST"
existing=$(curl -fsS "$SCA_SOLR_URL/admin/collections?action=LIST&wt=json")
for collection in $SCA_SOLR_COLLECTIONS; do
  if grep -q "\"$collection\"" <<<"$existing"; then
    curl -fsS "$SCA_SOLR_URL/admin/collections?action=RELOAD&name=$collection&wt=json" >/dev/null
    echo "reloaded collection $collection"
  else
    curl -fsS "$SCA_SOLR_URL/admin/collections?action=CREATE&name=$collection&collection.configName=ckan&numShards=$SCA_SOLR_SHARDS&replicationFactor=$SCA_SOLR_REPLICAS&waitForFinalState=true&wt=json" >/dev/null
    echo "created collection $collection ($SCA_SOLR_SHARDS shards x $SCA_SOLR_REPLICAS replicas); fill it once: ckan search-index rebuild"
  fi
done
