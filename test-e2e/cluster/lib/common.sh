# shellcheck shell=bash disable=SC2034 # settings used by the files that source this one
# Shared settings and helpers for the local Windlass test cluster.
# Sourced by ./cluster and ./smoke-test; never executed on its own.

# --- Versions -------------------------------------------------------------
# Pinned rather than resolved on every run: binaries are cached by version, and
# an unpinned "latest" would make two machines test against different clusters.
# To bump, check `go list -m -json k8s.io/kubernetes@v1.35.N` (the proxy's
# version *list* is incomplete for k8s.io/kubernetes: query patches directly).
K8S_VERSION="${WINDLASS_K8S_VERSION:-v1.35.8}"
ETCD_VERSION="${WINDLASS_ETCD_VERSION:-v3.5.35}"
COREDNS_VERSION="${WINDLASS_COREDNS_VERSION:-v1.12.4}"
# The sandbox image name containerd's CRI plugin asks for; we build it locally.
PAUSE_IMAGE="registry.k8s.io/pause:3.10"
# Small image for smoke tests, built locally from Debian's busybox-static.
BUSYBOX_IMAGE="windlass.local/busybox:1.35"
# CoreDNS runs as a pod from a scratch image holding only the coredns binary.
COREDNS_IMAGE="windlass.local/coredns:${COREDNS_VERSION#v}"

# --- Network layout ---------------------------------------------------------
SERVICE_CIDR="10.96.0.0/16"
# Two halves of SERVICE_CIDR routed onto our bridge: more specific than the
# unreachable /16, so host processes can reach ClusterIPs (the socket needs a
# route before kube-proxy's OUTPUT DNAT runs) and they vanish with the bridge.
SERVICE_CIDR_HALVES=(10.96.0.0/17 10.96.128.0/17)
KUBERNETES_SVC_IP="10.96.0.1"
CLUSTER_DNS_IP="10.96.0.10"
CLUSTER_CIDR="10.244.0.0/16"
NODE_POD_CIDR="10.244.0.0/24"
NODE_POD_GW="10.244.0.1"
CNI_BRIDGE="windlass0"
CLUSTER_DOMAIN="cluster.local"
# The node's address is the bridge gateway we create ourselves, not eth0's:
# the apiserver endpoint, kubelet and NodePorts then live on an address that
# belongs to this run only, and nothing depends on the host's network.
NODE_IP="$NODE_POD_GW"
NODE_NAME="${WINDLASS_NODE_NAME:-windlass-node}"
APISERVER_PORT=6443

# --- Locations ----------------------------------------------------------------
CACHE_ROOT="${WINDLASS_CACHE_DIR:-$HOME/.cache/windlass}"
GO_CACHE_ROOT="$CACHE_ROOT/go"
CLUSTER_CACHE="$CACHE_ROOT/cluster/$K8S_VERSION"
BIN_DIR="$CLUSTER_CACHE/bin"
IMAGES_DIR="$CLUSTER_CACHE/images"
RUN_DIR="${WINDLASS_CLUSTER_DIR:-/tmp/windlass-cluster}"
RUN_DIR="${RUN_DIR%/}"
RUN_DIR_MARKER=".windlass-cluster"
PKI_DIR="$RUN_DIR/pki"
LOG_DIR="$RUN_DIR/logs"
PID_DIR="$RUN_DIR/pids"
CONTAINERD_DIR="$RUN_DIR/containerd"
CONTAINERD_SOCK="$CONTAINERD_DIR/containerd.sock"
CNI_CONF_DIR="$RUN_DIR/cni/net.d"
KUBE_API_TEST_ROOT="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"

K8S_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)

# --- Logging -----------------------------------------------------------------
log()  { printf '[cluster %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
warn() { printf '[cluster %(%H:%M:%S)T] WARNING: %s\n' -1 "$*" >&2; }
die()  { printf '[cluster %(%H:%M:%S)T] ERROR: %s\n' -1 "$*" >&2; exit 1; }

# Seconds since the epoch with millisecond precision, for timings.
now() { date +%s.%N; }
elapsed_since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

require_root() {
    [[ $EUID -eq 0 ]] || die "must run as root (containerd, kubelet and iptables need it)"
}

# wait_for DESCRIPTION TIMEOUT_SECONDS COMMAND...: poll COMMAND every 0.2 s.
wait_for() {
    local what="$1" timeout="$2"
    shift 2
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            warn "timed out after ${timeout}s waiting for $what"
            return 1
        fi
        sleep 0.2
    done
}

# write_if_changed FILE < content
# kube-proxy exits when its config file changes, and rewriting identical
# content would still count: a second `up` must leave unchanged files alone.
write_if_changed() {
    local file="$1" tmp
    tmp=$(mktemp "$file.XXXXXX")
    cat >"$tmp"
    if cmp -s "$tmp" "$file"; then
        rm -f "$tmp"
    else
        mv -f "$tmp" "$file"
    fi
}

# The discovery cache goes to the run dir too, not to ~/.kube.
kubectl_admin() {
    "$BIN_DIR/kubectl" --kubeconfig "$RUN_DIR/kubeconfig" --cache-dir "$RUN_DIR/kubectl-cache" "$@"
}
