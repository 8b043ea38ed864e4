package dev.windlass.bench.dataplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.bench.Cmd;
import dev.windlass.bench.proc.ProcessTree;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 25 must-show 3, on the Windlass pair: a well-behaved client's latency (fortio, 100 requests/s on one
 * connection, through both sidecars) alone, then while {@link RapidResetFlood} floods the server sidecar's inbound
 * with HEADERS+RST_STREAM pairs (up to 10,000 per connection) from the client pod, bypassing the client sidecar:
 * one such connection every 500 ms (the shape, repeated so that the load's window holds several), then a
 * storm of them back to back (the worst case: every core the flood can take). Each records both loads, what the
 * flood saw (GOAWAY codes), the server sidecar's flood counter and its CPU.
 */
final class RapidResetBench {
    static final int PAIRS_PER_CONNECTION = 10_000;
    private static final Pattern FLOOD_COUNTER = Pattern.compile("windlass\\.downstream_cx_h2_flood: (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Fortio fortio;
    private final Path rawDir;
    private final Path logDir;
    private final List<String> floodLauncher;

    /** {@code floodLauncher}: the java command line up to the main class, with the bench's own class path. */
    RapidResetBench(Path fortioBinary, Path rawDir, Path logDir, List<String> floodLauncher) {
        this.fortio = new Fortio(fortioBinary);
        this.rawDir = rawDir;
        this.logDir = logDir;
        this.floodLauncher = floodLauncher;
    }

    /** How often the flood opens an abusive connection: every {@code intervalMillis} (0: back to back). */
    enum Mode {
        EVERY_500_MS(500), STORM(0);

        final int intervalMillis;

        Mode(int intervalMillis) {
            this.intervalMillis = intervalMillis;
        }
    }

    record Sample(int repeat, Mode mode, LoadResult idle, LoadResult flooded, JsonNode flood, long floodCounter,
                  double serverCpuSeconds) {
    }

    List<Sample> measure(WindlassTopology windlass, int repeats, int seconds) throws Exception {
        List<Sample> samples = new ArrayList<>();
        LoadShape shape = new LoadShape("100rps-1c", 100, 1, seconds);
        ProcessTree server = windlass.proxies().get(1);
        for (int repeat = 1; repeat <= repeats; repeat++) {
            LoadResult idle = fortio.run(windlass.pods().client(), windlass.url(), shape, raw("idle-" + repeat));
            for (Mode mode : Mode.values()) {
                samples.add(flooded(windlass, server, shape, repeat, mode, idle));
            }
        }
        return samples;
    }

    private Sample flooded(WindlassTopology windlass, ProcessTree server, LoadShape shape, int repeat, Mode mode,
                           LoadResult idle) throws Exception {
        long counterBefore = floodCounter(windlass);
        double cpuBefore = server.cpuSeconds();
        String label = mode.name().toLowerCase(Locale.ROOT) + "-" + repeat;
        Path floodLog = logDir.resolve("rapid-reset-flood-" + label + ".log");
        Process flood = Cmd.start(Cmd.inNetns(windlass.pods().client(), floodCommand(windlass, shape.seconds() + 3, mode)),
                Map.of(), floodLog);
        Thread.sleep(1000); // the flood's JVM started and flooding before the load begins, not competing with it
        LoadResult flooded = fortio.run(windlass.pods().client(), windlass.url(), shape, raw("flooded-" + label));
        if (flood.waitFor() != 0) {
            throw new IllegalStateException("the rapid-reset client failed, see " + floodLog);
        }
        Sample sample = new Sample(repeat, mode, idle, flooded, lastJsonLine(floodLog), floodCounter(windlass) - counterBefore,
                server.cpuSeconds() - cpuBefore);
        DataPlaneBench.log(String.format("rapid reset %d %s: p99 %.3f ms alone, %.3f ms flooded (%d errors); flood %s; "
                        + "flood counter +%d, server sidecar %.1f CPU s", repeat, mode, idle.p99(), flooded.p99(),
                flooded.errors(), sample.flood(), sample.floodCounter(), sample.serverCpuSeconds()));
        return sample;
    }

    /** As the proxy's group, which the capture rules let out uncaptured: straight to the server pod's inbound. */
    private List<String> floodCommand(WindlassTopology windlass, int seconds, Mode mode) {
        List<String> command = new ArrayList<>(List.of("setpriv", "--regid", "1337", "--clear-groups"));
        command.addAll(floodLauncher);
        command.addAll(List.of(RapidResetFlood.class.getName(), windlass.pods().serverIp(), String.valueOf(Topology.APP_PORT),
                String.valueOf(seconds), String.valueOf(PAIRS_PER_CONNECTION), String.valueOf(mode.intervalMillis)));
        return command;
    }

    private static long floodCounter(WindlassTopology windlass) throws Exception {
        String stats = Cmd.run(Cmd.inNetns(windlass.pods().server(), List.of("curl", "-s", "-m", "5",
                "http://127.0.0.1:15000/stats")));
        Matcher matcher = FLOOD_COUNTER.matcher(stats);
        if (!matcher.find()) {
            throw new IllegalStateException("the server sidecar's /stats has no downstream_cx_h2_flood");
        }
        return Long.parseLong(matcher.group(1));
    }

    private Path raw(String load) {
        return rawDir.resolve("fortio-rapid-reset-" + load + ".json");
    }

    private static JsonNode lastJsonLine(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log).stream().filter(l -> l.startsWith("{")).toList();
        if (lines.isEmpty()) {
            throw new IllegalStateException("the rapid-reset client printed no summary, see " + log);
        }
        return JSON.readTree(lines.getLast());
    }
}
