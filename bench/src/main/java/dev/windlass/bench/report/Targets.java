package dev.windlass.bench.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.windlass.bench.report.DataPlaneData.PRIMARY;
import static dev.windlass.bench.report.DataPlaneTables.row;
import static dev.windlass.bench.report.Stats.median;
import static dev.windlass.bench.report.Stats.number;

/** Issue 9's targets against the medians of the run: met, or missed by how much. MB in the targets is 10^6 bytes. */
final class Targets {
    private static final double MIB_PER_MB = 1e6 / (1 << 20);
    private final List<String> rows = new ArrayList<>();

    String table(Optional<DataPlaneData> dataPlane, Optional<JsonNode> discovery, Optional<JsonNode> cluster) {
        dataPlane.ifPresent(this::dataPlane);
        discovery.ifPresent(this::discovery);
        cluster.ifPresent(this::cluster);
        return "| target | limit | measured (median) | |\n|---|---|---|---|\n" + String.join("", rows);
    }

    private void dataPlane(DataPlaneData data) {
        double windlass = median(data.added(PRIMARY, "windlass", "p99"));
        double nginx = median(data.added(PRIMARY, "nginx", "p99"));
        add("added p99, 1000 rps, 1 KB, 16 connections (Istio's published figure), plain text between the sidecars",
                0.298, windlass, "ms", 3);
        add("added p99 at most nginx's, same run", nginx, windlass, "ms", 3);
        add("sidecar vCPU per 1000 rps (the busier sidecar)", 0.20, busierCpu(data, DataPlaneTables.PLAIN), "vCPU", 3);
        if (data.topologies().contains(DataPlaneTables.MTLS)) {
            mtls(data);
        }
        double steady = Math.max(median(data.proxy(PRIMARY, "windlass client", "rssSteadyMiB")),
                median(data.proxy(PRIMARY, "windlass server", "rssSteadyMiB")));
        add("sidecar steady RSS at 1000 rps", 60 * MIB_PER_MB, steady, "MiB", 1);
        List<Double> idle = new ArrayList<>();
        List<Double> ready = new ArrayList<>();
        data.root().path("windlassStartup").forEach(s -> {
            idle.add(s.path("idleRssMiB").asDouble());
            ready.add(s.path("readyMs").asDouble());
        });
        add("sidecar idle RSS", 40 * MIB_PER_MB, median(idle), "MiB", 1);
        add("sidecar start to ready", 1000, median(ready), "ms", 0);
    }

    /** Istio's published figures are measured with mTLS on: the same targets for the pair that has it on. */
    private void mtls(DataPlaneData data) {
        String pair = DataPlaneTables.MTLS;
        add("added p90, same load, mesh mTLS on (Istio's published figure, mTLS on)", 0.228,
                median(data.added(PRIMARY, pair, "p90")), "ms", 3);
        add("added p99, same load, mesh mTLS on (Istio's published figure, mTLS on)", 0.298,
                median(data.added(PRIMARY, pair, "p99")), "ms", 3);
        add("sidecar vCPU per 1000 rps, mesh mTLS on (the busier sidecar)", 0.20, busierCpu(data, pair), "vCPU", 3);
    }

    private static double busierCpu(DataPlaneData data, String topology) {
        return Math.max(median(data.proxy(PRIMARY, topology + " client", "cpuSecondsPer1000Requests")),
                median(data.proxy(PRIMARY, topology + " server", "cpuSecondsPer1000Requests")));
    }

    private void discovery(JsonNode results) {
        for (JsonNode n : results) {
            if (n.path("proxies").asInt() == 1000) {
                List<Double> pushes = new ArrayList<>();
                n.path("endpointPushMs").forEach(v -> pushes.add(v.asDouble()));
                add("discovery push to 1000 proxies (EndpointSlice change → all ACKed)", 1000, median(pushes), "ms", 0);
            }
        }
    }

    private void cluster(JsonNode cluster) {
        List<Double> seconds = new ArrayList<>();
        cluster.path("applyToReady").forEach(r -> {
            if (r.path("profile").asText().equals("default")) {
                seconds.add(r.path("seconds").asDouble());
            }
        });
        if (!seconds.isEmpty()) {
            add("operator apply → Ready, default profile", 30, median(seconds), "s", 1);
        }
    }

    private void add(String target, double limit, double measured, String unit, int decimals) {
        String verdict;
        if (Double.isNaN(measured) || Double.isNaN(limit)) {
            verdict = "not measured";
        } else if (measured <= limit) {
            verdict = "**met**";
        } else {
            verdict = "**missed** by " + number(measured - limit, decimals) + " " + unit
                    + (limit > 0 ? " (" + number(measured / limit, 1) + "×)" : "");
        }
        rows.add(row(List.of(target, number(limit, decimals) + " " + unit, number(measured, decimals) + " " + unit, verdict)));
    }
}
