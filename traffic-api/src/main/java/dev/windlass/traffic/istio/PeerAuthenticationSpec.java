package dev.windlass.traffic.istio;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The spec of a PeerAuthentication ({@code security.istio.io}, v1beta1 and v1 alike): which workloads it covers
 * (none named: the whole namespace, or the whole mesh in the root namespace), the mTLS mode their sidecars accept,
 * and per workload port ({@code portLevelMtls}, keyed by the port the pod listens on) a mode of its own.
 */
public record PeerAuthenticationSpec(WorkloadSelector selector, Mtls mtls, Map<String, Mtls> portLevelMtls) {
    public static final String UNSET = "UNSET";
    public static final String DISABLE = "DISABLE";
    public static final String PERMISSIVE = "PERMISSIVE";
    public static final String STRICT = "STRICT";
    public static final List<String> MODES = List.of(UNSET, DISABLE, PERMISSIVE, STRICT);

    public PeerAuthenticationSpec {
        portLevelMtls = java.util.Collections.unmodifiableMap(new TreeMap<>(Nulls.map(portLevelMtls)));
    }

    /** Whether the policy names workloads; without, it is the namespace's (or, in the root namespace, the mesh's). */
    public boolean selectsWorkloads() {
        return selector != null && !selector.matchLabels().isEmpty();
    }

    /** The mode the policy sets, {@code UNSET} when it sets none. */
    public String mode() {
        return mtls == null || mtls.mode() == null ? UNSET : mtls.mode();
    }

    /** A mode: {@code UNSET} (inherit), {@code DISABLE}, {@code PERMISSIVE} or {@code STRICT}. */
    public record Mtls(String mode) {
    }
}
