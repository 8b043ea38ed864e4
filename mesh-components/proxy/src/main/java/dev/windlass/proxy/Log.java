package dev.windlass.proxy;

import java.time.Instant;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The proxy's own log: one line per event on standard error (standard output belongs to the access log). The
 * level comes from PROXY_LOG_LEVEL (trace, debug, info, warning, error, off); with LOG_AS_JSON each line is a JSON
 * object with the keys Istio's proxy agent uses (time, level, scope, msg). Netty's and grpc's own warnings, which
 * go through java.util.logging, are written the same way.
 */
public final class Log {
    private static volatile int threshold = 2;
    private static volatile boolean json;
    private static final String[] NAMES = {"trace", "debug", "info", "warning", "error", "off"};

    private Log() {
    }

    public static void configure(ProxyOptions.Logging logging) {
        json = logging.json();
        level(logging.level());
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        root.addHandler(new JulHandler());
    }

    /** Sets the level at runtime (the admin's {@code POST /logging?level=}); false, and unchanged, for an unknown name. */
    public static boolean level(String name) {
        if (name == null || name.isBlank()) {
            return false;
        }
        boolean known = false;
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name.toLowerCase(Locale.ROOT)) || ("warn".equals(name) && i == 3)) {
                threshold = i;
                known = true;
            }
        }
        // Netty and grpc log through java.util.logging: only their warnings and worse.
        Logger.getLogger("").setLevel(threshold <= 1 ? Level.INFO : Level.WARNING);
        return known;
    }

    /** The level now: trace, debug, info, warning, error or off. */
    public static String level() {
        return NAMES[threshold];
    }

    public static boolean debugEnabled() {
        return threshold <= 1;
    }

    public static void debug(String message) {
        write(1, message);
    }

    public static void info(String message) {
        write(2, message);
    }

    public static void warn(String message) {
        write(3, message);
    }

    public static void error(String message) {
        write(4, message);
    }

    private static void write(int level, String message) {
        if (level >= threshold) {
            System.err.println(line(Instant.now(), NAMES[level], "windlass-proxy", message));
        }
    }

    static String line(Instant time, String level, String scope, String message) {
        if (json) {
            return "{\"time\":\"" + time + "\",\"level\":\"" + level + "\",\"scope\":" + JsonText.quote(scope)
                    + ",\"msg\":" + JsonText.quote(message) + "}";
        }
        return time + " " + level + " " + scope + ": " + message;
    }

    /** java.util.logging records (Netty, grpc) in the proxy's own format; the root level filters them first. */
    private static final class JulHandler extends Handler {
        @Override
        public void publish(LogRecord record) {
            String level = record.getLevel().intValue() >= Level.SEVERE.intValue() ? "error"
                    : record.getLevel().intValue() >= Level.WARNING.intValue() ? "warning" : "info";
            String message = new SimpleFormatter().formatMessage(record)
                    + (record.getThrown() == null ? "" : ": " + record.getThrown());
            System.err.println(line(Instant.ofEpochMilli(record.getMillis()), level, String.valueOf(record.getLoggerName()), message));
        }

        @Override
        public void flush() {
            System.err.flush();
        }

        @Override
        public void close() {
        }
    }
}
