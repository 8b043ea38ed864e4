package dev.windlass.bench.dataplane;

import dev.windlass.bench.Cmd;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** wrk at its maximum rate from the client pod (2 threads), GET of a 1 KB response; its text report parsed. */
final class Wrk {
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|90|99)%\\s+([\\d.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(ms|s|m)");
    private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    LoadResult run(String namespace, String url, LoadShape shape) throws IOException, InterruptedException {
        return run(namespace, url, shape, List.of());
    }

    /** With extra wrk arguments before the URL (a header such as {@code -H "Connection: close"}). */
    LoadResult run(String namespace, String url, LoadShape shape, List<String> extra) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("wrk", "-t2", "-c" + shape.connections(),
                "-d" + shape.seconds() + "s", "--latency"));
        command.addAll(extra);
        command.add(url + "/echo?size=1024");
        return parse(Cmd.run(Cmd.inNetns(namespace, command), Map.of(), shape.seconds() + 60));
    }

    static LoadResult parse(String report) {
        double[] ms = new double[3];
        Matcher percentile = PERCENTILE.matcher(report);
        while (percentile.find()) {
            int index = switch (percentile.group(1)) {
                case "50" -> 0;
                case "90" -> 1;
                default -> 2;
            };
            ms[index] = Double.parseDouble(percentile.group(2)) * unitToMs(percentile.group(3));
        }
        Matcher requests = REQUESTS.matcher(report);
        if (!requests.find()) {
            throw new IllegalStateException("wrk printed no request count:\n" + report);
        }
        long count = Long.parseLong(requests.group(1));
        double seconds = Double.parseDouble(requests.group(2)) * unitToMs(requests.group(3)) / 1000;
        return new LoadResult(ms[0], ms[1], ms[2], -1, count / seconds, count, errors(report), seconds);
    }

    private static long errors(String report) {
        long errors = 0;
        Matcher non2xx = ERRORS.matcher(report);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(report);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                errors += Long.parseLong(socket.group(group));
            }
        }
        return errors;
    }

    private static double unitToMs(String unit) {
        return switch (unit) {
            case "us" -> 0.001;
            case "ms" -> 1;
            case "s" -> 1000;
            default -> 60_000; // m
        };
    }
}
