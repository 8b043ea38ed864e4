package dev.windlass.init;

import dev.windlass.contract.MeshPorts;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the init container captures, as an immutable value. {@link #defaults()} is the design's default: the proxy
 * runs as UID/GID 1337, inbound capture on 15006, outbound capture on 15001, every outbound address and every inbound
 * port captured. The five traffic annotations ({@code traffic.sidecar.windlass.dev/*}) change the last five fields.
 *
 * @param proxyUid                 the proxy's UID; its own traffic is never captured again
 * @param proxyGid                 the proxy's GID, likewise
 * @param inboundCapturePort       where inbound connections are redirected (the proxy's virtualInbound)
 * @param outboundCapturePort      where outbound connections are redirected (the proxy's virtualOutbound)
 * @param includeOutboundIpRanges  outbound destinations to capture
 * @param excludeOutboundIpRanges  outbound destinations never captured (checked before the inclusions)
 * @param includeInboundPorts      inbound ports to capture
 * @param excludeInboundPorts      inbound ports never captured, in addition to {@link #ALWAYS_EXCLUDED_INBOUND_PORTS}
 * @param excludeOutboundPorts     outbound destination ports never captured
 */
public record CaptureConfig(
        int proxyUid,
        int proxyGid,
        int inboundCapturePort,
        int outboundCapturePort,
        IpRanges includeOutboundIpRanges,
        SortedSet<Ipv4Cidr> excludeOutboundIpRanges,
        PortSelection includeInboundPorts,
        SortedSet<Integer> excludeInboundPorts,
        SortedSet<Integer> excludeOutboundPorts) {

    public static final int PROXY_UID = 1337;
    public static final int PROXY_GID = 1337;
    /**
     * Proxy admin (15000), merged metrics (15020), readiness (15021) and proxy metrics (15090): never captured.
     * Only MeshPorts' compile-time constants, which javac inlines: the init program has no runtime dependency.
     */
    public static final SortedSet<Integer> ALWAYS_EXCLUDED_INBOUND_PORTS = Collections.unmodifiableSortedSet(new TreeSet<>(
            List.of(MeshPorts.PROXY_ADMIN, MeshPorts.PROXY_STATUS, MeshPorts.PROXY_READINESS, MeshPorts.PROXY_METRICS)));

    public CaptureConfig {
        if (proxyUid < 0 || proxyGid < 0) {
            throw new IllegalArgumentException("proxy UID and GID must not be negative");
        }
        PortSelection.checkPort(inboundCapturePort);
        PortSelection.checkPort(outboundCapturePort);
        Objects.requireNonNull(includeOutboundIpRanges, "includeOutboundIpRanges");
        Objects.requireNonNull(includeInboundPorts, "includeInboundPorts");
        excludeOutboundIpRanges = sortedCopy(excludeOutboundIpRanges);
        excludeInboundPorts = sortedPorts(excludeInboundPorts);
        excludeOutboundPorts = sortedPorts(excludeOutboundPorts);
    }

    public static CaptureConfig defaults() {
        return new CaptureConfig(PROXY_UID, PROXY_GID, MeshPorts.INBOUND_CAPTURE, MeshPorts.OUTBOUND_CAPTURE,
                IpRanges.ALL, new TreeSet<>(), PortSelection.ALL, new TreeSet<>(), new TreeSet<>());
    }

    /** The inbound ports never captured: the always-excluded proxy ports plus the annotation's. */
    public SortedSet<Integer> effectiveExcludedInboundPorts() {
        TreeSet<Integer> ports = new TreeSet<>(ALWAYS_EXCLUDED_INBOUND_PORTS);
        ports.addAll(excludeInboundPorts);
        return Collections.unmodifiableSortedSet(ports);
    }

    public CaptureConfig withIncludeOutboundIpRanges(IpRanges ranges) {
        return new CaptureConfig(proxyUid, proxyGid, inboundCapturePort, outboundCapturePort, ranges,
                excludeOutboundIpRanges, includeInboundPorts, excludeInboundPorts, excludeOutboundPorts);
    }

    public CaptureConfig withExcludeOutboundIpRanges(Collection<Ipv4Cidr> ranges) {
        return new CaptureConfig(proxyUid, proxyGid, inboundCapturePort, outboundCapturePort, includeOutboundIpRanges,
                new TreeSet<>(ranges), includeInboundPorts, excludeInboundPorts, excludeOutboundPorts);
    }

    public CaptureConfig withIncludeInboundPorts(PortSelection ports) {
        return new CaptureConfig(proxyUid, proxyGid, inboundCapturePort, outboundCapturePort, includeOutboundIpRanges,
                excludeOutboundIpRanges, ports, excludeInboundPorts, excludeOutboundPorts);
    }

    public CaptureConfig withExcludeInboundPorts(Collection<Integer> ports) {
        return new CaptureConfig(proxyUid, proxyGid, inboundCapturePort, outboundCapturePort, includeOutboundIpRanges,
                excludeOutboundIpRanges, includeInboundPorts, new TreeSet<>(ports), excludeOutboundPorts);
    }

    public CaptureConfig withExcludeOutboundPorts(Collection<Integer> ports) {
        return new CaptureConfig(proxyUid, proxyGid, inboundCapturePort, outboundCapturePort, includeOutboundIpRanges,
                excludeOutboundIpRanges, includeInboundPorts, excludeInboundPorts, new TreeSet<>(ports));
    }

    private static <T extends Comparable<T>> SortedSet<T> sortedCopy(Collection<T> values) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(values));
    }

    private static SortedSet<Integer> sortedPorts(Collection<Integer> ports) {
        ports.forEach(PortSelection::checkPort);
        return sortedCopy(ports);
    }
}
