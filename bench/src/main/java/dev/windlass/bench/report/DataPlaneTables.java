package dev.windlass.bench.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static dev.windlass.bench.report.Stats.spread;

/**
 * The data-plane tables in Markdown: latency and added latency per load, proxy CPU and memory, the mTLS and
 * io_uring pairs beside the plain epoll one, start-up.
 */
final class DataPlaneTables {
    private static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p999");
    static final String PLAIN = "windlass";
    static final String MTLS = "windlass-mtls";
    static final String IO_URING = "windlass-io_uring";
    static final String BASELINE = "windlass-baseline";
    private final DataPlaneData data;

    DataPlaneTables(DataPlaneData data) {
        this.data = data;
    }

    /** Fortio's percentiles per load and topology, and what each topology added over direct (ms). */
    String latency() {
        StringBuilder md = new StringBuilder("| load | topology | p50 | p90 | p99 | p99.9 | added p50 | added p90 | added p99 | added p99.9 | errors |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String shape : data.shapes()) {
            if (shape.equals(DataPlaneData.WRK)) {
                continue;
            }
            for (String topology : data.topologies()) {
                List<String> cells = new ArrayList<>(List.of(shape, topology));
                PERCENTILES.forEach(p -> cells.add(spread(data.load(shape, topology, p), 3)));
                PERCENTILES.forEach(p -> cells.add(topology.equals("direct") ? "" : spread(data.added(shape, topology, p), 3)));
                cells.add(Stats.number(data.load(shape, topology, "errors").stream().mapToDouble(d -> d).sum(), 0));
                md.append(row(cells));
            }
        }
        return md.toString();
    }

    /** Each proxy's CPU per 1000 requests, RSS, and its throughput at wrk's maximum rate. */
    String proxies() {
        StringBuilder md = new StringBuilder("| proxy | CPU s / 1000 req, 1000 rps 16 conn | 1000 rps 4 conn | 100 rps | idle RSS MiB | steady RSS MiB, 1000 rps 16 conn | peak RSS MiB (any load) | max rps per proxy core (wrk) |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        JsonNode idle = data.root().path("idleRssMiB");
        for (String proxy : data.proxies()) {
            List<Double> peaks = new ArrayList<>();
            data.shapes().forEach(s -> peaks.addAll(data.proxy(s, proxy, "rssPeakMiB")));
            md.append(row(List.of(proxy, spread(data.proxy(DataPlaneData.PRIMARY, proxy, "cpuSecondsPer1000Requests"), 3),
                    spread(data.proxy("1000rps-4c", proxy, "cpuSecondsPer1000Requests"), 3),
                    spread(data.proxy("100rps-16c", proxy, "cpuSecondsPer1000Requests"), 3),
                    Stats.number(idle.path(proxy).asDouble(Double.NaN), 1),
                    spread(data.proxy(DataPlaneData.PRIMARY, proxy, "rssSteadyMiB"), 1),
                    Stats.number(peaks.stream().mapToDouble(d -> d).max().orElse(Double.NaN), 1),
                    spread(data.rpsPerCore(proxy), 0))));
        }
        return md.toString();
    }

    /** wrk's maximum rate through each topology, with its own percentiles. */
    String throughput() {
        StringBuilder md = new StringBuilder("| topology | requests/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|\n");
        for (String topology : data.topologies()) {
            md.append(row(List.of(topology, spread(data.load(DataPlaneData.WRK, topology, "rps"), 0),
                    spread(data.load(DataPlaneData.WRK, topology, "p50"), 3), spread(data.load(DataPlaneData.WRK, topology, "p99"), 3),
                    Stats.number(data.load(DataPlaneData.WRK, topology, "errors").stream().mapToDouble(d -> d).sum(), 0))));
        }
        return md.toString();
    }

    /** The mTLS pair beside the plain-text pair: what mTLS changed. */
    String mtls() {
        return beside(MTLS, "`" + PLAIN + "`: plain text between the sidecars",
                "`" + MTLS + "`: mesh mTLS, both sidecars certified", "mTLS − plain text");
    }

    /** The io_uring pair beside the epoll pair (issue 21): what the transport changed. */
    String ioUring() {
        return beside(IO_URING, "`" + PLAIN + "`: epoll", "`" + IO_URING + "`: io_uring", "io_uring − epoll");
    }

    /**
     * The baseline build's pair beside this commit's (issue 25 must-show 5: what strict parsing and the rest since
     * that commit cost), and the change of both sidecars' CPU per 1000 requests together, in percent.
     */
    String baseline(String commit) {
        List<Double> now = new ArrayList<>();
        List<Double> before = new ArrayList<>();
        for (String side : List.of("client", "server")) {
            now.add(Stats.median(data.proxy(DataPlaneData.PRIMARY, PLAIN + " " + side, "cpuSecondsPer1000Requests")));
            before.add(Stats.median(data.proxy(DataPlaneData.PRIMARY, BASELINE + " " + side, "cpuSecondsPer1000Requests")));
        }
        double change = 100 * (now.stream().mapToDouble(d -> d).sum() / before.stream().mapToDouble(d -> d).sum() - 1);
        return beside(BASELINE, "`" + PLAIN + "`: this commit", "`" + BASELINE + "`: commit " + commit,
                "baseline − this commit") + "\nBoth sidecars' CPU per 1000 requests (sum of the medians), this commit "
                + "against commit " + commit + ": **" + (change >= 0 ? "+" : "") + Stats.number(change, 1) + " %**.\n";
    }

    /**
     * Another Windlass pair beside the plain one at 1000 requests/s, 16 connections: added latency, each sidecar's
     * CPU per 1000 requests and steady RSS, wrk's maximum rate, and the difference of the medians.
     */
    private String beside(String pair, String plainHeader, String pairHeader, String differenceHeader) {
        StringBuilder md = new StringBuilder("| 1000 rps, 16 conn | " + plainHeader + " | " + pairHeader + " | "
                + differenceHeader + " |\n|---|---|---|---|\n");
        for (String p : List.of("p50", "p90", "p99")) {
            md.append(compared("added " + p + ", ms", data.added(DataPlaneData.PRIMARY, PLAIN, p),
                    data.added(DataPlaneData.PRIMARY, pair, p), 3));
        }
        for (String side : List.of("client", "server")) {
            md.append(compared("CPU s / 1000 req, " + side + " sidecar",
                    data.proxy(DataPlaneData.PRIMARY, PLAIN + " " + side, "cpuSecondsPer1000Requests"),
                    data.proxy(DataPlaneData.PRIMARY, pair + " " + side, "cpuSecondsPer1000Requests"), 3));
            md.append(compared("steady RSS MiB, " + side + " sidecar",
                    data.proxy(DataPlaneData.PRIMARY, PLAIN + " " + side, "rssSteadyMiB"),
                    data.proxy(DataPlaneData.PRIMARY, pair + " " + side, "rssSteadyMiB"), 1));
        }
        md.append(compared("wrk requests/s (its own load, not 1000 rps)", data.load(DataPlaneData.WRK, PLAIN, "rps"),
                data.load(DataPlaneData.WRK, pair, "rps"), 0));
        return md.toString();
    }

    private static String compared(String what, List<Double> plain, List<Double> other, int decimals) {
        return row(List.of(what, spread(plain, decimals), spread(other, decimals),
                Stats.number(Stats.median(other) - Stats.median(plain), decimals)));
    }

    /** The Windlass client sidecar restarted once per repetition: process start to ready, and idle RSS 5 s later. */
    String startup() {
        List<Double> ready = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        data.root().path("windlassStartup").forEach(s -> {
            ready.add(s.path("readyMs").asDouble());
            rss.add(s.path("idleRssMiB").asDouble());
        });
        return "| | median (min – max) | each run |\n|---|---|---|\n"
                + row(List.of("start → `/healthz/ready` 200, ms", spread(ready, 0), join(ready, 0)))
                + row(List.of("idle RSS 5 s after ready, MiB", spread(rss, 1), join(rss, 1)));
    }

    /** Per sidecar: where its CPU samples were (leaf method, and the first Windlass frame on the stack), as shares. */
    String profile() {
        StringBuilder md = new StringBuilder();
        for (JsonNode sidecar : data.root().path("windlassProfile")) {
            double samples = sidecar.path("samples").asDouble();
            md.append("\n").append(sidecar.path("proxy").asText()).append(", ").append((long) samples)
                    .append(" CPU samples:\n\n| first Windlass frame on the stack | share | package of the leaf method | share | leaf method | share |\n|---|---|---|---|---|---|\n");
            List<List<String[]>> columns = List.of(shares(sidecar.path("windlassFrames"), samples),
                    shares(sidecar.path("leafPackages"), samples), shares(sidecar.path("leafMethods"), samples));
            int rows = columns.stream().mapToInt(List::size).max().orElse(0);
            for (int i = 0; i < rows; i++) {
                List<String> cells = new ArrayList<>();
                for (List<String[]> column : columns) {
                    String[] cell = i < column.size() ? column.get(i) : new String[] {"", ""};
                    cells.addAll(List.of(cell));
                }
                md.append(row(cells));
            }
        }
        return md.toString();
    }

    private static List<String[]> shares(JsonNode counts, double samples) {
        List<String[]> rows = new ArrayList<>();
        counts.fields().forEachRemaining(e -> rows.add(new String[] {"`" + e.getKey() + "`",
                Stats.number(100 * e.getValue().asDouble() / samples, 1) + " %"}));
        return rows;
    }

    private static String join(List<Double> values, int decimals) {
        return String.join(", ", values.stream().map(v -> Stats.number(v, decimals)).toList());
    }

    static String row(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }
}
