# shellcheck shell=bash
# bench/run's cluster part: the local cluster is shared, so everything on it runs under its lock.

# The time spent waiting for the lock (other engineers' cluster tests) is kept apart: OUT/lock-wait-seconds.
cluster_apply_to_ready() {
  local out="$1" asked
  step "control plane on the local cluster (waiting for /tmp/windlass-cluster.lock)"
  asked=$(date +%s)
  flock /tmp/windlass-cluster.lock bash -c 'echo $(($(date +%s) - $1)) >"$2/lock-wait-seconds"; exec "$3" "$2"' \
    lock "$asked" "$out" "$root/bench/lib/cluster-bench"
  echo "waited $(cat "$out/lock-wait-seconds") s for the cluster lock"
}
