# shellcheck shell=bash
# bench/run's cluster part: the local cluster is shared, so everything on it runs under its lock.

CLUSTER_LOCK=/tmp/windlass-cluster.lock

# True when a process above this one already holds the lock (e.g. `flock /tmp/windlass-cluster.lock .ci/run`):
# taking it again from here would wait for ourselves forever.
lock_held_by_ancestor() {
  local pid=$$
  while [ "$pid" -gt 1 ]; do
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "^flock .*$CLUSTER_LOCK"; then return 0; fi
    pid=$(awk '/^PPid:/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 1)
  done
  return 1
}

# The time spent waiting for the lock (other engineers' cluster tests) is kept apart: OUT/lock-wait-seconds.
cluster_apply_to_ready() {
  local out="$1" asked
  if lock_held_by_ancestor; then
    step "control plane on the local cluster (the lock is already held by a caller)"
    echo 0 >"$out/lock-wait-seconds"
    "$root/bench/lib/cluster-bench" "$out"
    return
  fi
  step "control plane on the local cluster (waiting for $CLUSTER_LOCK)"
  asked=$(date +%s)
  flock "$CLUSTER_LOCK" bash -c 'echo $(($(date +%s) - $1)) >"$2/lock-wait-seconds"; exec "$3" "$2"' \
    lock "$asked" "$out" "$root/bench/lib/cluster-bench"
  echo "waited $(cat "$out/lock-wait-seconds") s for the cluster lock"
}
