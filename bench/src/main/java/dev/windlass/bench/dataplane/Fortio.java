package dev.windlass.bench.dataplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windlass.bench.Cmd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Fortio's fixed-rate load from the client pod, its JSON report read back. A failed request is counted, not fatal. */
final class Fortio {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path binary;

    Fortio(Path binary) {
        this.binary = binary;
    }

    LoadResult run(String namespace, String url, LoadShape shape, Path json) throws IOException, InterruptedException {
        List<String> command = List.of(binary.toString(), "load", "-quiet", "-qps", String.valueOf(shape.qps()),
                "-c", String.valueOf(shape.connections()), "-t", shape.seconds() + "s", "-payload-size", "1024",
                "-p", "50,90,99,99.9", "-allow-initial-errors", "-json", json.toString(), url + "/echo");
        Cmd.run(Cmd.inNetns(namespace, command), Map.of(), shape.seconds() + 60);
        return parse(JSON.readTree(json.toFile()));
    }

    static LoadResult parse(JsonNode report) {
        JsonNode histogram = report.path("DurationHistogram");
        double[] ms = new double[4];
        for (JsonNode percentile : histogram.path("Percentiles")) {
            double p = percentile.path("Percentile").asDouble();
            int index = p == 50 ? 0 : p == 90 ? 1 : p == 99 ? 2 : 3;
            ms[index] = percentile.path("Value").asDouble() * 1000;
        }
        long requests = histogram.path("Count").asLong();
        long ok = report.path("RetCodes").path("200").asLong();
        double seconds = report.path("ActualDuration").asDouble() / 1e9;
        return new LoadResult(ms[0], ms[1], ms[2], ms[3], report.path("ActualQPS").asDouble(), requests, requests - ok,
                seconds);
    }
}
