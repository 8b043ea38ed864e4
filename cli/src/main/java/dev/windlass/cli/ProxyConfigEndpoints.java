package dev.windlass.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code proxy-config endpoints}: from the proxy's {@code /clusters} text, as istioctl reads it. Each endpoint has a
 * line {@code CLUSTER::IP:PORT::health_flags::FLAGS}; the other lines (limits, active requests, workloads) are not
 * shown. As istioctl does, the outlier flag ({@code /failed_outlier_check}) is shown as OUTLIER-CHECK FAILED, not as
 * the STATUS, which comes from the endpoint's other health flags.
 */
final class ProxyConfigEndpoints {
    private static final String FAILED_OUTLIER_CHECK = "/failed_outlier_check";
    private ProxyConfigEndpoints() {
    }

    record Endpoint(String endpoint, String status, String outlierCheck, String cluster) {
    }

    static List<Endpoint> parse(String clustersText) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String line : clustersText.split("\n")) {
            String[] parts = line.split("::");
            if (parts.length == 4 && parts[2].equals("health_flags")) {
                String flags = parts[3];
                boolean ejected = flags.contains(FAILED_OUTLIER_CHECK);
                String others = flags.replace(FAILED_OUTLIER_CHECK, "");
                endpoints.add(new Endpoint(parts[1], status(others.isEmpty() ? "healthy" : others),
                        ejected ? "FAILED" : "OK", parts[0]));
            }
        }
        return endpoints;
    }

    /** Envoy prints {@code healthy}, or the failed checks joined by {@code /}. */
    private static String status(String flags) {
        return flags.equals("healthy") ? "HEALTHY" : "UNHEALTHY (" + flags.toUpperCase(Locale.ROOT) + ")";
    }

    static ProxyConfigTable table(List<Endpoint> endpoints) {
        ProxyConfigTable table = ProxyConfigTable.of("ENDPOINT", "STATUS", "OUTLIER-CHECK", "CLUSTER");
        for (Endpoint e : endpoints) {
            table = table.withRow(e.endpoint(), e.status(), e.outlierCheck(), e.cluster());
        }
        return table;
    }
}
