# SPDX-License-Identifier: AGPL-3.0-or-later
# Installs what the stack needs: Debian packages, the Python virtualenv with
# CKAN and the extensions, and Solr's runtime classpath from Maven Central.
# Each step is skipped when its inputs have not changed (stamp files), so a
# second `deploy/sca up` does not touch the network.

SCA_APT_PACKAGES="postgresql redis-server libpq-dev openjdk-17-jdk-headless maven"

# The binaries of the cluster's own major version when a cluster exists (a
# newer PostgreSQL installed later must not be used on an old data folder),
# else the newest installed.
pg_bindir() {
  local d version
  version=$(cat "$SCA_DATA/pg/data/PG_VERSION" 2>/dev/null || true)
  if [ -n "$version" ] && [ -d "/usr/lib/postgresql/$version/bin" ]; then
    echo "/usr/lib/postgresql/$version/bin"
    return 0
  fi
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && echo "$d"
}

missing_apt_packages() {
  local missing=()
  [ -n "$(pg_bindir)" ] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v pg_config >/dev/null || missing+=(libpq-dev)
  command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || missing+=(maven)
  echo "${missing[@]}"
}

install_apt() {
  local missing
  missing=$(missing_apt_packages)
  [ -z "$missing" ] && return 0
  if ! is_root; then
    die "missing Debian packages: $missing. Install them as root (apt-get install $missing) or run deploy/sca as root."
  fi
  say "installing Debian packages: $missing"
  # The Debian postgresql package must not create (and on systemd machines
  # start) its own cluster on 5432: we run our own.
  if [[ " $missing " == *" postgresql "* ]] && [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get update -qq >"$SCA_LOG/apt.log" 2>&1; then
    tail -n 20 "$SCA_LOG/apt.log" >&2
    die "apt-get update failed (is the Debian mirror reachable?); see $SCA_LOG/apt.log"
  fi
  # shellcheck disable=SC2086
  if ! apt-get install -y -qq --no-install-recommends $missing >>"$SCA_LOG/apt.log" 2>&1; then
    tail -n 20 "$SCA_LOG/apt.log" >&2
    die "apt-get install $missing failed; see $SCA_LOG/apt.log"
  fi
  missing=$(missing_apt_packages)
  [ -z "$missing" ] || die "still missing after apt-get install: $missing"
}

ensure_service_user() {
  is_root || return 0
  [ "$SCA_SERVICE_USER" = root ] && die "SCA_SERVICE_USER=root: PostgreSQL refuses to run as root"
  if ! id "$SCA_SERVICE_USER" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$SCA_SERVICE_USER" \
      || die "could not create system user $SCA_SERVICE_USER"
    say "created system user $SCA_SERVICE_USER for PostgreSQL, Redis and Solr"
  fi
}

stamp_matches() {  # stampfile content
  [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]
}

install_python() {
  if [ ! -x "$SCA_VENV/bin/python" ]; then
    "$SCA_PYTHON" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 12)))' \
      || die "CKAN 2.12 needs Python 3.10-3.12; $SCA_PYTHON is $("$SCA_PYTHON" --version 2>&1). Set SCA_PYTHON."
    say "creating virtualenv $SCA_VENV"
    "$SCA_PYTHON" -m venv "$SCA_VENV" || die "could not create the virtualenv (python3-venv missing?)"
  fi
  install_python_packages runtime requirements.txt turbo
}

# install_python_packages NAME REQUIREMENTS EXTRAS: one requirements file and
# the extension (editable, with its dependencies and EXTRAS), all at the
# versions of deploy/constraints.txt (a freeze of the full virtualenv).
# runtime: what the portal runs; dev: plus the test tools and the benches'
# packages (deploy/sca test); bench: plus the benches' packages.
install_python_packages() {
  local name=$1 requirements=$2 extras=$3 want stamp=$SCA_VENV/.sca-stamp-$1
  want=$(cd "$SCA_REPO" && cat pyproject.toml requirements.txt "$requirements" deploy/constraints.txt | sha256sum)
  stamp_matches "$stamp" "$want" && return 0
  say "installing CKAN 2.12 and the extensions into $SCA_VENV ($name; a few minutes the first time)"
  local pip=("$SCA_VENV/bin/pip" install --disable-pip-version-check -q -c "$SCA_REPO/deploy/constraints.txt")
  if ! "${pip[@]}" pip setuptools wheel >"$SCA_LOG/pip.log" 2>&1 \
    || ! "${pip[@]}" -r "$SCA_REPO/$requirements" -e "$SCA_REPO[$extras]" >>"$SCA_LOG/pip.log" 2>&1; then
    tail -n 30 "$SCA_LOG/pip.log" >&2
    die "pip install failed (is PyPI reachable? libpq-dev installed?); see $SCA_LOG/pip.log"
  fi
  if "$SCA_VENV/bin/python" -m pip show pytest-ckan >/dev/null 2>&1; then
    die "the PyPI package pytest-ckan got installed; it breaks CKAN's own pytest plugin. Remove what pulled it in."
  fi
  echo "$want" >"$stamp"
}

SOLR_RUNTIME=$SCA_DATA/solr/runtime

install_solr_runtime() {
  local want pom=$SCA_REPO/deploy/solr/pom.xml
  want=$(cat "$pom" "$SCA_REPO/deploy/solr/launcher/SolrLauncher.java" | sha256sum)
  if stamp_matches "$SOLR_RUNTIME/.stamp" "$want"; then
    return 0
  fi
  say "resolving Solr and JTS from Maven Central"
  rm -rf "$SOLR_RUNTIME.new"
  mkdir -p "$SOLR_RUNTIME.new/classes"
  if ! mvn -q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$SOLR_RUNTIME.new/lib" >"$SCA_LOG/maven.log" 2>&1; then
    tail -n 30 "$SCA_LOG/maven.log" >&2
    die "Maven could not resolve Solr (is Maven Central reachable?); see $SCA_LOG/maven.log"
  fi
  javac -d "$SOLR_RUNTIME.new/classes" -cp "$SOLR_RUNTIME.new/lib/*" \
    "$SCA_REPO/deploy/solr/launcher/SolrLauncher.java" || die "could not compile the Solr launcher"
  echo "$want" >"$SOLR_RUNTIME.new/.stamp"
  rm -rf "$SOLR_RUNTIME"
  mv "$SOLR_RUNTIME.new" "$SOLR_RUNTIME"
}

install_all() {
  ensure_dirs
  install_apt
  ensure_service_user
  ensure_dirs
  install_python
  install_solr_runtime
}

# Tools only the test suite needs: CKAN's dev tools (pytest & Co.) and the
# benches' packages (requirements-dev.txt); docker-compose validates the
# compose file (no Docker engine runs on the CI machines); Debian's chromium and
# playwright-core (npm) run the browser tests; npm ci also brings the
# front-end libraries whose vendored copies a test compares.
install_test_tools() {
  install_python_packages dev requirements-dev.txt turbo,bench
  local missing=()
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v chromium >/dev/null || missing+=(chromium)
  command -v npm >/dev/null || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    is_root || die "the tests need: ${missing[*]} (apt-get install ${missing[*]}); run as root to install them"
    say "installing for the tests: ${missing[*]}"
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; }
    } >>"$SCA_LOG/apt.log" 2>&1 || die "could not install ${missing[*]}; see $SCA_LOG/apt.log"
  fi
  install_node_modules
}

install_node_modules() {
  local want
  want=$(sha256sum <"$SCA_REPO/package-lock.json")
  stamp_matches "$SCA_REPO/node_modules/.sca-stamp" "$want" && return 0
  say "installing npm packages (package-lock.json)"
  (cd "$SCA_REPO" && npm ci --no-audit --no-fund >"$SCA_LOG/npm.log" 2>&1) \
    || { tail -n 20 "$SCA_LOG/npm.log" >&2; die "npm ci failed (is the npm registry reachable?); see $SCA_LOG/npm.log"; }
  echo "$want" >"$SCA_REPO/node_modules/.sca-stamp"
}
