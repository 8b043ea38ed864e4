package dev.windlass.samples.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load client's flags, spelled as fortio's ({@code -c 2 -n 20 -qps 0 -H 'Name: value' -timeout 10s}); a flag may
 * also be given as {@code -name=value} or with two dashes. fortio flags that change nothing here (-loglevel, -quiet,
 * -a, -json, -p) are accepted and ignored, so that commands copied from Istio's tasks run.
 *
 * @param connections  concurrent connections (fortio's -c), each one TCP connection kept alive
 * @param requests     total requests, or 0 to run for {@code duration}
 * @param qps          requests per second over all connections; 0 or less: as fast as answers come
 * @param duration     how long to run when no request count is given
 * @param timeout      connect and read timeout
 * @param headers      extra request headers, "Name: value"
 * @param countHeaders response headers whose values are tallied
 * @param cacert       fortio's -cacert: the PEM file of the CAs an https server's certificate must chain to, or null
 * @param resolve      fortio's -resolve: the address to connect to instead of the URL host's, or null
 * @param positional   what follows the flags: the URL, or HOST:PORT and the line for tcp
 */
record LoadOptions(int connections, int requests, double qps, Duration duration, Duration timeout, List<String> headers,
                   List<String> countHeaders, String cacert, String resolve, List<String> positional) {
    private static final List<String> IGNORED_WITH_VALUE = List.of("loglevel", "a", "json", "p", "r", "labels");
    private static final List<String> IGNORED_SWITCHES = List.of("quiet", "allow-initial-errors", "nocatchup", "uniform", "jitter");

    static LoadOptions parse(List<String> args) {
        Builder options = new Builder();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("-") || arg.equals("-") || !options.positional.isEmpty()) {
                options.positional.add(arg);
                continue;
            }
            String name = arg.replaceFirst("^--?", "");
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (IGNORED_SWITCHES.contains(name)) {
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("flag -" + name + " needs a value");
                }
                value = args.get(++i);
            }
            options.set(name, value);
        }
        return options.build();
    }

    private static final class Builder {
        private int connections = 1;
        private int requests = -1;
        private double qps;
        private Duration duration;
        private Duration timeout = Duration.ofSeconds(10);
        private final List<String> headers = new ArrayList<>();
        private final List<String> countHeaders = new ArrayList<>();
        private String cacert;
        private String resolve;
        private final List<String> positional = new ArrayList<>();

        void set(String name, String value) {
            switch (name) {
                case "c" -> connections = positive(name, Integer.parseInt(value));
                case "n" -> requests = positive(name, Integer.parseInt(value));
                case "qps" -> qps = Double.parseDouble(value);
                case "t" -> duration = duration(value);
                case "timeout" -> timeout = duration(value);
                case "H" -> headers.add(header(value));
                case "count-header" -> countHeaders.add(value.toLowerCase(Locale.ROOT));
                case "cacert" -> cacert = value;
                case "resolve" -> resolve = value;
                default -> {
                    if (!IGNORED_WITH_VALUE.contains(name)) {
                        throw new IllegalArgumentException("unknown flag -" + name);
                    }
                }
            }
        }

        LoadOptions build() {
            // As fortio: with no request count, run for a time (5 s unless -t says otherwise).
            Duration runFor = requests < 0 && duration == null ? Duration.ofSeconds(5) : duration;
            return new LoadOptions(connections, Math.max(requests, 0), qps, runFor, timeout, List.copyOf(headers),
                    List.copyOf(countHeaders), cacert, resolve, List.copyOf(positional));
        }
    }

    /** "10s", "500ms", "1m", "2.5s", or a bare number of seconds. */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        double factor;
        String number;
        if (t.endsWith("ms")) {
            factor = 1;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            factor = 1000;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            factor = 60_000;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("h")) {
            factor = 3_600_000;
            number = t.substring(0, t.length() - 1);
        } else {
            factor = 1000;
            number = t;
        }
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(number) * factor));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad duration '" + text + "'");
        }
    }

    private static String header(String value) {
        int colon = value.indexOf(':');
        if (colon <= 0 || value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new IllegalArgumentException("bad header '" + value + "': use -H 'Name: value'");
        }
        return value.substring(0, colon).strip() + ": " + value.substring(colon + 1).strip();
    }

    private static int positive(String flag, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("-" + flag + " must be at least 1");
        }
        return value;
    }
}
