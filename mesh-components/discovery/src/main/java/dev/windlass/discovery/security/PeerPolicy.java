package dev.windlass.discovery.security;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The mTLS one workload accepts, composed from the PeerAuthentications that apply to it: a mode for the
 * workload, and the ports (the pod's own port numbers) that have one of their own.
 */
public record PeerPolicy(MtlsMode mode, SortedMap<Integer, MtlsMode> ports) {
    /** No policy anywhere: Istio's default. */
    public static final PeerPolicy PERMISSIVE = new PeerPolicy(MtlsMode.PERMISSIVE, new TreeMap<>());

    public PeerPolicy {
        ports = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(ports));
    }

    public PeerPolicy(MtlsMode mode, Map<Integer, MtlsMode> ports) {
        this(mode, new TreeMap<>(ports));
    }

    /** The mode on one of the pod's ports. */
    public MtlsMode mode(int port) {
        return ports.getOrDefault(port, mode);
    }
}
