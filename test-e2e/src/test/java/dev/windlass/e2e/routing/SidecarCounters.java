package dev.windlass.e2e.routing;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one sidecar has counted of the stream-echo sample's traffic, read from its admin port: WebSocket tunnels
 * (Envoy's {@code downstream_cx_upgrades_total} and {@code _active}) and finished gRPC requests from the load client
 * to stream-echo, answered 200, as that sidecar reports them ({@code windlass_requests_total}).
 */
record SidecarCounters(long upgradesTotal, long upgradesActive, long grpcRequests) {
    private static final Pattern SERIES = Pattern.compile("(?m)^windlass_requests_total\\{([^}]*)} (\\d+)$");

    /**
     * @param reporter       {@code source} for the client's sidecar, {@code destination} for the server's
     * @param extraLabels    further label pairs the series must carry, such as {@code connection_security_policy="mutual_tls"}
     */
    static SidecarCounters read(MeshApps apps, String namespace, Pod pod, String reporter, String... extraLabels) throws Exception {
        String stats = apps.admin(namespace, pod, "/stats");
        String prometheus = apps.admin(namespace, pod, "/stats/prometheus");
        return new SidecarCounters(stat(stats, "windlass.downstream_cx_upgrades_total"),
                stat(stats, "windlass.downstream_cx_upgrades_active"), grpcRequests(prometheus, reporter, extraLabels));
    }

    static long stat(String stats, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + ": (\\d+)$").matcher(stats);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in the sidecar's /stats");
        }
        return Long.parseLong(m.group(1));
    }

    /** The gRPC stream shows as the only 200 between these workloads: the WebSocket's exchange ended in a 101. */
    private static long grpcRequests(String prometheus, String reporter, String... extraLabels) {
        long sum = 0;
        Matcher m = SERIES.matcher(prometheus);
        while (m.find()) {
            String labels = m.group(1);
            boolean match = labels.contains("reporter=\"" + reporter + "\"") && labels.contains("source_workload=\"load-client\"")
                    && labels.contains("destination_workload=\"stream-echo-v1\"") && labels.contains("response_code=\"200\"");
            for (String extra : extraLabels) {
                match &= labels.contains(extra);
            }
            sum += match ? Long.parseLong(m.group(2)) : 0;
        }
        return sum;
    }
}
