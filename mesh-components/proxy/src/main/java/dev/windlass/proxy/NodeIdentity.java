package dev.windlass.proxy;

import dev.windlass.contract.SpiffeId;

import java.util.regex.Pattern;

/** Who this proxy is, from the pod's downward-API variables; gives the xDS node id and the workload name. */
public record NodeIdentity(Role role, String podName, String namespace, String ip, String serviceAccount,
                           String workload, String revision) {
    // Kubernetes' pod-template-hash and pod suffix alphabet (no vowels, no 0/1/3).
    private static final Pattern POD_SUFFIX = Pattern.compile("[bcdfghjklmnpqrstvwxz2456789]{5}");
    private static final Pattern TEMPLATE_HASH = Pattern.compile("[bcdfghjklmnpqrstvwxz2456789]{6,10}");
    private static final Pattern ORDINAL = Pattern.compile("[0-9]+");

    /** {@code sidecar~<ip>~<pod>.<ns>~<ns>.svc.cluster.local}; gateways start with {@code router}. */
    public String nodeId() {
        return role.nodeType() + "~" + ip + "~" + podName + "." + namespace + "~" + namespace + ".svc.cluster.local";
    }

    /** The SPIFFE id the proxy asks the CA for; the CA only signs the one its token proves. */
    public SpiffeId spiffeId() {
        return new SpiffeId(SpiffeId.DEFAULT_TRUST_DOMAIN, namespace, serviceAccount);
    }

    /**
     * The workload a pod belongs to, from its name: a Deployment pod loses its ReplicaSet hash and pod suffix
     * ({@code reviews-v1-7bd9f8c6d4-x2k5p} → {@code reviews-v1}), a StatefulSet pod its ordinal.
     */
    public static String workloadOf(String podName) {
        String[] parts = podName.split("-");
        int end = parts.length;
        if (end > 1 && ORDINAL.matcher(parts[end - 1]).matches()) {
            end--;
        } else if (end > 1 && POD_SUFFIX.matcher(parts[end - 1]).matches()) {
            end--;
            if (end > 1 && TEMPLATE_HASH.matcher(parts[end - 1]).matches()) {
                end--;
            }
        }
        return String.join("-", java.util.Arrays.copyOf(parts, end));
    }
}
