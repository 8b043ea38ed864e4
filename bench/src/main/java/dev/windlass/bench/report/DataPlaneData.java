package dev.windlass.bench.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/** Queries over data-plane.json: one value per repetition for a shape, a topology and a field. */
final class DataPlaneData {
    static final String PRIMARY = "1000rps-16c";
    static final String WRK = "max-wrk-16c";
    private final JsonNode root;

    DataPlaneData(JsonNode root) {
        this.root = root;
    }

    JsonNode root() {
        return root;
    }

    List<String> shapes() {
        Set<String> shapes = new LinkedHashSet<>();
        root.path("measurements").forEach(m -> shapes.add(m.path("shape").asText()));
        return List.copyOf(shapes);
    }

    List<String> topologies() {
        Set<String> names = new LinkedHashSet<>(List.of("direct", "windlass", "nginx", "haproxy"));
        root.path("measurements").forEach(m -> names.add(m.path("topology").asText()));
        return List.copyOf(names);
    }

    /** The proxies' labels in the order they appear: client side, then server side, per topology. */
    List<String> proxies() {
        Set<String> labels = new LinkedHashSet<>();
        root.path("measurements").forEach(m -> m.path("proxies").forEach(p -> labels.add(p.path("proxy").asText())));
        return List.copyOf(labels);
    }

    /** A load figure (p50, p90, p99, p999, rps, errors) per repetition. */
    List<Double> load(String shape, String topology, String field) {
        return values(shape, topology, m -> m.path("load").path(field).asDouble());
    }

    /** A load percentile minus the direct topology's in the same repetition: the latency the proxies added. */
    List<Double> added(String shape, String topology, String field) {
        List<Double> added = new ArrayList<>();
        for (JsonNode m : measurements(shape, topology)) {
            int repeat = m.path("repeat").asInt();
            measurements(shape, "direct").stream().filter(d -> d.path("repeat").asInt() == repeat).findFirst()
                    .ifPresent(d -> added.add(m.path("load").path(field).asDouble() - d.path("load").path(field).asDouble()));
        }
        return added;
    }

    /** A proxy's usage figure (cpuSecondsPer1000Requests, cores, rssSteadyMiB, rssPeakMiB, cpuSeconds) per repetition. */
    List<Double> proxy(String shape, String label, String field) {
        List<Double> values = new ArrayList<>();
        for (JsonNode m : root.path("measurements")) {
            if (m.path("shape").asText().equals(shape)) {
                m.path("proxies").forEach(p -> {
                    if (p.path("proxy").asText().equals(label)) {
                        values.add(p.path(field).asDouble());
                    }
                });
            }
        }
        return values;
    }

    /** Requests per second per core the proxy used, at wrk's maximum rate: requests / the proxy's CPU seconds. */
    List<Double> rpsPerCore(String label) {
        List<Double> values = new ArrayList<>();
        for (JsonNode m : root.path("measurements")) {
            if (m.path("shape").asText().equals(WRK)) {
                m.path("proxies").forEach(p -> {
                    if (p.path("proxy").asText().equals(label) && p.path("cpuSeconds").asDouble() > 0) {
                        values.add(m.path("load").path("requests").asDouble() / p.path("cpuSeconds").asDouble());
                    }
                });
            }
        }
        return values;
    }

    private List<Double> values(String shape, String topology, ToDoubleFunction<JsonNode> field) {
        return measurements(shape, topology).stream().map(m -> field.applyAsDouble(m)).toList();
    }

    private List<JsonNode> measurements(String shape, String topology) {
        List<JsonNode> found = new ArrayList<>();
        root.path("measurements").forEach(m -> {
            if (m.path("shape").asText().equals(shape) && m.path("topology").asText().equals(topology)) {
                found.add(m);
            }
        });
        return found;
    }
}
