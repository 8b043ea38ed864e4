# shellcheck shell=bash
# PKI and kubeconfigs for the local cluster, made with openssl.
# Generated once per run dir; `up` on an existing run dir reuses them.

# issue_cert NAME SUBJECT [SAN] [USAGE]
# P-256 keys: generating a dozen RSA keys would cost seconds on every cold `up`.
issue_cert() {
    local name="$1" subject="$2" san="${3:-}" usage="${4:-clientAuth}" pki="$PKI_DIR" ext
    [[ -s $pki/$name.crt ]] && return
    openssl ecparam -name prime256v1 -genkey -noout -out "$pki/$name.key" 2>/dev/null
    ext="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=$usage"
    [[ -n $san ]] && ext+=$'\n'"subjectAltName=$san"
    openssl req -new -key "$pki/$name.key" -subj "$subject" -out "$pki/$name.csr" 2>/dev/null
    openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
        -CAcreateserial -days 365 -sha256 -extfile <(echo "$ext") -out "$pki/$name.crt" 2>/dev/null
    rm -f "$pki/$name.csr"
}

generate_pki() {
    local pki="$PKI_DIR"
    mkdir -p "$pki"
    chmod 700 "$pki"
    if [[ ! -s $pki/ca.crt ]]; then
        openssl ecparam -name prime256v1 -genkey -noout -out "$pki/ca.key" 2>/dev/null
        openssl req -x509 -new -key "$pki/ca.key" -subj "/CN=windlass-e2e-ca" -days 365 -sha256 \
            -addext "basicConstraints=critical,CA:TRUE" \
            -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
            -out "$pki/ca.crt" 2>/dev/null
    fi
    local svc_dns="DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
    svc_dns+=",DNS:kubernetes.default.svc.$CLUSTER_DOMAIN,DNS:localhost"
    issue_cert apiserver "/CN=kube-apiserver" \
        "$svc_dns,IP:$KUBERNETES_SVC_IP,IP:127.0.0.1,IP:$NODE_IP" serverAuth
    issue_cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
    issue_cert admin "/O=system:masters/CN=windlass-admin"
    issue_cert controller-manager "/CN=system:kube-controller-manager"
    issue_cert scheduler "/CN=system:kube-scheduler"
    issue_cert kube-proxy "/CN=system:kube-proxy"
    issue_cert kubelet-client "/O=system:nodes/CN=system:node:$NODE_NAME"
    issue_cert kubelet-serving "/CN=$NODE_NAME" "DNS:$NODE_NAME,IP:$NODE_IP,IP:127.0.0.1" serverAuth
    # Service-account tokens are signed with an RSA key (what every client expects).
    if [[ ! -s $pki/sa.key ]]; then
        openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
        openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
    fi
}

# write_kubeconfig FILE CERT_NAME USER
# Every component talks to the apiserver over loopback.
write_kubeconfig() {
    local file="$1" cert="$2" user="$3" pki="$PKI_DIR"
    [[ -s $file ]] && return
    cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: windlass-e2e
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $(base64 -w0 <"$pki/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 <"$pki/$cert.crt")
    client-key-data: $(base64 -w0 <"$pki/$cert.key")
contexts:
- name: windlass-e2e
  context:
    cluster: windlass-e2e
    user: $user
current-context: windlass-e2e
EOF
    chmod 600 "$file"
}

generate_kubeconfigs() {
    write_kubeconfig "$RUN_DIR/kubeconfig" admin windlass-admin
    mkdir -p "$RUN_DIR/kubeconfigs"
    write_kubeconfig "$RUN_DIR/kubeconfigs/controller-manager" controller-manager system:kube-controller-manager
    write_kubeconfig "$RUN_DIR/kubeconfigs/scheduler" scheduler system:kube-scheduler
    write_kubeconfig "$RUN_DIR/kubeconfigs/kube-proxy" kube-proxy system:kube-proxy
    write_kubeconfig "$RUN_DIR/kubeconfigs/kubelet" kubelet-client "system:node:$NODE_NAME"
}
