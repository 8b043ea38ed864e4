# shellcheck shell=bash
# bench/run's tools, build and Java launcher. Sourced; expects $root.

FORTIO_VERSION=v1.66.5 # the newest fortio whose module graph the Go proxy here serves whole (1.69+ needs grol.io)
BENCH_CACHE="${WINDLASS_CACHE_DIR:-$HOME/.cache/windlass}/bench"
FORTIO="$BENCH_CACHE/fortio-$FORTIO_VERSION/fortio"

# Network namespaces of this run are named wb-$BENCH_RUN_ID-*; remove_namespaces (bench/run's EXIT trap) deletes
# them, and the hosts files of the mTLS pair under /etc/netns, even when the JVM was killed before its own clean-up.
BENCH_RUN_ID=$(printf '%04x' $((RANDOM)))
remove_namespaces() {
  local ns
  for ns in $(ip netns list | awk '{print $1}' | grep "^wb-$BENCH_RUN_ID-" || true); do ip netns del "$ns" || true; done
  rm -rf /etc/netns/wb-"$BENCH_RUN_ID"-*
}

step() { printf '\n==> %s\n' "$*"; }

apt_ready=""
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  [ -n "$apt_ready" ] || { apt-get update -qq; apt_ready=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# wrk, nginx, HAProxy, socat (the namespaces' way to the discovery server), gnuplot (the plot), iproute2,
# iptables and util-linux's setpriv (namespaces, capture, the proxies' GID 1337); fortio from its Go module.
ensure_tools() {
  [ "$(id -u)" = 0 ] || { echo "bench/run: needs root (network namespaces, iptables)" >&2; exit 1; }
  ensure_packages wrk nginx-light haproxy socat gnuplot-nox iproute2 iptables util-linux curl jq
  if [ ! -x "$FORTIO" ]; then
    step "building fortio $FORTIO_VERSION from its Go module (cached in $(dirname "$FORTIO"))"
    command -v go >/dev/null || { echo "bench/run: go is not on PATH (fortio is built from fortio.org/fortio)" >&2; exit 1; }
    GOBIN="$(dirname "$FORTIO")" GOFLAGS=-mod=mod go install "fortio.org/fortio@$FORTIO_VERSION"
  fi
}

# The harness jar, and the runtime class paths of the harness, the proxy and the discovery server.
build_harness() {
  export JAVA_HOME="${JAVA_HOME:-$("$root/bin/find-jdk")}"
  step "building the harness, the proxy and the discovery server"
  # The proxy runs as in its image: on the image JRE, with the AOT cache trained on it (bin/build-proxy-aot).
  "$root/bin/build-jre" "$HOME/.cache/windlass/images/jre-root"
  maven -pl bench,mesh-components/proxy,mesh-components/discovery -am package -DskipTests -Dproxy.aot.skip=false \
    dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
}

# BENCH_BASELINE (a commit): that commit's proxy and discovery server, built once from `git archive` into the cache
# (never installed into ~/.m2, whose snapshots are this tree's), for the baseline pair beside this commit's.
baseline_dir=""
build_baseline() {
  [ -n "${BENCH_BASELINE:-}" ] || return 0
  local sha
  sha=$(git -C "$root" rev-parse --short "${BENCH_BASELINE}^{commit}")
  baseline_dir="$BENCH_CACHE/baseline-$sha"
  if [ ! -f "$baseline_dir/.built" ]; then
    step "building the baseline's proxy and discovery server (commit $sha, once; cached in $baseline_dir)"
    rm -rf "$baseline_dir" && mkdir -p "$baseline_dir"
    git -C "$root" archive "$sha" | tar -x -C "$baseline_dir"
    (root="$baseline_dir" maven -pl mesh-components/proxy,mesh-components/discovery -am package -DskipTests -DskipImages=true \
      dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime)
    touch "$baseline_dir/.built"
  fi
}

# The baseline's system properties for run_java (none without BENCH_BASELINE); its proxy runs with its own image
# flags but without an AOT cache (none was trained for it: start-up is not compared, steady CPU is).
baseline_properties() {
  [ -n "$baseline_dir" ] || return 0
  echo "-Dbench.baseline.commit=$(basename "$baseline_dir" | sed 's/^baseline-//')"
  echo "-Dbench.baseline.proxyClasspath=$(root="$baseline_dir" classpath mesh-components/proxy)"
  echo "-Dbench.baseline.proxyFlags=$(grep -v '^$' "$baseline_dir/mesh-components/proxy/src/main/jib/app/jvm-flags" | paste -sd' ')"
  echo "-Dbench.baseline.discoveryClasspath=$(root="$baseline_dir" classpath mesh-components/discovery)"
}

# The proxy image's JVM flags (one list, src/main/jib/app/jvm-flags) and its AOT cache, and the class path the cache
# was trained on (the same jars at the image's relative paths).
proxy_aot="$root/mesh-components/proxy/target/proxy-aot"
proxy_flags() {
  echo "$(grep -v '^$' "$root/mesh-components/proxy/src/main/jib/app/jvm-flags" | paste -sd' ') -XX:AOTCache=$proxy_aot/image/app/proxy.aot"
}

# Offline first (everything is usually in ~/.m2 already); once online when something is missing.
maven() {
  (cd "$root" && { ./mvnw -q -B -ntp -o "$@" >/dev/null 2>&1 || ./mvnw -q -B -ntp "$@"; })
}

classpath() { echo "$(cat "$root/$1/target/classpath.txt"):$root/$1/target/classes"; }

# The proxy and discovery server run on the images' jlink'd JRE when it was built (bin/build-jre), else the JDK.
image_java() {
  local jre="$HOME/.cache/windlass/images/jre-root/opt/java/bin/java"
  if [ -x "$jre" ]; then echo "$jre"; else echo "$JAVA_HOME/bin/java"; fi
}

run_java() {
  local command="$1" out="$2"
  shift 2
  [ "$command" = report ] || step "$command"
  local baseline_args=()
  mapfile -t baseline_args < <(baseline_properties)
  "$JAVA_HOME/bin/java" -Xmx2g -XX:+UseParallelGC -Dbench.out="$out" -Dbench.runId="$BENCH_RUN_ID" \
    -Dbench.repeats="${BENCH_REPEATS:-3}" -Dbench.warmupSeconds="${BENCH_WARMUP_SECONDS:-5}" \
    -Dbench.primarySeconds="${BENCH_PRIMARY_SECONDS:-60}" -Dbench.secondarySeconds="${BENCH_SECONDARY_SECONDS:-10}" \
    -Dbench.wrkSeconds="${BENCH_WRK_SECONDS:-5}" -Dbench.profileSeconds="${BENCH_PROFILE_SECONDS:-20}" -Dbench.adsSizes="${BENCH_ADS_SIZES:-100 1000 5000}" \
    -Dbench.adsPushes="${BENCH_ADS_PUSHES:-3}" -Dbench.java="$(image_java)" -Dbench.fortio="$FORTIO" \
    -Dbench.proxyClasspath="$(cat "$proxy_aot/local-classpath")" -Dbench.proxyFlags="$(proxy_flags)" \
    -Dbench.proxyExtraFlags="${BENCH_PROXY_EXTRA_FLAGS:-}" \
    -Dbench.discoveryClasspath="$(classpath mesh-components/discovery)" \
    -Dbench.virtualServiceRoutes="${BENCH_VIRTUAL_SERVICE_ROUTES:-50}" \
    -Dbench.destinationRule="${BENCH_DESTINATION_RULE:-1}" -Dbench.meshMtls="${BENCH_MESH_MTLS:-1}" \
    -Dbench.ioUring="${BENCH_IO_URING:-1}" \
    "${baseline_args[@]}" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$(classpath bench)" dev.windlass.bench.Main "$command" "$out" "$@"
}

# Date, commit, machine and load: docs/benchmarks.md prints them with every table.
write_meta() {
  local out="$1" what="$2" smoke="$3"
  jq -n --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$(git -C "$root" rev-parse --short HEAD)" \
    --arg dirty "$(git -C "$root" status --porcelain -- . ':!bench/results' | wc -l)" \
    --arg cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" --arg cores "$(nproc)" \
    --arg memory "$(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)" --arg kernel "$(uname -r)" \
    --arg java "$("$(image_java)" -version 2>&1 | head -1)" --arg fortio "$FORTIO_VERSION" \
    --arg nginx "$(nginx -v 2>&1 | cut -d/ -f2)" --arg haproxy "$(haproxy -v | head -1 | awk '{print $3}')" \
    --arg wrk "$(wrk -v 2>&1 | head -1 | awk '{print $2}')" --arg load "$(cat /proc/loadavg)" \
    --arg what "$what" --argjson smoke "$smoke" \
    '{date: $date, commit: $commit, uncommittedFiles: ($dirty|tonumber), what: $what, smoke: $smoke,
      machine: {cpu: $cpu, cores: ($cores|tonumber), memory: $memory, kernel: $kernel},
      versions: {java: $java, fortio: $fortio, nginx: $nginx, haproxy: $haproxy, wrk: $wrk}, loadAtStart: $load}' \
    >"$out/meta.json"
}

finish_meta() {
  local out="$1" seconds="$2" lock_wait=0
  [ -f "$out/lock-wait-seconds" ] && lock_wait=$(cat "$out/lock-wait-seconds")
  jq --arg load "$(cat /proc/loadavg)" --argjson seconds "$seconds" --argjson lockWait "$lock_wait" \
    '. + {loadAtEnd: $load, wallSeconds: $seconds, clusterLockWaitSeconds: $lockWait}' \
    "$out/meta.json" >"$out/meta.json.tmp" && mv "$out/meta.json.tmp" "$out/meta.json"
}
