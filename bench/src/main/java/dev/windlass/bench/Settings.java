package dev.windlass.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What a run measures and for how long, from the system properties that {@code bench/run} sets (its environment
 * variables {@code BENCH_*}, see its header). Every duration is in seconds. {@code proxyFlags} are the proxy image's
 * JVM flags and AOT cache, as bench/lib/common.sh reads them from the build.
 */
public record Settings(Path out, int repeats, int warmupSeconds, int primarySeconds, int secondarySeconds,
                       int wrkSeconds, int profileSeconds, List<Integer> adsSizes, int adsPushes, Path java,
                       String proxyClasspath, List<String> proxyFlags, List<String> proxyExtraFlags, String discoveryClasspath, Path fortio,
                       boolean smoke, int virtualServiceRoutes, boolean destinationRule, boolean meshMtls,
                       boolean ioUring, Baseline baseline) {

    /**
     * Another build of the proxy and the discovery server (BENCH_BASELINE, a commit bench/run builds) whose pair runs
     * beside this commit's, with its own discovery server: what a change cost, measured in one run. Null: none.
     */
    public record Baseline(String commit, String proxyClasspath, List<String> proxyFlags, String discoveryClasspath) {
        static Baseline fromSystemProperties() {
            String commit = System.getProperty("bench.baseline.commit", "");
            return commit.isBlank() ? null : new Baseline(commit, required("bench.baseline.proxyClasspath"),
                    words(required("bench.baseline.proxyFlags")), required("bench.baseline.discoveryClasspath"));
        }
    }

    public static Settings fromSystemProperties() {
        return new Settings(Path.of(required("bench.out")), integer("bench.repeats", 3), integer("bench.warmupSeconds", 5),
                integer("bench.primarySeconds", 60), integer("bench.secondarySeconds", 10),
                integer("bench.wrkSeconds", 5), integer("bench.profileSeconds", 20),
                sizes(System.getProperty("bench.adsSizes", "100,1000,5000")), integer("bench.adsPushes", 3), Path.of(required("bench.java")), required("bench.proxyClasspath"),
                words(required("bench.proxyFlags")), words(System.getProperty("bench.proxyExtraFlags", "")), required("bench.discoveryClasspath"), Path.of(required("bench.fortio")),
                Boolean.getBoolean("bench.smoke"), integer("bench.virtualServiceRoutes", 50),
                !"0".equals(System.getProperty("bench.destinationRule", "1")),
                !"0".equals(System.getProperty("bench.meshMtls", "1")),
                !"0".equals(System.getProperty("bench.ioUring", "1")), Baseline.fromSystemProperties());
    }

    private static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("system property " + name + " is not set (bench/run sets it)");
        }
        return value;
    }

    private static int integer(String name, int fallback) {
        return Integer.parseInt(System.getProperty(name, String.valueOf(fallback)));
    }

    private static List<String> words(String list) {
        return Arrays.stream(list.split(" +")).filter(s -> !s.isBlank()).toList();
    }

    private static List<Integer> sizes(String list) {
        return Arrays.stream(list.split("[, ]+")).filter(s -> !s.isBlank()).map(Integer::valueOf).toList();
    }
}
