# shellcheck shell=bash
# The worker half of `up`: host network, containerd, CNI, kubelet, kube-proxy.

# --- Host network -------------------------------------------------------------

# Pods and Services must never be routed off this machine: unreachable routes
# catch both ranges, and the node's own /24 on our bridge stays more specific.
# Added in control-plane-only mode too, since the apiserver advertises $NODE_IP.
add_unreachable_routes() {
    ip route replace unreachable "$SERVICE_CIDR"
    ip route replace unreachable "$CLUSTER_CIDR"
}

# set_sysctl PATH VALUE: the value before our first `up` is kept in the run
# dir, and `down` puts it back.
set_sysctl() {
    local path="/proc/sys/$1" value="$2"
    [[ -e $path ]] || die "$path missing: this kernel cannot run the node"
    if ! grep -q "^$1 " "$RUN_DIR/sysctl.before" 2>/dev/null; then
        echo "$1 $(<"$path")" >>"$RUN_DIR/sysctl.before"
    fi
    echo "$value" >"$path"
}

setup_host_network() {
    set_sysctl net/ipv4/ip_forward 1
    # Bridged pod-to-pod packets must see kube-proxy's rules (Service traffic
    # whose backend shares the bridge). There is no modprobe here, so the
    # br_netfilter module has to be present already.
    set_sysctl net/bridge/bridge-nf-call-iptables 1
    # We create the bridge (CNI would too, on the first pod) because its
    # gateway address is the node IP: kubelet checks that it exists on start.
    if ! ip link show "$CNI_BRIDGE" >/dev/null 2>&1; then
        ip link add "$CNI_BRIDGE" type bridge
    fi
    ip addr replace "$NODE_IP/${NODE_POD_CIDR#*/}" dev "$CNI_BRIDGE"
    ip link set "$CNI_BRIDGE" up
    local half
    for half in "${SERVICE_CIDR_HALVES[@]}"; do
        ip route replace "$half" dev "$CNI_BRIDGE" src "$NODE_IP"
    done
}

# Pods get routes for the cluster ranges only, no default route: a pod cannot
# even try to reach an address outside this machine.
write_cni_config() {
    mkdir -p "$CNI_CONF_DIR" "$RUN_DIR/cni/ipam"
    write_if_changed "$CNI_CONF_DIR/10-windlass.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "windlass",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$CNI_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$RUN_DIR/cni/ipam",
        "ranges": [[{ "subnet": "$NODE_POD_CIDR", "gateway": "$NODE_POD_GW" }]],
        "routes": [{ "dst": "$SERVICE_CIDR" }, { "dst": "$CLUSTER_CIDR" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
}

# Some paths are fixed whatever root/state/root-dir say: containerd 1.6 puts
# shim sockets in /run/containerd/s; libcni caches results in /var/lib/cni;
# kubelet links logs into /var/log/containers and opens its device-plugin
# socket in /var/lib/kubelet/device-plugins. (Pod netns would go to /run/netns,
# shared with `ip netns` users, but netns_mounts_under_state_dir keeps them in
# the run dir.) Remember which of these did not exist before our first `up`, so
# that `down` removes them again (sockets and empty directories only).
record_host_dirs() {
    [[ -e $RUN_DIR/host-dirs.created ]] && return
    local d
    for d in /run/containerd /var/lib/cni /var/lib/kubelet /var/log/containers; do
        [[ -e $d ]] || echo "$d"
    done >"$RUN_DIR/host-dirs.created"
}

# --- containerd -----------------------------------------------------------------

# overlayfs is the snapshotter of choice; some filesystems refuse it as an
# upper dir, so try a real overlay mount once and fall back to native.
choose_snapshotter() {
    local probe="$RUN_DIR/overlay-probe" result=native
    mkdir -p "$probe"/{lower,upper,work,merged}
    if mount -t overlay overlay -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" \
        "$probe/merged" 2>/dev/null; then
        umount "$probe/merged"
        result=overlayfs
    fi
    rm -rf "$probe"
    echo "$result"
}

write_containerd_config() {
    local snapshotter="$1"
    mkdir -p "$CONTAINERD_DIR"/{root,state,runc,opt} "$CONTAINERD_DIR/certs.d/_default"
    # Any image pull goes to a closed loopback port: images are imported, never
    # fetched, and no registry outside this machine may ever be contacted.
    cat >"$CONTAINERD_DIR/certs.d/_default/hosts.toml" <<'EOF'
server = "http://127.0.0.1:1"
EOF
    write_if_changed "$CONTAINERD_DIR/config.toml" <<EOF
version = 2
root = "$CONTAINERD_DIR/root"
state = "$CONTAINERD_DIR/state"
oom_score = 0

[grpc]
  address = "$CONTAINERD_SOCK"

[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "$CONTAINERD_DIR/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  # We lack CAP_SYS_RESOURCE here, so runc cannot lower oom_score_adj
  # (pause wants -998): clamp requests to containerd's own score instead.
  restrict_oom_score_adj = true
  # Pod netns bind mounts under our state dir, not /run/netns: cluster down then
  # finds every one of them, and nothing outside the run dir is touched.
  netns_mounts_under_state_dir = true
  enable_selinux = false
  disable_apparmor = true

  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "$snapshotter"
    default_runtime_name = "runc"

    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"

      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$CONTAINERD_DIR/runc"

  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CNI_CONF_DIR"

  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$CONTAINERD_DIR/certs.d"
EOF
    echo "$snapshotter" >"$CONTAINERD_DIR/snapshotter"
}

ctr_k8s() { ctr --address "$CONTAINERD_SOCK" --namespace k8s.io "$@"; }

start_containerd() {
    local snapshotter
    if [[ -s $CONTAINERD_DIR/snapshotter ]]; then
        snapshotter=$(<"$CONTAINERD_DIR/snapshotter")
    else
        snapshotter=$(choose_snapshotter)
    fi
    write_containerd_config "$snapshotter"
    start_process containerd "$(command -v containerd)" --config "$CONTAINERD_DIR/config.toml"
    log "containerd: snapshotter $snapshotter, socket $CONTAINERD_SOCK"
}

# Images are built by `cluster build` as docker-archives; the CRI plugin sees
# whatever is in containerd's k8s.io namespace.
import_images() {
    wait_for "containerd socket" 30 ctr --address "$CONTAINERD_SOCK" version ||
        die "containerd did not come up; see $LOG_DIR/containerd.log"
    local present tar ref snapshotter
    snapshotter=$(<"$CONTAINERD_DIR/snapshotter")
    present=$(ctr_k8s images ls -q)
    for tar in pause busybox coredns; do
        case $tar in
            pause) ref="$PAUSE_IMAGE" ;;
            busybox) ref="$BUSYBOX_IMAGE" ;;
            coredns) ref="$COREDNS_IMAGE" ;;
        esac
        if grep -qxF "$ref" <<<"$present"; then
            continue
        fi
        ctr_k8s images import --snapshotter "$snapshotter" "$IMAGES_DIR/$tar.tar" >/dev/null ||
            die "importing $IMAGES_DIR/$tar.tar failed"
    done
    log "images: $(ctr_k8s images ls -q | grep -v '^sha256:' | tr '\n' ' ')"
}

# `cluster load-images`: images built by the project (Jib's buildTar writes a
# docker-archive) go straight into the node's image store; pods then use them
# with imagePullPolicy IfNotPresent or Never.
cmd_load() {
    (($# > 0)) || die "usage: cluster load-images IMAGE.tar..."
    process_running containerd || die "containerd is not running: run 'cluster up' first"
    local tar snapshotter
    snapshotter=$(<"$CONTAINERD_DIR/snapshotter")
    for tar in "$@"; do
        [[ -f $tar ]] || die "no such file: $tar"
        ctr_k8s images import --snapshotter "$snapshotter" "$tar" || die "importing $tar failed"
    done
}

# A second name for an image already on the node (tests use it to make a broken image out of a good one).
cmd_tag() {
    (($# == 2)) || die "usage: cluster tag-image SOURCE TARGET"
    process_running containerd || die "containerd is not running: run 'cluster up' first"
    ctr_k8s images tag --force "$1" "$2" >/dev/null || die "tagging $1 as $2 failed"
}

# Removes images from the node (tests use it to show what an install does where our images were never loaded).
cmd_remove_image() {
    (($# > 0)) || die "usage: cluster remove-image IMAGE..."
    process_running containerd || die "containerd is not running: run 'cluster up' first"
    ctr_k8s images rm "$@" >/dev/null || die "removing $* failed"
}

# --- kubelet and kube-proxy -------------------------------------------------------

write_kubelet_config() {
    mkdir -p "$RUN_DIR/kubelet" "$RUN_DIR/pod-logs"
    # Pods with dnsPolicy Default get this file: no upstream nameserver at all.
    echo "# windlass e2e: no upstream DNS" >"$RUN_DIR/resolv.conf"
    write_if_changed "$RUN_DIR/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: $PKI_DIR/ca.crt
authorization:
  mode: Webhook
tlsCertFile: $PKI_DIR/kubelet-serving.crt
tlsPrivateKeyFile: $PKI_DIR/kubelet-serving.key
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
cgroupDriver: cgroupfs
# This machine has cgroup v1; 1.35 refuses it unless told otherwise.
failCgroupV1: false
failSwapOn: false
# Lowering an OOM score needs CAP_SYS_RESOURCE, which this machine does not grant.
oomScoreAdj: 0
clusterDNS:
- $CLUSTER_DNS_IP
clusterDomain: $CLUSTER_DOMAIN
resolvConf: $RUN_DIR/resolv.conf
podLogsDir: $RUN_DIR/pod-logs
volumePluginDir: $RUN_DIR/kubelet/volume-plugins
# Images can never be pulled again here, so never garbage-collect them, and
# never evict pods because the shared disk looks full.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: "0%"
  nodefs.available: "0%"
  nodefs.inodesFree: "0%"
  imagefs.available: "0%"
  imagefs.inodesFree: "0%"
serializeImagePulls: false
# Faster reaction in tests; defaults are tuned for big clusters.
nodeStatusUpdateFrequency: 4s
syncFrequency: 10s
fileCheckFrequency: 5s
EOF
}

start_kubelet() {
    write_kubelet_config
    start_process kubelet "$BIN_DIR/kubelet" \
        --config="$RUN_DIR/kubelet/config.yaml" \
        --kubeconfig="$RUN_DIR/kubeconfigs/kubelet" \
        --root-dir="$RUN_DIR/kubelet" \
        --cert-dir="$RUN_DIR/kubelet/pki" \
        --hostname-override="$NODE_NAME" \
        --node-ip="$NODE_IP" \
        --v=1
}

start_kube_proxy() {
    mkdir -p "$RUN_DIR/kube-proxy"
    # conntrack timeouts at 0 leave the host's sysctls alone; NodePorts only
    # on the node IP (our bridge), never on eth0.
    write_if_changed "$RUN_DIR/kube-proxy/config.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection:
  kubeconfig: $RUN_DIR/kubeconfigs/kube-proxy
mode: iptables
oomScoreAdj: 0
clusterCIDR: $CLUSTER_CIDR
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses:
- $NODE_IP/32
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
iptables:
  minSyncPeriod: 0s
  syncPeriod: 30s
EOF
    start_process kube-proxy "$BIN_DIR/kube-proxy" --config="$RUN_DIR/kube-proxy/config.yaml" --v=1
}

node_ready() {
    [[ $(kubectl_admin get node "$NODE_NAME" \
        -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == True ]]
}

# --- CoreDNS ----------------------------------------------------------------------

# No `forward` plugin: names outside cluster.local get SERVFAIL instead of a
# query to some upstream resolver off this machine.
apply_coredns() {
    kubectl_admin apply -f - >/dev/null <<EOF
apiVersion: v1
kind: ServiceAccount
metadata:
  name: coredns
  namespace: kube-system
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:coredns
rules:
- apiGroups: [""]
  resources: [endpoints, services, pods, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: system:coredns
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: system:coredns
subjects:
- kind: ServiceAccount
  name: coredns
  namespace: kube-system
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
data:
  Corefile: |
    .:53 {
        errors
        health {
            lameduck 2s
        }
        ready
        kubernetes $CLUSTER_DOMAIN in-addr.arpa ip6.arpa {
            pods insecure
            ttl 5
        }
        cache 5
        reload
        loadbalance
    }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
  labels:
    k8s-app: kube-dns
spec:
  replicas: 1
  selector:
    matchLabels:
      k8s-app: kube-dns
  template:
    metadata:
      labels:
        k8s-app: kube-dns
    spec:
      serviceAccountName: coredns
      priorityClassName: system-cluster-critical
      dnsPolicy: Default
      containers:
      - name: coredns
        image: $COREDNS_IMAGE
        imagePullPolicy: Never
        args: ["-conf", "/etc/coredns/Corefile"]
        ports:
        - { name: dns, containerPort: 53, protocol: UDP }
        - { name: dns-tcp, containerPort: 53, protocol: TCP }
        # Upstream's requests and probe timings: as BestEffort with 1 s probes, a busy node (HoldApplicationE2ETest's
        # burner) starved CoreDNS until the kubelet killed it for failed liveness probes, and lookups failed.
        resources:
          requests: { cpu: 100m, memory: 70Mi }
          limits: { memory: 170Mi }
        readinessProbe:
          httpGet: { path: /ready, port: 8181 }
          periodSeconds: 2
          timeoutSeconds: 5
        livenessProbe:
          httpGet: { path: /health, port: 8080 }
          initialDelaySeconds: 60
          periodSeconds: 10
          timeoutSeconds: 5
          failureThreshold: 5
        volumeMounts:
        - { name: config, mountPath: /etc/coredns, readOnly: true }
      volumes:
      - name: config
        configMap:
          name: coredns
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels:
    k8s-app: kube-dns
spec:
  clusterIP: $CLUSTER_DNS_IP
  selector:
    k8s-app: kube-dns
  ports:
  - { name: dns, port: 53, protocol: UDP }
  - { name: dns-tcp, port: 53, protocol: TCP }
EOF
}

# Asks CoreDNS through the Service IP from the host: that exercises kube-proxy's
# DNAT as well as CoreDNS itself.
# busybox's own resolver (not glibc's), so only $CLUSTER_DNS_IP is asked.
dns_answers() {
    local answer
    answer=$(timeout 5 busybox nslookup "kubernetes.default.svc.$CLUSTER_DOMAIN" "$CLUSTER_DNS_IP" 2>/dev/null) || true
    grep -q "Address:[[:space:]]*$KUBERNETES_SVC_IP\$" <<<"$answer"
}
