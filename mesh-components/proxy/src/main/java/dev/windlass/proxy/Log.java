package dev.windlass.proxy;

import java.time.Instant;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The proxy's own log: one line per event on standard error (standard output belongs to the access log). The
 * level comes from PROXY_LOG_LEVEL (trace, debug, info, warning, error, off).
 */
public final class Log {
    private static volatile int threshold = 2;
    private static final String[] NAMES = {"trace", "debug", "info", "warning", "error", "off"};

    private Log() {
    }

    public static void level(String name) {
        if (name == null || name.isBlank()) {
            return;
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name.toLowerCase(Locale.ROOT)) || ("warn".equals(name) && i == 3)) {
                threshold = i;
            }
        }
        // Netty and grpc log through java.util.logging: only their warnings and worse.
        Logger.getLogger("").setLevel(threshold <= 1 ? Level.INFO : Level.WARNING);
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
            System.err.println(Instant.now() + " " + NAMES[level] + " windlass-proxy: " + message);
        }
    }
}
