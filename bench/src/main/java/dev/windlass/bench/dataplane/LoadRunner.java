package dev.windlass.bench.dataplane;

import dev.windlass.bench.proc.ProcessTree;
import dev.windlass.bench.proc.RssSampler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs one load shape against one topology and measures the proxies' CPU (from /proc, before and after) and RSS. */
final class LoadRunner {
    private final Fortio fortio;
    private final Wrk wrk = new Wrk();
    private final Path rawDir;

    LoadRunner(Path fortioBinary, Path rawDir) {
        this.fortio = new Fortio(fortioBinary);
        this.rawDir = rawDir;
    }

    Measurement measure(int repeat, LoadShape shape, Topology topology) throws Exception {
        List<ProcessTree> proxies = topology.proxies();
        double[] cpuBefore = proxies.stream().mapToDouble(ProcessTree::cpuSeconds).toArray();
        long start = System.nanoTime();
        LoadResult load;
        try (RssSampler rss = new RssSampler(proxies)) {
            load = run(repeat, shape, topology);
            double wall = (System.nanoTime() - start) / 1e9;
            List<Measurement.ProxyUsage> usage = new ArrayList<>();
            for (int i = 0; i < proxies.size(); i++) {
                double cpu = proxies.get(i).cpuSeconds() - cpuBefore[i];
                usage.add(new Measurement.ProxyUsage(proxies.get(i).label(), cpu, cpu / (load.requests() / 1000.0),
                        cpu / wall, rss.steady(i), rss.peak(i)));
            }
            return new Measurement(repeat, shape.name(), topology.name(), load, usage, loadAverage());
        }
    }

    /** A short fortio load at 1000 requests/s whose result is thrown away: connections, pools and JIT warmed up. */
    void warmUp(Topology topology, int seconds) throws Exception {
        if (seconds > 0) {
            fortio.run(topology.pods().client(), topology.url(), new LoadShape("warm-up", 1000, 16, seconds),
                    rawDir.resolve("warm-up-" + topology.name() + ".json"));
        }
    }

    private LoadResult run(int repeat, LoadShape shape, Topology topology) throws Exception {
        String client = topology.pods().client();
        if (shape.maxThroughput()) {
            return wrk.run(client, topology.url(), shape);
        }
        Path json = rawDir.resolve("fortio-" + repeat + "-" + shape.name() + "-" + topology.name() + ".json");
        return fortio.run(client, topology.url(), shape, json);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
