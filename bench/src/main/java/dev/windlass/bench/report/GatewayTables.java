package dev.windlass.bench.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The gateway benchmark (issue 18): requests per gateway core-second and requests per second per load and
 * gateway, medians over the repetitions with min – max, and the Windlass gateways' ratio to nginx's median.
 */
final class GatewayTables {
    private static final String NGINX = "nginx";

    private GatewayTables() {
    }

    static String section(Results.Part part) {
        JsonNode samples = part.data().path("samples");
        List<String> gateways = distinct(samples, "gateway");
        List<String> loads = distinct(samples, "load");
        return "\n### Gateway: plain HTTP and TLS termination\n\n" + RunDescription.source(part)
                + " Each gateway runs in the server pod in front of the fortio server, with 2 event loops or workers;"
                + " wrk (2 threads, 16 connections, GET of 1 KB) runs in the client pod; certificate: "
                + part.data().path("certificate").asText() + ". TLS_NEW_CONNECTION sends `Connection: close`, so"
                + " every request pays a TCP and TLS handshake. *Per core* is requests divided by the gateway's CPU"
                + " seconds (utime+stime of its process tree) during the load: the rate one busy core carries.\n\n"
                + "**Requests per gateway core-second** (median, min – max; ratio = Windlass's median / nginx's):\n\n"
                + table(samples, gateways, loads, "requestsPerCoreSecond", true)
                + "\n**Requests per second** (the machine's 2 cores are shared by wrk, the gateway and fortio):\n\n"
                + table(samples, gateways, loads, "rps", false)
                + "\n**p99 latency, ms** (wrk):\n\n" + table(samples, gateways, loads, "p99", false);
    }

    private static String table(JsonNode samples, List<String> gateways, List<String> loads, String field, boolean ratios) {
        StringBuilder md = new StringBuilder("| load |");
        gateways.forEach(g -> md.append(' ').append(g).append(" |"));
        List<String> windlass = gateways.stream().filter(g -> !g.equals(NGINX)).toList();
        if (ratios) {
            windlass.forEach(g -> md.append(' ').append(g).append(" / nginx |"));
        }
        md.append("\n|---|").append("---|".repeat(gateways.size() + (ratios ? windlass.size() : 0))).append('\n');
        int decimals = field.equals("p99") ? 2 : 0;
        for (String load : loads) {
            md.append("| ").append(load).append(" |");
            for (String gateway : gateways) {
                md.append(' ').append(Stats.spread(values(samples, gateway, load, field), decimals)).append(" |");
            }
            if (ratios) {
                double nginx = Stats.median(values(samples, NGINX, load, field));
                for (String gateway : windlass) {
                    md.append(' ').append(Stats.number(Stats.median(values(samples, gateway, load, field)) / nginx, 2))
                            .append(" |");
                }
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static List<Double> values(JsonNode samples, String gateway, String load, String field) {
        List<Double> values = new ArrayList<>();
        for (JsonNode sample : samples) {
            if (sample.path("repeat").asInt() > 0 && sample.path("gateway").asText().equals(gateway)
                    && sample.path("load").asText().equals(load)) {
                JsonNode value = sample.has(field) ? sample.path(field) : sample.path("result").path(field);
                values.add(value.asDouble());
            }
        }
        return values;
    }

    private static List<String> distinct(JsonNode samples, String field) {
        Set<String> seen = new LinkedHashSet<>();
        samples.forEach(s -> seen.add(s.path(field).asText()));
        return List.copyOf(seen);
    }
}
