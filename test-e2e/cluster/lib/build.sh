# shellcheck shell=bash
# `cluster build`: host packages, Kubernetes/etcd/CoreDNS binaries, local images.
# Everything lands in a cache keyed by version, so a second run is a no-op.

# Debian packages the node needs. Maps a command we rely on to its package so
# that we only touch apt when something is really missing.
declare -A HOST_PACKAGES=(
    [/usr/bin/containerd]=containerd
    [/usr/sbin/runc]=runc
    [/usr/lib/cni/bridge]=containernetworking-plugins
    [/usr/sbin/iptables]=iptables
    [/usr/sbin/conntrack]=conntrack
    [/usr/bin/openssl]=openssl
    [/usr/sbin/ip]=iproute2
    [/bin/busybox]=busybox-static
    [/usr/bin/gcc]=gcc
    [/usr/lib/x86_64-linux-gnu/libc.a]=libc6-dev
    [/usr/bin/nsenter]=util-linux
    [/usr/bin/pgrep]=procps
    [/usr/bin/curl]=curl
)

ensure_host_packages() {
    local path missing=()
    for path in "${!HOST_PACKAGES[@]}"; do
        [[ -e $path ]] || missing+=("${HOST_PACKAGES[$path]}")
    done
    # Debian's busybox (non-static) would also provide /bin/busybox but is
    # dynamically linked; the image needs the static one.
    dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' ||
        missing+=(busybox-static)
    if ((${#missing[@]} == 0)); then
        log "host packages: all present"
        return
    fi
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
    log "host packages: installing ${missing[*]}"
    # One update only when something is missing: the lists may be absent or stale.
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Go environment for all builds: caches live under ~/.cache/windlass/go so a
# warm machine rebuilds nothing, and the toolchain is never swapped behind our back.
go_env() {
    export GOMODCACHE="$GO_CACHE_ROOT/mod"
    export GOCACHE="$GO_CACHE_ROOT/build"
    export GOTOOLCHAIN=local
    export CGO_ENABLED=0
    export GOFLAGS="-buildvcs=false -mod=mod"
    mkdir -p "$GOMODCACHE" "$GOCACHE"
}

# Another engineer's Maven shares the two cores: keep Go builds polite.
nice_go() { nice -n 10 go "$@"; }

# k8s.io/kubernetes cannot be built with `go install pkg@version`: its go.mod
# replaces every staging module with ./staging/src/... . A scratch module that
# requires it and replaces each staging module by its published v0.x twin works.
write_kubernetes_module() {
    local dir="$1" minor="${K8S_VERSION#v1.}" upstream_mod staging godebug goline
    local staging_version="v0.${minor}"
    nice_go mod download -json "k8s.io/kubernetes@$K8S_VERSION" >/dev/null
    upstream_mod="$GOMODCACHE/cache/download/k8s.io/kubernetes/@v/$K8S_VERSION.mod"
    # The staging list and godebug default come from the tag itself, so a bump
    # to another minor does not need this script edited.
    mapfile -t staging < <(awk '/=> \.\/staging\/src\// { print $1 }' "$upstream_mod")
    ((${#staging[@]} > 0)) || die "no staging modules found in $upstream_mod"
    goline=$(awk '$1 == "go" { print; exit }' "$upstream_mod")
    godebug=$(awk '$1 == "godebug" { print; exit }' "$upstream_mod")
    {
        echo "module windlass.dev/e2e/kubernetes-build"
        echo
        echo "$goline"
        echo
        [[ -n $godebug ]] && printf '%s\n\n' "$godebug"
        echo "require k8s.io/kubernetes $K8S_VERSION"
        echo
        echo "replace ("
        local m
        for m in "${staging[@]}"; do
            printf '\t%s => %s %s\n' "$m" "$m" "$staging_version"
        done
        echo ")"
    } >"$dir/go.mod"
    log "kubernetes: scratch module with ${#staging[@]} staging replaces ($goline, ${godebug:-no godebug})"
}

kubernetes_ldflags() {
    local minor="${K8S_VERSION#v1.}"
    minor="${minor%%.*}"
    local build_date flags="-s -w" pkg
    build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    # Same variables hack/lib/version.sh sets: components report their real
    # version, which kubelet/apiserver skew checks and `kubectl version` read.
    for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
        flags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
        flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
    done
    echo "$flags"
}

build_kubernetes() {
    local b missing=()
    for b in "${K8S_BINARIES[@]}"; do
        [[ -x $BIN_DIR/$b ]] || missing+=("$b")
    done
    if ((${#missing[@]} == 0)); then
        log "kubernetes $K8S_VERSION: cached in $BIN_DIR"
        return
    fi
    local start dir pkgs=()
    start=$(now)
    dir="$CLUSTER_CACHE/src/kubernetes"
    mkdir -p "$dir"
    write_kubernetes_module "$dir"
    for b in "${missing[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
    log "kubernetes $K8S_VERSION: building ${missing[*]} (this takes a while on 2 cores)"
    # selinux,notest: the tags upstream's release build uses.
    (cd "$dir" && nice_go build -trimpath -tags selinux,notest \
        -ldflags "$(kubernetes_ldflags)" -o "$BIN_DIR/" "${pkgs[@]}")
    log "kubernetes $K8S_VERSION: built in $(elapsed_since "$start")s"
}

# Our tiny CRI client (see cri/main.go) compiles against the same staging
# modules, so it lives in the Kubernetes scratch module and reuses its cache.
build_cri_tool() {
    if [[ -x $BIN_DIR/windlass-cri && $BIN_DIR/windlass-cri -nt $CLUSTER_SCRIPT_DIR/cri/main.go ]]; then
        log "windlass-cri: cached"
        return
    fi
    local dir="$CLUSTER_CACHE/src/kubernetes"
    [[ -f $dir/go.mod ]] || write_kubernetes_module "$dir"
    mkdir -p "$dir/cmd/windlass-cri"
    cp "$CLUSTER_SCRIPT_DIR/cri/main.go" "$dir/cmd/windlass-cri/main.go"
    (cd "$dir" && nice_go build -trimpath -ldflags "-s -w" -o "$BIN_DIR/windlass-cri" ./cmd/windlass-cri)
    log "windlass-cri: built"
}

# etcd's server module also has replace directives, but they are ignored when
# it is a dependency, so a plain scratch module that requires it is enough.
build_etcd() {
    if [[ -x $BIN_DIR/etcd ]]; then
        log "etcd $ETCD_VERSION: cached"
        return
    fi
    local start dir
    start=$(now)
    dir="$CLUSTER_CACHE/src/etcd"
    mkdir -p "$dir"
    printf 'module windlass.dev/e2e/etcd-build\n\ngo 1.23\n\nrequire go.etcd.io/etcd/server/v3 %s\n' \
        "$ETCD_VERSION" >"$dir/go.mod"
    log "etcd $ETCD_VERSION: building"
    (cd "$dir" && nice_go build -trimpath -ldflags "-s -w" -o "$BIN_DIR/etcd" go.etcd.io/etcd/server/v3)
    log "etcd $ETCD_VERSION: built in $(elapsed_since "$start")s"
}

# CoreDNS has no replace directives: `go install` works directly.
build_coredns() {
    if [[ -x $BIN_DIR/coredns ]]; then
        log "coredns $COREDNS_VERSION: cached"
        return
    fi
    local start
    start=$(now)
    log "coredns $COREDNS_VERSION: building"
    (cd / && GOFLAGS=-buildvcs=false GOBIN="$BIN_DIR" nice_go install -trimpath -ldflags "-s -w" \
        "github.com/coredns/coredns@$COREDNS_VERSION")
    log "coredns $COREDNS_VERSION: built in $(elapsed_since "$start")s"
}

# write_docker_archive OUT_TAR REPO_TAG ROOTFS_DIR CONFIG_JSON
# Writes a single-layer docker-archive (what `ctr images import` reads) by hand:
# we have no Docker engine and no registry. The layer tar is reproducible
# (sorted, zero mtimes, root owner) so its digest only changes with content.
write_docker_archive() {
    local out="$1" tag="$2" rootfs="$3" config="$4" work diff_id config_digest
    work=$(mktemp -d)
    mkdir -p "$work/layer"
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
        -C "$rootfs" -cf "$work/layer/layer.tar" .
    diff_id=$(sha256sum "$work/layer/layer.tar" | cut -d' ' -f1)
    printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
        "$config" "$diff_id" >"$work/config.json"
    config_digest=$(sha256sum "$work/config.json" | cut -d' ' -f1)
    mv "$work/config.json" "$work/$config_digest.json"
    printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["layer/layer.tar"]}]' \
        "$config_digest" "$tag" >"$work/manifest.json"
    mkdir -p "$(dirname "$out")"
    tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
        -C "$work" -cf "$out.tmp" manifest.json "$config_digest.json" layer
    mv "$out.tmp" "$out"
    rm -rf "$work"
}

build_pause_image() {
    local out="$IMAGES_DIR/pause.tar"
    if [[ -s $out ]]; then
        log "pause image: cached"
        return
    fi
    local rootfs
    rootfs=$(mktemp -d)
    gcc -Os -static -Wall -Werror -o "$rootfs/pause" "$CLUSTER_SCRIPT_DIR/images/pause.c"
    strip "$rootfs/pause"
    write_docker_archive "$out" "$PAUSE_IMAGE" "$rootfs" '{"Entrypoint":["/pause"]}'
    rm -rf "$rootfs"
    log "pause image: $out"
}

# A busybox-static image: httpd as a server and wget as a client is all the
# smoke test needs, and Debian ships the binary, so nothing is pulled.
build_busybox_image() {
    local out="$IMAGES_DIR/busybox.tar"
    if [[ -s $out ]]; then
        log "busybox image: cached"
        return
    fi
    local rootfs applet
    rootfs=$(mktemp -d)
    mkdir -p "$rootfs"/{bin,etc,tmp,var/www,root}
    chmod 1777 "$rootfs/tmp"
    cp /bin/busybox "$rootfs/bin/busybox"
    for applet in $(/bin/busybox --list); do
        [[ $applet == busybox ]] || ln -s busybox "$rootfs/bin/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$rootfs/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
    write_docker_archive "$out" "$BUSYBOX_IMAGE" "$rootfs" \
        '{"Env":["PATH=/bin"],"Cmd":["/bin/sh"],"WorkingDir":"/"}'
    rm -rf "$rootfs"
    log "busybox image: $out"
}

# CoreDNS runs as a pod so that the 10.96.0.10 Service routes to it through
# kube-proxy exactly like in a real cluster.
build_coredns_image() {
    local out="$IMAGES_DIR/coredns.tar"
    if [[ -s $out && $out -nt $BIN_DIR/coredns ]]; then
        log "coredns image: cached"
        return
    fi
    local rootfs
    rootfs=$(mktemp -d)
    mkdir -p "$rootfs/etc/coredns"
    cp "$BIN_DIR/coredns" "$rootfs/coredns"
    write_docker_archive "$out" "$COREDNS_IMAGE" "$rootfs" \
        '{"Entrypoint":["/coredns"],"Cmd":["-conf","/etc/coredns/Corefile"]}'
    rm -rf "$rootfs"
    log "coredns image: $out"
}

# fabric8 kube-api-test looks for exactly these three binaries in
# <dir>/k8s/<version>-linux-amd64/ and then never downloads anything.
layout_kube_api_test() {
    local dir b
    dir="$KUBE_API_TEST_ROOT/k8s/${K8S_VERSION#v}-linux-amd64"
    mkdir -p "$dir"
    for b in kube-apiserver etcd kubectl; do
        ln -sfn "$BIN_DIR/$b" "$dir/$b"
    done
    log "kube-api-test binaries: $dir"
}

cmd_build() {
    require_root
    local start
    start=$(now)
    mkdir -p "$BIN_DIR" "$IMAGES_DIR"
    ensure_host_packages
    go_env
    build_etcd
    build_coredns
    build_kubernetes
    build_cri_tool
    build_pause_image
    build_busybox_image
    build_coredns_image
    layout_kube_api_test
    log "build done in $(elapsed_since "$start")s: binaries in $BIN_DIR"
}
