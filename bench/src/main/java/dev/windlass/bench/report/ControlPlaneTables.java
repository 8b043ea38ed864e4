package dev.windlass.bench.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.windlass.bench.report.DataPlaneTables.row;
import static dev.windlass.bench.report.Stats.number;
import static dev.windlass.bench.report.Stats.spread;

/** The control-plane tables: the discovery server under N simulated proxies; apply to Ready; the operator. */
final class ControlPlaneTables {
    private ControlPlaneTables() {
    }

    static String discovery(JsonNode results) {
        StringBuilder md = new StringBuilder("| proxies | first full config for all, ms | EndpointSlice change → all ACKed, ms | new Service → all ACKed (RDS), ms | CPU s to connect all | CPU ms per proxy | RSS idle → connected, MiB | RSS KiB per proxy | CPU s for the pushes | streams lost |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode n : results) {
            double proxies = n.path("proxies").asDouble();
            double idle = n.path("rssIdleMiB").asDouble();
            double connected = n.path("rssConnectedMiB").asDouble();
            String first = n.path("incomplete").asLong() > 0
                    ? "not all after 120 s (" + n.path("incomplete").asLong() + " without)" : number(n.path("firstFullConfigMs").asDouble(), 0);
            md.append(row(List.of(number(proxies, 0), first, pushes(n.path("endpointPushMs")), pushes(n.path("servicePushMs")),
                    number(n.path("connectCpuSeconds").asDouble(), 2),
                    number(n.path("connectCpuSeconds").asDouble() * 1000 / proxies, 2),
                    number(idle, 0) + " → " + number(connected, 0), number((connected - idle) * 1024 / proxies, 0),
                    number(n.path("pushCpuSeconds").asDouble(), 2), n.path("streamsEnded").asText())));
        }
        return md.toString();
    }

    private static String pushes(JsonNode values) {
        List<Double> ms = new ArrayList<>();
        values.forEach(v -> ms.add(v.asDouble()));
        if (ms.stream().anyMatch(v -> v < 0)) {
            return "timed out (120 s)";
        }
        return ms.isEmpty() ? "–" : spread(ms, 0);
    }

    static String applyToReady(JsonNode cluster) {
        Map<String, List<Double>> byProfile = new LinkedHashMap<>();
        cluster.path("applyToReady").forEach(r ->
                byProfile.computeIfAbsent(r.path("profile").asText(), p -> new ArrayList<>()).add(r.path("seconds").asDouble()));
        StringBuilder md = new StringBuilder("| profile | seconds, each round | median (min – max) |\n|---|---|---|\n");
        byProfile.forEach((profile, seconds) -> md.append(row(List.of(profile,
                String.join(", ", seconds.stream().map(s -> number(s, 1)).toList()), spread(seconds, 1)))));
        return md.toString();
    }

    static String operator(JsonNode cluster) {
        JsonNode op = cluster.path("operator");
        return "| | CPU | RSS MiB |\n|---|---|---|\n"
                + row(List.of("idle (" + op.path("idleSeconds").asText() + " s, no MeshControlPlane)",
                number(op.path("idleCores").asDouble() * 1000, 1) + " millicores", number(op.path("idleRssMiB").asDouble(), 1)))
                + row(List.of("during the apply-to-Ready rounds (" + number(op.path("reconcileWallSeconds").asDouble(), 0)
                        + " s of installs and uninstalls)", number(op.path("reconcileCpuSeconds").asDouble(), 1)
                        + " CPU s, " + number(op.path("reconcileCores").asDouble() * 1000, 1) + " millicores on average",
                "peak " + number(op.path("peakRssMiB").asDouble(), 1) + ", after " + number(op.path("rssAfterMiB").asDouble(), 1)));
    }
}
