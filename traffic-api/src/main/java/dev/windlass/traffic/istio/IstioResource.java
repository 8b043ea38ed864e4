package dev.windlass.traffic.istio;

import java.time.Instant;

/**
 * One parsed Istio resource: where it lives, when it was created (Istio breaks ties between conflicting resources
 * by age), its generation (for status) and its typed spec.
 */
public record IstioResource<S>(IstioKind kind, String namespace, String name, Instant created, long generation,
                               S spec) {

    public String key() {
        return namespace + "/" + name;
    }

    /** How findings and messages name a resource: {@code VirtualService bookinfo/reviews}. */
    public String displayName() {
        return kind.kind() + " " + namespace + "/" + name;
    }
}
