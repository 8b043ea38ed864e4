# shellcheck shell=bash
# `down`: undo exactly what `up` did. Safe to run any number of times, and
# after a crash (it trusts the run dir and process command lines, not memory).

# A zombie still answers kill -0; PID 1 here reaps orphans only lazily.
pid_alive() {
    local state
    state=$(sed -n 's/^.*) \(.\).*$/\1/p' "/proc/$1/stat" 2>/dev/null) || return 1
    [[ -n $state && $state != Z ]]
}

# stop_process NAME [TIMEOUT]: SIGTERM, then SIGKILL after TIMEOUT seconds.
stop_process() {
    local name="$1" timeout="${2:-10}" pid
    if process_running "$name"; then
        pid=$(<"$PID_DIR/$name.pid")
        kill -TERM "$pid" 2>/dev/null || true
        if ! wait_for "$name to exit" "$timeout" eval "! pid_alive $pid"; then
            kill -KILL "$pid" 2>/dev/null || true
            wait_for "$name to die" 5 eval "! pid_alive $pid" || true
        fi
        log "$name: stopped (pid $pid)"
    fi
    rm -f "$PID_DIR/$name.pid"
}

# pids_of_run_dir [shims]: PIDs of cluster binaries whose command line
# mentions the run dir: our components and their containerd shims
# (-address <run dir>/...), or only the shims. A shell or a `tail -f` that
# merely looks at the run dir is not ours to kill.
pids_of_run_dir() {
    local p exe pattern='*'
    [[ ${1:-} == shims ]] && pattern='*/containerd-shim*'
    for p in /proc/[0-9]*; do
        exe=$(readlink "$p/exe" 2>/dev/null) || continue
        # shellcheck disable=SC2053 # $pattern is a glob on purpose
        [[ $exe == $pattern ]] || continue
        case "$exe" in
            "$BIN_DIR"/* | */containerd | */containerd-shim* | */runc) ;;
            *) continue ;;
        esac
        tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF -- "$RUN_DIR/" && echo "${p#/proc/}"
    done
    return 0
}

# Container processes live in the kubepods cgroups our kubelet created;
# whatever is still there once the sandboxes are gone is a leftover of ours.
pids_in_kubepods() {
    local f
    for f in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
        [[ -d $f ]] && find "$f" -name cgroup.procs -exec cat {} + 2>/dev/null
    done | sort -u
}

# Stop and remove every pod sandbox through the CRI while containerd still
# runs: that is what releases veths, IPAM leases, hostport rules and netns.
remove_pod_sandboxes() {
    process_running containerd || return 0
    "$BIN_DIR/windlass-cri" -endpoint "unix://$CONTAINERD_SOCK" -timeout 90s remove-all \
        >"$RUN_DIR/netns.list" 2>"$RUN_DIR/netns.err" ||
        warn "CRI sandbox removal reported errors: $(cat "$RUN_DIR/netns.err")"
    log "pod sandboxes removed ($(wc -l <"$RUN_DIR/netns.list") netns)"
}

# kill_leftovers containers|all: after containerd stopped, only its shims and
# container processes are fair game; after the control plane, everything.
kill_leftovers() {
    local pids scope=shims
    [[ $1 == all ]] && scope=all
    mapfile -t pids < <(pids_of_run_dir "$scope"; pids_in_kubepods)
    ((${#pids[@]} == 0)) && return
    warn "killing leftover processes: ${pids[*]}"
    kill -KILL "${pids[@]}" 2>/dev/null || true
    sleep 0.5
}

unmount_run_dir() {
    local mounts m netns
    # Deepest first; lazy unmount as a last resort for a busy mount.
    mapfile -t mounts < <(awk -v d="$RUN_DIR/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
    for m in "${mounts[@]}"; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || warn "could not unmount $m"
    done
    # Network namespaces of our pods that the CRI did not clean up.
    if [[ -s $RUN_DIR/netns.list ]]; then
        while read -r netns; do
            [[ -e $netns ]] || continue
            umount "$netns" 2>/dev/null || umount -l "$netns" 2>/dev/null || true
            rm -f "$netns" 2>/dev/null || warn "could not remove $netns"
        done <"$RUN_DIR/netns.list"
    fi
}

# remove_chains IPTABLES TABLE: drop every KUBE-*/CNI-* chain and the rules
# in other chains that jump to them. Nothing else on this machine uses those
# prefixes. The rules are iptables' own -S output, so eval (for its quoted
# comments) only ever sees what iptables printed.
remove_chains() {
    local ipt="$1" table="$2" chains rules chain rule
    mapfile -t chains < <("$ipt" -t "$table" -S 2>/dev/null |
        awk '$1 == "-N" && $2 ~ /^(KUBE-|CNI-)/ { print $2 }')
    ((${#chains[@]} > 0)) || return 0
    mapfile -t rules < <("$ipt" -t "$table" -S 2>/dev/null |
        awk '$1 == "-A" && $2 !~ /^(KUBE-|CNI-)/ && / -j (KUBE-|CNI-)/ { $1 = ""; print }')
    for rule in "${rules[@]}"; do
        eval "\"\$ipt\" -t \"\$table\" -D $rule" 2>/dev/null || true
    done
    for chain in "${chains[@]}"; do "$ipt" -t "$table" -F "$chain" 2>/dev/null || true; done
    for chain in "${chains[@]}"; do "$ipt" -t "$table" -X "$chain" 2>/dev/null || true; done
}

# kube-proxy knows its own chains; kubelet's canaries and firewall chains and
# the CNI portmap chains are removed by prefix.
cleanup_iptables() {
    if [[ -x $BIN_DIR/kube-proxy ]]; then
        "$BIN_DIR/kube-proxy" --cleanup >"$LOG_DIR/kube-proxy-cleanup.log" 2>&1 || true
    fi
    local ipt table
    for ipt in iptables ip6tables; do
        command -v "$ipt" >/dev/null || continue
        for table in filter nat mangle; do
            remove_chains "$ipt" "$table"
        done
    done
}

cleanup_host_network() {
    # Forget NAT state for our ranges so a next run starts clean.
    conntrack -D -d 10.96.0.0/16 >/dev/null 2>&1 || true
    conntrack -D -s 10.244.0.0/16 >/dev/null 2>&1 || true
    conntrack -D -d 10.244.0.0/16 >/dev/null 2>&1 || true
    ip link del "$CNI_BRIDGE" 2>/dev/null || true
    ip route del unreachable "$SERVICE_CIDR" 2>/dev/null || true
    ip route del unreachable "$CLUSTER_CIDR" 2>/dev/null || true
    local key value
    if [[ -s $RUN_DIR/sysctl.before ]]; then
        while read -r key value; do
            echo "$value" >"/proc/sys/$key" || warn "could not restore $key=$value"
        done <"$RUN_DIR/sysctl.before"
    fi
}

# kubelet creates /kubepods in every cgroup v1 hierarchy; rmdir only removes
# empty ones, so a cgroup with a live process would be reported, not broken.
remove_kubepods_cgroups() {
    local root
    for root in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
        [[ -d $root ]] || continue
        find "$root" -depth -type d -exec rmdir {} \; 2>/dev/null || true
        [[ -d $root ]] && warn "could not remove cgroup $root"
    done
    return 0
}

# kubelet links container logs into /var/log/containers whatever podLogsDir says.
remove_container_log_links() {
    local link
    for link in /var/log/containers/*.log; do
        [[ -L $link && $(readlink "$link") == "$RUN_DIR/"* ]] && rm -f "$link"
    done
    return 0
}

# libcni's result cache is named after the network ("windlass-<id>-eth0",
# plus containerd's "cni-loopback-<id>-lo" for the same sandbox); entries
# survive when containerd died before it could run the CNI DEL.
remove_cni_cache() {
    local f id
    for f in /var/lib/cni/results/windlass-*-eth0; do
        [[ -e $f ]] || continue
        id=${f#/var/lib/cni/results/windlass-}
        id=${id%-eth0}
        rm -f "$f" "/var/lib/cni/results/cni-loopback-$id-lo"
    done
}

# Host directories our first `up` created (see record_host_dirs): removed only
# if nothing but empty directories is left in them.
remove_created_host_dirs() {
    [[ -s $RUN_DIR/host-dirs.created ]] || return 0
    local d
    while read -r d; do
        [[ -d $d ]] || continue
        find "$d" -type s -delete 2>/dev/null || true
        find "$d" -mindepth 1 -depth -type d -empty -delete 2>/dev/null || true
        rmdir "$d" 2>/dev/null || true
        [[ -d $d ]] && warn "$d is not empty; left in place"
    done <"$RUN_DIR/host-dirs.created"
    return 0
}

verify_down() {
    local ok=0 pids mounts
    pids=$(pids_of_run_dir | tr '\n' ' ')
    if [[ -n $pids ]]; then
        warn "processes still running: $pids"
        ok=1
    fi
    mounts=$(awk -v d="$RUN_DIR/" 'index($2, d) == 1 { print $2 }' /proc/mounts)
    if [[ -n $mounts ]]; then
        warn "mounts still present: $mounts"
        ok=1
    fi
    return "$ok"
}

cmd_down() {
    require_root
    local start
    start=$(now)
    if [[ ! -d $RUN_DIR ]]; then
        log "nothing to do: $RUN_DIR does not exist"
        return 0
    fi
    # WINDLASS_CLUSTER_DIR pointing at some other directory must never be
    # wiped: only a directory that `up` marked as its own is.
    [[ -e $RUN_DIR/$RUN_DIR_MARKER ]] ||
        die "$RUN_DIR has no $RUN_DIR_MARKER file: not a cluster run dir, refusing to touch it"
    log "stopping cluster in $RUN_DIR"
    mkdir -p "$LOG_DIR"
    # kubelet first, so that it does not restart what we remove next.
    stop_process kubelet 20
    remove_pod_sandboxes
    stop_process kube-proxy
    stop_process containerd 20
    kill_leftovers containers
    stop_process kube-scheduler
    stop_process kube-controller-manager
    stop_process kube-apiserver 20
    stop_process etcd
    kill_leftovers all
    unmount_run_dir
    cleanup_iptables
    cleanup_host_network
    remove_kubepods_cgroups
    remove_container_log_links
    remove_cni_cache
    remove_created_host_dirs
    verify_down || die "down incomplete; $RUN_DIR kept for inspection"
    rm -rf "$RUN_DIR"
    log "cluster down in $(elapsed_since "$start")s"
}
