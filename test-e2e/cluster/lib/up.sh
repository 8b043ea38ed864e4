# shellcheck shell=bash
# `up`, `status`, `logs`, `env`: process supervision and the control plane.

# --- Processes ------------------------------------------------------------------

# A PID file is trusted only if that PID still runs a command line that
# mentions our run dir: a stale file after a reboot or PID reuse is ignored.
process_running() {
    local pidfile="$PID_DIR/$1.pid" pid
    [[ -s $pidfile ]] || return 1
    pid=$(<"$pidfile")
    [[ -r /proc/$pid/cmdline ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$RUN_DIR/"
}

# start_process NAME COMMAND ARGS...
# Own session (so a terminal's ^C or the caller's process group does not take
# the cluster down), log in $LOG_DIR/NAME.log, PID written by the process itself.
start_process() {
    local name="$1"
    shift
    mkdir -p "$LOG_DIR" "$PID_DIR"
    if process_running "$name"; then
        log "$name: already running (pid $(<"$PID_DIR/$name.pid"))"
        return
    fi
    rm -f "$PID_DIR/$name.pid"
    # shellcheck disable=SC2016 # $$ and $@ are for the inner shell
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$PID_DIR/$name.pid" "$@" \
        >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
    wait_for "$name pid file" 5 test -s "$PID_DIR/$name.pid" || die "$name did not start"
    log "$name: started (pid $(<"$PID_DIR/$name.pid"), log $LOG_DIR/$name.log)"
}

# Fails fast, with the log tail, when a component exits during start-up.
wait_for_component() {
    local name="$1" what="$2" timeout="$3"
    shift 3
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        if ! process_running "$name"; then
            tail -n 30 "$LOG_DIR/$name.log" >&2 || true
            die "$name exited while waiting for $what"
        fi
        if ((SECONDS >= deadline)); then
            tail -n 30 "$LOG_DIR/$name.log" >&2 || true
            die "timed out after ${timeout}s waiting for $what"
        fi
        sleep 0.2
    done
}

# --- Control plane ----------------------------------------------------------------

start_etcd() {
    start_process etcd "$BIN_DIR/etcd" \
        --name=windlass \
        --data-dir="$RUN_DIR/etcd" \
        --listen-client-urls=http://127.0.0.1:2379 \
        --advertise-client-urls=http://127.0.0.1:2379 \
        --listen-peer-urls=http://127.0.0.1:2380 \
        --initial-advertise-peer-urls=http://127.0.0.1:2380 \
        --initial-cluster=windlass=http://127.0.0.1:2380 \
        --listen-metrics-urls=http://127.0.0.1:2381 \
        --unsafe-no-fsync=true \
        --log-level=warn
}

etcd_healthy() { curl -sf --max-time 2 http://127.0.0.1:2379/health | grep -q '"health":"true"'; }

start_apiserver() {
    start_process kube-apiserver "$BIN_DIR/kube-apiserver" \
        --etcd-servers=http://127.0.0.1:2379 \
        --secure-port="$APISERVER_PORT" \
        --advertise-address="$NODE_IP" \
        --client-ca-file="$PKI_DIR/ca.crt" \
        --tls-cert-file="$PKI_DIR/apiserver.crt" \
        --tls-private-key-file="$PKI_DIR/apiserver.key" \
        --kubelet-client-certificate="$PKI_DIR/apiserver-kubelet-client.crt" \
        --kubelet-client-key="$PKI_DIR/apiserver-kubelet-client.key" \
        --kubelet-certificate-authority="$PKI_DIR/ca.crt" \
        --kubelet-preferred-address-types=InternalIP,Hostname \
        --service-account-key-file="$PKI_DIR/sa.pub" \
        --service-account-signing-key-file="$PKI_DIR/sa.key" \
        --service-account-issuer="https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
        --service-cluster-ip-range="$SERVICE_CIDR" \
        --authorization-mode=Node,RBAC \
        --enable-admission-plugins=NodeRestriction \
        --allow-privileged=true \
        --enable-aggregator-routing=true \
        --profiling=false \
        --v=1
}

apiserver_ready() {
    curl -sf --max-time 2 --cacert "$PKI_DIR/ca.crt" "https://127.0.0.1:$APISERVER_PORT/readyz" | grep -qx ok
}

start_controller_manager() {
    local kc="$RUN_DIR/kubeconfigs/controller-manager"
    start_process kube-controller-manager "$BIN_DIR/kube-controller-manager" \
        --kubeconfig="$kc" --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
        --bind-address=127.0.0.1 \
        --leader-elect=false \
        --controllers='*' \
        --allocate-node-cidrs=true \
        --cluster-cidr="$CLUSTER_CIDR" \
        --node-cidr-mask-size=24 \
        --service-cluster-ip-range="$SERVICE_CIDR" \
        --cluster-signing-cert-file="$PKI_DIR/ca.crt" \
        --cluster-signing-key-file="$PKI_DIR/ca.key" \
        --root-ca-file="$PKI_DIR/ca.crt" \
        --service-account-private-key-file="$PKI_DIR/sa.key" \
        --use-service-account-credentials=true \
        --v=1
}

start_scheduler() {
    local kc="$RUN_DIR/kubeconfigs/scheduler"
    start_process kube-scheduler "$BIN_DIR/kube-scheduler" \
        --kubeconfig="$kc" --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
        --bind-address=127.0.0.1 \
        --leader-elect=false \
        --v=1
}

check_binaries() {
    local b
    for b in etcd "${K8S_BINARIES[@]}" coredns windlass-cri; do
        [[ -x $BIN_DIR/$b ]] || die "$BIN_DIR/$b missing: run '$CLUSTER_SCRIPT_DIR/cluster build' first"
    done
    for b in containerd runc ctr iptables conntrack busybox curl openssl; do
        command -v "$b" >/dev/null || die "$b missing: run '$CLUSTER_SCRIPT_DIR/cluster build' first"
    done
}

# Only one cluster per machine: the ports and the bridge are fixed. A port
# held by a process that is not one of ours means another cluster (or a
# kube-api-test apiserver on a fixed port) is in the way.
check_ports_free() {
    local port owner
    for port in 2379 2380 "$APISERVER_PORT" 10250 10257 10259; do
        owner=$(ss -Htlnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2) || true
        [[ -z $owner ]] && continue
        tr '\0' ' ' <"/proc/$owner/cmdline" 2>/dev/null | grep -qF "$RUN_DIR/" && continue
        die "port $port is in use by pid $owner ($(tr '\0' ' ' <"/proc/$owner/cmdline" | cut -c1-80)); is another cluster up?"
    done
}

# --- Commands -------------------------------------------------------------------

cmd_up() {
    local mode=full
    case "${1:-}" in
        "") ;;
        --control-plane-only) mode=control-plane ;;
        *) die "usage: cluster up [--control-plane-only]" ;;
    esac
    require_root
    check_binaries
    local start
    start=$(now)
    log "run dir: $RUN_DIR (Kubernetes $K8S_VERSION, mode $mode)"
    [[ $RUN_DIR == /?* ]] || die "run dir must be an absolute path other than /: '$RUN_DIR'"
    if [[ -d $RUN_DIR && ! -e $RUN_DIR/$RUN_DIR_MARKER && -n $(ls -A "$RUN_DIR") ]]; then
        die "$RUN_DIR exists, is not empty and is not a cluster run dir"
    fi
    mkdir -p "$RUN_DIR"
    touch "$RUN_DIR/$RUN_DIR_MARKER"
    check_ports_free
    if [[ -s $RUN_DIR/mode && $(<"$RUN_DIR/mode") != "$mode" ]]; then
        [[ $mode == full ]] || die "cluster is already up in full mode; run 'down' first"
        log "upgrading a control-plane-only cluster to a full one"
    fi
    echo "$mode" >"$RUN_DIR/mode"

    generate_pki
    generate_kubeconfigs
    add_unreachable_routes
    if [[ $mode == full ]]; then
        # The node IP lives on our bridge, and the apiserver advertises it.
        record_host_dirs
        setup_host_network
        write_cni_config
    fi

    start_etcd
    wait_for_component etcd "etcd health" 30 etcd_healthy
    start_apiserver
    # containerd and the image import overlap the apiserver's start-up.
    [[ $mode == full ]] && start_containerd
    wait_for_component kube-apiserver "apiserver /readyz" 60 apiserver_ready
    log "apiserver ready after $(elapsed_since "$start")s"
    start_controller_manager
    start_scheduler

    if [[ $mode == full ]]; then
        import_images
        start_kubelet
        start_kube_proxy
        wait_for_component kubelet "node $NODE_NAME Ready" 90 node_ready
        log "node $NODE_NAME Ready after $(elapsed_since "$start")s"
        apply_coredns
        wait_for_component kube-proxy "CoreDNS answering on $CLUSTER_DNS_IP" 90 dns_answers
        log "CoreDNS answers on $CLUSTER_DNS_IP after $(elapsed_since "$start")s"
    fi
    log "cluster up in $(elapsed_since "$start")s"
    log "kubeconfig: $RUN_DIR/kubeconfig"
    echo "$RUN_DIR/kubeconfig"
}

cmd_status() {
    local name state rc=0
    echo "run dir: $RUN_DIR  (Kubernetes $K8S_VERSION, mode $(cat "$RUN_DIR/mode" 2>/dev/null || echo none))"
    for name in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy; do
        if process_running "$name"; then
            state="running (pid $(<"$PID_DIR/$name.pid"))"
        elif [[ -e $PID_DIR/$name.pid ]]; then
            state="DEAD (see: cluster logs $name)"
            rc=1
        else
            state="not started"
        fi
        printf '  %-24s %s\n' "$name" "$state"
    done
    if process_running kube-apiserver && apiserver_ready; then
        echo "apiserver: ready   kubeconfig: $RUN_DIR/kubeconfig"
        kubectl_admin get nodes -o wide 2>/dev/null || true
        kubectl_admin get pods -A -o wide 2>/dev/null || true
    fi
    return "$rc"
}

cmd_logs() {
    local name="${1:-}"
    if [[ -z $name ]]; then
        local available=("$LOG_DIR"/*.log)
        available=("${available[@]##*/}")
        die "usage: cluster logs COMPONENT (one of: ${available[*]%.log})"
    fi
    [[ -f $LOG_DIR/$name.log ]] || die "no log for '$name' in $LOG_DIR"
    cat "$LOG_DIR/$name.log"
}

# Exit 0 when kubectl's current context (KUBECONFIG or ~/.kube/config) is this cluster, whoever started it:
# its CA is this run's. The address alone would not do: 127.0.0.1:6443 is a common apiserver address.
cmd_is_current() {
    [[ -f $PKI_DIR/ca.crt ]] || return 1
    local kubectl="$BIN_DIR/kubectl" ca file
    [[ -x $kubectl ]] || kubectl=kubectl
    ca=$("$kubectl" config view --minify --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' 2>/dev/null) || return 1
    if [[ -z $ca ]]; then
        file=$("$kubectl" config view --minify --raw -o jsonpath='{.clusters[0].cluster.certificate-authority}' 2>/dev/null) || return 1
        [[ -f $file ]] && ca=$(base64 -w0 <"$file")
    fi
    [[ -n $ca && $ca == "$(base64 -w0 <"$PKI_DIR/ca.crt")" ]]
}

cmd_env() {
    echo "export KUBECONFIG=$RUN_DIR/kubeconfig"
    echo "export KUBECACHEDIR=$RUN_DIR/kubectl-cache"
    echo "export PATH=$BIN_DIR:\$PATH"
}
