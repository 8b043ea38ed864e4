package dev.windlass.discovery.auth;

import dev.windlass.contract.SpiffeId;

/** Who called, as the apiserver vouched for their ServiceAccount token; {@code podName} empty for a token bound to no pod. */
public record Caller(String namespace, String serviceAccount, String podName) {
    public SpiffeId identity(String trustDomain) {
        return new SpiffeId(trustDomain, namespace, serviceAccount);
    }

    @Override
    public String toString() {
        return "ServiceAccount " + namespace + "/" + serviceAccount + (podName.isEmpty() ? "" : " of pod " + namespace + "/" + podName);
    }
}
